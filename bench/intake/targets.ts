/**
 * What the benchmark drives: the empty fastify peer, and spoc as a real process (`node --import tsx
 * src/main.ts serve`, exactly as tests/support/process.ts starts it) on SQLite or on PostgreSQL, each with
 * a way to read back every committed ticket number straight from the store.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import pg from 'pg';
import { REPO, spawnSpoc } from '../../tests/support/process.js';
import { TEST_KEYS } from '../../tests/support/spoc.js';

export const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Target {
  name: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  pid: number;
  /** Every ticket number committed so far; undefined for the peer, which stores nothing. */
  ticketNumbers?(): Promise<Set<string>>;
  /** Where spoc on SQLite keeps its file, for benchmarks that fill the store behind it. */
  sqliteFile?: string;
  /** The PostgreSQL schema spoc on PostgreSQL uses (dropped on stop). */
  pgSchema?: string;
  /** The tail of spoc's stderr, to say why a run failed. */
  stderr?(): string;
  /** spoc's own intake histogram from /metrics: seconds from a contact reaching intake to its commit (routed ahead, queued, run, flushed). */
  intakeSeconds?(): Promise<{ sum: number; count: number }>;
  stop(): Promise<void>;
}

/** User and system (kernel: syscalls, fsync, TCP) CPU seconds a process has used so far (Linux /proc). */
export function cpuSeconds(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

export async function startPeer(): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'bench/intake/peer.ts')], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((r) => child.once('exit', r));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`peer exited with ${code}`)));
  });
  return {
    name: 'fastify empty route',
    url: `http://127.0.0.1:${line.trim()}`,
    path: '/empty',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEYS.intake}` },
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * spoc with its embedded defaults (the repo's config, in-process queue, LOG_LEVEL info to a discarded
 * stdout) on SQLite in a temp data dir, or on PostgreSQL in a fresh schema dropped on stop.
 */
export async function startSpocTarget(store: 'sqlite' | 'postgres', extraEnv: Record<string, string> = {}): Promise<Target> {
  const dataDir = await mkdtemp(join(tmpdir(), 'spoc-bench-'));
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const env: Record<string, string> = { SPOC_DATA_DIR: dataDir, LOG_LEVEL: 'info', ...extraEnv };
  // BENCH_PROFILE_DIR=<dir>: each spoc process writes a V8 CPU profile there when it stops (cpu-profile.mjs).
  if (process.env.BENCH_PROFILE_DIR) {
    Object.assign(env, { BENCH_PROFILE_DIR: process.env.BENCH_PROFILE_DIR, NODE_OPTIONS: `--import ${join(REPO, 'bench/intake/cpu-profile.mjs')}` });
  }
  if (store === 'postgres') Object.assign(env, { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema });
  const proc = await spawnSpoc(env);
  const pool = store === 'postgres' ? new pg.Pool({ connectionString: PG_URL, max: 1 }) : undefined;
  return {
    name: `spoc on ${store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
    url: proc.url,
    path: '/api/v1/contacts',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEYS.intake}` },
    pid: proc.child.pid!,
    ...(pool ? { pgSchema: schema } : { sqliteFile: join(dataDir, 'spoc.db') }),
    stderr: proc.stderr,
    async ticketNumbers() {
      if (pool) return new Set((await pool.query<{ number: string }>(`SELECT number FROM ${schema}.tickets`)).rows.map((r) => r.number));
      const db = new Database(join(dataDir, 'spoc.db'), { fileMustExist: true });
      try {
        return new Set((db.prepare('SELECT number FROM tickets').all() as Array<{ number: string }>).map((r) => r.number));
      } finally {
        db.close();
      }
    },
    async intakeSeconds() {
      const text = await (await fetch(`${proc.url}/metrics`)).text();
      const total = (name: string) =>
        text
          .split('\n')
          .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
          .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
      return { sum: total('spoc_intake_duration_seconds_sum'), count: total('spoc_intake_duration_seconds_count') };
    },
    async stop() {
      proc.child.kill('SIGTERM');
      await proc.exited;
      if (pool) {
        await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await pool.end();
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
