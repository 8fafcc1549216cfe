import type { TicketEventType } from '../ticketing/types.js';
import { LAPSED_CAUSE } from '../assignment/assigner.js';

/**
 * Which ticket events each report reads, in one place: the loop's work (issue 15) adds events such as
 * `assigned`, `survey_sent` and `closed`, and their names are aligned here alone.
 */
export const REPORT_EVENTS = {
  /** A ticket exists from this event: its time places the ticket in a report's range. */
  created: 'created',
  /** A later contact from the requester on an existing ticket. */
  contact: ['replied_in'],
  /** The first of these answers the requester: the respond clock stops. */
  response: ['replied_out'],
  resolution: ['resolved'],
  /** Undoes a resolution: a ticket resolved and then reopened is open again. */
  reopening: ['reopened'],
  /** Passed to another team or person at the same tier: what 推诿 counts. */
  reassignment: ['reassigned'],
  /** Moved up a tier. */
  escalation: ['escalated'],
  surveyed: 'survey_sent',
  rated: 'rated',
} as const satisfies Record<string, TicketEventType | readonly TicketEventType[]>;

/**
 * An automatic offer that lapsed and passed the ticket to the next agent: an `assigned` event with this
 * `cause`, counted with `reassignment` (the ticket changed hands without anyone taking it).
 */
export const LAPSED_OFFER = { type: 'assigned', cause: LAPSED_CAUSE } as const satisfies { type: TicketEventType; cause: string };

/** The ticket type complaints are filed under (gateway.yaml `types`). */
export const COMPLAINT_TYPE = 'complaint';
/** The tier whose own resolutions count as first-contact resolution. */
export const FIRST_LINE_TIER = 'L1';

/** Scores of 4 and 5 count as satisfied; 2 and below are listed for follow-up. */
export const SATISFIED_FROM = 4;
export const LOW_SCORE_UP_TO = 2;
