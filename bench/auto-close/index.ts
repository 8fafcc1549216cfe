/**
 * The auto-close sweep's cost per pass, on SQLite and PostgreSQL, beside a plain indexed scan of the same
 * table (the resolved tickets before the cutoff, ids only). `TICKETS=` sets the open tickets (default 100000);
 * 3% more are resolved within the last five days (those due close in the first pass, the rest wait) and 500 were resolved ten
 * days ago and objected to (held for an agent, listed and checked by every pass). One first pass closes
 * what is due; the figure is the best of five passes after it, when nothing is due.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/shared/logger.js';
import { createAutoCloseSweeper } from '../../src/ticketing/auto-close-sweeper.js';
import { createStore, createTicketing, type Store } from '../../src/ticketing/index.js';

const N = Number(process.env.TICKETS ?? 100_000);
const WAITING = Math.round(N * 0.03);
const HELD = 500;
const DAY = 86_400_000;
const NOW = Date.parse('2026-03-12T04:00:00Z'); // Thursday, noon in Shanghai
const ts = (ms: number) => new Date(ms).toISOString();
const { config, router } = loadConfig('config');
const policy = config.gateway.loop.autoClose;

async function seed(store: Store) {
  await store.withTx(async (tx) => {
    await tx.run("INSERT INTO requesters (id, vip, created_at, updated_at) VALUES ('r1', 0, ?, ?)", [ts(NOW), ts(NOW)]);
    const total = N + WAITING + HELD;
    for (let start = 0; start < total; start += 500) {
      const rows: unknown[][] = [];
      for (let i = start; i < Math.min(total, start + 500); i++) {
        const resolvedAt = i < N ? null : i < N + WAITING ? NOW - Math.floor(((i - N) / WAITING) * 5 * DAY) : NOW - 10 * DAY;
        const created = (resolvedAt ?? NOW) - DAY;
        rows.push([`t${i}`, `INC-${String(i).padStart(7, '0')}`, resolvedAt ? 'resolved' : 'assigned', ts(created + 1_800_000), ts(created + 14_400_000), resolvedAt ? ts(resolvedAt) : null, ts(created), ts(created)]);
      }
      await tx.run(
        `INSERT INTO tickets (id, number, type, category, impact, urgency, priority, tier, team, status, subject, channel, requester_id, sla_policy, calendar, respond_by, resolve_by, resolved_at, tags, reason, created_at, updated_at) VALUES ` +
          rows.map(() => "(?, ?, 'incident', 'vpn', 'medium', 'medium', 'P3', 'L1', 'service-desk', ?, 's', 'email', 'r1', 'incident', '5x8', ?, ?, ?, '[]', 'r', ?, ?)").join(', '),
        rows.flat() as never,
      );
    }
    for (let i = N + WAITING; i < N + WAITING + HELD; i++) {
      await tx.run('INSERT INTO events (ticket_id, type, at, actor, data) VALUES (?, ?, ?, ?, ?)', [`t${i}`, 'replied_in', ts(NOW - 9 * DAY), 'email:x', '{"intent":"other"}']);
    }
  });
}

async function measure(kind: string, store: Store) {
  await seed(store);
  const t = createTicketing({ store, subscriptions: [], org: { tiers: { L1: { defaultTeam: 'service-desk' }, L2: { defaultTeam: 'desktop' }, L3: { defaultTeam: 'apps' } }, teams: { 'service-desk': { tier: 'L1' } } }, calendars: router.gateway.calendars, prefixes: { incident: 'INC' }, now: () => new Date(NOW) });
  const sweeper = createAutoCloseSweeper({ store, service: t.service, policy, calendars: router.gateway.calendars, logger: createLogger({ level: 'silent' }), now: () => new Date(NOW) });
  const time = async (fn: () => Promise<unknown>) => {
    const at = performance.now();
    await fn();
    return performance.now() - at;
  };
  let closed = 0;
  const first = await time(async () => (closed = await sweeper.sweep()));
  const passes: number[] = [];
  for (let i = 0; i < 5; i++) passes.push(await time(() => sweeper.sweep()));
  const cutoff = ts(NOW - 2 * DAY + 2 * 3_600_000);
  const scans: number[] = [];
  for (let i = 0; i < 5; i++) scans.push(await time(() => store.read((q) => q.all("SELECT id FROM tickets WHERE status = 'resolved' AND resolved_at <= ?", [cutoff]))));
  console.log(
    `${kind}: ${N} open + ${WAITING} resolved waiting + ${HELD} held; first pass ${first.toFixed(0)} ms (closed ${closed}); steady pass ${Math.min(...passes).toFixed(1)} ms (median ${passes.sort((a, b) => a - b)[2]!.toFixed(1)}); plain indexed scan ${Math.min(...scans).toFixed(1)} ms`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'spoc-bench-autoclose-'));
if (process.env.ONLY !== "postgres") {
const sqlite = await createStore({ kind: 'sqlite', file: join(dir, 'spoc.db') });
await measure('sqlite', sqlite);
await sqlite.close();
rmSync(dir, { recursive: true, force: true });
}

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `bench_autoclose_${process.pid}`;
const postgres = await createStore({ kind: 'postgres', url, schema });
try {
  await measure('postgres', postgres);
} finally {
  await postgres.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
