import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger } from '../../src/shared/logger.js';
import { createDispatchRegistry, type HandlerRegistry } from '../../src/dispatch/registry.js';
import type { OutboxPort } from '../../src/dispatch/outbox-port.js';
import { laneQueueNames } from '../../src/dispatch/bullmq/lanes.js';
import { createStore } from '../../src/ticketing/db/create-store.js';
import type { Store } from '../../src/ticketing/db/sql.js';
import { createEventLog } from '../../src/ticketing/events.js';
import { createOutbox } from '../../src/ticketing/outbox.js';
import { resolveRequester } from '../../src/ticketing/requesters.js';
import { findTicket, insertTicket } from '../../src/ticketing/tickets-repo.js';
import type { Ticket, TicketEventType } from '../../src/ticketing/types.js';

export const REDIS_URL = 'redis://127.0.0.1:6379';
export const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** The real SQLite store in a temporary directory, its outbox, and a registry whose subscriptions it reads. */
export interface Fixture {
  store: Store;
  outbox: OutboxPort;
  registry: HandlerRegistry;
  /** A new ticket (team `team`), committed with its requester. */
  ticket(team?: string): Promise<Ticket>;
  /** Appends an event the way the ticket service does: the event and its outbox jobs in one transaction. */
  emit(ticket: Ticket, type: TicketEventType, data?: Record<string, unknown>): Promise<number>;
  loadTicket(id: string): Promise<Ticket | undefined>;
  close(): Promise<void>;
}

export async function openFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'spoc-dispatch-'));
  const store = await createStore({ kind: 'sqlite', file: join(dir, 'spoc.db') });
  const registry = createDispatchRegistry();
  // Handed over before any job type subscribes, as the composition root does.
  const events = createEventLog({ subscriptions: registry.subscriptions(), now: () => new Date() });
  let seq = 0;
  return {
    store,
    outbox: createOutbox(store),
    registry,
    async ticket(team = 'service-desk') {
      const now = new Date();
      const n = ++seq;
      return store.withTx(async (tx) => {
        const requester = await resolveRequester(tx, { email: `user${n}@example.com`, name: `User ${n}` }, now);
        const ticket: Ticket = {
          id: randomUUID(), number: `INC-${String(n).padStart(6, '0')}`, type: 'incident', category: 'general',
          impact: 'medium', urgency: 'medium', priority: 'P3', tier: 'L1', team, status: 'new',
          subject: `Test ${n}`, channel: 'api', requesterId: requester.id, slaPolicy: 'default', calendar: '7x24',
          respondBy: now.toISOString(), resolveBy: now.toISOString(), tags: [], reason: 'test',
          createdAt: now.toISOString(), updatedAt: now.toISOString(),
        };
        await insertTicket(tx, ticket);
        return ticket;
      });
    },
    async emit(ticket, type, data = {}) {
      const event = await store.withTx((tx) => events.record(tx, ticket, type, 'system', data));
      return event.id;
    },
    loadTicket: (id) => store.read((q) => findTicket(q, { id })),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const freshQueueName = () => `spoc-dispatch-test-${randomUUID().slice(0, 8)}`;

/** Removes every key of a test's lane queues from the shared Redis (obliterate leaves meta and events behind). */
export async function dropQueues(queueName: string, lanes: number): Promise<void> {
  await Promise.all(laneQueueNames(queueName, lanes).map(async (name) => {
    const queue = new Queue(name, { connection: { url: REDIS_URL } });
    await queue.obliterate({ force: true });
    await queue.close();
  }));
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`bull:${queueName}.*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}
