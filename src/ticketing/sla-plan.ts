import type { SlaEscalationConfig, SlaStepConfig } from '../router/sla-steps.js';
import { OPEN_STATUSES, type Ticket } from './types.js';

export type SlaClock = 'respond' | 'resolve';
export type SlaEventType = 'sla_warning' | 'sla_breach';

/** A policy's ladder as the sweeper reads it: its steps by rising share, and how escalations reach people. */
export interface SlaLadder {
  steps: readonly SlaStepConfig[];
  escalation: SlaEscalationConfig;
}

/** A step already taken: the claim row of one clock, due time and step. */
export interface StepTaken {
  clock: SlaClock;
  due: string;
  step: string;
}

/** A step owed now. */
export interface OwedStep {
  clock: SlaClock;
  due: string;
  step: SlaStepConfig;
  /** A share below 1 warns; at or past the due time it is a breach. */
  kind: SlaEventType;
}

/** The clocks that run on a ticket: respond until the first response, resolve unless paused (pending). */
export function runningClocks(ticket: Ticket): Array<{ clock: SlaClock; due: string }> {
  if (!OPEN_STATUSES.includes(ticket.status)) return [];
  const clocks: Array<{ clock: SlaClock; due: string }> = [];
  if (!ticket.respondedAt) clocks.push({ clock: 'respond', due: ticket.respondBy });
  if (ticket.status !== 'pending') clocks.push({ clock: 'resolve', due: ticket.resolveBy });
  return clocks;
}

/**
 * When a step falls due: at `share` of the span from the ticket's creation to the clock's due time, so a
 * short target warns as early in proportion as a long one (a fixed lead time warned a 1-minute target at 0%).
 */
export function warnPoint(createdAt: string, due: string, share: number): number {
  const start = Date.parse(createdAt);
  return start + share * (Date.parse(due) - start);
}

const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);

/**
 * What a ticket owes now and when it next owes something. A step is owed once per clock and due time (a
 * due time moved by a pause or a reopen starts the ladder again). A warning whose clock is already past
 * due is passed over: the breach says more, and a late warning would only be noise.
 */
export function planSteps(ticket: Ticket, ladder: SlaLadder, taken: readonly StepTaken[], now: Date): { owed: OwedStep[]; nextAt?: string } {
  const owed: OwedStep[] = [];
  let next = Number.POSITIVE_INFINITY;
  const at = now.getTime();
  for (const { clock, due } of runningClocks(ticket)) {
    const past = Date.parse(due) <= at;
    for (const step of ladder.steps) {
      if (!step.clocks.includes(clock)) continue;
      if (taken.some((t) => t.clock === clock && t.step === step.name && sameInstant(t.due, due))) continue;
      const point = warnPoint(ticket.createdAt, due, step.at);
      const kind: SlaEventType = step.at < 1 ? 'sla_warning' : 'sla_breach';
      if (point > at) next = Math.min(next, point);
      else if (kind === 'sla_breach' || !past) owed.push({ clock, due, step, kind });
    }
  }
  return { owed, nextAt: Number.isFinite(next) ? new Date(next).toISOString() : undefined };
}
