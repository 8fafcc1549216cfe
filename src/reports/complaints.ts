import { COMPLAINT_TYPE } from './event-names.js';
import type { TicketFact } from './facts.js';
import { queueLink, ticketLink } from './links.js';
import type { ReportQuery } from './query.js';

export interface ComplaintsReport {
  count: number;
  open: number;
  link: string;
  complaints: Array<{ number: string; subject: string; status: string; team: string; createdAt: string; link: string }>;
}

const CLOSED = new Set(['resolved', 'closed']);

export function complaintsReport(facts: readonly TicketFact[], query: ReportQuery): ComplaintsReport {
  const complaints = facts.filter((f) => f.type === COMPLAINT_TYPE);
  return {
    count: complaints.length,
    open: complaints.filter((f) => !CLOSED.has(f.status)).length,
    link: queueLink(query, { type: COMPLAINT_TYPE }),
    complaints: complaints.slice(0, query.limit).map((f) => ({
      number: f.number,
      subject: f.subject,
      status: f.status,
      team: f.team,
      createdAt: f.createdAt,
      link: ticketLink(f.number),
    })),
  };
}
