import type { Sql } from '../ticketing/db/sql.js';
import type { TicketFact } from './facts.js';
import { queueLink } from './links.js';
import type { ReportQuery } from './query.js';
import { marks } from './sql.js';
import { countBy } from './stats.js';

export interface RecurringReport {
  topCategories: Array<{ key: string; tickets: number; link: string }>;
  topServices: Array<{ key: string; tickets: number; link: string }>;
  /** Requesters with more than `minTickets` tickets in the range: a problem that keeps coming back. */
  minTickets: number;
  requesters: Array<{ id: string; name: string | null; email: string | null; tickets: number; link: string }>;
}

export async function recurringReport(q: Sql, facts: readonly TicketFact[], query: ReportQuery): Promise<RecurringReport> {
  const top = (key: 'category' | 'service') =>
    countBy(facts, (f) => f[key] ?? undefined)
      .slice(0, query.limit)
      .map(([k, tickets]) => ({ key: k, tickets, link: queueLink(query, { [key]: k }) }));
  const frequent = countBy(facts, (f) => f.requesterId).filter(([, n]) => n > query.minTickets).slice(0, query.limit);
  const ids = frequent.map(([id]) => id);
  const people = ids.length
    ? await q.all<{ id: string; name: string | null; email: string | null }>(`SELECT id, name, email FROM requesters WHERE id IN (${marks(ids)})`, ids)
    : [];
  const byId = new Map(people.map((p) => [p.id, p]));
  return {
    topCategories: top('category'),
    topServices: top('service'),
    minTickets: query.minTickets,
    requesters: frequent.map(([id, tickets]) => ({
      id,
      name: byId.get(id)?.name ?? null,
      email: byId.get(id)?.email ?? null,
      tickets,
      link: queueLink(query, { requester: id }),
    })),
  };
}
