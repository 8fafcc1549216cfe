import type { ChannelState } from '../channels/types.js';
import { fromJson, toTs } from './db/codec.js';
import type { Store } from './db/sql.js';

/** Channels' small durable key/value state in the channel_state table; values are stored as JSON. */
export function createChannelState(store: Store, now: () => Date = () => new Date()): ChannelState {
  const setEach: ChannelState['setEach'] = (entries) =>
    store.withTx(async (tx) => {
      const at = toTs(now());
      for (const [key, value] of entries) {
        await tx.run(
          `INSERT INTO channel_state (key, value, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
          [key, JSON.stringify(value ?? null), at],
        );
      }
    });
  const setEachIfAbsent: ChannelState['setEachIfAbsent'] = (entries) =>
    store.withTx(async (tx) => {
      const at = toTs(now());
      const set: boolean[] = [];
      for (const [key, value] of entries) {
        const inserted = await tx.run('INSERT INTO channel_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING', [
          key,
          JSON.stringify(value ?? null),
          at,
        ]);
        set.push(inserted === 1);
      }
      return set;
    });
  return {
    get<T = unknown>(key: string) {
      return store.read(async (q) => {
        const row = await q.get('SELECT value FROM channel_state WHERE key = ?', [key]);
        if (!row) return undefined;
        // PostgreSQL's jsonb arrives parsed, a stored string included; SQLite's text is still JSON.
        return (store.dialect === 'postgres' ? row.value : fromJson<T>(row.value)) as T;
      });
    },
    set: (key, value) => setEach([[key, value]]),
    setIfAbsent: async (key, value) => (await setEachIfAbsent([[key, value]]))[0] === true,
    setEach,
    setEachIfAbsent,
  };
}
