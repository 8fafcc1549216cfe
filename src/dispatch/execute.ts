import { PermanentJobError } from '../shared/errors.js';
import { withFields, type Logger } from '../shared/logger.js';
import type { OutboxPort, OutboxRow } from './outbox-port.js';
import type { HandlerRegistry } from './registry.js';
import { RetryLaterError, type Job, type JobOptions } from './types.js';

/** The part of an outbox row a runner needs to run it; the BullMQ relay carries exactly this to workers. */
export type RunnableJob = Pick<OutboxRow, 'id' | 'type' | 'key' | 'ticketId' | 'eventId' | 'payload' | 'attempts'>;

export type JobOutcome = { kind: 'done' } | { kind: 'retry'; runAt: Date; error: string } | { kind: 'failed'; error: string };

/** Backoff never waits longer than this, however many tries came before. */
const MAX_BACKOFF_MS = 60 * 60 * 1000;
const MAX_ERROR_CHARS = 500;

/**
 * What happens after a failed try: kept as failed when the error says retrying cannot help or the tries
 * are used up; otherwise pending again after the error's own delay (429 Retry-After) or an exponential
 * backoff. `attempt` is the try that just failed, counted from 1.
 */
export function afterFailure(err: unknown, attempt: number, opts: Required<JobOptions>, now = new Date()): JobOutcome {
  const error = describe(err);
  if (err instanceof PermanentJobError || attempt >= opts.attempts) return { kind: 'failed', error };
  const delay = err instanceof RetryLaterError
    ? Math.max(0, err.retryAfterMs)
    : Math.min(MAX_BACKOFF_MS, opts.backoffMs * 2 ** (attempt - 1));
  return { kind: 'retry', runAt: new Date(now.getTime() + delay), error };
}

export function toJob(row: RunnableJob): Job {
  return { id: row.id, type: row.type, key: row.key, ticketId: row.ticketId, eventId: row.eventId, payload: row.payload, attempt: row.attempts + 1 };
}

/**
 * Runs one job and writes its outcome to the outbox (done, pending again, or failed). Both runners use
 * it, so the retry policy is the same embedded and on BullMQ. Handler errors never escape; an error
 * writing the outcome does, and the job then runs again when its lease expires (handlers are idempotent).
 */
export async function executeJob(deps: { outbox: OutboxPort; registry: HandlerRegistry; logger: Logger }, row: RunnableJob): Promise<JobOutcome> {
  const job = toJob(row);
  const log = withFields(deps.logger, { jobId: job.id, jobType: job.type, ticketId: job.ticketId, attempt: job.attempt });
  const registered = deps.registry.get(job.type);
  let outcome: JobOutcome;
  if (!registered) {
    outcome = { kind: 'failed', error: `no handler registered for job type ${job.type}` };
  } else {
    const started = performance.now();
    try {
      await registered.handler(job);
      outcome = { kind: 'done' };
    } catch (err) {
      outcome = afterFailure(err, job.attempt, registered.options);
    }
    log.debug({ ms: Math.round(performance.now() - started), outcome: outcome.kind }, 'job ran');
  }
  switch (outcome.kind) {
    case 'done':
      await deps.outbox.markDone(job.id);
      break;
    case 'retry':
      await deps.outbox.markRetry(job.id, outcome.error, outcome.runAt);
      log.warn({ err: outcome.error, runAt: outcome.runAt.toISOString() }, 'job failed, will retry');
      break;
    case 'failed':
      await deps.outbox.markFailed(job.id, outcome.error);
      log.error({ err: outcome.error }, 'job failed for good; kept for an admin to retry');
      break;
  }
  return outcome;
}

/** Orders jobs as their events happened, so one ticket's jobs run in event order. */
export function byEventOrder(a: RunnableJob, b: RunnableJob): number {
  return a.eventId - b.eventId || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
}
