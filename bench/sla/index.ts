/**
 * The SLA sweeper with 100,000 open tickets, on SQLite and on PostgreSQL: the cost of one pass when
 * nothing is due (the steady state, every 30 s) and when 100 warnings fall due, beside a plain indexed
 * scan of the same table for what is due by its due time, and beside reading every open ticket (what a
 * sweeper without an index of next steps reads each pass). Tickets are written in bulk with the next
 * step's instant the sweeper itself would leave on them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/load.js';
import { createStore, createTicketing, type Store } from '../../src/ticketing/index.js';
import { slaLadder } from '../../src/ticketing/sla-ladder.js';
import { planSteps } from '../../src/ticketing/sla-plan.js';
import type { Ticket } from '../../src/ticketing/types.js';

const N = 100_000;
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const T0 = Date.parse('2026-03-03T02:00:00.000Z');
// Respond targets spread 0.2 s apart from 4 h up, so the warn points (75%) come 0.15 s apart.
const respondMs = (i: number) => 4 * 3_600_000 + i * 200;
const { config } = loadConfig(new URL('../../config', import.meta.url).pathname);
const gw = config.gateway;
const ladder = slaLadder(gw.sla.inquiry);
const iso = (ms: number) => new Date(ms).toISOString();

function ticketRow(i: number): Ticket {
  const at = iso(T0);
  return {
    id: `t${String(i).padStart(6, '0')}`, number: `ASK-${String(i).padStart(6, '0')}`, type: 'inquiry', category: 'how-to',
    impact: 'low', urgency: 'low', priority: 'P4', tier: 'L1', team: 'service-desk', status: i % 3 === 0 ? 'in_progress' : 'new',
    subject: `question ${i}`, channel: 'email', requesterId: 'r1', slaPolicy: 'inquiry', calendar: '7x8',
    respondBy: iso(T0 + respondMs(i)), resolveBy: iso(T0 + 30 * 86_400_000), tags: [], reason: 'bench', createdAt: at, updatedAt: at,
  };
}

async function fill(store: Store): Promise<void> {
  const cols = ['id', 'number', 'type', 'category', 'impact', 'urgency', 'priority', 'tier', 'team', 'status', 'subject', 'channel', 'requester_id', 'sla_policy', 'calendar', 'respond_by', 'resolve_by', 'tags', 'reason', 'created_at', 'updated_at', 'sla_next_at'];
  await store.withTx(async (tx) => {
    await tx.run(`INSERT INTO requesters (id, vip, created_at, updated_at) VALUES ('r1', 0, ?, ?)`, [iso(T0), iso(T0)]);
    for (let start = 0; start < N; start += 500) {
      const rows: Array<string | null>[] = [];
      for (let i = start; i < Math.min(N, start + 500); i++) {
        const t = ticketRow(i);
        const next = planSteps(t, ladder, [], new Date(T0)).nextAt ?? null;
        rows.push([t.id, t.number, t.type, t.category, t.impact, t.urgency, t.priority, t.tier, t.team, t.status, t.subject, t.channel, t.requesterId, t.slaPolicy, t.calendar, t.respondBy, t.resolveBy, '[]', t.reason, t.createdAt, t.updatedAt, next]);
      }
      await tx.run(`INSERT INTO tickets (${cols.join(', ')}) VALUES ${rows.map(() => `(${cols.map(() => '?').join(', ')})`).join(', ')}`, rows.flat());
    }
  });
  if (store.dialect === 'postgres') await store.withTx((tx) => tx.run('ANALYZE tickets'));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed(run: () => Promise<unknown>, times: number): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = process.hrtime.bigint();
    await run();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(ms);
}

async function bench(label: string, store: Store): Promise<void> {
  let t = Date.now();
  await fill(store);
  console.log(`\n${label}: ${N} open tickets written in ${Date.now() - t} ms`);
  const ticketing = createTicketing({
    store, subscriptions: [], org: { tiers: gw.tiers, teams: gw.teams }, calendars: new Map(), prefixes: { inquiry: 'ASK' },
    now: () => new Date(T0), slaLadder: () => ladder,
  });
  const quiet = new Date(T0 + 3_600_000);
  const idle = await timed(() => ticketing.sla.pass(quiet), 20);
  // Warn points start at 3 h and come 0.15 s apart: each 15 s step of the clock makes 100 warnings due.
  const firstWarn = T0 + 0.75 * respondMs(0);
  let k = 0;
  let warned = 0;
  const busy = await timed(async () => {
    k += 1;
    warned += (await ticketing.sla.pass(new Date(firstWarn + k * 15_000 - 1))).events.length;
  }, 10);
  const open = "('new', 'assigned', 'in_progress', 'pending')";
  const scan = await timed(() => store.read((q) => q.all(`SELECT * FROM tickets WHERE status IN ${open} AND resolve_by <= ?`, [iso(quiet.getTime())])), 20);
  const all = await timed(() => store.read((q) => q.all(`SELECT * FROM tickets WHERE status IN ${open}`)), 5);
  console.log(`  sweeper pass, nothing due                  ${idle.toFixed(2).padStart(9)} ms (median of 20)`);
  console.log(`  sweeper pass, 100 warnings due and written ${busy.toFixed(2).padStart(9)} ms (median of 10; ${warned} warnings)`);
  console.log(`  plain indexed scan of due tickets          ${scan.toFixed(2).padStart(9)} ms (status, resolve_by index; median of 20)`);
  console.log(`  reading every open ticket                  ${all.toFixed(2).padStart(9)} ms (what a pass without the next-step index reads; median of 5)`);
}

const dir = mkdtempSync(join(tmpdir(), 'spoc-bench-sla-'));
const sqlite = await createStore({ kind: 'sqlite', file: join(dir, 'spoc.db') });
try {
  await bench('SQLite', sqlite);
} finally {
  await sqlite.close();
  rmSync(dir, { recursive: true, force: true });
}

const schema = `bench_sla_${randomBytes(4).toString('hex')}`;
const postgres = await createStore({ kind: 'postgres', url: PG_URL, schema });
try {
  await bench('PostgreSQL', postgres);
} finally {
  await postgres.close();
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
