import type { TicketDetail } from '../../ticketing/service-types.js';
import { TICKET_STATUSES, type TicketEvent, type TicketStatus } from '../../ticketing/types.js';

/** One line of a ticket's public history. Internal notes and routing details never appear here. */
export type PublicHistoryEntry =
  | { at: string; kind: 'created' }
  | { at: string; kind: 'status'; status: TicketStatus }
  | { at: string; kind: 'reply'; text: string };

/** What the requester sees of their ticket. */
export interface PublicTicketStatus {
  number: string;
  subject: string;
  status: TicketStatus;
  type: string;
  priority: string;
  team: string;
  teamName?: string;
  createdAt: string;
  respondBy: string;
  resolveBy: string;
  respondedAt?: string;
  resolvedAt?: string;
  history: PublicHistoryEntry[];
}

const HISTORY_LIMIT = 100;

const isStatus = (v: unknown): v is TicketStatus => typeof v === 'string' && (TICKET_STATUSES as readonly string[]).includes(v);

/** The status an event moved the ticket to, for the events that change it. */
function statusAfter(event: TicketEvent): TicketStatus | undefined {
  // Every lifecycle move (claim, pending, resolve, reopen …) records `{ from, to }` on its event.
  const { from, to } = event.data;
  if (isStatus(from) && isStatus(to)) return to;
  if (event.type === 'resolved') return 'resolved';
  if (event.type === 'closed') return 'closed';
  return undefined;
}

/** Emails match whatever their case; a requester without an email never matches. */
export function emailMatches(detail: TicketDetail, email: string): boolean {
  const stored = detail.requester.email?.trim().toLowerCase();
  return !!stored && stored === email.trim().toLowerCase();
}

/**
 * The requester's view of a ticket: its clocks and a history of status changes and replies to them,
 * oldest first. Pure, so it is tested on a ticket detail built in the test.
 */
export function publicStatus(detail: TicketDetail, teamNames: Record<string, string | undefined> = {}): PublicTicketStatus {
  const { ticket } = detail;
  const history: PublicHistoryEntry[] = [];
  let lastStatus: TicketStatus | undefined;
  for (const event of detail.events) {
    if (event.type === 'created') {
      history.push({ at: event.at, kind: 'created' });
      lastStatus = 'new';
      continue;
    }
    const status = statusAfter(event);
    // A move recorded twice (`resolved` and `status_changed`) shows once.
    if (status && status !== lastStatus) history.push({ at: event.at, kind: 'status', status });
    if (status) lastStatus = status;
  }
  for (const message of detail.messages) {
    if (message.direction === 'out' && !message.internal) history.push({ at: message.at, kind: 'reply', text: message.body });
  }
  history.sort((a, b) => a.at.localeCompare(b.at));
  const teamName = teamNames[ticket.team];
  return {
    number: ticket.number,
    subject: ticket.subject,
    status: ticket.status,
    type: ticket.type,
    priority: ticket.priority,
    team: ticket.team,
    ...(teamName ? { teamName } : {}),
    createdAt: ticket.createdAt,
    respondBy: ticket.respondBy,
    resolveBy: ticket.resolveBy,
    ...(ticket.respondedAt ? { respondedAt: ticket.respondedAt } : {}),
    ...(ticket.resolvedAt ? { resolvedAt: ticket.resolvedAt } : {}),
    history: history.slice(-HISTORY_LIMIT),
  };
}
