/**
 * Failed sign-ins counted per key (the client's address, the address typed) in a sliding window: past
 * `max` failures a key is refused until its oldest failure leaves the window. In memory: each process
 * counts its own, which bounds guessing per process; a restart forgets, which a guesser cannot cause.
 */
export interface FailureLimiter {
  /** Milliseconds until `key` may try again, or 0. */
  blockedFor(key: string): number;
  fail(key: string): void;
  /** A success clears the key's failures. */
  clear(key: string): void;
}

export function createFailureLimiter(opts: { max: number; windowMs: number; now?: () => number }): FailureLimiter {
  const now = opts.now ?? Date.now;
  const failures = new Map<string, number[]>();
  const recent = (key: string): number[] => {
    const cutoff = now() - opts.windowMs;
    const kept = (failures.get(key) ?? []).filter((t) => t > cutoff);
    if (kept.length) failures.set(key, kept);
    else failures.delete(key);
    return kept;
  };
  return {
    blockedFor(key) {
      const times = recent(key);
      return times.length >= opts.max ? times[0]! + opts.windowMs - now() : 0;
    },
    fail(key) {
      const times = recent(key);
      times.push(now());
      failures.set(key, times);
      // Bounded memory under a spray of keys: the oldest keys go first.
      if (failures.size > 100_000) failures.delete(failures.keys().next().value!);
    },
    clear(key) {
      failures.delete(key);
    },
  };
}
