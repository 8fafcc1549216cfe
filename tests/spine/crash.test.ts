import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { configCopy, noStorms, postContact, spawnSpoc, type SpocProcess } from '../support/process.js';
import { until } from '../support/wait.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const N = 1000;
const KILL_AFTER = 300;
const CONCURRENCY = 16;

type Row = Record<string, unknown>;
interface Facts {
  tickets: number;
  keys: Array<{ key: string; number: string | null }>;
  outbox: Array<{ status: string; n: number }>;
  webhookJobs: number;
  webhookEffects: number;
}

/**
 * Posts N contacts, each with its own Idempotency-Key, across `targets()`; SIGKILLs a process once
 * KILL_AFTER were accepted, restarts it, and re-posts every contact that got no 2xx (and a sample of
 * those that did) until all are accepted. Returns what each key was answered with.
 */
async function postThroughCrash(opts: { targets: () => SpocProcess[]; kill: () => Promise<void>; restart: () => Promise<void>; tag: string }) {
  const answered = new Map<number, string>();
  let next = 0;
  let killed = false;
  const todo: number[] = [];
  const lanes = Array.from({ length: CONCURRENCY }, async (_, lane) => {
    for (;;) {
      const i = next++;
      if (i >= N) return;
      const targets = opts.targets();
      const target = targets[i % targets.length]!;
      try {
        const r = await postContact(target.url, `${opts.tag}-${i}`, i);
        if (r.status === 201 || r.status === 200) answered.set(i, r.number!);
        else todo.push(i);
      } catch {
        todo.push(i);
      }
      if (!killed && answered.size >= KILL_AFTER) {
        killed = true;
        await opts.kill();
      }
      void lane;
    }
  });
  await Promise.all(lanes);
  expect(killed).toBe(true);
  await opts.restart();
  // Every contact that got no answer is sent again, as a client would; a sample of answered ones too.
  const again = [...todo, ...[...answered.keys()].slice(0, 50)];
  const repeatAnswers = new Map<number, string>();
  for (const i of again) {
    const targets = opts.targets();
    const r = await postContact(targets[i % targets.length]!.url, `${opts.tag}-${i}`, i);
    expect([200, 201]).toContain(r.status);
    if (answered.has(i)) repeatAnswers.set(i, r.number!);
    else answered.set(i, r.number!);
  }
  return { answered, repeatAnswers, retried: todo.length };
}

function checkFacts(facts: Facts, answered: Map<number, string>, repeatAnswers: Map<number, string>, tag: string): void {
  // Every contact is exactly one ticket, and every answer named it.
  expect(answered.size).toBe(N);
  expect(facts.keys.length).toBe(N);
  expect(facts.tickets).toBe(N);
  const byKey = new Map(facts.keys.map((k) => [k.key, k.number]));
  for (const [i, number] of answered) expect(byKey.get(`api:${tag}-${i}`)).toBe(number);
  for (const [i, number] of repeatAnswers) expect(number).toBe(answered.get(i));
  expect(new Set(facts.keys.map((k) => k.number)).size).toBe(N);
  // Every outbox job ran, and its effect was recorded exactly once.
  expect(facts.outbox.filter((o) => o.status !== 'done')).toEqual([]);
  expect(facts.webhookJobs).toBe(N);
  expect(facts.webhookEffects).toBe(N);
}

const receivers: Array<{ close(): Promise<void> }> = [];
const processes: SpocProcess[] = [];
afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  for (const r of receivers) await r.close();
});

async function setup() {
  const receiver = await startWebhookReceiver();
  receivers.push(receiver);
  const configDir = await configCopy((doc) => {
    const teams = doc.get('teams') as { items: Array<{ key: { value: string } }> };
    for (const item of teams.items) doc.setIn(['teams', item.key.value, 'webhook'], { url: receiver.url, secretEnv: 'SPOC_TEST_WEBHOOK_SECRET' });
  }, noStorms);
  return { receiver, env: { SPOC_CONFIG_DIR: configDir, SPOC_TEST_WEBHOOK_SECRET: 'crash-secret' } };
}

describe('crash safety', () => {
  it('SQLite, in-process queue: SIGKILL under load loses no accepted contact and duplicates nothing', async () => {
    const { receiver, env: base } = await setup();
    const env = { ...base, SPOC_DATA_DIR: await mkdtemp(join(tmpdir(), 'spoc-crash-')) };
    let proc = await spawnSpoc(env);
    processes.push(proc);
    const { answered, repeatAnswers } = await postThroughCrash({
      tag: 'sq',
      targets: () => [proc],
      kill: async () => {
        proc.child.kill('SIGKILL');
        await proc.exited;
      },
      restart: async () => {
        proc = await spawnSpoc(env);
        processes.push(proc);
      },
    });
    await until(() => new Set(receiver.deliveries).size >= N, { what: 'webhook deliveries', timeoutMs: 60_000, everyMs: 200 });
    await until(async () => /spoc_outbox_jobs\{status="depth"\} 0\b/.test(await (await fetch(`${proc.url}/metrics`)).text()), { what: 'outbox drained', timeoutMs: 60_000, everyMs: 200 });
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);

    const db = new Database(join(env.SPOC_DATA_DIR, 'spoc.db'), { readonly: true });
    const facts: Facts = {
      tickets: (db.prepare('SELECT count(*) AS n FROM tickets').get() as Row).n as number,
      keys: db.prepare("SELECT k.key, t.number FROM intake_keys k LEFT JOIN tickets t ON t.id = k.ticket_id WHERE k.key LIKE 'api:sq-%'").all() as Facts['keys'],
      outbox: db.prepare('SELECT status, count(*) AS n FROM outbox GROUP BY status').all() as Facts['outbox'],
      webhookJobs: (db.prepare("SELECT count(*) AS n FROM outbox WHERE type = 'team.webhook'").get() as Row).n as number,
      webhookEffects: (db.prepare("SELECT count(*) AS n FROM effects WHERE key LIKE 'team.webhook:%'").get() as Row).n as number,
    };
    db.close();
    checkFacts(facts, answered, repeatAnswers, 'sq');
    expect(new Set(receiver.deliveries).size).toBe(N);
  }, 240_000);

  it('PostgreSQL and BullMQ, two processes: SIGKILL of one under load loses and duplicates nothing', async () => {
    const { receiver, env: base } = await setup();
    const schema = `crash_${randomBytes(4).toString('hex')}`;
    const env = {
      ...base,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      DATABASE_SCHEMA: schema,
      REDIS_URL: 'redis://127.0.0.1:6379',
      SPOC_QUEUE: `crash-${randomBytes(4).toString('hex')}`,
    };
    const spawnOne = async (n: number) => spawnSpoc({ ...env, SPOC_DATA_DIR: await mkdtemp(join(tmpdir(), `spoc-crash-pg${n}-`)) });
    const procs = [await spawnOne(0), await spawnOne(1)];
    processes.push(...procs);
    const alive = () => procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    const { answered, repeatAnswers } = await postThroughCrash({
      tag: 'pg',
      targets: alive,
      kill: async () => {
        procs[0]!.child.kill('SIGKILL');
        await procs[0]!.exited;
      },
      restart: async () => {
        procs[0] = await spawnOne(0);
        processes.push(procs[0]);
      },
    });
    const client = new pg.Client({ connectionString: env.DATABASE_URL, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      await until(async () => (await client.query("SELECT count(*)::int AS n FROM outbox WHERE status <> 'done'")).rows[0].n === 0, { what: 'outbox drained', timeoutMs: 240_000, everyMs: 200 });
      for (const p of procs) p.child.kill('SIGTERM');
      for (const p of procs) expect(await p.exited).toBe(0);
      const q = async (sql: string) => (await client.query(sql)).rows;
      const facts: Facts = {
        tickets: (await q('SELECT count(*)::int AS n FROM tickets'))[0].n,
        keys: (await q("SELECT k.key, t.number FROM intake_keys k LEFT JOIN tickets t ON t.id = k.ticket_id WHERE k.key LIKE 'api:pg-%'")) as Facts['keys'],
        outbox: (await q('SELECT status, count(*)::int AS n FROM outbox GROUP BY status')) as Facts['outbox'],
        webhookJobs: (await q("SELECT count(*)::int AS n FROM outbox WHERE type = 'team.webhook'"))[0].n,
        webhookEffects: (await q("SELECT count(*)::int AS n FROM effects WHERE key LIKE 'team.webhook:%'"))[0].n,
      };
      checkFacts(facts, answered, repeatAnswers, 'pg');
      expect(new Set(receiver.deliveries).size).toBe(N);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }, 480_000);
});
