import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutboxRelay } from '../../src/dispatch/bullmq/relay.js';
import { createQueueWorker } from '../../src/dispatch/bullmq/worker.js';
import { createFailedJobs } from '../../src/dispatch/failed-jobs.js';
import { createInProcessRunner } from '../../src/dispatch/in-process-runner.js';
import type { DispatchStats } from '../../src/dispatch/stats.js';
import { RetryLaterError, type Job } from '../../src/dispatch/types.js';
import { PermanentJobError, SpocError } from '../../src/shared/errors.js';
import { sleep, until } from '../support/wait.js';
import { REDIS_URL, dropQueues, freshQueueName, logger, openFixture, type Fixture } from './helpers.js';

/** A running dispatcher of either mode, as the contract sees it. */
interface Running {
  kick(): void;
  stop(): Promise<void>;
  stats(): Promise<DispatchStats>;
}

const LANES = 4;

const modes: { name: string; start(f: Fixture): Promise<Running> }[] = [
  {
    name: 'in-process',
    async start(f) {
      const runner = createInProcessRunner({ outbox: f.outbox, registry: f.registry, logger, concurrency: 4, pollMs: 25 });
      runner.start();
      return runner;
    },
  },
  {
    name: 'bullmq',
    async start(f) {
      const queueName = freshQueueName();
      const relay = createOutboxRelay({ outbox: f.outbox, connection: REDIS_URL, queueName, logger, lanes: LANES, pollMs: 25 });
      // Two worker processes' worth, so ordering across workers is what the lanes guarantee, not luck.
      const workers = [1, 2].map(() => createQueueWorker({ outbox: f.outbox, registry: f.registry, connection: REDIS_URL, queueName, logger, lanes: LANES }));
      await Promise.all(workers.map((w) => w.ready()));
      relay.start();
      return {
        kick: relay.kick,
        stats: relay.stats,
        async stop() {
          await relay.stop();
          await Promise.all(workers.map((w) => w.stop()));
          await dropQueues(queueName, LANES);
        },
      };
    },
  },
];

describe.each(modes)('dispatch contract: $name', (mode) => {
  let f: Fixture;
  let running: Running | undefined;

  beforeEach(async () => {
    f = await openFixture();
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await f.close();
  });

  const counts = () => f.outbox.countByStatus();

  it('runs a job and records its effect once, even when the handler runs twice', async () => {
    const calls: Job[] = [];
    let effects = 0;
    f.registry.register('test.effect', async (job) => {
      calls.push(job);
      if (await f.outbox.recordEffect(job.key, { ticket: job.ticketId })) effects++;
      // The first try dies after its effect, as a process killed mid-job would: the job runs again.
      if (calls.length === 1) throw new Error('crashed after the effect');
    }, { backoffMs: 10 });
    f.registry.subscribe({ jobType: 'test.effect', events: ['created'] });
    running = await mode.start(f);

    const ticket = await f.ticket();
    const eventId = await f.emit(ticket, 'created');
    running.kick();
    await until(async () => (await counts()).done === 1, { what: 'the job to be done', everyMs: 20 });

    expect(calls.map((c) => c.attempt)).toEqual([1, 2]);
    expect(calls[0]!.key).toBe(`test.effect:${eventId}`);
    expect(effects).toBe(1);
    expect(await f.outbox.getEffect(`test.effect:${eventId}`)).toEqual({ ticket: ticket.id });
  });

  it('retries a failing job with backoff, then keeps it failed, visible and retryable', async () => {
    const at: number[] = [];
    let healthy = false;
    f.registry.register('test.flaky', async () => {
      at.push(Date.now());
      if (!healthy) throw new Error('peer is down');
    }, { attempts: 3, backoffMs: 150 });
    f.registry.subscribe({ jobType: 'test.flaky', events: ['created'] });
    running = await mode.start(f);
    const failedJobs = createFailedJobs({ outbox: f.outbox, wake: running.kick });

    await f.emit(await f.ticket(), 'created');
    running.kick();
    await until(async () => (await counts()).failed === 1, { what: 'the job to fail', everyMs: 20 });

    expect(at).toHaveLength(3);
    // 150 ms then 300 ms (a few ms of slack for timer rounding; the upper bound is loose for a busy CI).
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(140);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(290);
    const [failed] = await failedJobs.list();
    expect(failed).toMatchObject({ type: 'test.flaky', attempts: 3, lastError: 'Error: peer is down' });
    expect(failed).not.toHaveProperty('payload');
    expect(await running.stats()).toMatchObject({ failed: 1, depth: 0 });

    healthy = true;
    await failedJobs.retry(failed!.id);
    await until(async () => (await counts()).done === 1, { what: 'the retried job to be done', everyMs: 20 });
    expect(at).toHaveLength(4);
    expect(await failedJobs.list()).toEqual([]);
    await expect(failedJobs.retry(failed!.id)).rejects.toMatchObject({ code: 'not_found', status: 404 } satisfies Partial<SpocError>);
  });

  it('fails a job at once on PermanentJobError', async () => {
    let calls = 0;
    f.registry.register('test.permanent', async () => {
      calls++;
      throw new PermanentJobError('the peer refused the payload');
    });
    f.registry.subscribe({ jobType: 'test.permanent', events: ['created'] });
    running = await mode.start(f);

    await f.emit(await f.ticket(), 'created');
    running.kick();
    await until(async () => (await counts()).failed === 1, { what: 'the job to fail', everyMs: 20 });
    expect(calls).toBe(1);
    const [failed] = await f.outbox.listFailed();
    expect(failed?.lastError).toBe('PermanentJobError: the peer refused the payload');
  });

  it("honours a RetryLaterError's own delay instead of the backoff", async () => {
    const at: number[] = [];
    f.registry.register('test.ratelimited', async () => {
      at.push(Date.now());
      if (at.length === 1) throw new RetryLaterError('429 Too Many Requests', 600);
    }, { backoffMs: 60_000 });
    f.registry.subscribe({ jobType: 'test.ratelimited', events: ['created'] });
    running = await mode.start(f);

    await f.emit(await f.ticket(), 'created');
    running.kick();
    await until(async () => (await counts()).done === 1, { what: 'the job to be done', everyMs: 20 });
    expect(at).toHaveLength(2);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(590);
    expect(at[1]! - at[0]!).toBeLessThan(5_000);
  });

  it("runs one ticket's jobs one at a time, in event order", async () => {
    const log: string[] = [];
    let active = 0;
    let overlapped = false;
    f.registry.register('test.ordered', async (job) => {
      if (++active > 1) overlapped = true;
      log.push(`${job.ticketId}:${job.eventId}`);
      await sleep(5 + Math.floor(Math.random() * 25));
      active--;
    });
    f.registry.subscribe({ jobType: 'test.ordered', events: ['created', 'claimed', 'note', 'escalated', 'resolved', 'closed'] });
    running = await mode.start(f);

    const ticket = await f.ticket();
    const ids: number[] = [];
    for (const type of ['created', 'claimed', 'note', 'escalated', 'resolved', 'closed'] as const) ids.push(await f.emit(ticket, type));
    running.kick();
    await until(async () => (await counts()).done === ids.length, { what: 'all jobs to be done', timeoutMs: 15_000, everyMs: 20 });

    expect(log).toEqual(ids.map((id) => `${ticket.id}:${id}`));
    expect(overlapped).toBe(false);
  });
  it('stops gracefully: the running job finishes and nothing new starts', async () => {
    let started = 0;
    f.registry.register('test.long', async (job) => {
      started++;
      await sleep(300);
      await f.outbox.recordEffect(job.key, {});
    });
    f.registry.subscribe({ jobType: 'test.long', events: ['created'] });
    running = await mode.start(f);

    await f.emit(await f.ticket(), 'created');
    running.kick();
    await until(() => started === 1, { what: 'the job to start', everyMs: 20 });
    await running.stop();
    running = undefined;
    expect(await counts()).toMatchObject({ done: 1 });

    await f.emit(await f.ticket(), 'created');
    await sleep(200);
    expect(started).toBe(1);
    expect(await counts()).toMatchObject({ done: 1, pending: 1 });
  });
});

describe('dispatch on BullMQ', () => {
  let f: Fixture;
  let queueName: string;
  const stops: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    f = await openFixture();
    queueName = freshQueueName();
  });
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
    await dropQueues(queueName, LANES);
    await f.close();
  });

  function relay(connection = REDIS_URL, leaseMs?: number) {
    const r = createOutboxRelay({ outbox: f.outbox, connection, queueName, logger, lanes: LANES, pollMs: 25, ...(leaseMs ? { leaseMs } : {}) });
    stops.push(() => r.stop());
    return r;
  }
  async function worker() {
    const w = createQueueWorker({ outbox: f.outbox, registry: f.registry, connection: REDIS_URL, queueName, logger, lanes: LANES });
    stops.push(() => w.stop());
    await w.ready();
    return w;
  }
  function countingJob() {
    const runs = new Map<string, number>();
    f.registry.register('test.slow', async (job) => {
      await sleep(40);
      await f.outbox.recordEffect(job.key, {});
      runs.set(job.key, (runs.get(job.key) ?? 0) + 1);
    });
    f.registry.subscribe({ jobType: 'test.slow', events: ['created'] });
    return runs;
  }

  it('keeps relayed jobs across a worker restart', async () => {
    const runs = countingJob();
    const r = relay();
    for (let i = 0; i < 12; i++) await f.emit(await f.ticket(), 'created');
    r.start();
    await until(async () => (await f.outbox.countByStatus()).relayed === 12, { what: 'all jobs relayed', everyMs: 20 });

    const first = await worker();
    await until(async () => (await f.outbox.countByStatus()).done >= 3, { what: 'some jobs done', everyMs: 20 });
    await first.stop();
    const afterFirst = (await f.outbox.countByStatus()).done;
    expect(afterFirst).toBeLessThan(12);

    await worker();
    await until(async () => (await f.outbox.countByStatus()).done === 12, { what: 'all jobs done', timeoutMs: 15_000, everyMs: 20 });
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(12);
  });

  it('waits quietly while Redis is unreachable and drains once it can reach Redis', async () => {
    const runs = countingJob();
    for (let i = 0; i < 5; i++) await f.emit(await f.ticket(), 'created');

    const down = relay(`redis://127.0.0.1:${await closedPort()}`);
    down.start();
    down.kick();
    await sleep(300);
    expect(await down.relayOnce()).toBe(0);
    // Nothing was claimed, so nothing waits for a lease to expire.
    expect(await f.outbox.countByStatus()).toMatchObject({ pending: 5, relayed: 0 });
    await down.stop();

    await worker();
    relay().start();
    await until(async () => (await f.outbox.countByStatus()).done === 5, { what: 'the backlog to drain', timeoutMs: 15_000, everyMs: 20 });
    expect(runs.size).toBe(5);
  });

  it('relays a job again when its Redis copy is lost and its lease expires', async () => {
    const runs = countingJob();
    const r = relay(REDIS_URL, 600);
    await f.emit(await f.ticket(), 'created');
    r.start();
    await until(async () => (await f.outbox.countByStatus()).relayed === 1, { what: 'the job relayed', everyMs: 20 });
    // Redis restarted without persistence: the queued copy is gone.
    await dropQueues(queueName, LANES);

    await worker();
    await until(async () => (await f.outbox.countByStatus()).done === 1, { what: 'the job to run after its lease expired', everyMs: 20 });
    expect([...runs.values()]).toEqual([1]);
  });
});

async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
