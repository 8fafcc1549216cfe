import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The thread's code, plain CommonJS so it runs the same under tsx and from dist/. PASSIVE never waits
 * for the writer and never blocks it: it copies what is already committed, and SQLite restarts the WAL
 * at the next write once everything has been copied.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage(String(err && err.message || err));
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Copies the WAL into the database file from a worker thread with its own connection. SQLite's own
 * checkpoint runs inside a COMMIT on the writer's thread, and with it two fsyncs: 10 ms and more with the
 * event loop blocked, every thousand pages. The writer turns that off (`wal_autocheckpoint = 0`).
 */
export function startCheckpointer(file: string, opts: { intervalMs?: number; onError(message: string): void }): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs: opts.intervalMs ?? 100 } });
  worker.on('message', (message: string) => opts.onError(message));
  worker.on('error', (err) => opts.onError(err.message));
  // A store someone forgot to close must not keep the process alive.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Held while it stops: a short-lived process (a CLI command) closing its store would otherwise exit
      // here, with nothing else keeping it alive, before close() returns and its output is printed.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
