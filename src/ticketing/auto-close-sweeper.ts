import type { BusinessCalendar } from '../router/calendar.js';
import type { Logger } from '../shared/logger.js';
import { autoCloseDue, objection, resolvedNoLaterThan } from './auto-close-due.js';
import type { Store } from './db/sql.js';
import type { AutoClosePolicy } from './loop-config.js';
import { every } from './periodic.js';
import type { TicketService } from './service-types.js';
import { repliesInOf, ticketsResolvedBefore } from './tickets-repo.js';
import type { Ticket } from './types.js';

export interface AutoCloseSweeper {
  /** One pass: closes every resolved ticket whose time has come and whose requester did not object; returns how many it closed. */
  sweep(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/** What the `closed` event says about the rule that closed it. */
function ruleOf(policy: Exclude<AutoClosePolicy, { kind: 'off' }>, ticket: Ticket): Record<string, unknown> {
  return policy.kind === 'hours' ? { afterHours: policy.hours } : { afterBusinessDays: policy.days, calendar: policy.calendar ?? ticket.calendar };
}

/**
 * Ends the loop when the requester stays silent: a ticket resolved `autoCloseAfter` business days ago (on its
 * calendar), never reopened and not objected to, closes through the service's close, as the system, so the
 * `closed` event and its subscribers (the survey) run as for an agent's close. Every process may run it:
 * `autoClose` re-checks status, resolution time and objections under the ticket's lock, so two sweepers close
 * a ticket once and a reopen or a requester's reply between listing and closing wins.
 */
export function createAutoCloseSweeper(deps: {
  store: Store;
  service: TicketService;
  policy: AutoClosePolicy;
  calendars: ReadonlyMap<string, BusinessCalendar>;
  logger: Logger;
  intervalMs?: number;
  now?: () => Date;
}): AutoCloseSweeper {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'auto-close' });
  const { policy } = deps;

  async function sweep(): Promise<number> {
    if (policy.kind === 'off') return 0;
    const at = now();
    const cutoff = resolvedNoLaterThan(policy, at)!;
    const due = (await deps.store.read((q) => ticketsResolvedBefore(q, cutoff.toISOString()))).filter((t) => {
      const when = autoCloseDue(policy, deps.calendars.get(policy.kind === 'businessDays' ? (policy.calendar ?? t.calendar) : t.calendar), new Date(t.resolvedAt!));
      return when !== undefined && when.getTime() <= at.getTime();
    });
    if (due.length === 0) return 0;
    const replies = await deps.store.read((q) => repliesInOf(q, due.map((t) => t.id)));
    let closed = 0;
    for (const ticket of due) {
      // Held for an agent: the requester wrote back after the resolution without confirming it.
      if (objection(replies.get(ticket.id) ?? [], ticket.resolvedAt!)) continue;
      // One ticket's failure (a row another process just changed oddly) must not stop the rest.
      const done = await deps.service.autoClose(ticket.number, new Date(ticket.resolvedAt!), { autoClose: ruleOf(policy, ticket) }).catch((err: unknown) => {
        log.warn({ err, ticket: ticket.number }, 'auto-close failed; next pass retries');
        return undefined;
      });
      if (done) {
        closed += 1;
        log.info({ ticket: ticket.number, ...ruleOf(policy, ticket) }, 'auto-closed');
      }
    }
    return closed;
  }

  return { sweep, ...every(deps.intervalMs ?? 60_000, sweep, log, 'auto-close sweep') };
}
