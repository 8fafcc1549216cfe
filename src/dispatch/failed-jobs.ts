import { notFound } from '../shared/errors.js';
import type { OutboxPort, OutboxRow } from './outbox-port.js';

/** A failed job as an admin sees it at GET /api/v1/admin/failed-jobs: no payload, which may hold personal data. */
export interface FailedJobView {
  id: string;
  type: string;
  key: string;
  ticketId: string;
  eventId: number;
  attempts: number;
  lastError?: string;
  createdAt: string;
}

export interface FailedJobs {
  list(limit?: number): Promise<FailedJobView[]>;
  /** Back to pending with its tries reset, and dispatch woken so it runs now; SpocError not_found (404) otherwise. */
  retry(id: string): Promise<void>;
}

/** `wake` is the running dispatcher's kick: the in-process runner's or the BullMQ relay's. */
export function createFailedJobs(deps: { outbox: OutboxPort; wake: () => void }): FailedJobs {
  return {
    async list(limit = 100) {
      return (await deps.outbox.listFailed(limit)).map(view);
    },
    async retry(id) {
      if (!(await deps.outbox.retryFailed(id))) throw notFound('failed job', id);
      deps.wake();
    },
  };
}

function view(row: OutboxRow): FailedJobView {
  return {
    id: row.id, type: row.type, key: row.key, ticketId: row.ticketId, eventId: row.eventId,
    attempts: row.attempts, ...(row.lastError ? { lastError: row.lastError } : {}), createdAt: row.createdAt,
  };
}
