import { Redis } from 'ioredis';

/**
 * Pauses a peer's API method after it answered 429 with Retry-After. A rate limit holds for the whole app,
 * not for the one job that met it, so every process must hold back: with REDIS_URL the pause lives in
 * Redis (a key that expires with it), shared by `spoc serve` and every `spoc worker`; without, in-process.
 */
export interface MethodPause {
  /** Milliseconds left of the pause on `method` (0: not paused). */
  remaining(method: string): Promise<number>;
  /** Pauses `method` for `ms` from now; a later 429 replaces the pause. */
  pause(method: string, ms: number): Promise<void>;
  close(): Promise<void>;
}

function createMemoryPause(now: () => number = Date.now): MethodPause {
  const until = new Map<string, number>();
  return {
    remaining: async (method) => Math.max(0, (until.get(method) ?? 0) - now()),
    pause: async (method, ms) => void until.set(method, now() + ms),
    close: async () => undefined,
  };
}

export function createRedisPause(url: string, prefix: string): MethodPause {
  // Lazy and without an offline queue of its own beyond ioredis' default: a Redis outage fails the job, which the outbox retries.
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  redis.on('error', () => undefined);
  const key = (method: string) => `${prefix}:pause:${method}`;
  return {
    async remaining(method) {
      return Math.max(0, await redis.pttl(key(method)));
    },
    async pause(method, ms) {
      await redis.set(key(method), String(Date.now() + ms), 'PX', Math.max(1, Math.ceil(ms)));
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Redis when the deployment has it (REDIS_URL), else this process only. */
export const createMethodPause = (env: NodeJS.ProcessEnv, prefix: string): MethodPause =>
  env.REDIS_URL ? createRedisPause(env.REDIS_URL, prefix) : createMemoryPause();
