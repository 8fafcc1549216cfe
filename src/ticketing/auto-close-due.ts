import type { BusinessCalendar } from '../router/calendar.js';
import type { AutoClosePolicy } from './loop-config.js';
import type { TicketEvent } from './types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** A calendar with no open day in this many days is a configuration mistake; the ticket simply never auto-closes. */
const MAX_DAYS = 3660;

/**
 * When a ticket resolved at `resolvedAt` closes by itself. In business days: when the business hours of the
 * N-th open day after the resolution's own day end, so the requester has N whole working days to object
 * (resolved Friday on 5x8, N = 3: Wednesday 17:00). Undefined when auto-close is off or the calendar never opens.
 */
export function autoCloseDue(policy: AutoClosePolicy, calendar: BusinessCalendar | undefined, resolvedAt: Date): Date | undefined {
  if (policy.kind === 'off') return undefined;
  if (policy.kind === 'hours') return new Date(resolvedAt.getTime() + policy.hours * HOUR_MS);
  if (!calendar) return undefined;
  let counted = 0;
  const first = calendar.dayOf(resolvedAt.getTime()) + 1;
  for (let day = first; day < first + MAX_DAYS; day++) {
    const open = calendar.intervals(day);
    if (open.length === 0) continue;
    if (++counted === policy.days) return new Date(open[open.length - 1]![1]);
  }
  return undefined;
}

/**
 * The latest resolution time that can be due by `now`, whatever the calendar: the N-th open day after the
 * resolution's day starts at least N − 1 days after it (an hour's margin for a DST shift). The sweep lists
 * only tickets resolved before it, then computes each one's due time.
 */
export function resolvedNoLaterThan(policy: AutoClosePolicy, now: Date): Date | undefined {
  if (policy.kind === 'off') return undefined;
  if (policy.kind === 'hours') return new Date(now.getTime() - policy.hours * HOUR_MS);
  return new Date(now.getTime() - (policy.days - 1) * DAY_MS + 2 * HOUR_MS);
}

/** Intents (src/intake/reply-intent.ts) that hold a resolved ticket open: everything but a confirmation or an out-of-office. */
const OBJECTING = new Set(['not_fixed', 'persisting', 'other']);

/**
 * The requester objected to the resolution when they wrote to the ticket after it and what they wrote was
 * not read as a confirmation (intake keeps the intent on `replied_in`): such a ticket waits for an agent.
 */
export function objection(events: readonly Pick<TicketEvent, 'type' | 'at' | 'data'>[], resolvedAt: string): Pick<TicketEvent, 'at' | 'data'> | undefined {
  return events.find((e) => e.type === 'replied_in' && e.at > resolvedAt && OBJECTING.has(String(e.data.intent)));
}
