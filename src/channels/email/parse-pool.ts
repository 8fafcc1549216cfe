import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../shared/worker.js';
import type { ParseRequest, ParseResponse, ParseThreadData } from './parse-thread.js';
import type { MailboxSettings, MessageOrigin, PreparedMail } from './prepare.js';

export interface ParsePool {
  /** Resolves when every thread has loaded its modules (or failed to: the first request then starts it again). */
  ready: Promise<void>;
  prepare(mailbox: MailboxSettings, origin: MessageOrigin, raw: Buffer): Promise<PreparedMail>;
  close(): Promise<void>;
}

interface Pending {
  resolve(p: PreparedMail): void;
  reject(err: Error): void;
}

/**
 * Parses mail on `threads` worker threads (round robin), so mailparser and the HTML and quote handling of
 * one message run while the event loop commits the one before it. A thread that dies fails its pending
 * messages (the watcher retries them) and is started again on the next request.
 */
export function startParsePool(data: ParseThreadData, threads: number): ParsePool {
  const workers: Array<{ worker: Worker; pending: Map<number, Pending>; loaded: Promise<void> } | undefined> = Array.from({ length: threads }, () => undefined);
  let nextId = 0;
  let turn = 0;
  let closed = false;

  function spawn(slot: number) {
    const pending = new Map<number, Pending>();
    const worker = startModuleWorker(new URL('./parse-thread.ts', import.meta.url), { workerData: data });
    worker.unref();
    let markLoaded = (): void => undefined;
    const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
    worker.on('message', (res: ParseResponse) => {
      if ('ready' in res) return markLoaded();
      const p = pending.get(res.id);
      pending.delete(res.id);
      if ('error' in res) p?.reject(new Error(res.error));
      else p?.resolve(res.prepared);
    });
    const fail = (err: Error) => {
      markLoaded();
      if (workers[slot]?.worker === worker) workers[slot] = undefined;
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`mail parsing thread exited with code ${code}`)));
    return (workers[slot] = { worker, pending, loaded });
  }

  // Started now, not at the first mail: a thread takes a while to load mailparser and spoc's modules.
  const ready = Promise.all(Array.from({ length: threads }, (_, slot) => spawn(slot).loaded)).then(() => undefined);

  return {
    ready,
    prepare(mailbox, origin, raw) {
      if (closed) return Promise.reject(new Error('mail parsing threads are closed'));
      const slot = turn++ % threads;
      const w = workers[slot] ?? spawn(slot);
      const id = nextId++;
      // A copy of just this message's bytes, moved to the thread rather than copied again.
      const bytes = new Uint8Array(raw);
      return new Promise<PreparedMail>((resolve, reject) => {
        w.pending.set(id, { resolve, reject });
        try {
          w.worker.postMessage({ id, mailbox, origin, raw: bytes } satisfies ParseRequest, [bytes.buffer]);
        } catch (err) {
          // Nothing was sent (a value that cannot cross threads): this message fails alone.
          w.pending.delete(id);
          reject(err);
        }
      });
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w?.worker.terminate()));
    },
  };
}
