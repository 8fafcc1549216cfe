import type { Dialect, SqlValue } from '../ticketing/db/sql.js';
import { iso } from '../ticketing/db/codec.js';

/** A text field of an event's JSON data: SQLite's json_extract, PostgreSQL's ->> on jsonb. */
export function jsonText(dialect: Dialect, column: string, key: string): string {
  if (!/^\w+$/.test(key)) throw new Error(`bad json key ${key}`);
  return dialect === 'postgres' ? `(${column}->>'${key}')` : `json_extract(${column}, '$.${key}')`;
}

/** `?, ?, ?` for a list bound as parameters. */
export const marks = (values: readonly SqlValue[]): string => values.map(() => '?').join(', ');

/** A counted value: PostgreSQL returns bigint sums as text. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));

/**
 * Event types written into the statement, not bound: the partial indexes of migration 11 are only
 * chosen when the planner sees the type itself. The names are our own constants, checked here.
 */
export function typeIn(types: string | readonly string[]): string {
  const list = typeof types === 'string' ? [types] : types;
  for (const t of list) if (!/^\w+$/.test(t)) throw new Error(`bad event type ${t}`);
  return list.length === 1 ? `= '${list[0]}'` : `IN (${list.map((t) => `'${t}'`).join(', ')})`;
}
