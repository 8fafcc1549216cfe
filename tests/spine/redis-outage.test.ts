import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../support/net.js';
import { configCopy, noStorms, postContact, spawnSpoc, type SpocProcess } from '../support/process.js';
import { sleep, until } from '../support/wait.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

/** A Redis of the test's own (the shared one serves other suites), with AOF as production runs it. */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], { stdio: 'ignore' });
  await until(() => new Promise<boolean>((resolve) => {
    const ping = spawn('redis-cli', ['-p', String(port), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    ping.stdout.on('data', (d: Buffer) => (out += d.toString()));
    ping.on('exit', () => resolve(out.includes('PONG')));
  }), { what: 'redis-server to start', timeoutMs: 10_000, everyMs: 100 });
  return child;
}

const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

it('keeps taking contacts while Redis is down for 30 s and drains the backlog when it returns', async () => {
  const receiver = await startWebhookReceiver();
  cleanups.push(() => receiver.close());
  const configDir = await configCopy((doc) => {
    const teams = doc.get('teams') as { items: Array<{ key: { value: string } }> };
    for (const item of teams.items) doc.setIn(['teams', item.key.value, 'webhook'], { url: receiver.url, secretEnv: 'SPOC_TEST_WEBHOOK_SECRET' });
  }, noStorms);
  const port = await freePort();
  const redisDir = await mkdtemp(join(tmpdir(), 'spoc-redis-'));
  let redis = await startRedis(port, redisDir);
  cleanups.push(() => redis.kill('SIGKILL'));
  const proc: SpocProcess = await spawnSpoc({
    SPOC_CONFIG_DIR: configDir,
    SPOC_DATA_DIR: await mkdtemp(join(tmpdir(), 'spoc-outage-')),
    SPOC_TEST_WEBHOOK_SECRET: 'outage',
    REDIS_URL: `redis://127.0.0.1:${port}`,
    SPOC_QUEUE: `outage-${randomBytes(3).toString('hex')}`,
  });
  cleanups.push(() => proc.child.kill('SIGKILL'));

  // A steady load of 10 contacts a second for 45 s; Redis goes away at 5 s and comes back at 35 s.
  const statuses: number[] = [];
  const latencies: number[] = [];
  const posts: Array<Promise<void>> = [];
  const started = Date.now();
  let i = 0;
  let stopped = false;
  let restarted = false;
  while (Date.now() - started < 45_000) {
    const elapsed = Date.now() - started;
    if (!stopped && elapsed > 5_000) {
      stopped = true;
      redis.kill('SIGTERM');
      await new Promise((r) => redis.once('exit', r));
    }
    if (stopped && !restarted && elapsed > 35_000) {
      restarted = true;
      redis = await startRedis(port, redisDir);
    }
    const n = i++;
    const t0 = Date.now();
    posts.push(
      postContact(proc.url, `outage-${n}`, n).then(
        (r) => {
          statuses.push(r.status);
          latencies.push(Date.now() - t0);
        },
        () => void statuses.push(0),
      ),
    );
    await sleep(100);
  }
  await Promise.all(posts);
  expect(restarted).toBe(true);
  // Intake never depended on Redis: every contact was accepted.
  expect(statuses.length).toBe(i);
  expect(statuses.filter((s) => s !== 201)).toEqual([]);
  latencies.sort((a, b) => a - b);
  // Generous, for a CI machine running other suites at once; a contact waiting on Redis would take 30 s.
  expect(latencies[Math.floor(latencies.length * 0.99)]!).toBeLessThan(5_000);

  // The backlog built while Redis was away drains once it is back: one delivery per ticket.
  await until(() => new Set(receiver.deliveries).size >= i, { what: () => `one delivery per ticket: ${new Set(receiver.deliveries).size} of ${i}`, timeoutMs: 120_000, everyMs: 250 });
  expect(new Set(receiver.deliveries).size).toBe(i);
  const metrics = await (await fetch(`${proc.url}/metrics`)).text();
  expect(metrics).toMatch(/spoc_outbox_jobs\{status="depth"\} 0/);
  expect(metrics).toMatch(/spoc_outbox_jobs\{status="failed"\} 0/);
}, 240_000);
