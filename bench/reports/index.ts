/**
 * The overview for 30 days over a large history, on SQLite and on PostgreSQL, beside the plain count of
 * the same range's tickets. The history is written by bulk SQL (one INSERT … SELECT per table): a
 * million tickets and ten million events seed in about 4 minutes on SQLite and 18 on PostgreSQL on the
 * shared 2-core machine (index upkeep on ten million rows), rather than hours row by row.
 *
 *   TICKETS=1000000 (default)  EVENTS=10 (per ticket)  DAYS=365 (spread)  STORES=sqlite,postgres
 *   KEEP=1 keeps the SQLite file (its path is printed) for profiling.
 *   TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; a fresh schema, dropped after)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { reportsConfigSchema } from '../../src/reports/config.js';
import { createReports } from '../../src/reports/index.js';
import { parseReportQuery } from '../../src/reports/query.js';
import type { Dialect, Store } from '../../src/ticketing/db/sql.js';
import { createStore } from '../../src/ticketing/index.js';

const N = Number(process.env.TICKETS ?? 1_000_000);
const PER = Number(process.env.EVENTS ?? 10);
const DAYS = Number(process.env.DAYS ?? 365);
const STORES = (process.env.STORES ?? 'sqlite,postgres').split(',') as Dialect[];
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const START = Date.parse('2026-01-01T00:00:00Z') / 1000;
/** A ticket's history, one event every 7 minutes: what a resolved, rated ticket goes through. */
const KINDS = ['created', 'routed', 'claimed', 'replied_out', 'note', 'reassigned', 'replied_in', 'resolved', 'survey_sent', 'rated', 'closed', 'reopened'].slice(0, PER);
const STEP = (DAYS * 86_400) / N;

/** Dialect pieces of the seeding SQL: the row numbers, an epoch second as the store's instant, text concatenation. */
const D = {
  sqlite: {
    rows: (n: number) => `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${n - 1})`,
    from: 'n',
    ts: (secs: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${secs}, 'unixepoch')`,
    id: (i: string) => `printf('t%08d', ${i})`,
  },
  postgres: {
    rows: () => '',
    from: `generate_series(0, ${N - 1}) AS n(i)`,
    ts: (secs: string) => `to_timestamp(${secs})`,
    id: (i: string) => `'t' || lpad(${i}::text, 8, '0')`,
  },
};

async function seed(store: Store, dialect: Dialect): Promise<number> {
  const d = D[dialect];
  const created = `${START} + FLOOR(n.i * ${STEP})`;
  const t0 = performance.now();
  await store.withTx(async (tx) => {
    await tx.run("INSERT INTO requesters (id, vip, created_at, updated_at) VALUES ('r1', 0, ?, ?)", [new Date(START * 1000).toISOString(), new Date(START * 1000).toISOString()]);
    // Teams and statuses vary with the row: a third network, one in twenty still open.
    await tx.run(
      `${d.rows(N)} INSERT INTO tickets (id, number, type, category, impact, urgency, priority, tier, team, status, subject, channel, requester_id, sla_policy, calendar, respond_by, resolve_by, tags, reason, created_at, updated_at)
       SELECT ${d.id('n.i')}, 'INC-' || n.i, 'incident', 'vpn', 'medium', 'medium', 'P3', 'L1',
              CASE WHEN n.i % 3 = 0 THEN 'service-desk' ELSE 'network' END, CASE WHEN n.i % 20 = 0 THEN 'assigned' ELSE 'closed' END,
              's', 'email', 'r1', 'incident', '7x24', ${d.ts(`${created} + 1800`)}, ${d.ts(`${created} + 14400`)}, '[]', 'r', ${d.ts(created)}, ${d.ts(created)}
         FROM ${d.from}`,
    );
    const kinds = KINDS.map((type, k) => `SELECT ${k} AS k, '${type}' AS type`).join(' UNION ALL ');
    const data = dialect === 'sqlite' ? (s: string) => s : (s: string) => `(${s})::jsonb`;
    await tx.run(
      `${d.rows(N)} INSERT INTO events (ticket_id, type, at, actor, data)
       SELECT ${d.id('n.i')}, k.type, ${d.ts(`${created} + k.k * 420`)}, 'bench',
              ${data(`CASE WHEN k.type = 'rated' THEN '{"score":' || (1 + n.i % 5) || '}' ELSE '{"channel":"email"}' END`)}
         FROM ${d.from} CROSS JOIN (${kinds}) AS k ORDER BY n.i, k.k`,
    );
  });
  await store.withTx((tx) => tx.run('ANALYZE'));
  return performance.now() - t0;
}

const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const best = async (fn: () => Promise<unknown>, runs = Number(process.env.RUNS ?? 2)) => {
  await fn();
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, await time(fn));
  return min;
};

for (const dialect of STORES) {
  const dir = mkdtempSync(join(tmpdir(), 'spoc-bench-reports-'));
  const schema = `spoc_bench_${randomBytes(4).toString('hex')}`;
  const store = await createStore(dialect === 'sqlite' ? { kind: 'sqlite', file: join(dir, 'spoc.db') } : { kind: 'postgres', url: PG_URL, schema });
  try {
    const seedMs = await seed(store, dialect);
    const reports = createReports({ store, targets: reportsConfigSchema.parse({}).targets });
    const query = parseReportQuery({ from: '2026-06-01', to: '2026-06-30' }, { now: new Date('2026-12-31T00:00:00Z'), timezone: 'Asia/Shanghai', minTickets: 3 });
    const overview = await best(() => reports.overview(query));
    const team = await best(() => reports.overview({ ...query, filter: { team: 'network' } }));
    const range = [query.from.toISOString(), query.to.toISOString()];
    const count = await best(() => store.read((q) => q.get("SELECT COUNT(*) AS n FROM events WHERE type = 'created' AND at >= ? AND at < ?", range)));
    const inRange = (await reports.overview(query)).volume.tickets;
    console.log(
      `${dialect}: ${N} tickets, ${N * KINDS.length} events (seeded in ${(seedMs / 1000).toFixed(0)} s); 30 days = ${inRange} tickets: ` +
        `overview ${overview.toFixed(0)} ms, one team ${team.toFixed(0)} ms; plain count of the range ${count.toFixed(1)} ms`,
    );
  } finally {
    await store.close();
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
    else console.log(dir);
    if (dialect === 'postgres') {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }
}
