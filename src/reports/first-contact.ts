import { FIRST_LINE_TIER } from './event-names.js';
import type { TicketFact } from './facts.js';
import { queueLink } from './links.js';
import type { ReportQuery } from './query.js';
import { percent } from './stats.js';

export interface FirstContactReport {
  /** Tickets of the range resolved (and not reopened since). */
  resolved: number;
  /** Of those, resolved by the first line without an escalation or a reassignment. */
  firstContact: number;
  percent: number | null;
  links: { resolved: string; firstContact: string };
}

export const isFirstContact = (f: TicketFact): boolean =>
  f.resolvedAt !== null && f.tier === FIRST_LINE_TIER && f.escalations === 0 && f.reassignments === 0;

export function firstContactReport(facts: readonly TicketFact[], query: ReportQuery): FirstContactReport {
  const resolved = facts.filter((f) => f.resolvedAt !== null).length;
  const firstContact = facts.filter(isFirstContact).length;
  return {
    resolved,
    firstContact,
    percent: percent(firstContact, resolved),
    links: { resolved: queueLink(query, { status: 'resolved,closed' }), firstContact: queueLink(query, { status: 'resolved,closed', fcr: 1 }) },
  };
}
