import type { Logger } from '../shared/logger.js';
import { every } from './periodic.js';
import type { SlaWatch } from './sla-watch.js';

export interface SlaSweeper {
  /** One pass: records due warnings and breaches; returns how many events it wrote. */
  sweep(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Turns SLA clocks into `sla_warning` / `sla_breach` events, whose subscribers (the Slack card, team
 * webhooks) tell the team and the desk manager. Every process may run it: `mark` re-checks under the
 * ticket's lock, so two sweepers write each event once.
 */
export function createSlaSweeper(deps: { sla: SlaWatch; logger: Logger; intervalMs?: number; now?: () => Date; onEvents?: () => void }): SlaSweeper {
  const intervalMs = deps.intervalMs ?? 30_000;
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'sla' });

  async function sweep(): Promise<number> {
    const at = now();
    let written = 0;
    for (const candidate of await deps.sla.candidates(at)) {
      const event = await deps.sla.mark(candidate, at);
      if (event) {
        written += 1;
        log.info({ ticket: candidate.ticket.number, clock: candidate.clock, kind: candidate.kind }, 'sla event');
      }
    }
    if (written > 0) deps.onEvents?.();
    return written;
  }

  return { sweep, ...every(intervalMs, sweep, log, 'sla sweep') };
}
