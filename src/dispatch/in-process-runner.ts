import type { Logger } from '../shared/logger.js';
import { coalesce } from './coalesce.js';
import { byEventOrder, executeJob } from './execute.js';
import type { OutboxPort, OutboxRow } from './outbox-port.js';
import type { HandlerRegistry } from './registry.js';
import { outboxStats, type DispatchStats } from './stats.js';

const holdKey = (row: OutboxRow) => `${row.id}@${row.runAt}`;

export interface InProcessRunnerDeps {
  outbox: OutboxPort;
  registry: HandlerRegistry;
  logger: Logger;
  /** Jobs held at once (running or waiting behind an earlier job of their ticket). Default 4. */
  concurrency?: number;
  /** How often due jobs are looked for when nobody kicks. Default 1000 ms. */
  pollMs?: number;
  /** How long a claimed job is ours; a runner that dies mid-job loses it after this. Default 2 min. */
  leaseMs?: number;
}

/** The embedded dispatcher (no Redis): it claims due outbox jobs and runs them in this process. */
export interface Dispatcher {
  start(): void;
  /** Looks for due work now, e.g. right after a commit that wrote outbox jobs. Never throws. */
  kick(): void;
  /** Stops claiming and waits until every job already claimed has run. */
  stop(): Promise<void>;
  stats(): Promise<DispatchStats & { inFlight: number }>;
}

/**
 * Jobs of one ticket go into one lane and run one after another in event order (a Slack card is posted
 * before it is updated); lanes of different tickets run side by side, `concurrency` jobs in all.
 */
export function createInProcessRunner(deps: InProcessRunnerDeps): Dispatcher {
  const { outbox, logger } = deps;
  const concurrency = deps.concurrency ?? 4;
  const pollMs = deps.pollMs ?? 1000;
  const leaseMs = deps.leaseMs ?? 120_000;
  const log = logger.child({ component: 'dispatch', mode: 'in-process' });

  const lanes = new Map<string, OutboxRow[]>();
  const held = new Set<string>();
  const draining = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;

  async function pump(): Promise<void> {
    while (!stopping) {
      const free = concurrency - held.size;
      if (free <= 0) return;
      let rows: OutboxRow[];
      try {
        rows = await outbox.claimDue(free, leaseMs);
      } catch (err) {
        log.warn({ err }, 'claiming due jobs failed; trying again at the next poll');
        return;
      }
      rows.sort(byEventOrder).forEach(enqueue);
      if (rows.length < free) return;
    }
  }

  const pass = coalesce(pump);
  const kick = (): void => void pass.run();

  function enqueue(row: OutboxRow): void {
    // A lease that ran out while the job waited in its lane hands the same row back: it is already here.
    // A row settled and made due again (a retry) has a new runAt, so it is queued even if the
    // previous run has not left the lane yet.
    if (held.has(holdKey(row))) return;
    held.add(holdKey(row));
    const lane = lanes.get(row.ticketId);
    if (lane) {
      lane.push(row);
      return;
    }
    lanes.set(row.ticketId, [row]);
    const done = drain(row.ticketId).finally(() => draining.delete(done));
    draining.add(done);
  }

  async function drain(ticketId: string): Promise<void> {
    const lane = lanes.get(ticketId)!;
    for (let row = lane[0]; row; row = lane[0]) {
      try {
        await executeJob({ outbox, registry: deps.registry, logger: log }, row);
      } catch (err) {
        log.error({ err, jobId: row.id }, 'recording a job outcome failed; it runs again when its lease expires');
      }
      lane.shift();
      held.delete(holdKey(row));
      if (lane.length === 0) lanes.delete(ticketId);
      kick();
    }
  }

  return {
    start() {
      stopping = false;
      timer ??= setInterval(kick, pollMs).unref();
      kick();
    },
    kick,
    async stop() {
      stopping = true;
      clearInterval(timer);
      timer = undefined;
      await pass.settled();
      while (draining.size > 0) await Promise.all(draining);
    },
    async stats() {
      return { ...(await outboxStats(outbox)), inFlight: held.size };
    },
  };
}
