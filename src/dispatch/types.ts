import type { Channel } from '../intake/record.js';
import type { TicketEventType, TicketStatus } from '../ticketing/types.js';

/**
 * An outbox job as a handler sees it. Jobs are written in the same transaction as the ticket event that
 * causes them and run at least once: `key` (`<type>:<eventId>`) is the idempotency key a handler uses so
 * its effect is recorded exactly once.
 */
export interface Job {
  id: string;
  type: string;
  key: string;
  ticketId: string;
  eventId: number;
  payload: Record<string, unknown>;
  attempt: number;
}

export type JobHandler = (job: Job) => Promise<void>;

export interface JobOptions {
  /** Tries before the job is kept as failed (visible at GET /api/v1/admin/failed-jobs). Default 8. */
  attempts?: number;
  /** First backoff delay; doubled each try. Default 1000 ms. */
  backoffMs?: number;
}

/** Which ticket events create a job of a type: e.g. email.ack on `created` for tickets whose channel is email. */
export interface Subscription {
  jobType: string;
  events: TicketEventType[];
  /** Only tickets that came in on these channels (the requester's channel); all when absent. */
  channels?: Channel[];
  /** Only events that moved the ticket to one of these statuses (their `to`); all when absent. */
  statuses?: readonly TicketStatus[];
  /** Runs this long after the event instead of at once (the satisfaction survey's delay). */
  delayMs?: number;
}

/**
 * The registry channels and notifiers plug into at start-up, before intake opens. The same handlers
 * run in-process (embedded) and in `spoc worker` processes (BullMQ).
 */
export interface DispatchRegistry {
  register(jobType: string, handler: JobHandler, opts?: JobOptions): void;
  subscribe(sub: Subscription): void;
}

/** A retryable failure that names its own delay, e.g. Slack's or Twilio's 429 Retry-After. */
export class RetryLaterError extends Error {
  constructor(message: string, readonly retryAfterMs: number) {
    super(message);
    this.name = 'RetryLaterError';
  }
}
