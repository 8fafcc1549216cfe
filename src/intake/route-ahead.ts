import { requesterProfile, type RequesterProfile, type RouteDecision, type RouteInput } from '../router/index.js';
import type { RouteThreadData } from '../router/route-thread.js';
import { startThreadPool } from '../shared/thread-pool.js';
import { identitiesOf } from '../ticketing/requesters.js';
import type { IntakeRecord } from './record.js';

/** A decision made ahead of the transaction, and the requester profile it assumed. */
export interface RoutedAhead {
  profile: RequesterProfile;
  decision: RouteDecision;
}

/**
 * Routes contacts on a thread of their own before their transaction. The store runs the transactions of
 * a group commit one after another on the event loop, so routing inside them (about a third of a contact's
 * work) made every contact of a burst wait for the routing of all the others.
 *
 * Routing depends on the requester's profile (department, location, VIP, language), which is known for
 * sure only inside the transaction. So the thread routes with the profile the requester had last time (or,
 * for someone new, the one their contact describes), and the transaction uses that decision only if the
 * profile it resolved is the same; otherwise it routes again itself.
 */
export interface RouteAhead {
  /** Resolves once the thread has loaded the configuration and trained on the examples. */
  ready: Promise<void>;
  /** The decision for `record` with its requester's expected profile; undefined until the thread has started, or if it failed. */
  route(record: IntakeRecord): Promise<RoutedAhead | undefined>;
  /** Whether a decision made ahead still holds for the profile the transaction resolved. */
  holds(ahead: RoutedAhead | undefined, actual: RequesterProfile): ahead is RoutedAhead;
  /** The profile the transaction resolved, expected for this requester's next contact. */
  remember(record: IntakeRecord, actual: RequesterProfile): void;
  close(): Promise<void>;
}

/** Profiles remembered, at most: past that the oldest are forgotten (and their next contact routed twice). */
const REMEMBERED = 20_000;

/** The profile fields routing reads (the name shows in a VIP's trace line). */
const ROUTING_FIELDS = ['department', 'location', 'vip', 'language', 'name'] as const;

/** The requester's first identifier, normalised as requester resolution matches it. */
function identityOf(record: IntakeRecord): string | undefined {
  const first = identitiesOf(record.requester)[0];
  return first && `${first.kind}:${first.value}`;
}

export function startRouteAhead(data: RouteThreadData): RouteAhead {
  const pool = startThreadPool<RouteInput, RouteDecision>(new URL('../router/route-thread.ts', import.meta.url), { threads: 1, workerData: data, name: 'routing' });
  const profiles = new Map<string, RequesterProfile>();

  function expected(record: IntakeRecord): RequesterProfile {
    const key = identityOf(record);
    const known = key === undefined ? undefined : profiles.get(key);
    return known ?? requesterProfile({ name: record.requester.name, department: record.requester.department }, record.channel);
  }

  return {
    ready: pool.ready,
    async route(record) {
      if (!pool.started()) return undefined;
      const profile = expected(record);
      const { channel, subject, body, meta, receivedAt } = record;
      try {
        return { profile, decision: await pool.request({ record: { channel, subject, body, meta, receivedAt }, requester: profile }) };
      } catch {
        // The thread died or refused: the transaction routes this contact itself, as without the thread.
        return undefined;
      }
    },
    holds(ahead, actual): ahead is RoutedAhead {
      return ahead !== undefined && ROUTING_FIELDS.every((f) => ahead.profile[f] === actual[f]);
    },
    remember(record, actual) {
      const key = identityOf(record);
      if (key === undefined) return;
      profiles.delete(key);
      profiles.set(key, actual);
      if (profiles.size > REMEMBERED) profiles.delete(profiles.keys().next().value!);
    },
    close: () => pool.close(),
  };
}
