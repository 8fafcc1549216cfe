import type { ChannelState } from '../channels/types.js';
import { fromJson, toTs } from './db/codec.js';
import type { Store } from './db/sql.js';

/** Channels' small durable key/value state in the channel_state table; values are stored as JSON. */
export function createChannelState(store: Store, now: () => Date = () => new Date()): ChannelState {
  return {
    get<T = unknown>(key: string) {
      return store.read(async (q) => {
        const row = await q.get('SELECT value FROM channel_state WHERE key = ?', [key]);
        return row ? fromJson<T>(row.value) : undefined;
      });
    },
    set(key, value) {
      return store.withTx(async (tx) => {
        await tx.run(
          `INSERT INTO channel_state (key, value, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
          [key, JSON.stringify(value ?? null), toTs(now())],
        );
      });
    },
    setIfAbsent(key, value) {
      return store.withTx(
        async (tx) =>
          (await tx.run('INSERT INTO channel_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING', [
            key,
            JSON.stringify(value ?? null),
            toTs(now()),
          ])) === 1,
      );
    },
  };
}
