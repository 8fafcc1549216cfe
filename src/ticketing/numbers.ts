import type { Sql } from './db/sql.js';

/**
 * A type's number prefix from the configured types (gateway.yaml `types[].prefix`); a type missing there
 * gets the first three letters of its id rather than failing intake.
 */
export function prefixFor(type: string, prefixes: Readonly<Record<string, string>>): string {
  return prefixes[type] ?? (type.replace(/[^a-z]/gi, '').slice(0, 3).toUpperCase() || 'TKT');
}

/** Digits a number is padded to; a type past 999999 simply grows a digit. */
export const NUMBER_WIDTH = 6;

/** A ticket number in text, for every channel that reads one: a type's prefix, a dash, the digits. */
export const TICKET_NUMBER_SOURCE = `[A-Za-z]{3}-\\d{${NUMBER_WIDTH},}`;

function formatNumber(prefix: string, n: number): string {
  return `${prefix}-${String(n).padStart(NUMBER_WIDTH, '0')}`;
}

/**
 * The next number of a prefix, unique across processes (see `Sql.nextval`: gapless on SQLite; on
 * PostgreSQL a sequence, so ticket creation in several processes is not serialised on one row).
 */
export async function nextNumber(tx: Sql, prefix: string): Promise<string> {
  return formatNumber(prefix, await tx.nextval(`ticket_number_${prefix.toLowerCase()}`));
}
