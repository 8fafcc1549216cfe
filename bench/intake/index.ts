/**
 * Intake throughput, in one run: `POST /api/v1/contacts` through spoc's whole pipeline (auth, JSON
 * schema, intake record, requester, threading, router, ticket + events + outbox in one durable commit,
 * outbox kick, logging) against a bare fastify route that only parses the same JSON, on SQLite and on
 * PostgreSQL, then spoc again at half its measured maximum. Each spoc is a real process started as
 * tests/support/process.ts does (`node --import tsx src/main.ts serve`: tsx only transpiles at load, so
 * steady-state code is the same as the built dist/). autocannon runs in this process.
 * Goal (issue 3): on SQLite ≥ 30% of the empty route's req/s, p99 < 20 ms at half that load.
 * Run: `npx tsx bench/intake/index.ts [--quick]`; with BENCH_PROFILE_DIR=<dir> each spoc process also
 * writes a V8 CPU profile there (see cpu-profile.mjs). On a shared machine compare the CPU ms per request
 * (read from /proc for the target process): wall figures move with everyone else's load.
 */
import { cpus } from 'node:os';
import { makeContacts } from './contacts.js';
import { drive, type LoadResult } from './load.js';
import { startPeer, startSpocTarget, type Target } from './targets.js';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 3 : 10;
const WARMUP_SECONDS = quick ? 1 : 3;
const CONNECTIONS = 20;
const bodies = makeContacts(1_000);
const meanBytes = Math.round(bodies.reduce((s, b) => s + Buffer.byteLength(b), 0) / bodies.length);

interface Verified {
  tickets: number;
  acknowledged: number;
  inFlight: number;
}

/**
 * The honesty check: every 2xx answer's ticket is in the store, and the only tickets without one are
 * contacts still in flight when autocannon cut its connections (committed, but the answer was never read).
 */
async function verify(target: Target, runs: LoadResult[]): Promise<Verified> {
  const acknowledged = new Set(runs.flatMap((r) => [...r.acknowledged]));
  const ok = runs.reduce((s, r) => s + r.ok, 0);
  const inFlight = runs.reduce((s, r) => s + r.inFlight, 0);
  let numbers = await target.ticketNumbers!();
  // In-flight contacts may still be committing: wait for the count to settle.
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const again = await target.ticketNumbers!();
    if (again.size === numbers.size) break;
    numbers = again;
  }
  const failed = runs.reduce((s, r) => s + r.failed, 0);
  const missing = [...acknowledged].filter((n) => !numbers.has(n));
  const extra = numbers.size - acknowledged.size;
  if (failed > 0) throw new Error(`${target.name}: ${failed} requests failed (non-2xx, errors or timeouts)`);
  if (acknowledged.size !== ok) throw new Error(`${target.name}: ${ok} 2xx answers but ${acknowledged.size} distinct ticket numbers`);
  if (missing.length > 0) throw new Error(`${target.name}: ${missing.length} acknowledged contacts have no ticket, e.g. ${missing[0]}`);
  if (extra < 0 || extra > inFlight) throw new Error(`${target.name}: ${numbers.size} tickets for ${ok} 2xx answers and ${inFlight} unanswered requests`);
  return { tickets: numbers.size, acknowledged: ok, inFlight: extra };
}

async function benchEmpty(): Promise<LoadResult> {
  const peer = await startPeer();
  try {
    await drive(peer, bodies, { seconds: WARMUP_SECONDS, connections: CONNECTIONS });
    return await drive(peer, bodies, { seconds: SECONDS, connections: CONNECTIONS });
  } finally {
    await peer.stop();
  }
}

async function benchSpoc(store: 'sqlite' | 'postgres'): Promise<{ max: LoadResult; half: LoadResult; verified: Verified }> {
  const spoc = await startSpocTarget(store);
  try {
    const warm = await drive(spoc, bodies, { seconds: WARMUP_SECONDS, connections: CONNECTIONS });
    const max = await drive(spoc, bodies, { seconds: SECONDS, connections: CONNECTIONS });
    await verify(spoc, [warm, max]);
    const half = await drive(spoc, bodies, { seconds: SECONDS, connections: CONNECTIONS, rate: Math.max(1, Math.round(max.rps / 2)) });
    return { max, half, verified: await verify(spoc, [warm, max, half]) };
  } finally {
    await spoc.stop();
  }
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const line = (name: string, r: LoadResult) =>
  `${name.padEnd(28)} ${fmt(r.rps, 0).padStart(6)} req/s  p50 ${fmt(r.p50).padStart(6)} ms  p99 ${fmt(r.p99).padStart(6)} ms  mean ${fmt(r.mean).padStart(6)} ms` +
  (r.intakeMs === undefined ? '' : ` (${fmt(r.intakeMs)} in intake)`) +
  `  ${fmt(r.cpuMsPerRequest, 2)} CPU-ms/req (${fmt(100 * r.kernelShare, 0)}% kernel)`;

console.log(`${CONNECTIONS} connections, ${SECONDS} s per run after a ${WARMUP_SECONDS} s warm-up; contact bodies ${meanBytes} bytes on average (zh/en)`);
// The empty route runs first and last, so a change in the shared machine's load shows as a spread.
const empty1 = await benchEmpty();
console.log(line('fastify empty route (first)', empty1));
const sqlite = await benchSpoc('sqlite');
console.log(line('spoc SQLite, max', sqlite.max));
console.log(line('spoc SQLite, at half', sqlite.half));
const postgres = await benchSpoc('postgres');
console.log(line('spoc PostgreSQL, max', postgres.max));
console.log(line('spoc PostgreSQL, at half', postgres.half));
const empty2 = await benchEmpty();
console.log(line('fastify empty route (last)', empty2));

const emptyRps = (empty1.rps + empty2.rps) / 2;
const emptyCpu = (empty1.cpuMsPerRequest + empty2.cpuMsPerRequest) / 2;
const cpuTimes = (r: LoadResult) => fmt(r.cpuMsPerRequest / emptyCpu, 0);
const pct = (r: LoadResult) => `${fmt((100 * r.rps) / emptyRps, 0)}%`;
const row = (name: string, max: LoadResult, half: LoadResult | undefined, ratio: string, v: Verified | undefined) =>
  `| ${name} | ${fmt(max.rps, 0)} | ${fmt(max.p50)} | ${fmt(max.p99)} | ${ratio} | ${half ? `${fmt(half.rps, 0)} req/s: ${fmt(half.p50)} / ${fmt(half.p99)}` : '–'} | ${fmt(max.cpuMsPerRequest, 2)} | ${v ? `${v.tickets} tickets = ${v.acknowledged} 2xx + ${v.inFlight} cut off in flight` : '–'} |`;

console.log(`
| target | req/s | p50 ms | p99 ms | of empty | at half load: p50 / p99 ms | CPU ms/req | durable check |
|---|---:|---:|---:|---:|---|---:|---|
${row('fastify empty route', { ...empty1, rps: emptyRps, p50: (empty1.p50 + empty2.p50) / 2, p99: (empty1.p99 + empty2.p99) / 2, cpuMsPerRequest: emptyCpu }, undefined, '100%', undefined)}
${row('spoc, SQLite (WAL flushed before each answer)', sqlite.max, sqlite.half, pct(sqlite.max), sqlite.verified)}
${row('spoc, PostgreSQL', postgres.max, postgres.half, pct(postgres.max), postgres.verified)}

Empty route runs: ${fmt(empty1.rps, 0)} and ${fmt(empty2.rps, 0)} req/s. ${CONNECTIONS} connections, ${SECONDS} s each, bodies ${meanBytes} B, one machine (${cpus().length} cores) shared by spoc, the load generator and the database.
CPU per request against the empty route's: SQLite ${cpuTimes(sqlite.max)}×, PostgreSQL ${cpuTimes(postgres.max)}× (spoc process only; PostgreSQL's own CPU not counted).
Goals on SQLite: ≥ 30% of the empty route — ${pct(sqlite.max)} ${(sqlite.max.rps / emptyRps) >= 0.3 ? 'met' : 'MISSED'}; p99 < 20 ms at half load — ${fmt(sqlite.half.p99)} ms ${sqlite.half.p99 < 20 ? 'met' : 'MISSED'}.`);
