import type { Logger } from '../shared/logger.js';
import type { Store } from './db/sql.js';
import { every } from './periodic.js';
import type { TicketService } from './service-types.js';
import { ticketsResolvedBefore } from './tickets-repo.js';

export interface AutoCloseSweeper {
  /** One pass: closes every ticket resolved for `afterHours` or longer; returns how many it closed. */
  sweep(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Ends the loop when the requester stays silent: a ticket resolved `afterHours` ago and never reopened
 * closes through the service's close, as the system, so the `closed` event and its subscribers run as
 * for an agent's close. Every process may run it: `autoClose` re-checks under the ticket's lock, so two
 * sweepers close a ticket once and a reopen between listing and closing wins.
 */
export function createAutoCloseSweeper(deps: {
  store: Store;
  service: TicketService;
  afterHours: number;
  logger: Logger;
  intervalMs?: number;
  now?: () => Date;
}): AutoCloseSweeper {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'auto-close' });

  async function sweep(): Promise<number> {
    if (deps.afterHours <= 0) return 0;
    const cutoff = new Date(now().getTime() - deps.afterHours * 3_600_000);
    let closed = 0;
    for (const ticket of await deps.store.read((q) => ticketsResolvedBefore(q, cutoff.toISOString()))) {
      // One ticket's failure (a row another process just reopened and re-resolved oddly) must not stop the rest.
      const done = await deps.service.autoClose(ticket.number, cutoff, { autoClose: { afterHours: deps.afterHours } }).catch((err: unknown) => {
        log.warn({ err, ticket: ticket.number }, 'auto-close failed; next pass retries');
        return undefined;
      });
      if (done) {
        closed += 1;
        log.info({ ticket: ticket.number, afterHours: deps.afterHours }, 'auto-closed');
      }
    }
    return closed;
  }

  return { sweep, ...every(deps.intervalMs ?? 60_000, sweep, log, 'auto-close sweep') };
}
