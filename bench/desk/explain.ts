/**
 * The profile behind bench/desk's figures: the same listings and searches run straight on the store (no
 * HTTP, no JSON), each timed and shown with SQLite's query plan, on a store seeded as the benchmark seeds it.
 * Where the HTTP p99 misses its target, this says whether the time is the query or the rest.
 *
 *   npx tsx bench/desk/explain.ts [tickets=200000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../src/ticketing/db/create-store.js';
import type { Sql } from '../../src/ticketing/db/sql.js';
import { listTicketsPage } from '../../src/ticketing/tickets-repo.js';
import type { TicketFilter } from '../../src/ticketing/service-types.js';
import { seedSqlite } from './seed.js';

const FILTERS: Array<[string, TicketFilter]> = [
  ['status=new&team=network', { status: ['new'], team: 'network', limit: 50 }],
  ['open, by due time', { status: ['new', 'assigned', 'in_progress', 'pending'], sort: 'due', limit: 50 }],
  ['status=new, 500 a page', { status: ['new'], limit: 500 }],
  ['q=打印机', { q: '打印机', limit: 50 }],
  ['q=vpn', { q: 'vpn', limit: 50 }],
  ['q=phishing email', { q: 'phishing email', limit: 50 }],
  ['q=person 4242', { q: 'person 4242', limit: 50 }],
];

const count = Number(process.argv[2] ?? 200_000);
const dir = await mkdtemp(join(tmpdir(), 'spoc-explain-'));
const store = await createStore({ kind: 'sqlite', file: join(dir, 'spoc.db') });
await store.close();
await seedSqlite(join(dir, 'spoc.db'), count);
const db = await createStore({ kind: 'sqlite', file: join(dir, 'spoc.db') });
try {
  console.log(`SQLite, ${count.toLocaleString('en')} tickets: the listing query alone, 30 runs after 5 warm-up`);
  for (const [name, filter] of FILTERS) {
    let plan: string[] = [];
    await db.read(async (q) => {
      // Records the listing's one SELECT and asks SQLite how it runs it.
      const spy: Sql = { ...q, all: async (sql, params) => {
        plan = (await q.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => r.detail);
        return q.all(sql, params);
      } } as Sql;
      await listTicketsPage(spy, filter, new Date());
    });
    const times: number[] = [];
    for (let i = 0; i < 35; i++) {
      const t0 = performance.now();
      await db.read((q) => listTicketsPage(q, filter, new Date()));
      if (i >= 5) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`\n${name}: p50 ${times[15]!.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms\n  ${plan.join('\n  ')}`);
  }
} finally {
  await db.close();
  await rm(dir, { recursive: true, force: true });
}
