import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../../shared/logger.js';
import type { RunnableJob } from '../execute.js';

/** REDIS_URL, or ioredis options. */
export type RedisConnection = string | RedisOptions;

/**
 * Lanes keep one ticket's jobs in order across any number of workers: a ticket always maps to the same
 * lane, each lane is its own BullMQ queue, and each lane queue has a global concurrency of 1. Relay and
 * workers must agree on the count; it is the most jobs that run at once across the whole deployment.
 */
export const DEFAULT_LANES = 8;

export function laneOf(ticketId: string, lanes: number): number {
  // FNV-1a: stable across processes and versions, unlike anything keyed on object identity.
  let hash = 0x811c9dc5;
  for (let i = 0; i < ticketId.length; i++) hash = Math.imul(hash ^ ticketId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % lanes;
}

export function laneQueueNames(queueName: string, lanes: number): string[] {
  return Array.from({ length: lanes }, (_, i) => `${queueName}.${i}`);
}

/**
 * The BullMQ job id of one try of an outbox row. Re-relaying the same try (its lease ran out while the
 * job waited in Redis) adds nothing; a retry handed back to the outbox bumps `attempts` and so gets a
 * fresh id even while the previous try's job is still being removed. BullMQ refuses ':' and all-digit ids.
 */
export function bullJobId(job: Pick<RunnableJob, 'id' | 'attempts'>): string {
  return `ob_${job.id.replaceAll(':', '_')}_${job.attempts}`;
}

/**
 * One ioredis client that waits out Redis outages instead of failing commands (BullMQ needs
 * maxRetriesPerRequest null) and says so once per outage rather than once per reconnect attempt.
 */
export function openRedis(conn: RedisConnection, logger: Logger): Redis {
  const client = typeof conn === 'string'
    ? new Redis(conn, { maxRetriesPerRequest: null })
    : new Redis({ ...conn, maxRetriesPerRequest: null });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) logger.warn({ err: err.message }, 'redis unreachable; dispatch waits for it');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info('redis reachable again');
    down = false;
  });
  return client;
}
