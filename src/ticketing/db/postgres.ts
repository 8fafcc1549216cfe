import pg from 'pg';
import type { Logger } from '../../shared/logger.js';
import { numberPlaceholders, type Sql, type SqlValue, type Store } from './sql.js';

export interface PostgresOptions {
  url: string;
  /** A schema of its own (created when missing), so tests and side-by-side deployments stay isolated. */
  schema?: string;
  /** Pool size. Default 10. */
  max?: number;
  logger?: Logger;
}

/** Deadlock and serialisation failure: the transaction did nothing and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_TRIES = 4;

/** Schema and sequence names are spliced into DDL, so only plain lower-case identifiers are accepted. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function executor(client: pg.Pool | pg.PoolClient, ensureSequence: (name: string) => Promise<void>): Sql {
  const query = async (text: string, params: readonly SqlValue[]) =>
    client.query({ text: numberPlaceholders(text), values: params as SqlValue[] });
  return {
    dialect: 'postgres',
    async all<T>(text: string, params: readonly SqlValue[] = []) {
      return (await query(text, params)).rows as T[];
    },
    async get<T>(text: string, params: readonly SqlValue[] = []) {
      return (await query(text, params)).rows[0] as T | undefined;
    },
    async run(text: string, params: readonly SqlValue[] = []) {
      return (await query(text, params)).rowCount ?? 0;
    },
    async nextval(name: string) {
      await ensureSequence(name);
      return Number((await query('SELECT nextval(?::regclass) AS value', [name])).rows[0].value);
    },
  };
}

/**
 * The shared store for several spoc processes: a pg Pool, a client per transaction (READ COMMITTED),
 * with races settled by unique constraints and row locks in the statements themselves.
 */
export async function createPostgresStore(opts: PostgresOptions): Promise<Store> {
  const schema = opts.schema;
  if (schema !== undefined && !IDENTIFIER.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const connection = { connectionString: opts.url, ...(schema ? { options: `-c search_path=${schema}` } : {}) };
  const pool = new pg.Pool({ ...connection, max: opts.max ?? 10 });
  // An idle client losing its connection must not crash the process; the next checkout reconnects.
  pool.on('error', (err) => opts.logger?.warn({ err: err.message }, 'postgres idle client error'));
  if (schema) {
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (err) {
      // Two processes creating the schema at once: the loser sees a duplicate, which is what it wanted.
      if (!['23505', '42P06'].includes((err as { code?: string }).code ?? '')) {
        await pool.end();
        throw err;
      }
    }
  }

  /** Creates a sequence on a connection of its own: callers wait here holding pool clients in open transactions. */
  async function createSequence(name: string): Promise<void> {
    if (!IDENTIFIER.test(name)) throw new Error(`invalid sequence name ${name}`);
    const client = new pg.Client(connection);
    await client.connect();
    try {
      await client.query(`CREATE SEQUENCE IF NOT EXISTS ${name}`);
    } catch (err) {
      // Another process created it at the same moment.
      if (!['23505', '42P07'].includes((err as { code?: string }).code ?? '')) throw err;
    } finally {
      await client.end();
    }
  }
  const sequences = new Map<string, Promise<void>>();
  function ensureSequence(name: string): Promise<void> {
    let ready = sequences.get(name);
    if (!ready) {
      ready = createSequence(name).catch((err: unknown) => {
        sequences.delete(name);
        throw err;
      });
      sequences.set(name, ready);
    }
    return ready;
  }
  const poolSql = executor(pool, ensureSequence);

  async function once<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(executor(client, ensureSequence));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  return {
    dialect: 'postgres',
    async withTx<T>(fn: (tx: Sql) => Promise<T>) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(fn);
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (!code || !RETRYABLE.has(code) || attempt >= MAX_TRIES) throw err;
          opts.logger?.debug({ code, attempt }, 'postgres transaction retried');
        }
      }
    },
    read<T>(fn: (q: Sql) => Promise<T>) {
      return fn(poolSql);
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
