import type { TicketFact } from './facts.js';
import { queueLink, ticketLink } from './links.js';
import type { ReportQuery } from './query.js';
import { round1 } from './stats.js';

export interface Bounced {
  number: string;
  subject: string;
  team: string;
  reassignments: number;
  escalations: number;
  link: string;
}

export interface ReassignmentReport {
  tickets: number;
  total: number;
  /** Reassignments per ticket of the range. */
  perTicket: number | null;
  /** How many tickets were passed on 0, 1, 2 and 3 or more times. */
  distribution: Array<{ key: '0' | '1' | '2' | '3+'; tickets: number; link: string }>;
  /** The tickets passed around most (推诿), most first. */
  bounced: Bounced[];
}

export const BUCKETS = ['0', '1', '2', '3+'] as const;
export const bucketOf = (n: number) => BUCKETS[Math.min(n, 3)]!;

export function reassignmentReport(facts: readonly TicketFact[], query: ReportQuery): ReassignmentReport {
  const total = facts.reduce((n, f) => n + f.reassignments, 0);
  const distribution = BUCKETS.map((key) => ({
    key,
    tickets: facts.filter((f) => bucketOf(f.reassignments) === key).length,
    link: queueLink(query, { reassigned: key }),
  }));
  const bounced = facts
    .filter((f) => f.reassignments > 0)
    .sort((a, b) => b.reassignments - a.reassignments || b.escalations - a.escalations || a.number.localeCompare(b.number))
    .slice(0, query.limit)
    .map((f) => ({ number: f.number, subject: f.subject, team: f.team, reassignments: f.reassignments, escalations: f.escalations, link: ticketLink(f.number) }));
  return { tickets: facts.length, total, perTicket: facts.length ? round1(total / facts.length) : null, distribution, bounced };
}
