import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, type Spoc } from '../../src/app.js';
import type { ChannelContext } from '../../src/channels/types.js';
import { createLogger } from '../../src/shared/logger.js';
import { until } from './wait.js';

export const TEST_KEYS = { admin: 'test-admin-key', agent: 'test-agent-key', otherAgent: 'test-agent-key-2', intake: 'test-intake-key' } as const;
/** The staff accounts (config/directory.yaml) the agent keys belong to. */
export const TEST_KEY_OWNERS = { agent: 'alice.wong@example.com', otherAgent: 'han.mei@example.com' } as const;

export interface RunningSpoc {
  url: string;
  spoc: Spoc;
  ctx: ChannelContext;
  dataDir: string;
  /** JSON request with a bearer key (admin by default); answers status and parsed body. */
  api<T = any>(method: string, path: string, body?: unknown, opts?: { key?: string; headers?: Record<string, string> }): Promise<{ status: number; body: T }>;
  /** Waits until the outbox has nothing pending or relayed (dispatch caught up). */
  drained(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Boots the real app — the repo's config, SQLite in a temp dir (or what `env` says), the in-process queue
 * unless REDIS_URL is given — listening on 127.0.0.1 at a free port.
 */
export async function startSpoc(opts: { env?: Record<string, string | undefined>; role?: 'serve' | 'worker'; dataDir?: string; keepData?: boolean; now?: () => Date; /** a port chosen beforehand (freePort), when a peer must know the URL first */ port?: number } = {}): Promise<RunningSpoc> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'spoc-test-')));
  const env: NodeJS.ProcessEnv = {
    SPOC_CONFIG_DIR: fileURLToPath(new URL('../../config', import.meta.url)),
    SPOC_DATA_DIR: dataDir,
    SPOC_API_KEYS: `${TEST_KEYS.admin}:admin,${TEST_KEYS.agent}:agent:${TEST_KEY_OWNERS.agent},${TEST_KEYS.otherAgent}:agent:${TEST_KEY_OWNERS.otherAgent},${TEST_KEYS.intake}:intake`,
    PATH: process.env.PATH,
    ...opts.env,
  };
  const logger = createLogger({ level: process.env.SPOC_TEST_LOG ?? 'silent' });
  const spoc = await buildApp({ role: opts.role ?? 'serve', env, logger, now: opts.now });
  let url = '';
  if (spoc.http) {
    url = await spoc.http.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
  }
  await spoc.start();

  return {
    url,
    spoc,
    ctx: spoc.ctx,
    dataDir,
    async api(method, path, body, o = {}) {
      const res = await fetch(url + path, {
        method,
        headers: {
          authorization: `Bearer ${o.key ?? TEST_KEYS.admin}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...o.headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async drained(timeoutMs = 10_000) {
      let counts: unknown;
      await until(async () => {
        const now = await spoc.ticketing.outbox.countByStatus();
        counts = now;
        return now.pending + now.relayed === 0;
      }, { what: () => `the outbox to drain: ${JSON.stringify(counts)}`, timeoutMs });
    },
    async close() {
      await spoc.stop();
      if (!opts.keepData && !opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
