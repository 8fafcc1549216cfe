import type { Sql } from '../ticketing/db/sql.js';
import { iso } from '../ticketing/db/codec.js';
import { LAPSED_OFFER, REPORT_EVENTS } from './event-names.js';
import { filterSql, type ReportQuery } from './query.js';
import { isoOrNull, jsonText, num, typeIn } from './sql.js';

/**
 * One ticket created in a report's range, as its event history tells it: when it was created,
 * first answered and finally resolved, and how often it changed hands. Dimensions (team, type …) and
 * due times are the ticket's current ones.
 */
export interface TicketFact {
  id: string;
  number: string;
  subject: string;
  type: string;
  category: string;
  service: string | null;
  priority: string;
  tier: string;
  team: string;
  channel: string;
  status: string;
  requesterId: string;
  createdAt: string;
  respondBy: string;
  resolveBy: string;
  respondedAt: string | null;
  /** The last resolution, unless a reopening came after it. */
  resolvedAt: string | null;
  reassignments: number;
  escalations: number;
}

const E = REPORT_EVENTS;

/**
 * The facts of every ticket created in [from, to) that matches the filter, in one pass over their
 * events: the `created` events of the range come from their own index, each ticket's events from
 * (ticket_id, id).
 */
export async function ticketFacts(q: Sql, query: ReportQuery): Promise<TicketFact[]> {
  const f = filterSql(query.filter);
  const rows = await q.all(
    `SELECT t.id, t.number, t.subject, t.type, t.category, t.service, t.priority, t.tier, t.team, t.channel, t.status,
            t.requester_id, c.at AS created_at, t.respond_by, t.resolve_by,
            MIN(CASE WHEN e.type ${typeIn(E.response)} THEN e.at END) AS responded_at,
            MAX(CASE WHEN e.type ${typeIn(E.resolution)} THEN e.at END) AS resolved_at,
            MAX(CASE WHEN e.type ${typeIn(E.reopening)} THEN e.at END) AS reopened_at,
            SUM(CASE WHEN e.type ${typeIn(E.reassignment)}
                       OR (e.type ${typeIn(LAPSED_OFFER.type)} AND ${jsonText(q.dialect, 'e.data', 'cause')} = '${LAPSED_OFFER.cause}') THEN 1 ELSE 0 END) AS reassignments,
            SUM(CASE WHEN e.type ${typeIn(E.escalation)} THEN 1 ELSE 0 END) AS escalations
       FROM events c
       JOIN tickets t ON t.id = c.ticket_id
       JOIN events e ON e.ticket_id = c.ticket_id
      WHERE c.type ${typeIn(E.created)} AND c.at >= ? AND c.at < ?${f.where}
      GROUP BY t.id, c.at
      ORDER BY c.at, t.number`,
    [query.from.toISOString(), query.to.toISOString(), ...f.params],
  );
  return rows.map((r) => {
    const resolved = isoOrNull(r.resolved_at);
    const reopened = isoOrNull(r.reopened_at);
    return {
      id: String(r.id),
      number: String(r.number),
      subject: String(r.subject),
      type: String(r.type),
      category: String(r.category),
      service: r.service === null ? null : String(r.service),
      priority: String(r.priority),
      tier: String(r.tier),
      team: String(r.team),
      channel: String(r.channel),
      status: String(r.status),
      requesterId: String(r.requester_id),
      createdAt: iso(r.created_at),
      respondBy: iso(r.respond_by),
      resolveBy: iso(r.resolve_by),
      respondedAt: isoOrNull(r.responded_at),
      resolvedAt: resolved && (!reopened || reopened < resolved) ? resolved : null,
      reassignments: num(r.reassignments),
      escalations: num(r.escalations),
    };
  });
}
