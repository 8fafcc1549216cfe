import { parentPort, type Transferable, type Worker } from 'node:worker_threads';
import { startModuleWorker } from './worker.js';

/**
 * What crosses to a pool thread and back: a thread posts `{ ready }` once its modules are loaded. Calls and
 * answers travel in lists: what was asked in one turn, or answered in one turn of the thread's loop,
 * crosses as one message, since every message costs each side a wake-up of its own.
 */
type Call<Req> = { id: number; request: Req };
type Answer<Res> = { id: number; value: Res } | { id: number; error: string };
type FromThread<Res> = Array<Answer<Res>> | { ready: true };

/**
 * Gathers what is sent until `schedule` fires, then posts it as one list. When the list cannot cross (a value
 * that cannot be cloned), nothing was sent: its items are posted one by one, and `failed` hears of each
 * one at fault.
 */
function gathered<T>(
  schedule: (fn: () => void) => void,
  post: (items: T[], transfer: Transferable[]) => void,
  failed: (item: T, err: unknown) => void,
) {
  type Item = { item: T; transfer: Transferable[] };
  const send = (items: Item[]) =>
    post(
      items.map((i) => i.item),
      items.flatMap((i) => i.transfer),
    );
  let items: Item[] = [];
  return (item: T, transfer: Transferable[] = []) => {
    if (!items.length) {
      schedule(() => {
        const all = items;
        items = [];
        try {
          send(all);
        } catch {
          for (const one of all) {
            try {
              send([one]);
            } catch (e) {
              failed(one.item, e);
            }
          }
        }
      });
    }
    items.push({ item, transfer });
  };
}

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
  type Slot = { worker: Worker; pending: Map<number, Pending<Res>>; loaded: Promise<void>; send(call: Call<Req>, transfer: Transferable[]): void };
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
    worker.on('message', (answers: FromThread<Res>) => {
      if ('ready' in answers) {
        anyReady = true;
        return markLoaded();
      }
      for (const answer of answers) {
        const p = pending.get(answer.id);
        pending.delete(answer.id);
        if ('error' in answer) p?.reject(new Error(answer.error));
        else p?.resolve(answer.value);
      }
    });
    // The calls made in one turn of this thread (a batch of mail, a burst of contacts) cross together.
    const send = gathered<Call<Req>>(
      queueMicrotask,
      (calls, transfer) => worker.postMessage(calls, transfer),
      (call, err) => {
        pending.get(call.id)?.reject(err as Error);
        pending.delete(call.id);
      },
    );
    return (slots[index] = { worker, pending, loaded, send });
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
        slot.send({ id, request }, transfer);
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
  // Answers settled in one turn of this thread's loop cross together.
  const answer = gathered<Answer<Res>>(
    setImmediate,
    (answers) => port.postMessage(answers),
    ({ id }, err) => port.postMessage([{ id, error: `the answer cannot be sent back: ${(err as Error).message}` }]),
  );
  port.on('message', (calls: Array<Call<Req>>) => {
    for (const { id, request } of calls) {
      new Promise<Res>((resolve) => resolve(handle(request))).then(
        (value) => answer({ id, value }),
        (err: unknown) => answer({ id, error: err instanceof Error ? err.message : String(err) }),
      );
    }
  });
  port.postMessage({ ready: true } satisfies FromThread<Res>);
}
