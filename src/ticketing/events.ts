import type { Subscription } from '../dispatch/types.js';
import { fromJson, iso, toTs } from './db/codec.js';
import type { Row, Sql } from './db/sql.js';
import { enqueueJobs } from './outbox.js';
import type { Ticket, TicketEvent, TicketEventType, TicketStatus } from './types.js';

/** What an outbox job carries: enough to log and route it; handlers read the ticket itself by `ticketId`. */
export interface EventJobPayload {
  event: TicketEventType;
  number: string;
  data: Record<string, unknown>;
}

/**
 * Appends a ticket's events and, in the same transaction, enqueues the jobs they trigger: one per
 * matching subscription, keyed `<jobType>:<eventId>` so a job is never enqueued twice.
 */
export interface EventLog {
  record(tx: Sql, ticket: Ticket, type: TicketEventType, actor: string, data?: Record<string, unknown>): Promise<TicketEvent>;
  /** A ticket's events in order, all or only those of some types. */
  list(q: Sql, ticketId: string, types?: readonly TicketEventType[]): Promise<TicketEvent[]>;
  /** The events of several tickets in one query, by ticket id. */
  listMany(q: Sql, ticketIds: readonly string[], types: readonly TicketEventType[]): Promise<Map<string, TicketEvent[]>>;
}

export interface EventLogDeps {
  /** Read at every event, so the dispatch registry's own list may be passed before it is filled. */
  subscriptions: readonly Subscription[];
  now: () => Date;
}

function toEvent(r: Row): TicketEvent {
  return {
    id: Number(r.id),
    ticketId: String(r.ticket_id),
    type: r.type as TicketEventType,
    at: iso(r.at),
    actor: String(r.actor),
    data: fromJson<Record<string, unknown>>(r.data),
  };
}

function matches(sub: Subscription, type: TicketEventType, ticket: Pick<Ticket, 'channel'>, data: Record<string, unknown>): boolean {
  if (!sub.events.includes(type) || (sub.channels && !sub.channels.includes(ticket.channel))) return false;
  return !sub.statuses || sub.statuses.includes(data.to as TicketStatus);
}

export function createEventLog(deps: EventLogDeps): EventLog {
  return {
    async record(tx, ticket, type, actor, data = {}) {
      const at = toTs(deps.now());
      // The caller holds the data already: only the id comes back, not the row to be parsed again.
      const row = await tx.get<{ id: number | string }>('INSERT INTO events (ticket_id, type, at, actor, data) VALUES (?, ?, ?, ?, ?) RETURNING id', [
        ticket.id,
        type,
        at,
        actor,
        JSON.stringify(data),
      ]);
      const event: TicketEvent = { id: Number(row!.id), ticketId: ticket.id, type, at: iso(at), actor, data };
      const payload: EventJobPayload = { event: type, number: ticket.number, data };
      await enqueueJobs(
        tx,
        deps.subscriptions
          .filter((sub) => matches(sub, type, ticket, data))
          .map((sub) => ({
            type: sub.jobType,
            key: `${sub.jobType}:${event.id}`,
            ticketId: ticket.id,
            eventId: event.id,
            payload: payload as unknown as Record<string, unknown>,
            runAt: sub.delayMs ? toTs(new Date(deps.now().getTime() + sub.delayMs)) : at,
          })),
      );
      return event;
    },
    async list(q, ticketId, types) {
      const only = types ? ` AND type IN (${types.map(() => '?').join(', ')})` : '';
      const rows = await q.all(`SELECT * FROM events WHERE ticket_id = ?${only} ORDER BY id`, [ticketId, ...(types ?? [])]);
      return rows.map(toEvent);
    },
    async listMany(q, ticketIds, types) {
      const byTicket = new Map<string, TicketEvent[]>();
      // Chunks keep the statement under SQLite's bound-parameter limit.
      for (let i = 0; i < ticketIds.length; i += 500) {
        const ids = ticketIds.slice(i, i + 500);
        const rows = await q.all(
          `SELECT * FROM events WHERE ticket_id IN (${ids.map(() => '?').join(', ')}) AND type IN (${types.map(() => '?').join(', ')}) ORDER BY id`,
          [...ids, ...types],
        );
        for (const e of rows.map(toEvent)) byTicket.set(e.ticketId, [...(byTicket.get(e.ticketId) ?? []), e]);
      }
      return byTicket;
    },
  };
}
