export interface Coalesced<T> {
  /** Starts a pass, or, while one runs, asks for exactly one more after it; resolves with the running pass. */
  run(): Promise<T>;
  /** Resolves once no pass is running (including the extra one asked for). */
  settled(): Promise<void>;
}

/**
 * Many kicks (one per commit) become at most one running pass plus one queued: work that arrived
 * during a pass is picked up by the next, and nothing claims in parallel with itself.
 */
export function coalesce<T>(pass: () => Promise<T>): Coalesced<T> {
  let current: Promise<T> | undefined;
  let again = false;
  const run = (): Promise<T> => {
    if (current) {
      again = true;
      return current;
    }
    current = pass().finally(() => {
      current = undefined;
      if (again) {
        again = false;
        void run();
      }
    });
    return current;
  };
  return {
    run,
    async settled() {
      while (current) await current.catch(() => undefined);
    },
  };
}
