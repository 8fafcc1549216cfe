import type { Sql } from './db/sql.js';

/**
 * A type's number prefix from the configured types (gateway.yaml `types[].prefix`); a type missing there
 * gets the first three letters of its id rather than failing intake.
 */
export function prefixFor(type: string, prefixes: Readonly<Record<string, string>>): string {
  return prefixes[type] ?? (type.replace(/[^a-z]/gi, '').slice(0, 3).toUpperCase() || 'TKT');
}

function formatNumber(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(6, '0')}`;
}

/**
 * The next number of a prefix, unique across processes (see `Sql.nextval`: gapless on SQLite; on
 * PostgreSQL a sequence, so ticket creation in several processes is not serialised on one row).
 */
export async function nextNumber(tx: Sql, prefix: string): Promise<string> {
  return formatNumber(prefix, await tx.nextval(`ticket_number_${prefix.toLowerCase()}`));
}
