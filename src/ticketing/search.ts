import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';
import type { Sql, SqlValue } from './db/sql.js';

/**
 * Full-text search over tickets in Chinese and English. Text is cut into words here — jieba for Chinese
 * (search mode, so 服务器 is also found as 服务), letters and digits for the rest, lower-cased — and each
 * dialect indexes the words as given: SQLite's FTS5 (unicode61 splits on the spaces between them),
 * PostgreSQL's GIN over a text[]. A query matches a ticket when every one of its words is in one of the
 * ticket's texts (number, subject, requester, a message).
 */

let jieba: Jieba | undefined;
/** The dictionary takes about 0.2 s to load: only when the first text is cut. */
function segmenter(): Jieba {
  if (!jieba) {
    const require = createRequire(import.meta.url);
    const { Jieba: JiebaClass } = require('@node-rs/jieba') as typeof import('@node-rs/jieba');
    const { dict } = require('@node-rs/jieba/dict.js') as { dict: Uint8Array };
    jieba = JiebaClass.withDict(dict);
  }
  return jieba;
}

const WORD = /[\p{L}\p{N}]+/gu;
/** Bound what one text adds to the index (a pasted log file is not a thousand useful words). */
const MAX_WORDS = 2_000;

function words(text: string, mode: 'index' | 'query'): string[] {
  const j = segmenter();
  const pieces = mode === 'index' ? j.cutForSearch(text, true) : j.cut(text, true);
  const out = new Set<string>();
  for (const piece of pieces) {
    for (const w of piece.toLowerCase().match(WORD) ?? []) {
      out.add(w);
      if (out.size >= MAX_WORDS) return [...out];
    }
  }
  return [...out];
}

/** The words a query asks for (empty when it has none). */
export const queryWords = (q: string): string[] => words(q, 'query').slice(0, 16);

/** Adds one text of a ticket to the index, in the caller's transaction. */
export async function indexTicketText(tx: Sql, ticketId: string, text: string): Promise<void> {
  const found = words(text, 'index');
  if (found.length === 0) return;
  if (tx.dialect === 'sqlite') await tx.run('INSERT INTO ticket_search (ticket_id, terms) VALUES (?, ?)', [ticketId, found.join(' ')]);
  else await tx.run('INSERT INTO ticket_search (ticket_id, terms) VALUES (?, ?::text[])', [ticketId, pgArray(found)]);
}

/** A condition on `tickets.id` matching tickets that contain every word, for a WHERE clause. */
export function searchCondition(dialect: Sql['dialect'], found: readonly string[]): { sql: string; params: SqlValue[] } {
  if (dialect === 'sqlite') {
    // Each word quoted: FTS5 then reads it as a plain string, never as query syntax.
    const match = found.map((w) => `"${w.replace(/"/g, '""')}"`).join(' ');
    return { sql: 'id IN (SELECT ticket_id FROM ticket_search WHERE ticket_search MATCH ?)', params: [match] };
  }
  return { sql: 'id IN (SELECT ticket_id FROM ticket_search WHERE terms @> ?::text[])', params: [pgArray(found)] };
}

/** A PostgreSQL array literal, every element quoted (bound as one `?::text[]` parameter). */
export function pgArray(items: readonly string[]): string {
  return `{${items.map((i) => `"${i.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
