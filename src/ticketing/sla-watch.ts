import type { Store } from './db/sql.js';
import type { EventLog } from './events.js';
import type { TicketOps } from './ops.js';
import { ticketsWithClocksDue } from './tickets-repo.js';
import { OPEN_STATUSES } from './types.js';
import type { Ticket, TicketEvent } from './types.js';

const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

export type SlaClock = 'respond' | 'resolve';
export type SlaEventType = 'sla_warning' | 'sla_breach';

/** A clock that needs an event now: a warning as it nears its due time, a breach once past it. */
export interface SlaCandidate {
  ticket: Ticket;
  clock: SlaClock;
  due: string;
  kind: SlaEventType;
}

/**
 * What an SLA sweeper reads and writes. Warning and breach events carry the clock and the due time
 * they were about, so a due time moved later (a pause, a reopen) can warn again.
 */
export interface SlaWatch {
  /** Open clocks past their policy's warning share without their warning (or past due without their breach) yet. */
  candidates(now: Date): Promise<SlaCandidate[]>;
  /** Records the event once, re-checked under the ticket's lock; undefined when it no longer applies. */
  mark(candidate: Pick<SlaCandidate, 'ticket' | 'clock' | 'kind'>, now: Date): Promise<TicketEvent | undefined>;
}

function clocksOf(ticket: Ticket): Array<{ clock: SlaClock; due: string }> {
  if (!OPEN_STATUSES.includes(ticket.status)) return [];
  const clocks: Array<{ clock: SlaClock; due: string }> = [];
  if (!ticket.respondedAt) clocks.push({ clock: 'respond', due: ticket.respondBy });
  if (ticket.status !== 'pending') clocks.push({ clock: 'resolve', due: ticket.resolveBy });
  return clocks;
}

/** Whether `kind` is still owed for a clock due at `due`: a breach once past it, a warning before it (and before any breach). */
function owed(kind: SlaEventType, clock: SlaClock, due: string, now: Date, seen: readonly TicketEvent[]): boolean {
  const has = (k: SlaEventType) => seen.some((e) => e.type === k && e.data.clock === clock && e.data.due === due);
  const past = Date.parse(due) <= now.getTime();
  return kind === 'sla_breach' ? past && !has('sla_breach') : !past && !has('sla_warning') && !has('sla_breach');
}

/** The default share of a target at which a clock warns, for policies (and tests) that name none. */
export const DEFAULT_WARN_SHARE = 0.75;

/**
 * When a clock warns: at `share` of the span from the ticket's creation to its due time, so a short
 * target warns as early in proportion as a long one (a fixed lead time warned a 1-minute target at 0%).
 */
export function warnPoint(createdAt: string, due: string, share: number): number {
  const start = Date.parse(createdAt);
  return start + share * (Date.parse(due) - start);
}

export function createSlaWatch(deps: { store: Store; ops: TicketOps; events: EventLog; warnShare?: (slaPolicy: string) => number }): SlaWatch {
  const { store, ops, events } = deps;
  const warnShare = deps.warnShare ?? (() => DEFAULT_WARN_SHARE);
  const SLA_EVENTS = ['sla_warning', 'sla_breach'] as const;

  return {
    candidates(now) {
      return store.read(async (q) => {
        // Any open clock can be past its share, whatever its due time: the bound is the far future, and
        // the share is applied per ticket below (open tickets are few next to all tickets).
        const tickets = await ticketsWithClocksDue(q, FAR_FUTURE);
        const seen = await events.listMany(q, tickets.map((t) => t.id), SLA_EVENTS);
        const out: SlaCandidate[] = [];
        for (const ticket of tickets) {
          for (const { clock, due } of clocksOf(ticket)) {
            if (warnPoint(ticket.createdAt, due, warnShare(ticket.slaPolicy)) > now.getTime()) continue;
            const kind = Date.parse(due) <= now.getTime() ? 'sla_breach' : 'sla_warning';
            if (owed(kind, clock, due, now, seen.get(ticket.id) ?? [])) out.push({ ticket, clock, due, kind });
          }
        }
        return out;
      });
    },
    mark(candidate, now) {
      return store.withTx(async (tx) => {
        const ticket = await ops.lock(tx, candidate.ticket);
        const clock = clocksOf(ticket).find((c) => c.clock === candidate.clock);
        if (!clock || !owed(candidate.kind, clock.clock, clock.due, now, await events.list(tx, ticket.id, SLA_EVENTS))) return undefined;
        return ops.recordEvent(tx, ticket, candidate.kind, 'system', { clock: clock.clock, due: clock.due });
      });
    },
  };
}
