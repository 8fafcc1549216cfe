/**
 * Volume as a signal: several people reporting a fault of one service within a few minutes means it is
 * down for more than the one writer, however calmly each of them put it. A small in-memory window per
 * service (each process counts the contacts it accepts); the major-incident storm detection in
 * src/incidents works on stored tickets and does not depend on this.
 */
import type { Level, RouteDecision, TraceEntry } from './types.js';

export interface VolumeConfig {
  /** How far back the window reaches. */
  windowMinutes: number;
  /** Distinct requesters reporting a fault of one service in the window that raise its urgency. */
  contacts: number;
}

export interface VolumeWindow {
  /**
   * Counts `who`'s contact about `service` at `at` and returns the trace entry of the raise when the window
   * now holds enough distinct requesters for it, or undefined.
   */
  observe(service: string, who: string, at: Date): TraceEntry | undefined;
}

/** Entries kept per service at most: a storm must not grow memory without bound. */
const MAX_PER_SERVICE = 500;

export function createVolumeWindow(config: VolumeConfig): VolumeWindow {
  const span = config.windowMinutes * 60_000;
  const seen = new Map<string, Array<{ at: number; who: string }>>();
  return {
    observe(service, who, at) {
      const now = at.getTime();
      const recent = (seen.get(service) ?? []).filter((e) => now - e.at < span && e.at <= now);
      if (!recent.some((e) => e.who === who)) recent.push({ at: now, who });
      seen.set(service, recent.length > MAX_PER_SERVICE ? recent.slice(-MAX_PER_SERVICE) : recent);
      if (recent.length < config.contacts) return undefined;
      return {
        rule: '@volume',
        description: 'several people report the same service within minutes',
        matched: [`${recent.length} requesters reported ${service} within ${config.windowMinutes} minutes`],
        set: { urgency: 'high' satisfies Level },
      };
    },
  };
}

/** Whether a decision is one volume counts: a fault of a catalogued service. */
export function countsForVolume(decision: RouteDecision): decision is RouteDecision & { service: string } {
  return decision.type === 'incident' && decision.service !== undefined;
}
