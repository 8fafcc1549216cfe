import { parentPort, type Transferable, type Worker } from 'node:worker_threads';
import { startModuleWorker } from './worker.js';

/** What crosses to a pool thread and back: a thread posts `{ ready }` once its modules are loaded. */
type Call<Req> = { id: number; request: Req };
type Answer<Res> = { id: number; value: Res } | { id: number; error: string } | { ready: true };

export interface ThreadPool<Req, Res> {
  /** Resolves when every thread has loaded its modules (or failed to: the next request then starts it again). */
  ready: Promise<void>;
  /** True once some thread has said it is ready: until then a caller may prefer doing the work itself. */
  started(): boolean;
  request(request: Req, transfer?: Transferable[]): Promise<Res>;
  close(): Promise<void>;
}

interface Pending<Res> {
  resolve(value: Res): void;
  reject(err: Error): void;
}

/**
 * Runs requests on `threads` worker threads (round robin) started on `source`, a module that calls
 * `serveThreadRequests`. A thread that dies fails its pending requests and is started again on the next one.
 */
export function startThreadPool<Req, Res>(source: URL, opts: { threads: number; workerData: unknown; name: string }): ThreadPool<Req, Res> {
  type Slot = { worker: Worker; pending: Map<number, Pending<Res>>; loaded: Promise<void> };
  const slots: Array<Slot | undefined> = Array.from({ length: opts.threads }, () => undefined);
  let nextId = 0;
  let turn = 0;
  let closed = false;
  let anyReady = false;

  function spawn(index: number): Slot {
    const pending = new Map<number, Pending<Res>>();
    const worker = startModuleWorker(source, { workerData: opts.workerData });
    worker.unref();
    let markLoaded = (): void => undefined;
    const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
    worker.on('message', (answer: Answer<Res>) => {
      if ('ready' in answer) {
        anyReady = true;
        return markLoaded();
      }
      const p = pending.get(answer.id);
      pending.delete(answer.id);
      if ('error' in answer) p?.reject(new Error(answer.error));
      else p?.resolve(answer.value);
    });
    const fail = (err: Error) => {
      markLoaded();
      if (slots[index]?.worker === worker) slots[index] = undefined;
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`${opts.name} thread exited with code ${code}`)));
    return (slots[index] = { worker, pending, loaded });
  }

  // Started now, not at the first request: a thread takes a while to load its modules.
  const ready = Promise.all(Array.from({ length: opts.threads }, (_, i) => spawn(i).loaded)).then(() => undefined);

  return {
    ready,
    started: () => anyReady,
    request(request, transfer = []) {
      if (closed) return Promise.reject(new Error(`${opts.name} threads are closed`));
      const index = turn++ % opts.threads;
      const slot = slots[index] ?? spawn(index);
      const id = nextId++;
      return new Promise<Res>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        try {
          slot.worker.postMessage({ id, request } satisfies Call<Req>, transfer);
        } catch (err) {
          // Nothing was sent (a value that cannot cross threads): this request fails alone.
          slot.pending.delete(id);
          reject(err);
        }
      });
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s?.worker.terminate()));
    },
  };
}

/** The thread's side: answers each request with `handle`'s value or its error's message. */
export function serveThreadRequests<Req, Res>(handle: (request: Req) => Res | Promise<Res>): void {
  const port = parentPort!;
  port.on('message', ({ id, request }: Call<Req>) => {
    new Promise<Res>((resolve) => resolve(handle(request))).then(
      (value) => port.postMessage({ id, value } satisfies Answer<Res>),
      (err: unknown) => port.postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies Answer<Res>),
    );
  });
  port.postMessage({ ready: true } satisfies Answer<Res>);
}
