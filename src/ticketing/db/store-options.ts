import { join } from 'node:path';
import { SpocError } from '../../shared/errors.js';
import type { StoreOptions } from './create-store.js';

/**
 * The store the environment names: PostgreSQL at DATABASE_URL (schema DATABASE_SCHEMA), else the SQLite
 * file in the data directory. `spoc serve` and the CLI's store commands open the same one.
 */
export function storeOptionsFromEnv(env: NodeJS.ProcessEnv, dataDir: string): StoreOptions {
  return env.DATABASE_URL
    ? { kind: 'postgres', url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA }
    : { kind: 'sqlite', file: join(dataDir, 'spoc.db'), synchronous: sqliteSync(env.SPOC_SQLITE_SYNC) };
}

function sqliteSync(value: string | undefined): 'async' | 'FULL' | 'NORMAL' | undefined {
  if (value === undefined || value === 'async' || value === 'FULL' || value === 'NORMAL') return value;
  throw new SpocError('config_invalid', `SPOC_SQLITE_SYNC must be async, FULL or NORMAL (got ${value})`);
}
