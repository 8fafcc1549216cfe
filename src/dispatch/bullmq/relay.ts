import { Queue } from 'bullmq';
import type { Logger } from '../../shared/logger.js';
import { byEventOrder, type RunnableJob } from '../execute.js';
import type { OutboxPort, OutboxRow } from '../outbox-port.js';
import { coalesce } from '../coalesce.js';
import { outboxStats, type DispatchStats } from '../stats.js';
import { DEFAULT_LANES, bullJobId, laneOf, laneQueueNames, openRedis, type RedisConnection } from './lanes.js';

export interface OutboxRelayDeps {
  outbox: OutboxPort;
  connection: RedisConnection;
  queueName: string;
  logger: Logger;
  /** Must match the workers' lane count. Default 8. */
  lanes?: number;
  pollMs?: number;
  batchSize?: number;
  /**
   * How long a relayed job may stay unacknowledged before it is relayed again: this is what recovers
   * jobs lost with a Redis that restarted without persistence. Relaying a job still in Redis adds
   * nothing (same job id), so a short lease only costs a no-op. Default 2 min.
   */
  leaseMs?: number;
}

/** Moves due outbox rows into BullMQ from `spoc serve`; intake never waits on it or on Redis. */
export interface OutboxRelay {
  start(): void;
  /** Relays due work now (after a commit, or an admin retry). Never throws. */
  kick(): void;
  /** A relay pass (or the one running): how many jobs it relayed, 0 while Redis is unreachable. Never rejects. */
  relayOnce(): Promise<number>;
  stop(): Promise<void>;
  stats(): Promise<DispatchStats & { unsent: number }>;
}

export function createOutboxRelay(deps: OutboxRelayDeps): OutboxRelay {
  const { outbox } = deps;
  const lanes = deps.lanes ?? DEFAULT_LANES;
  const pollMs = deps.pollMs ?? 1000;
  const batchSize = deps.batchSize ?? 200;
  const leaseMs = deps.leaseMs ?? 120_000;
  const log = deps.logger.child({ component: 'dispatch', mode: 'bullmq-relay', queue: deps.queueName });
  const client = openRedis(deps.connection, log);
  let queues: Queue[] | undefined;
  /** Claimed rows Redis has not taken yet (it went away mid-hand-over); offered again first, while their lease lasts. */
  let unsent: { rows: OutboxRow[]; claimedAt: number } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;

  // A Redis that lost its data lost the lanes' concurrency limit too: set it on every (re)connect.
  client.on('ready', () => void limitLanes());

  /** Created on first use, once Redis answers; lane limits are in place before the first job is added. */
  async function laneQueues(): Promise<Queue[]> {
    if (!queues) {
      queues = laneQueueNames(deps.queueName, lanes).map((name) => {
        const queue = new Queue(name, { connection: client });
        queue.on('error', (err) => log.debug({ err: err.message }, 'queue error'));
        return queue;
      });
      await limitLanes();
    }
    return queues;
  }

  async function limitLanes(): Promise<void> {
    try {
      await Promise.all((queues ?? []).map((q) => q.setGlobalConcurrency(1)));
    } catch (err) {
      log.debug({ err }, 'setting lane concurrency failed; set again on reconnect');
    }
  }

  async function handOver(rows: OutboxRow[]): Promise<void> {
    const byLane = new Map<number, OutboxRow[]>();
    for (const row of [...rows].sort(byEventOrder)) {
      const lane = laneOf(row.ticketId, lanes);
      byLane.set(lane, [...(byLane.get(lane) ?? []), row]);
    }
    const qs = await laneQueues();
    // Marked first: a worker may finish a job before addBulk returns, and its outcome must not be
    // overwritten. Should the hand-over fail, the lease brings the rows back (and `unsent` sooner).
    await outbox.markRelayed(rows.map((r) => r.id));
    await Promise.all([...byLane].map(([lane, laneRows]) => qs[lane]!.addBulk(laneRows.map((row) => ({
      name: row.type,
      data: runnable(row),
      // Retries go back through the outbox (one policy for both modes), so BullMQ tries once and forgets.
      opts: { jobId: bullJobId(row), attempts: 1, removeOnComplete: true, removeOnFail: true },
    })))));
  }

  async function relayOnce(): Promise<number> {
    let relayed = 0;
    try {
      if (unsent && Date.now() - unsent.claimedAt > leaseMs / 2) unsent = undefined;
      while (!stopping && client.status === 'ready') {
        const batch = unsent ?? { rows: await outbox.claimDue(batchSize, leaseMs), claimedAt: Date.now() };
        if (batch.rows.length === 0) break;
        unsent = batch;
        await handOver(batch.rows);
        unsent = undefined;
        relayed += batch.rows.length;
        if (batch.rows.length < batchSize) break;
      }
    } catch (err) {
      log.warn({ err, unsent: unsent?.rows.length ?? 0 }, 'relaying failed; trying again at the next poll');
    }
    if (relayed > 0) log.debug({ relayed }, 'relayed outbox jobs');
    return relayed;
  }
  const pass = coalesce(relayOnce);

  return {
    start() {
      stopping = false;
      timer ??= setInterval(pass.run, pollMs).unref();
      void pass.run();
    },
    kick: () => void pass.run(),
    relayOnce: pass.run,
    async stop() {
      stopping = true;
      clearInterval(timer);
      timer = undefined;
      // Commands queued for an absent Redis would wait for it forever: fail them so stop() returns.
      if (client.status !== 'ready') client.disconnect();
      await pass.settled();
      await Promise.allSettled((queues ?? []).map((q) => q.close()));
      if (client.status === 'ready') await client.quit();
      else client.disconnect();
    },
    async stats() {
      return { ...(await outboxStats(outbox)), unsent: unsent?.rows.length ?? 0 };
    },
  };
}

function runnable(row: OutboxRow): RunnableJob {
  return { id: row.id, type: row.type, key: row.key, ticketId: row.ticketId, eventId: row.eventId, payload: row.payload, attempts: row.attempts };
}
