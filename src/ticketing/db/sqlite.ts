import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createMutex } from './mutex.js';
import { startCheckpointer, type Checkpointer } from './sqlite-checkpointer.js';
import type { Sql, SqlValue, Store } from './sql.js';

export interface SqliteOptions {
  /** The database file (its directory is created); `:memory:` for a throwaway store. */
  file: string;
  /**
   * How a commit is made durable before its callers hear of it.
   * - `async` (default): SQLite writes the WAL (synchronous=NORMAL) and spoc fdatasyncs the WAL file on
   *   libuv's thread pool before resolving the batch: as durable as FULL (power loss included), but the
   *   event loop keeps serving requests, and the next batch runs, while the disk flushes.
   * - `FULL`: SQLite fsyncs inside COMMIT, blocking the event loop for the flush.
   * - `NORMAL`: no flush per commit; survives a process crash, may lose the last commits on power loss.
   */
  synchronous?: 'async' | 'FULL' | 'NORMAL';
  /** How long a write waits for another process holding the file's write lock. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Most transactions committed together (one fsync). Default 256. */
  maxBatch?: number;
  /** Told when the background checkpoint fails (the WAL then grows until it works again). */
  onCheckpointError?(message: string): void;
}

interface Queued {
  fn: (tx: Sql) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

/**
 * The embedded store: one better-sqlite3 connection in WAL mode, statements prepared once and cached.
 *
 * Group commit: the driver is synchronous and a durable commit costs an fsync, so transactions that
 * arrive while one is running are queued and the next batch runs them one after another inside a single
 * BEGIN IMMEDIATE … COMMIT, each in its own SAVEPOINT (one failing rolls back only itself). Nobody's
 * promise resolves before the COMMIT that made its work durable.
 */
export function createSqliteStore(opts: SqliteOptions): Store {
  if (opts.file !== ':memory:') mkdirSync(dirname(opts.file), { recursive: true });
  const db = new Database(opts.file);
  db.pragma('journal_mode = WAL');
  const mode = opts.synchronous ?? 'async';
  db.pragma(`synchronous = ${mode === 'FULL' ? 'FULL' : 'NORMAL'}`);
  const syncWal = mode === 'async' && opts.file !== ':memory:' ? createWalSync(`${opts.file}-wal`) : undefined;
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
  let checkpointer: Checkpointer | undefined;
  if (opts.file !== ':memory:') {
    db.pragma('wal_autocheckpoint = 0');
    checkpointer = startCheckpointer(opts.file, { onError: opts.onCheckpointError ?? (() => undefined) });
  }
  const maxBatch = opts.maxBatch ?? 256;

  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
  const sql: Sql = {
    dialect: 'sqlite',
    async all<T>(text: string, params: readonly SqlValue[] = []) {
      return prepare(text).all(...params) as T[];
    },
    async get<T>(text: string, params: readonly SqlValue[] = []) {
      return prepare(text).get(...params) as T | undefined;
    },
    async run(text: string, params: readonly SqlValue[] = []) {
      const stmt = prepare(text);
      // A statement with RETURNING is a reader for better-sqlite3 and must be stepped with all().
      return stmt.reader ? stmt.all(...params).length : stmt.run(...params).changes;
    },
    async nextval(name: string) {
      const row = prepare(
        'INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value',
      ).get(name) as { value: number };
      return row.value;
    },
  };

  // Transaction control is prepared once like every other statement: exec() would parse it at every use.
  const statement = (text: string) => {
    const stmt = prepare(text);
    return () => void stmt.run();
  };
  const begin = statement('BEGIN IMMEDIATE');
  const commit = statement('COMMIT');
  const rollback = statement('ROLLBACK');
  const savepoint = statement('SAVEPOINT tx');
  const release = statement('RELEASE tx');
  const rollbackToSavepoint = statement('ROLLBACK TO tx');

  const mutex = createMutex();
  const queue: Queued[] = [];
  let draining: Promise<void> | undefined;
  let closed = false;

  async function runBatch(batch: Queued[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    begin();
    for (const q of batch) {
      savepoint();
      try {
        const value = await q.fn(sql);
        release();
        outcomes.push({ ok: true, value });
      } catch (err) {
        outcomes.push({ ok: false, err });
        if (db.inTransaction) {
          rollbackToSavepoint();
          release();
        } else {
          // SQLite abandoned the whole transaction (disk full, I/O error): the batch so far is lost.
          outcomes.forEach((o, i) => (outcomes[i] = o.ok ? { ok: false, err } : o));
          begin();
        }
      }
    }
    commit();
    return outcomes;
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      const outcomes = await mutex.run(async () => {
        try {
          return await runBatch(batch);
        } catch (err) {
          if (db.inTransaction) rollback();
          return batch.map((): Outcome => ({ ok: false, err }));
        }
      });
      const settle = () => outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.value) : batch[i]!.reject(o.err)));
      if (!syncWal) settle();
      // Not awaited: the next batch runs while this one's flush is in flight. A flush covers every frame
      // written before it, so a later batch that read this one's rows resolves only after they are durable.
      else syncWal.flush().then(settle, (err: unknown) => batch.forEach((q) => q.reject(err)));
      // Transactions run on this thread: let finished flushes answer their callers, and new requests queue,
      // before the next batch takes the thread again.
      if (queue.length > 0) await new Promise((r) => setImmediate(r));
    }
  }

  const kick = (): void => {
    // setImmediate lets the requests already read from the sockets queue their transactions first, so
    // they share one batch (one COMMIT, one flush) instead of one each.
    draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain).finally(() => {
      draining = undefined;
      // A caller resumed by the last batch may have queued work after drain's final check: run it too.
      if (queue.length > 0) kick();
    });
  };

  return {
    dialect: 'sqlite',
    withTx<T>(fn: (tx: Sql) => Promise<T>) {
      if (closed) return Promise.reject(new Error('store is closed'));
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        kick();
      });
    },
    read<T>(fn: (q: Sql) => Promise<T>) {
      return mutex.run(() => fn(sql));
    },
    async ping() {
      prepare('SELECT 1 AS ok').get();
    },
    async close() {
      if (closed) return;
      closed = true;
      await draining;
      await syncWal?.close();
      await checkpointer?.stop();
      await mutex.run(async () => db.close());
    },
  };
}

/**
 * fdatasync of the WAL file off the event loop, itself grouped: commits that finish while a flush runs
 * share the next one. The connection keeps the WAL file (same inode) for as long as it is open, so one
 * handle serves every flush.
 */
function createWalSync(path: string) {
  let handle: Promise<FileHandle> | undefined;
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;

  const start = (): Promise<void> => {
    handle ??= open(path, 'r').catch((err: unknown) => {
      handle = undefined;
      throw err;
    });
    const p: Promise<void> = handle
      .then((h) => h.datasync())
      .finally(() => {
        if (running === p) running = undefined;
      });
    running = p;
    return p;
  };

  return {
    flush(): Promise<void> {
      if (!running) return start();
      // The flush under way may have begun before this commit's frames were written: wait for the next.
      next ??= running
        .catch(() => undefined)
        .then(() => {
          next = undefined;
          return start();
        });
      return next;
    },
    async close(): Promise<void> {
      await Promise.allSettled([running, next]);
      if (handle) await (await handle).close();
    },
  };
}
