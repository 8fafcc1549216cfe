import type { OutboxPort, OutboxStatus } from './outbox-port.js';

/** Outbox counts for /metrics: `depth` is the work not yet done (pending plus handed to BullMQ). */
export type DispatchStats = Record<OutboxStatus, number> & { depth: number };

export async function outboxStats(outbox: OutboxPort): Promise<DispatchStats> {
  const counts = await outbox.countByStatus();
  return { ...counts, depth: counts.pending + counts.relayed };
}
