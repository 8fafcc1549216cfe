import { fromJson, iso, lockSuffix, toTs } from '../ticketing/db/codec.js';
import type { Sql } from '../ticketing/db/sql.js';
import { OPEN_STATUSES } from '../ticketing/types.js';

/** A ticket an automatic policy is placing: offered to `assignee` (none: nobody was available) until `dueAt`. */
export interface Offer {
  ticketId: string;
  team: string;
  assignee?: string;
  /** The `assigned` event that made the offer. */
  eventId?: number;
  /** Members who let this ticket's offer lapse since it came to the team. */
  passed: string[];
  dueAt: string;
}

export async function getOffer(q: Sql, ticketId: string): Promise<Offer | undefined> {
  const r = await q.get('SELECT * FROM assignment_offers WHERE ticket_id = ?', [ticketId]);
  if (!r) return undefined;
  return {
    ticketId,
    team: String(r.team),
    ...(r.assignee === null ? {} : { assignee: String(r.assignee) }),
    ...(r.event_id === null ? {} : { eventId: Number(r.event_id) }),
    passed: fromJson<string[]>(r.passed),
    dueAt: iso(r.due_at),
  };
}

export async function putOffer(tx: Sql, o: Offer): Promise<void> {
  await tx.run(
    `INSERT INTO assignment_offers (ticket_id, team, assignee, event_id, passed, due_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (ticket_id) DO UPDATE SET team = excluded.team, assignee = excluded.assignee, event_id = excluded.event_id,
       passed = excluded.passed, due_at = excluded.due_at`,
    [o.ticketId, o.team, o.assignee ?? null, o.eventId ?? null, JSON.stringify(o.passed), toTs(o.dueAt)],
  );
}

export async function dropOffer(tx: Sql, ticketId: string): Promise<void> {
  await tx.run('DELETE FROM assignment_offers WHERE ticket_id = ?', [ticketId]);
}

/** Offers due at `now`, oldest first: lapsed reservations and tickets that found nobody. */
export async function dueOffers(q: Sql, now: Date, limit: number): Promise<string[]> {
  const rows = await q.all<{ ticket_id: string }>('SELECT ticket_id FROM assignment_offers WHERE due_at <= ? ORDER BY due_at LIMIT ?', [toTs(now), limit]);
  return rows.map((r) => r.ticket_id);
}

/**
 * The team's last member in turn, its row held for the rest of the transaction (PostgreSQL), so two
 * processes placing two tickets of one team take turns one after the other.
 */
export async function lastInTurn(tx: Sql, team: string): Promise<string | undefined> {
  await tx.run('INSERT INTO assignment_turns (team, last_member) VALUES (?, NULL) ON CONFLICT (team) DO NOTHING', [team]);
  const r = await tx.get<{ last_member: string | null }>(`SELECT last_member FROM assignment_turns WHERE team = ?${lockSuffix(tx, 'FOR UPDATE')}`, [team]);
  return r?.last_member ?? undefined;
}

export async function setLastInTurn(tx: Sql, team: string, member: string): Promise<void> {
  await tx.run('UPDATE assignment_turns SET last_member = ? WHERE team = ?', [member, team]);
}

/** Open tickets held by each of these assignees (index tickets_assignee_status). */
export async function openLoads(q: Sql, assignees: readonly string[]): Promise<Map<string, number>> {
  const loads = new Map<string, number>();
  if (assignees.length === 0) return loads;
  const rows = await q.all<{ assignee: string; n: number | string }>(
    `SELECT assignee, COUNT(*) AS n FROM tickets WHERE assignee IN (${assignees.map(() => '?').join(', ')})
       AND status IN (${OPEN_STATUSES.map(() => '?').join(', ')}) GROUP BY assignee`,
    [...assignees, ...OPEN_STATUSES],
  );
  for (const r of rows) loads.set(r.assignee, Number(r.n));
  return loads;
}

/** Whether someone moved the ticket (claim, hand-off, resolution …) after the offer's event. */
export async function movedSince(q: Sql, ticketId: string, eventId: number): Promise<boolean> {
  const r = await q.get(
    `SELECT 1 AS moved FROM events WHERE ticket_id = ? AND id > ? AND type IN ('claimed', 'reassigned', 'escalated', 'reopened', 'resolved', 'closed', 'status_changed') LIMIT 1`,
    [ticketId, eventId],
  );
  return r !== undefined;
}
