import { newId } from '../shared/ids.js';
import type { OutboxPort, OutboxRow, OutboxStatus } from '../dispatch/outbox-port.js';
import { fromJson, iso, lockSuffix, orUndefined, toTs } from './db/codec.js';
import type { Row, Sql, Store } from './db/sql.js';

export interface NewJob {
  type: string;
  key: string;
  ticketId: string;
  eventId: number;
  payload: Record<string, unknown>;
  runAt: string;
}

/** Enqueues jobs inside the caller's transaction, in one statement; a key already enqueued is left as it is. */
export async function enqueueJobs(tx: Sql, jobs: readonly NewJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const params = jobs.flatMap((job) => {
    const at = toTs(job.runAt);
    return [newId(), job.type, job.key, job.ticketId, job.eventId, JSON.stringify(job.payload), at, at, at];
  });
  await tx.run(
    `INSERT INTO outbox (id, type, key, ticket_id, event_id, payload, status, attempts, run_at, created_at, updated_at)
     VALUES ${jobs.map(() => "(?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)").join(', ')} ON CONFLICT (key) DO NOTHING`,
    params,
  );
}

function toRow(r: Row): OutboxRow {
  const attempts = Number(r.attempts);
  return {
    id: String(r.id),
    type: String(r.type),
    key: String(r.key),
    ticketId: String(r.ticket_id),
    eventId: Number(r.event_id),
    payload: fromJson<Record<string, unknown>>(r.payload),
    // The try about to run, counted from 1.
    attempt: attempts + 1,
    status: r.status as OutboxStatus,
    attempts,
    lastError: orUndefined(r.last_error as string | null),
    createdAt: iso(r.created_at),
    runAt: iso(r.run_at),
  };
}

const STATUSES: readonly OutboxStatus[] = ['pending', 'relayed', 'done', 'failed'];

/**
 * The outbox and the effects table behind dispatch's OutboxPort. Leases make a claimed job invisible
 * to other runners until they expire; a relayed job whose lease expires unacknowledged is claimable again.
 */
export function createOutbox(store: Store, now: () => Date = () => new Date()): OutboxPort {
  const settle = (sql: string, params: (string | number | null)[]) =>
    store.withTx(async (tx) => {
      await tx.run(sql, params);
    });

  return {
    async claimDue(limit, leaseMs, at = now()) {
      const t = toTs(at);
      // Most wake-ups (one after every commit) find nothing due: a read says so without a write
      // transaction and its fsync.
      const due = await store.read((q) =>
        q.get(`SELECT 1 AS due FROM outbox WHERE status IN ('pending', 'relayed') AND run_at <= ? AND (lease_until IS NULL OR lease_until <= ?) LIMIT 1`, [t, t]),
      );
      if (!due) return [];
      return store.withTx(async (tx) => {
        const rows = await tx.all(
          `UPDATE outbox SET lease_until = ?, updated_at = ? WHERE id IN (
             SELECT id FROM outbox WHERE status IN ('pending', 'relayed') AND run_at <= ?
               AND (lease_until IS NULL OR lease_until <= ?)
             ORDER BY run_at, created_at, event_id LIMIT ?${lockSuffix(tx, 'FOR UPDATE SKIP LOCKED')}
           ) RETURNING *`,
          [toTs(new Date(at.getTime() + leaseMs)), t, t, t, limit],
        );
        return rows.map(toRow).sort((a, b) => a.runAt.localeCompare(b.runAt) || a.createdAt.localeCompare(b.createdAt));
      });
    },
    releaseLeases() {
      return store.withTx((tx) => tx.run(`UPDATE outbox SET lease_until = NULL WHERE status IN ('pending', 'relayed') AND lease_until IS NOT NULL`));
    },
        markDone(id) {
      return settle(`UPDATE outbox SET status = 'done', lease_until = NULL, updated_at = ? WHERE id = ?`, [toTs(now()), id]);
    },
    markRetry(id, error, runAt) {
      return settle(
        `UPDATE outbox SET status = 'pending', attempts = attempts + 1, last_error = ?, run_at = ?, lease_until = NULL,
           updated_at = ? WHERE id = ?`,
        [error, toTs(runAt), toTs(now()), id],
      );
    },
    markFailed(id, error) {
      return settle(
        `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, lease_until = NULL, updated_at = ?
         WHERE id = ?`,
        [error, toTs(now()), id],
      );
    },
    async markRelayed(ids) {
      if (ids.length === 0) return;
      await settle(`UPDATE outbox SET status = 'relayed', updated_at = ? WHERE status IN ('pending', 'relayed') AND id IN (${ids.map(() => '?').join(', ')})`, [
        toTs(now()),
        ...ids,
      ]);
    },
    listFailed(limit = 100) {
      return store.read(async (q) =>
        (await q.all(`SELECT * FROM outbox WHERE status = 'failed' ORDER BY updated_at DESC LIMIT ?`, [limit])).map(toRow),
      );
    },
    retryFailed(id) {
      return store.withTx(async (tx) => {
        const t = toTs(now());
        const changed = await tx.run(
          `UPDATE outbox SET status = 'pending', attempts = 0, run_at = ?, lease_until = NULL, updated_at = ?
           WHERE id = ? AND status = 'failed'`,
          [t, t, id],
        );
        return changed === 1;
      });
    },
    countByStatus() {
      return store.read(async (q) => {
        const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<OutboxStatus, number>;
        const rows = await q.all<{ status: OutboxStatus; n: number | string }>(
          'SELECT status, COUNT(*) AS n FROM outbox GROUP BY status',
        );
        for (const r of rows) counts[r.status] = Number(r.n);
        return counts;
      });
    },
    recordEffect(key, data) {
      return store.withTx(async (tx) => {
        const changed = await tx.run('INSERT INTO effects (key, data, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING', [
          key,
          JSON.stringify(data),
          toTs(now()),
        ]);
        return changed === 1;
      });
    },
    getEffect(key) {
      return store.read(async (q) => {
        const row = await q.get('SELECT data FROM effects WHERE key = ?', [key]);
        return row ? fromJson<Record<string, unknown>>(row.data) : undefined;
      });
    },
  };
}

