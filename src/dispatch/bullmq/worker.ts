import { Worker } from 'bullmq';
import { SpocError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { executeJob, type RunnableJob } from '../execute.js';
import type { OutboxPort } from '../outbox-port.js';
import type { HandlerRegistry } from '../registry.js';
import { DEFAULT_LANES, laneQueueNames, openRedis, type RedisConnection } from './lanes.js';

export interface QueueWorkerDeps {
  outbox: OutboxPort;
  registry: HandlerRegistry;
  connection: RedisConnection;
  queueName: string;
  logger: Logger;
  /** Must match the relay's lane count. Default 8. */
  lanes?: number;
  /**
   * How soon a job held by a killed worker is taken over: BullMQ's lock (renewed at half of it while the
   * job runs) and how often workers look for expired locks. Take-over is within about the sum of both.
   */
  takeover?: { lockMs: number; stalledCheckMs: number };
}

/** Seconds rather than BullMQ's 30 s + 30 s: a killed worker's job is taken over within about 15 s. */
export const DEFAULT_TAKEOVER = { lockMs: 10_000, stalledCheckMs: 5_000 };

/** SPOC_QUEUE_LOCK_MS and SPOC_QUEUE_STALLED_CHECK_MS, each a whole number of milliseconds (at least 1000). */
export function takeoverFromEnv(env: NodeJS.ProcessEnv): NonNullable<QueueWorkerDeps['takeover']> {
  const read = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1000) throw new SpocError('config_invalid', `${name} must be a whole number of milliseconds, at least 1000 (got ${raw})`);
    return n;
  };
  return { lockMs: read('SPOC_QUEUE_LOCK_MS', DEFAULT_TAKEOVER.lockMs), stalledCheckMs: read('SPOC_QUEUE_STALLED_CHECK_MS', DEFAULT_TAKEOVER.stalledCheckMs) };
}

/** What `spoc worker` runs: the same handlers as the embedded runner, fed by the relay through BullMQ. */
export interface QueueWorker {
  /** Waits until every lane's worker is connected (tests use it; production need not). */
  ready(): Promise<void>;
  /** Takes no new jobs and waits for the ones running. */
  stop(): Promise<void>;
}

/**
 * One BullMQ Worker per lane, each running one job at a time. The outcome goes to the outbox: done, or
 * pending again with the outbox's backoff, or failed. BullMQ's own retries are off, so a job's tries are
 * counted once, in the store, whichever mode or worker ran them.
 */
export function createQueueWorker(deps: QueueWorkerDeps): QueueWorker {
  const takeover = deps.takeover ?? DEFAULT_TAKEOVER;
  const log = deps.logger.child({ component: 'dispatch', mode: 'bullmq-worker', queue: deps.queueName });
  const client = openRedis(deps.connection, log);
  const workers = laneQueueNames(deps.queueName, deps.lanes ?? DEFAULT_LANES).map((name) => {
    const worker = new Worker<RunnableJob>(
      name,
      // An error writing the outcome escapes, fails the BullMQ job, and the relay's lease brings it back.
      async (job) => void (await executeJob({ outbox: deps.outbox, registry: deps.registry, logger: log }, job.data)),
      {
        connection: client,
        concurrency: 1,
        lockDuration: takeover.lockMs,
        stalledInterval: takeover.stalledCheckMs,
      },
    );
    worker.on('error', (err) => log.debug({ err: err.message }, 'worker error'));
    worker.on('failed', (job, err) => log.warn({ err: err.message, bullJobId: job?.id }, 'recording a job outcome failed; the relay hands it over again'));
    return worker;
  });
  return {
    async ready() {
      await Promise.all(workers.map((w) => w.waitUntilReady()));
    },
    async stop() {
      await Promise.all(workers.map((w) => w.close()));
      if (client.status === 'ready') await client.quit();
      else client.disconnect();
    },
  };
}
