import { iso, toTs } from '../ticketing/db/codec.js';
import type { Sql } from '../ticketing/index.js';
import { OPEN_STATUSES } from '../ticketing/types.js';

/** A major incident as its tables hold it: the parent ticket and the service it is about. */
export interface IncidentRow {
  ticketId: string;
  number: string;
  service?: string;
  subject: string;
  status: string;
  declaredAt: string;
}

export interface ChildRow {
  childId: string;
  number: string;
  reason: string;
  linkedAt: string;
}

const OPEN = OPEN_STATUSES.map(() => '?').join(', ');

function toIncident(r: Record<string, unknown>): IncidentRow {
  return {
    ticketId: String(r.ticket_id),
    number: String(r.number),
    ...(r.service ? { service: String(r.service) } : {}),
    subject: String(r.subject),
    status: String(r.status),
    declaredAt: iso(r.declared_at),
  };
}

const INCIDENT_SELECT = 'SELECT i.ticket_id, i.service, i.declared_at, t.number, t.subject, t.status FROM incidents i JOIN tickets t ON t.id = i.ticket_id';

export async function insertIncident(tx: Sql, row: { ticketId: string; service?: string; declaredBy: string; reason: string; at: Date }): Promise<void> {
  await tx.run('INSERT INTO incidents (ticket_id, service, declared_by, reason, declared_at) VALUES (?, ?, ?, ?, ?)', [
    row.ticketId,
    row.service ?? null,
    row.declaredBy,
    row.reason,
    toTs(row.at),
  ]);
}

/** The open major incident about a service, if any (the newest when several were declared by hand). */
export async function openIncidentFor(q: Sql, service: string): Promise<IncidentRow | undefined> {
  const row = await q.get(`${INCIDENT_SELECT} WHERE i.service = ? AND t.status IN (${OPEN}) ORDER BY i.declared_at DESC LIMIT 1`, [service, ...OPEN_STATUSES]);
  return row ? toIncident(row) : undefined;
}

export async function incidentOf(q: Sql, ticketId: string): Promise<IncidentRow | undefined> {
  const row = await q.get(`${INCIDENT_SELECT} WHERE i.ticket_id = ?`, [ticketId]);
  return row ? toIncident(row) : undefined;
}

/** Every open major incident, newest first (the portal's banner). */
export async function openIncidents(q: Sql): Promise<IncidentRow[]> {
  return (await q.all(`${INCIDENT_SELECT} WHERE t.status IN (${OPEN}) ORDER BY i.declared_at DESC`, [...OPEN_STATUSES])).map(toIncident);
}

/** The parent's number of a child, if it has one. */
export async function parentOf(q: Sql, childId: string): Promise<{ parentId: string; number: string } | undefined> {
  const row = await q.get<{ parent_id: string; number: string }>(
    'SELECT c.parent_id, t.number FROM incident_children c JOIN tickets t ON t.id = c.parent_id WHERE c.child_id = ?',
    [childId],
  );
  return row ? { parentId: row.parent_id, number: row.number } : undefined;
}

export async function childrenOf(q: Sql, parentId: string): Promise<ChildRow[]> {
  const rows = await q.all(
    'SELECT c.child_id, c.reason, c.linked_at, t.number FROM incident_children c JOIN tickets t ON t.id = c.child_id WHERE c.parent_id = ? ORDER BY c.linked_at, t.number',
    [parentId],
  );
  return rows.map((r) => ({ childId: String(r.child_id), number: String(r.number), reason: String(r.reason), linkedAt: iso(r.linked_at) }));
}

/** False when the ticket is some incident's child already (a child has one parent). */
export async function insertChild(tx: Sql, row: { parentId: string; childId: string; reason: string; linkedBy: string; at: Date }): Promise<boolean> {
  const changed = await tx.run(
    'INSERT INTO incident_children (child_id, parent_id, reason, linked_by, linked_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (child_id) DO NOTHING',
    [row.childId, row.parentId, row.reason, row.linkedBy, toTs(row.at)],
  );
  return changed === 1;
}

export async function deleteChild(tx: Sql, parentId: string, childId: string): Promise<boolean> {
  return (await tx.run('DELETE FROM incident_children WHERE parent_id = ? AND child_id = ?', [parentId, childId])) === 1;
}

/**
 * Holds the service's storm row until the transaction ends (PostgreSQL's row lock; SQLite's write
 * transaction holds everything already), so contacts about one service are counted one after another.
 */
export async function lockStorm(tx: Sql, service: string, at: Date): Promise<void> {
  await tx.run('INSERT INTO incident_storms (service, touched_at) VALUES (?, ?) ON CONFLICT (service) DO UPDATE SET touched_at = excluded.touched_at', [service, toTs(at)]);
}

/** Open fault tickets about a service since `since` that are neither an incident nor any incident's child. */
export async function unlinkedSince(q: Sql, service: string, type: string, since: Date): Promise<Array<{ id: string; number: string }>> {
  return q.all<{ id: string; number: string }>(
    `SELECT t.id, t.number FROM tickets t
      WHERE t.service = ? AND t.created_at >= ? AND t.type = ? AND t.status IN (${OPEN})
        AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.ticket_id = t.id)
        AND NOT EXISTS (SELECT 1 FROM incident_children c WHERE c.child_id = t.id)
      ORDER BY t.created_at, t.number`,
    [service, toTs(since), type, ...OPEN_STATUSES],
  );
}

/**
 * Claims an effect in the caller's transaction: true the first time a key is seen. A job that writes
 * ticket events claims its key with them, so a retry after the commit writes nothing twice.
 */
export async function claimEffect(tx: Sql, key: string, data: Record<string, unknown>, at: Date): Promise<boolean> {
  const changed = await tx.run('INSERT INTO effects (key, data, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING', [key, JSON.stringify(data), toTs(at)]);
  return changed === 1;
}
