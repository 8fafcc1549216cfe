import type { Channel } from '../intake/record.js';
import type { Level, Priority, Tier } from '../router/types.js';
import { fromJson, iso, isoOrUndefined, lockSuffix, orUndefined, toTs, tsOrNull } from './db/codec.js';
import type { Row, Sql, SqlValue } from './db/sql.js';
import type { TicketFilter } from './service-types.js';
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

/** The columns an update may change, in one place for insert and update. */
function mutable(t: Ticket): Record<string, SqlValue> {
  return {
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

/** Tickets matching a filter, newest first. Unknown statuses are ignored rather than matched. */
export async function listTickets(q: Sql, filter: TicketFilter): Promise<Ticket[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const statuses = (filter.status ?? []).filter((s) => (TICKET_STATUSES as readonly string[]).includes(s));
  if (filter.status && filter.status.length > 0) {
    if (statuses.length === 0) return [];
    where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
  }
  for (const [col, value] of [
    ['tier', filter.tier],
    ['team', filter.team],
    ['assignee', filter.assignee],
    ['requester_id', filter.requesterId],
  ] as const) {
    if (value === undefined) continue;
    where.push(`${col} = ?`);
    params.push(value);
  }
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
  const rows = await q.all(
    `SELECT * FROM tickets${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, number DESC LIMIT ${limit}`,
    params,
  );
  return rows.map(toTicket);
}

/**
 * Open tickets with a clock due before `until`: the respond clock until the first response, the resolve
 * clock unless paused (pending).
 */
export async function ticketsWithClocksDue(q: Sql, until: string): Promise<Ticket[]> {
  const open = OPEN_STATUSES.map(() => '?').join(', ');
  const rows = await q.all(
    `SELECT * FROM tickets WHERE status IN (${open})
       AND ((responded_at IS NULL AND respond_by <= ?) OR (status <> 'pending' AND resolve_by <= ?))
     ORDER BY respond_by`,
    [...OPEN_STATUSES, toTs(until), toTs(until)],
  );
  return rows.map(toTicket);
}
