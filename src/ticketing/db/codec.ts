import type { Sql } from './sql.js';

/** A stored instant as ISO text: PostgreSQL hands back a Date, SQLite the ISO text it was given. */
export function iso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : String(v);
}

export function isoOrUndefined(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : iso(v);
}

/** Every instant is written in one form (UTC, milliseconds, `Z`), so SQLite can compare them as text. */
export function toTs(v: string | Date): string {
  return (v instanceof Date ? v : new Date(v)).toISOString();
}

export function tsOrNull(v: string | Date | undefined): string | null {
  return v === undefined ? null : toTs(v);
}

/** jsonb comes back parsed, SQLite text does not. */
export function fromJson<T>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

export function orUndefined<T>(v: T | null | undefined): T | undefined {
  return v === null ? undefined : v;
}

/** Row locks exist only in PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the whole database. */
export function lockSuffix(q: Sql, lock: 'FOR UPDATE' | 'FOR UPDATE SKIP LOCKED'): string {
  return q.dialect === 'postgres' ? ` ${lock}` : '';
}
