/**
 * Automatic assignment on SQLite: placing each of `TICKETS` new tickets (default 5000) with a round-robin
 * team of 20 members (least_loaded with its open-ticket count per member as a second run), a sweep pass
 * when nothing is due, and a pass in which every offer lapses; beside the plain indexed count of due offers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAssigner } from '../../src/assignment/assigner.js';
import { createLogger } from '../../src/shared/logger.js';
import { createStore, createTicketing } from '../../src/ticketing/index.js';

const N = Number(process.env.TICKETS ?? 5000);
const members = Array.from({ length: 20 }, (_, i) => `U${i}`);
const START = Date.parse('2026-03-02T02:00:00Z');
const ts = (ms: number) => new Date(ms).toISOString();
let now = START;
const clock = () => new Date(now);
const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

const opened: Array<() => Promise<void>> = [];
for (const policy of ['round_robin', 'least_loaded'] as const) {
  now = START;
  const dir = mkdtempSync(join(tmpdir(), 'spoc-bench-assign-'));
  const store = await createStore({ kind: 'sqlite', file: join(dir, 'spoc.db'), synchronous: 'NORMAL' });
  const t = createTicketing({ store, subscriptions: [], org: { tiers: { L1: { defaultTeam: 'desk' }, L2: { defaultTeam: 'desk' }, L3: { defaultTeam: 'desk' } }, teams: { desk: { tier: 'L1' } } }, calendars: new Map(), prefixes: { incident: 'INC' }, now: clock });
  await store.withTx(async (tx) => {
    await tx.run("INSERT INTO requesters (id, vip, created_at, updated_at) VALUES ('r1', 0, ?, ?)", [ts(START), ts(START)]);
    for (let i = 0; i < N; i++) {
      await tx.run(
        `INSERT INTO tickets (id, number, type, category, impact, urgency, priority, tier, team, status, subject, channel, requester_id, sla_policy, calendar, respond_by, resolve_by, tags, reason, created_at, updated_at)
         VALUES (?, ?, 'incident', 'vpn', 'medium', 'medium', 'P3', 'L1', 'desk', 'new', 's', 'email', 'r1', 'incident', '7x24', ?, ?, '[]', 'r', ?, ?)`,
        [`t${i}`, `INC-${i}`, ts(START + 30 * 60_000), ts(START + 240 * 60_000), ts(START), ts(START)],
      );
    }
  });
  const assigner = createAssigner({
    store, ops: t.ops, now: clock, logger: createLogger({ level: 'silent' }), calendars: new Map(),
    teams: { desk: { members, assignment: { policy, reservationMinutes: 5, capacity: 1_000_000, agents: {} } } },
    presence: async () => 'active',
  });
  const cpu0 = process.cpuUsage();
  const place = await time(async () => {
    for (let i = 0; i < N; i++) await assigner.place(`t${i}`, { fresh: true });
  });
  const cpu = process.cpuUsage(cpu0);
  const placeCpu = (cpu.user + cpu.system) / N;
  const idle = Math.min(await time(() => assigner.sweep()), await time(() => assigner.sweep()), await time(() => assigner.sweep()));
  const count = await time(() => store.read((q) => q.get('SELECT COUNT(*) AS n FROM assignment_offers WHERE due_at <= ?', [ts(now)])));
  now = START + 5 * 60_000;
  let lapsed = 0;
  const lapse = await time(async () => {
    for (let passed = -1; passed !== 0; lapsed += passed) passed = await assigner.sweep();
  });
  console.log(
    `sqlite, ${policy}, ${N} tickets, 20 members: place ${((place / N) * 1000).toFixed(0)} µs/ticket (${placeCpu.toFixed(0)} µs CPU); idle sweep ${idle.toFixed(2)} ms ` +
      `(plain indexed count of due offers ${count.toFixed(2)} ms); lapse ${lapsed} offers ${((lapse / Math.max(1, lapsed)) * 1000).toFixed(0)} µs/ticket`,
  );
  // Closed once every figure is printed (a standalone tsx script's SQLite close does not settle here; see notes/assign.md).
  opened.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
}
for (const close of opened) await close();
