import type { Logger } from '../shared/logger.js';
import { every } from './periodic.js';
import type { SlaWatch } from './sla-watch.js';

export interface SlaSweeper {
  /** One pass: takes every SLA step due now; returns how many step events it wrote. */
  sweep(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Turns SLA clocks into `sla_warning` / `sla_breach` steps (and their escalations), whose subscribers
 * (the Slack card and notices, team webhooks) tell the assignee, the team and the desk manager. Every
 * process may run it: each step is claimed by a unique row, so two sweepers take it once.
 */
export function createSlaSweeper(deps: { sla: SlaWatch; logger: Logger; intervalMs?: number; now?: () => Date; onEvents?: () => void }): SlaSweeper {
  const intervalMs = deps.intervalMs ?? 30_000;
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'sla' });

  async function sweep(): Promise<number> {
    const { events } = await deps.sla.pass(now());
    for (const e of events) log.info({ ticketId: e.ticketId, type: e.type, clock: e.data.clock, step: e.data.step }, 'sla step');
    if (events.length > 0) deps.onEvents?.();
    return events.length;
  }

  return { sweep, ...every(intervalMs, sweep, log, 'sla sweep') };
}
