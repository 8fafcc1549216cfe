import { addBusinessMinutes, businessMinutesBetween, type BusinessCalendar } from '../router/calendar.js';
import { assertTransition } from './lifecycle.js';
import type { Ticket, TicketStatus } from './types.js';

export interface Transitioned {
  ticket: Ticket;
  /** What the event recording the move carries: from, to and, on resume, how the resolve clock moved. */
  data: Record<string, unknown>;
}

/**
 * A status change with its SLA clock effects. Entering `pending` pauses the resolve clock; leaving it
 * pushes resolveBy later by the business minutes spent paused, on the ticket's own calendar (wall-clock
 * minutes when that calendar is no longer configured).
 */
export function transition(ticket: Ticket, to: TicketStatus, now: Date, calendar: BusinessCalendar | undefined): Transitioned {
  assertTransition(ticket.status, to, ticket.number);
  const at = now.toISOString();
  const next: Ticket = { ...ticket, status: to, updatedAt: at };
  const data: Record<string, unknown> = { from: ticket.status, to };
  if (to === 'pending') next.slaPausedAt = at;
  else if (ticket.slaPausedAt) {
    const paused = new Date(ticket.slaPausedAt);
    const minutes = calendar ? businessMinutesBetween(calendar, paused, now) : Math.max(0, (now.getTime() - paused.getTime()) / 60_000);
    const resolveBy = new Date(ticket.resolveBy);
    // Zero minutes must not move a due time that falls outside business hours to the next opening.
    if (minutes > 0) {
      const later = calendar ? addBusinessMinutes(calendar, resolveBy, minutes) : new Date(resolveBy.getTime() + minutes * 60_000);
      next.resolveBy = later.toISOString();
    }
    next.slaPausedAt = undefined;
    data.pausedMinutes = Math.round(minutes * 100) / 100;
    data.resolveBy = next.resolveBy;
  }
  return { ticket: next, data };
}
