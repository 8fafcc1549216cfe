import { SpocError } from '../shared/errors.js';
import type { TicketStatus } from './types.js';

/**
 * The ticket lifecycle as a table: status → the statuses it may move to. `assigned` means with a team
 * (and perhaps a person) but not being worked; `in_progress` means an agent owns it and works it;
 * `pending` waits on the requester with the resolve clock paused. `assigned → assigned` is a move to
 * another team. Resolved and closed tickets reopen to `in_progress` (owner kept) or `assigned`.
 */
export const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['assigned', 'in_progress', 'pending', 'resolved'],
  assigned: ['assigned', 'in_progress', 'pending', 'resolved'],
  in_progress: ['assigned', 'pending', 'resolved'],
  pending: ['assigned', 'in_progress', 'resolved'],
  resolved: ['closed', 'in_progress', 'assigned'],
  closed: ['in_progress', 'assigned'],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws SpocError('invalid_transition', 409) naming both states. */
export function assertTransition(from: TicketStatus, to: TicketStatus, number?: string): void {
  if (canTransition(from, to)) return;
  const allowed = TRANSITIONS[from].join(', ') || 'nothing';
  throw new SpocError(
    'invalid_transition',
    `${number ? `${number}: ` : ''}cannot go from ${from} to ${to} (from ${from}: ${allowed})`,
    409,
    { from, to },
  );
}
