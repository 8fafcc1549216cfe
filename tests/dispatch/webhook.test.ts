import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInProcessRunner, type Dispatcher } from '../../src/dispatch/in-process-runner.js';
import { TEAM_WEBHOOK_JOB, registerTeamWebhooks, signWebhookBody, type TeamWebhookBody } from '../../src/dispatch/notifiers/webhook.js';
import { toJob } from '../../src/dispatch/execute.js';
import { until } from '../support/wait.js';
import { logger, openFixture, type Fixture } from './helpers.js';

const SECRET = 'test-webhook-secret';

/** A receiving ITSM tool: it answers each POST with the next scripted status. */
interface Receiver {
  url: string;
  posts: { headers: IncomingHttpHeaders; raw: string; at: number }[];
  script: { status: number; headers?: Record<string, string> }[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Omit<Receiver, 'url' | 'close'> = { posts: [], script: [] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.posts.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const next = receiver.script.shift() ?? { status: 200 };
      res.writeHead(next.status, next.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...receiver,
    url: `http://127.0.0.1:${port}/hooks/spoc`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('team webhooks', () => {
  let f: Fixture;
  let receiver: Receiver;
  let runner: Dispatcher;

  beforeEach(async () => {
    f = await openFixture();
    receiver = await startReceiver();
    const on = registerTeamWebhooks(f.registry, {
      teams: {
        network: { webhook: { url: receiver.url, secretEnv: 'SPOC_TEST_HOOK_SECRET' } },
        dba: { webhook: { url: receiver.url, secretEnv: 'SPOC_TEST_UNSET_SECRET' } },
        desktop: {},
      },
      env: { SPOC_TEST_HOOK_SECRET: SECRET },
      effects: f.outbox,
      loadTicket: f.loadTicket,
      logger,
    });
    expect(on).toEqual(['network']);
    runner = createInProcessRunner({ outbox: f.outbox, registry: f.registry, logger, pollMs: 25 });
    runner.start();
  });
  afterEach(async () => {
    await runner.stop();
    await receiver.close();
    await f.close();
  });

  it('posts a signed delivery, retries a 503, and never posts a delivered job twice', async () => {
    receiver.script.push({ status: 503, headers: { 'retry-after': '0' } });
    const ticket = await f.ticket('network');
    const eventId = await f.emit(ticket, 'created');
    runner.kick();
    await until(async () => (await f.outbox.countByStatus()).done === 1, { what: 'the delivery', everyMs: 20 });

    expect(receiver.posts).toHaveLength(2);
    const delivered = receiver.posts[1]!;
    expect(delivered.headers['content-type']).toBe('application/json');
    expect(delivered.headers['x-spoc-delivery']).toBe(`${TEAM_WEBHOOK_JOB}:${eventId}`);
    expect(delivered.headers['x-spoc-signature']).toBe(signWebhookBody(SECRET, delivered.raw));
    expect(receiver.posts[0]!.headers['x-spoc-delivery']).toBe(delivered.headers['x-spoc-delivery']);
    const body = JSON.parse(delivered.raw) as TeamWebhookBody;
    expect(body.event).toMatchObject({ id: eventId, type: 'created' });
    expect(body.ticket).toMatchObject({ id: ticket.id, number: ticket.number, team: 'network' });

    // Delivered once already: a second run of the same job (a redelivery) must not post again.
    const [row] = await f.store.read((q) => q.all('SELECT * FROM outbox'));
    const job = toJob({ id: String(row!.id), type: TEAM_WEBHOOK_JOB, key: String(row!.key), ticketId: ticket.id, eventId, payload: { event: 'created', number: ticket.number, data: {} }, attempts: 0 });
    await f.registry.get(TEAM_WEBHOOK_JOB)!.handler(job);
    expect(receiver.posts).toHaveLength(2);
    expect(await f.outbox.getEffect(job.key)).toMatchObject({ team: 'network', status: 200 });
  });

  it("waits the receiver's Retry-After on a 429", async () => {
    receiver.script.push({ status: 429, headers: { 'retry-after': '1' } });
    await f.emit(await f.ticket('network'), 'escalated', { reason: 'needs L2' });
    runner.kick();
    await until(async () => (await f.outbox.countByStatus()).done === 1, { what: 'the delivery', everyMs: 20 });
    expect(receiver.posts).toHaveLength(2);
    expect(receiver.posts[1]!.at - receiver.posts[0]!.at).toBeGreaterThanOrEqual(990);
    expect((JSON.parse(receiver.posts[1]!.raw) as TeamWebhookBody).event).toMatchObject({ type: 'escalated', data: { reason: 'needs L2' } });
  });

  it('keeps a delivery refused with a 4xx as failed without retrying it', async () => {
    receiver.script.push({ status: 410 });
    await f.emit(await f.ticket('network'), 'created');
    runner.kick();
    await until(async () => (await f.outbox.countByStatus()).failed === 1, { what: 'the failure', everyMs: 20 });
    expect(receiver.posts).toHaveLength(1);
    const [failed] = await f.outbox.listFailed();
    expect(failed?.lastError).toMatch(/^PermanentJobError: webhook 127\.0\.0\.1:\d+ answered 410$/);
  });

  it('sends nothing for teams without a webhook and for events nobody subscribed to', async () => {
    const quiet = await f.ticket('desktop');
    await f.emit(quiet, 'created');
    await f.emit(await f.ticket('network'), 'replied_in');
    runner.kick();
    await until(async () => (await f.outbox.countByStatus()).done === 1, { what: 'the job for the quiet team', everyMs: 20 });
    expect(receiver.posts).toHaveLength(0);
    expect(await f.outbox.countByStatus()).toMatchObject({ pending: 0, relayed: 0, failed: 0, done: 1 });
  });
});
