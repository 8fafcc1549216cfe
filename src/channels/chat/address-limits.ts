/** Above this many tracked addresses, idle ones are dropped on the next take. */
const PRUNE_ABOVE = 10_000;

/**
 * Sliding one-minute windows per client address, shared by all of that address's connections: a new
 * connection must not reset what the previous ones used (a flood of connections, each making a ticket).
 */
export interface AddressWindow {
  /** True and counted when `address` has room left this minute; false (not counted) when it has not. */
  take(address: string): boolean;
  /** Gives back one `take` that turned out not to need it. */
  giveBack(address: string): void;
}

export function createAddressWindow(perMinute: number, now: () => number = Date.now): AddressWindow {
  const hits = new Map<string, number[]>();
  // A sweep of every address is O(addresses): once a minute is enough to drop the idle ones.
  let prunedAt = 0;
  const recent = (address: string, t: number) => {
    const list = (hits.get(address) ?? []).filter((at) => at > t - 60_000);
    if (list.length) hits.set(address, list);
    else hits.delete(address);
    return list;
  };
  return {
    giveBack(address) {
      hits.get(address)?.pop();
    },
    take(address) {
      const t = now();
      if (hits.size > PRUNE_ABOVE && t - prunedAt > 60_000) {
        prunedAt = t;
        for (const key of [...hits.keys()]) recent(key, t);
      }
      const list = recent(address, t);
      if (list.length >= perMinute) return false;
      list.push(t);
      hits.set(address, list);
      return true;
    },
  };
}

/** The limits one chat server applies per address. */
export interface ChatAddressLimits {
  sessions: AddressWindow;
  tickets: AddressWindow;
}

export const createChatAddressLimits = (c: { newSessionsPerMinute: number; newTicketsPerMinute: number }): ChatAddressLimits => ({
  sessions: createAddressWindow(c.newSessionsPerMinute),
  tickets: createAddressWindow(c.newTicketsPerMinute),
});
