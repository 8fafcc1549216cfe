/**
 * The overview for 30 days over a large history on SQLite, beside the plain count of the same range's
 * tickets and a naive scan of every event in JS. `TICKETS=` sets the size (default 100000, 10 events each,
 * spread over 365 days).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReports } from '../../src/reports/index.js';
import { parseReportQuery } from '../../src/reports/query.js';
import { createStore } from '../../src/ticketing/index.js';
import { reportsConfigSchema } from '../../src/reports/config.js';

const N = Number(process.env.TICKETS ?? 100_000);
const DAY = 86_400_000;
const START = Date.parse('2026-01-01T00:00:00Z');
const ts = (ms: number) => new Date(ms).toISOString();
const dir = mkdtempSync(join(tmpdir(), 'spoc-bench-reports-'));
const store = await createStore({ kind: 'sqlite', file: join(dir, 'spoc.db') });
const TYPES = ['created', 'routed', 'claimed', 'replied_out', 'note', 'reassigned', 'replied_in', 'resolved', 'survey_sent', 'rated'] as const;
await store.withTx(async (tx) => {
  await tx.run("INSERT INTO requesters (id, vip, created_at, updated_at) VALUES ('r1', 0, ?, ?)", [ts(START), ts(START)]);
  for (let i = 0; i < N; i++) {
    const created = START + Math.floor((i / N) * 365 * DAY);
    const id = `t${i}`;
    await tx.run(
      `INSERT INTO tickets (id, number, type, category, impact, urgency, priority, tier, team, status, subject, channel, requester_id, sla_policy, calendar, respond_by, resolve_by, tags, reason, created_at, updated_at)
       VALUES (?, ?, 'incident', 'vpn', 'medium', 'medium', 'P3', 'L1', ?, ?, 's', 'email', 'r1', 'incident', '7x24', ?, ?, '[]', 'r', ?, ?)`,
      [id, `INC-${i}`, i % 3 ? 'network' : 'service-desk', i % 20 ? 'resolved' : 'assigned', ts(created + 30 * 60_000), ts(created + 240 * 60_000), ts(created), ts(created)],
    );
    for (const [k, type] of TYPES.entries()) {
      await tx.run('INSERT INTO events (ticket_id, type, at, actor, data) VALUES (?, ?, ?, ?, ?)', [id, type, ts(created + k * 7 * 60_000), 'bench', type === 'rated' ? `{"score":${1 + (i % 5)}}` : '{"channel":"email"}']);
    }
  }
});
const reports = createReports({ store, targets: reportsConfigSchema.parse({}).targets });
const query = parseReportQuery({ from: '2026-06-01', to: '2026-06-30' }, { now: new Date('2026-12-31T00:00:00Z'), timezone: 'Asia/Shanghai', minTickets: 3 });
const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
await reports.overview(query);
const overview = Math.min(await time(() => reports.overview(query)), await time(() => reports.overview(query)), await time(() => reports.overview(query)));
const count = await time(() => store.read((q) => q.get("SELECT COUNT(*) AS n FROM events WHERE type = 'created' AND at >= ? AND at < ?", [query.from.toISOString(), query.to.toISOString()])));
const naive = await time(() =>
  store.read(async (q) => {
    const rows = await q.all<{ ticket_id: string; type: string; at: string }>('SELECT ticket_id, type, at FROM events');
    const inRange = new Set(rows.filter((r) => r.type === 'created' && r.at >= query.from.toISOString() && r.at < query.to.toISOString()).map((r) => r.ticket_id));
    return rows.filter((r) => inRange.has(r.ticket_id)).length;
  }),
);
console.log(`sqlite, ${N} tickets, ${N * TYPES.length} events, 30 days: overview ${overview.toFixed(0)} ms; plain count of the range ${count.toFixed(1)} ms; naive full scan in JS ${naive.toFixed(0)} ms`);
await store.close();
rmSync(dir, { recursive: true, force: true });
