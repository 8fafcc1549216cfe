import type { Channel } from '../intake/record.js';
import type { Level, Priority, Tier } from '../router/types.js';
import { fromJson, iso, isoOrUndefined, lockSuffix, orUndefined, toTs, tsOrNull } from './db/codec.js';
import type { Row, Sql, SqlValue } from './db/sql.js';
import type { TicketFilter, TicketPage } from './service-types.js';
import { SpocError } from '../shared/errors.js';
import { queryWords, searchCondition } from './search.js';
import { OPEN_STATUSES, TICKET_STATUSES, type Ticket, type TicketStatus } from './types.js';

/** Statuses in which a ticket still needs work (and its SLA clocks run). */

function toTicket(r: Row): Ticket {
  return {
    id: String(r.id),
    number: String(r.number),
    type: String(r.type),
    category: String(r.category),
    service: orUndefined(r.service as string | null),
    impact: r.impact as Level,
    urgency: r.urgency as Level,
    priority: r.priority as Priority,
    tier: r.tier as Tier,
    team: String(r.team),
    status: r.status as TicketStatus,
    subject: String(r.subject),
    channel: r.channel as Channel,
    requesterId: String(r.requester_id),
    assignee: orUndefined(r.assignee as string | null),
    slaPolicy: String(r.sla_policy),
    calendar: String(r.calendar),
    respondBy: iso(r.respond_by),
    resolveBy: iso(r.resolve_by),
    respondedAt: isoOrUndefined(r.responded_at),
    resolvedAt: isoOrUndefined(r.resolved_at),
    closedAt: isoOrUndefined(r.closed_at),
    slaPausedAt: isoOrUndefined(r.sla_paused_at),
    tags: fromJson<string[]>(r.tags),
    language: orUndefined(r.language as 'zh' | 'en' | null),
    reason: String(r.reason),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/**
 * What every insert and update writes to `sla_next_at`: "look at this ticket again". The sweeper then
 * sets the instant of its next SLA step (or NULL), so a change to a clock is never missed.
 */
export const SLA_LOOK_AGAIN = '1970-01-01T00:00:00.000Z';

/** The columns an update may change, in one place for insert and update. */
function mutable(t: Ticket): Record<string, SqlValue> {
  return {
    sla_next_at: SLA_LOOK_AGAIN,
    type: t.type,
    category: t.category,
    service: t.service ?? null,
    impact: t.impact,
    urgency: t.urgency,
    priority: t.priority,
    tier: t.tier,
    team: t.team,
    status: t.status,
    subject: t.subject,
    assignee: t.assignee ?? null,
    sla_policy: t.slaPolicy,
    calendar: t.calendar,
    respond_by: toTs(t.respondBy),
    resolve_by: toTs(t.resolveBy),
    responded_at: tsOrNull(t.respondedAt),
    resolved_at: tsOrNull(t.resolvedAt),
    closed_at: tsOrNull(t.closedAt),
    sla_paused_at: tsOrNull(t.slaPausedAt),
    tags: JSON.stringify(t.tags),
    language: t.language ?? null,
    reason: t.reason,
    updated_at: toTs(t.updatedAt),
  };
}

export async function insertTicket(tx: Sql, t: Ticket): Promise<void> {
  const cols: Record<string, SqlValue> = {
    id: t.id,
    number: t.number,
    channel: t.channel,
    requester_id: t.requesterId,
    created_at: toTs(t.createdAt),
    ...mutable(t),
  };
  const names = Object.keys(cols);
  await tx.run(
    `INSERT INTO tickets (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    Object.values(cols),
  );
}

export async function updateTicket(tx: Sql, t: Ticket): Promise<void> {
  const cols = mutable(t);
  await tx.run(`UPDATE tickets SET ${Object.keys(cols).map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [
    ...Object.values(cols),
    t.id,
  ]);
}

/** One ticket by id or number; `forUpdate` holds its row until the transaction ends (PostgreSQL). */
export async function findTicket(
  q: Sql,
  by: { id: string } | { number: string },
  opts: { forUpdate?: boolean } = {},
): Promise<Ticket | undefined> {
  const [col, value] = 'id' in by ? ['id', by.id] : ['number', by.number];
  const lock = opts.forUpdate ? lockSuffix(q, 'FOR UPDATE') : '';
  const row = await q.get(`SELECT * FROM tickets WHERE ${col} = ?${lock}`, [value]);
  return row ? toTicket(row) : undefined;
}

const SORTS = {
  created: { column: 'created_at', dir: 'DESC', cmp: '<' },
  due: { column: 'resolve_by', dir: 'ASC', cmp: '>' },
} as const;

/** An opaque position in a listing: the sort value and id of the last ticket of a page. */
const encodeCursor = (value: string, id: string) => Buffer.from(JSON.stringify([value, id])).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string')) return parsed as [string, string];
  } catch {
    // Falls through to the coded error.
  }
  throw new SpocError('bad_cursor', 'cursor is not one this listing gave out', 400);
}

/**
 * Tickets matching a filter, a page at a time with keyset paging (each page starts after the last one's
 * sort value and id, so paging deep costs what the first page costs). Every filter is a column an index
 * of migration 7 leads with, or the search index. Unknown statuses are ignored rather than matched.
 */
export async function listTicketsPage(q: Sql, filter: TicketFilter, now: Date, riskWithinMs = 3_600_000): Promise<TicketPage> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const inList = (col: string, values: readonly string[]) => {
    where.push(`${col} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  const statuses = (filter.status ?? []).filter((s) => (TICKET_STATUSES as readonly string[]).includes(s));
  if (filter.status && filter.status.length > 0) {
    if (statuses.length === 0) return { tickets: [] };
    inList('status', statuses);
  }
  for (const [col, value] of [
    ['tier', filter.tier],
    ['team', filter.team],
    ['channel', filter.channel],
    ['requester_id', filter.requesterId],
  ] as const) {
    if (value === undefined) continue;
    where.push(`${col} = ?`);
    params.push(value);
  }
  if (filter.assignee !== undefined) inList('assignee', typeof filter.assignee === 'string' ? [filter.assignee] : filter.assignee);
  if (filter.priority?.length) inList('priority', filter.priority);
  if (filter.requester) {
    const who = filter.requester.trim();
    where.push(`(requester_id = ? OR requester_id IN (SELECT requester_id FROM requester_identities WHERE kind IN ('email', 'phone', 'slack') AND value IN (?, ?)))`);
    params.push(who, who, who.toLowerCase());
  }
  if (filter.sla) {
    const at = toTs(now);
    const soon = toTs(new Date(now.getTime() + riskWithinMs));
    const open = OPEN_STATUSES.map(() => '?').join(', ');
    const due = (limit: string) => `((responded_at IS NULL AND respond_by <= ${limit}) OR (status <> 'pending' AND resolve_by <= ${limit}))`;
    if (filter.sla === 'breached') {
      where.push(`status IN (${open}) AND ${due('?')}`);
      params.push(...OPEN_STATUSES, at, at);
    } else {
      where.push(`status IN (${open}) AND ${due('?')} AND NOT ${due('?')}`);
      params.push(...OPEN_STATUSES, soon, soon, at, at);
    }
  }
  if (filter.q !== undefined) {
    const found = queryWords(filter.q);
    if (found.length === 0) return { tickets: [] };
    const cond = searchCondition(q.dialect, found);
    where.push(cond.sql);
    params.push(...cond.params);
  }
  const sort = SORTS[filter.sort ?? 'created'];
  if (filter.cursor) {
    const [value, id] = decodeCursor(filter.cursor);
    // The first term bounds the index range; the second breaks ties on the id.
    where.push(`${sort.column} ${sort.cmp}= ? AND (${sort.column} ${sort.cmp} ? OR id ${sort.cmp} ?)`);
    params.push(value, value, id);
  }
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
  const rows = await q.all(
    `SELECT * FROM tickets${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${sort.column} ${sort.dir}, id ${sort.dir} LIMIT ${limit + 1}`,
    params,
  );
  const tickets = rows.slice(0, limit).map(toTicket);
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return { tickets, nextCursor: last ? encodeCursor(toTs(iso(last[sort.column])), String(last.id)) : undefined };
}

/**
 * Tickets whose next SLA step is due by `now` (or that changed since the sweeper last looked), soonest
 * first, locked for the transaction; on PostgreSQL another sweeper's locked rows are skipped, not waited for.
 */
export async function ticketsWithSlaDue(tx: Sql, now: Date, limit: number): Promise<Ticket[]> {
  const rows = await tx.all(`SELECT * FROM tickets WHERE sla_next_at <= ? ORDER BY sla_next_at LIMIT ${limit}${lockSuffix(tx, 'FOR UPDATE SKIP LOCKED')}`, [toTs(now)]);
  return rows.map(toTicket);
}

/** Where the sweeper leaves a ticket: the instant of its next step, or NULL (out of the index) when none is left. */
export async function setSlaNextAt(tx: Sql, ticketIds: readonly string[], at: string | undefined): Promise<void> {
  for (let i = 0; i < ticketIds.length; i += 500) {
    const ids = ticketIds.slice(i, i + 500);
    await tx.run(`UPDATE tickets SET sla_next_at = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, [tsOrNull(at), ...ids]);
  }
}

/** Resolved tickets whose resolution is at or before `cutoff`, oldest first (the auto-close sweep's candidates). */
export async function ticketsResolvedBefore(q: Sql, cutoff: string): Promise<Ticket[]> {
  const rows = await q.all(`SELECT * FROM tickets WHERE status = 'resolved' AND resolved_at <= ? ORDER BY resolved_at`, [toTs(cutoff)]);
  return rows.map(toTicket);
}

/** The requester's messages (`replied_in` events) on these tickets, by ticket id: the auto-close sweep looks for objections among them. */
export async function repliesInOf(q: Sql, ticketIds: readonly string[]): Promise<Map<string, Array<{ type: 'replied_in'; at: string; data: Record<string, unknown> }>>> {
  const out = new Map<string, Array<{ type: 'replied_in'; at: string; data: Record<string, unknown> }>>();
  // In slices, so a long holiday's backlog never builds one statement past the dialects' parameter limits.
  for (let i = 0; i < ticketIds.length; i += 500) {
    const ids = ticketIds.slice(i, i + 500);
    const rows = await q.all(`SELECT ticket_id, at, data FROM events WHERE type = 'replied_in' AND ticket_id IN (${ids.map(() => '?').join(', ')})`, ids);
    for (const r of rows) {
      const id = String(r.ticket_id);
      out.set(id, [...(out.get(id) ?? []), { type: 'replied_in', at: iso(r.at), data: fromJson<Record<string, unknown>>(r.data) }]);
    }
  }
  return out;
}
