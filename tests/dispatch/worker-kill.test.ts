import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { DEFAULT_LANES, laneQueueNames } from '../../src/dispatch/bullmq/lanes.js';
import { DEFAULT_TAKEOVER } from '../../src/dispatch/bullmq/worker.js';
import { startSmtp, type TestSmtp } from '../support/mail-smtp.js';
import { configCopy, noStorms, spawnSpoc, type SpocProcess } from '../support/process.js';
import { TEST_KEYS } from '../support/spoc.js';
import { until } from '../support/wait.js';

const N = 200;
/** Each acknowledgement's 250 is held this long after its data arrived: the window a kill lands in. */
const HOLD_MS = 500;

const processes: SpocProcess[] = [];
let smtp: TestSmtp | undefined;
const queues: Queue[] = [];
afterAll(async () => {
  for (const q of queues) await q.close();
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await smtp?.close();
});

async function post(url: string, i: number): Promise<void> {
  const res = await fetch(`${url}/api/v1/contacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_KEYS.intake}`, 'content-type': 'application/json', 'idempotency-key': `kill-${i}` },
    // One requester per contact, so no acknowledgement is held back by the auto-reply limit.
    body: JSON.stringify({ requester: { email: `person${i}@corp.example` }, subject: `Printer ${i}`, body: `The printer on floor ${i % 9} is jammed` }),
  });
  expect(res.status).toBe(201);
}

describe('a spoc worker SIGKILLed mid-burst (PostgreSQL and BullMQ)', () => {
  it('its jobs are taken over within the take-over setting, and only a send caught mid-flight repeats, with its Message-ID', async () => {
    smtp = await startSmtp({ holdMs: HOLD_MS });
    const schema = `kill_${randomBytes(4).toString('hex')}`;
    const env = {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      DATABASE_SCHEMA: schema,
      REDIS_URL: 'redis://127.0.0.1:6379',
      SPOC_QUEUE: `kill-${randomBytes(4).toString('hex')}`,
      SMTP_URL: smtp.url,
      // `serve` only relays: every acknowledgement is sent by one of the two workers.
      SPOC_SERVE_JOBS: 'false',
      SPOC_CONFIG_DIR: await configCopy(() => undefined, noStorms),
    };
    const dataDir = async () => mkdtemp(join(tmpdir(), 'spoc-kill-'));
    // Each worker sends from its own address, so the test sees which one a mail is from.
    const doomedFrom = 'it-a@corp.example';
    const serve = await spawnSpoc({ ...env, MAIL_FROM: 'IT Desk <it@corp.example>', SPOC_DATA_DIR: await dataDir() });
    const doomed = await spawnSpoc({ ...env, MAIL_FROM: `IT Desk <${doomedFrom}>`, SPOC_DATA_DIR: await dataDir() }, 'worker');
    processes.push(serve, doomed);
    // BullMQ lists each lane's connected workers: the test knows when a worker is ready, rather than guessing.
    const lanes = laneQueueNames(env.SPOC_QUEUE, DEFAULT_LANES).map((name) => new Queue(name, { connection: { url: env.REDIS_URL } }));
    queues.push(...lanes);
    const workersOnEveryLane = (n: number) => async () => (await Promise.all(lanes.map((q) => q.getWorkersCount()))).every((c) => c >= n);
    await until(workersOnEveryLane(1), { what: 'the first worker on every lane', timeoutMs: 120_000, everyMs: 100 });

    const client = new pg.Client({ connectionString: env.DATABASE_URL, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      let next = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        for (let i = next++; i < N; i = next++) await post(serve.url, i);
      }));
      // The doomed worker holds every lane as the burst starts (a busy BullMQ worker keeps taking its lane's
      // next job), and the survivor joins while it runs.
      await until(() => smtp!.received.length > 0, { what: 'the first acknowledgement', timeoutMs: 60_000 });
      const survivor = await spawnSpoc({ ...env, MAIL_FROM: 'IT Desk <it-b@corp.example>', SPOC_DATA_DIR: await dataDir() }, 'worker');
      processes.push(survivor);
      await until(workersOnEveryLane(2), { what: 'the survivor on every lane', timeoutMs: 120_000, everyMs: 100 });

      // Kill the doomed worker at a moment when one of its sends is mid-flight.
      const doomedSending = () => [...smtp!.held.values()].includes(doomedFrom);
      await until(doomedSending, { what: () => `a send of the doomed worker’s held, with ${smtp!.received.length} of ${N} received`, timeoutMs: 60_000, everyMs: 5 });
      const killedAt = Date.now();
      doomed.child.kill('SIGKILL');
      await doomed.exited;
      await until(() => smtp!.abandoned.length > 0, { what: 'the killed worker’s connection closing mid-send', timeoutMs: 10_000 });
      const caught = [...smtp.abandoned];

      const ids = () => smtp!.received.map((m) => m.parsed.messageId);
      await until(() => new Set(ids()).size >= N && caught.every((id) => ids().filter((x) => x === id).length >= 2), {
        what: () => `${N} distinct acknowledgements and every caught send repeated, got ${new Set(ids()).size}`,
        timeoutMs: 180_000,
        everyMs: 100,
      });
      await until(async () => (await client.query("SELECT count(*)::int AS n FROM outbox WHERE status <> 'done'")).rows[0].n === 0, { what: 'outbox drained', timeoutMs: 120_000, everyMs: 200 });
      const counts = new Map<string, number>();
      for (const id of ids()) counts.set(id ?? '', (counts.get(id ?? '') ?? 0) + 1);
      const repeated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
      // A repeat is sent when the survivor took the killed worker's lane over: the last one is the take-over.
      const repeatAt = (id: string) => smtp!.received.filter((m) => m.parsed.messageId === id)[1]!.at;
      const takeoverMs = Math.max(...repeated.map(repeatAt)) - killedAt;
      const effects = (await client.query("SELECT count(*)::int AS n FROM effects WHERE key LIKE 'email.ack:%'")).rows[0].n as number;

      console.log(`worker killed mid-burst: ${N} acknowledgements, ${caught.length} caught mid-send, ${repeated.length} repeated with the same Message-ID, take-over ${(takeoverMs / 1000).toFixed(1)} s (setting ${(DEFAULT_TAKEOVER.lockMs + DEFAULT_TAKEOVER.stalledCheckMs) / 1000} s)`);
      // Every ticket was acknowledged, and its effect recorded once.
      expect(counts.size).toBe(N);
      expect(effects).toBe(N);
      // Only the killed worker's sends repeat: those the kill caught mid-flight, and those whose 250 came
      // before their effect was written; at most one per lane it held. Each repeat is the same mail, by its
      // Message-ID, sent once more by the survivor.
      expect(repeated).toEqual(expect.arrayContaining(caught));
      expect(repeated.length).toBeLessThanOrEqual(DEFAULT_LANES);
      for (const id of repeated) {
        const copies = smtp.received.filter((m) => m.parsed.messageId === id);
        // First from the dead worker (whose last bytes may land just after the kill), then from the survivor.
        expect(copies.map((m) => m.parsed.from?.value[0]?.address)).toEqual([doomedFrom, 'it-b@corp.example']);
      }
      // Take-over is within the lock plus one stalled check, with room for a loaded machine.
      expect(takeoverMs).toBeLessThan(DEFAULT_TAKEOVER.lockMs + DEFAULT_TAKEOVER.stalledCheckMs + 15_000);

      for (const p of [serve, survivor]) p.child.kill('SIGTERM');
      for (const p of [serve, survivor]) expect(await p.exited).toBe(0);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }, 480_000);
});
