import type { Job } from './types.js';

export type OutboxStatus = 'pending' | 'relayed' | 'done' | 'failed';

export interface OutboxRow extends Job {
  status: OutboxStatus;
  attempts: number;
  lastError?: string;
  createdAt: string;
  /** When a pending job may next run (backoff). */
  runAt: string;
}

/**
 * What dispatch needs from the store. Both stores (SQLite, PostgreSQL) implement it; the runners
 * (in-process and BullMQ) never see SQL.
 */
export interface OutboxPort {
  /**
   * Leases up to `limit` pending jobs whose runAt has come, so no other runner takes them for `leaseMs`
   * (a runner that dies mid-job loses the lease and the job runs again: at-least-once).
   */
  claimDue(limit: number, leaseMs: number, now?: Date): Promise<OutboxRow[]>;
  markDone(id: string): Promise<void>;
  /** Back to pending, runnable again at `runAt`, with the attempt count bumped and the error kept. */
  markRetry(id: string, error: string, runAt: Date): Promise<void>;
  /** Kept, visible and retryable by an admin; never dropped. */
  markFailed(id: string, error: string): Promise<void>;
  /** Handed to BullMQ: the relay will not hand it over again unless the lease expires unacknowledged. */
  markRelayed(ids: string[]): Promise<void>;
  listFailed(limit?: number): Promise<OutboxRow[]>;
  /** A failed job back to pending with its attempts reset; false when no failed job has that id. */
  retryFailed(id: string): Promise<boolean>;
  countByStatus(): Promise<Record<OutboxStatus, number>>;
  /**
   * Voids every lease. Only for a store one process owns (the embedded SQLite mode): at its start, any
   * lease was held by a process that is gone, and its jobs should run now rather than when it expires.
   */
  releaseLeases(): Promise<number>;
  /**
   * Records a job's effect under its idempotency key; false when that key was recorded before, so a
   * handler that runs twice does its effect once.
   */
  recordEffect(key: string, data: Record<string, unknown>): Promise<boolean>;
  getEffect(key: string): Promise<Record<string, unknown> | undefined>;
}
