import type { Logger } from '../../shared/logger.js';
import { migrate } from './migrate.js';
import { createPostgresStore } from './postgres.js';
import type { Store } from './sql.js';
import { createSqliteStore } from './sqlite.js';

export type StoreOptions =
  | { kind: 'sqlite'; file: string; synchronous?: 'async' | 'FULL' | 'NORMAL' }
  | { kind: 'postgres'; url: string; schema?: string; max?: number };

/** Opens the store the environment asks for and brings its schema up to date. */
export async function createStore(opts: StoreOptions, logger?: Logger): Promise<Store> {
  const store =
    opts.kind === 'sqlite'
      ? createSqliteStore({ file: opts.file, synchronous: opts.synchronous, onCheckpointError: (error) => logger?.error({ store: 'sqlite', error }, 'WAL checkpoint failed') })
      : await createPostgresStore({ url: opts.url, schema: opts.schema, max: opts.max, logger });
  try {
    const applied = await migrate(store);
    if (applied.length > 0) logger?.info({ store: opts.kind, applied }, 'store migrated');
    return store;
  } catch (err) {
    await store.close();
    throw err;
  }
}
