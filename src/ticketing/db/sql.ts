export type Dialect = 'sqlite' | 'postgres';

/** A value a statement may bind: both drivers take these as they are (JSON is bound as text, booleans as 0/1). */
export type SqlValue = string | number | null;

/**
 * One connection's worth of SQL, inside or outside a transaction. Statements are written once for both
 * dialects with `?` placeholders; the PostgreSQL side numbers them. `dialect` lets the few statements
 * that differ (row locks) pick their variant.
 */
export interface Sql {
  readonly dialect: Dialect;
  all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * The next value of a named counter (created at 1 on first use). SQLite: a counters row updated in this
   * transaction, so values are gapless. PostgreSQL: a sequence, so concurrent transactions in any number
   * of processes never wait on each other for it; values are unique, and a rolled-back one is skipped.
   */
  nextval(name: string): Promise<number>;
}

export type Row = Record<string, unknown>;

/**
 * The durable store: the source of truth. One interface, two implementations (SQLite for the embedded
 * default, PostgreSQL when several processes share the data). Everything that must commit together —
 * a ticket, its events and the outbox jobs they trigger — runs inside one `withTx`.
 */
export interface Store {
  readonly dialect: Dialect;
  /**
   * Runs `fn` in one write transaction and commits when it resolves (rolls back when it throws).
   * SQLite: transactions are serialised on the single connection (BEGIN IMMEDIATE), so `fn` must not
   * call `withTx` or `read` itself. PostgreSQL: a pooled client per transaction; deadlocks and
   * serialisation failures are retried by re-running `fn`, so `fn` must only touch the database.
   */
  withTx<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Reads outside a write transaction (never sees another transaction's uncommitted rows). */
  read<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** `?` placeholders to PostgreSQL's `$1, $2 …` (statements in this module never put `?` in literals). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
