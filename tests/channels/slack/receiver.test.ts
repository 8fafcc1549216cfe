import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { App } from '@slack/bolt';
import { createLogger } from '../../../src/shared/logger.js';
import { boltLogger } from '../../../src/channels/slack/bolt-logger.js';
import { createFastifyReceiver } from '../../../src/channels/slack/receiver.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { FORM, slackBodies, slackHeaders } from './signing.js';

const SECRET = 'test-signing-secret';
const log = createLogger();

describe('fastify receiver with the real Bolt app', () => {
  let slack: FakeSlack;
  let server: FastifyInstance;
  const seen: string[] = [];
  let release: (() => void) | undefined;

  beforeAll(async () => {
    slack = await startFakeSlack();
    const receiver = createFastifyReceiver({ signingSecret: SECRET, logger: log, ackDeadlineMs: 400 });
    const app = new App({ token: 'xoxb-test', receiver, logger: boltLogger(log), tokenVerificationEnabled: false, clientOptions: { slackApiUrl: slack.apiUrl } });
    app.event('app_mention', async ({ event }) => {
      if (event.text.includes('slow')) await new Promise<void>((r) => (release = r));
      if (event.text.includes('boom')) throw new Error('boom');
      seen.push(`mention:${event.text}`);
    });
    app.command('/spoc', async ({ command, ack }) => ack({ response_type: 'ephemeral', text: `you said ${command.text}` }));
    app.action('spoc_claim', async ({ ack, action }) => {
      await ack();
      seen.push(`claim:${'value' in action ? action.value : ''}`);
    });
    server = Fastify();
    await server.register(receiver.plugin);
    await server.ready();
  });
  afterAll(async () => {
    await server.close();
    await slack.close();
  });

  const event = (id: string, text: string) => slackBodies.event({ type: 'app_mention', user: 'U1', text, ts: '1.1', channel: 'C1' }, id);
  const post = (body: string, headers: Record<string, string>) => server.inject({ method: 'POST', url: '/slack/events', payload: body, headers });

  it('answers url_verification with the challenge', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 'x' });
    const res = await post(body, slackHeaders(SECRET, body, 'application/json'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ challenge: 'c-123' });
  });

  it('runs the listener before answering an event, so the ack follows the work', async () => {
    const body = event('Ev1', 'hello');
    const res = await post(body, slackHeaders(SECRET, body, 'application/json'));
    expect(res.statusCode).toBe(200);
    expect(seen).toContain('mention:hello');
    // Bolt resolved the bot identity through auth.test on the fake.
    expect(slack.callsOf('auth.test').length).toBeGreaterThan(0);
  });

  it('refuses a bad signature, a stale and a future timestamp with 401 and runs nothing', async () => {
    const body = event('Ev2', 'forged');
    const now = Math.floor(Date.now() / 1000);
    for (const headers of [
      { ...slackHeaders('wrong-secret', body, 'application/json') },
      slackHeaders(SECRET, body, 'application/json', now - 360),
      slackHeaders(SECRET, body, 'application/json', now + 360),
      { 'content-type': 'application/json' },
    ]) {
      const res = await post(body, headers);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('invalid_signature');
    }
    expect(seen).not.toContain('mention:forged');
  });

  it('answers a slash command with the ack body', async () => {
    const body = slackBodies.command('U1', 'mine');
    const res = await post(body, slackHeaders(SECRET, body, FORM));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ response_type: 'ephemeral', text: 'you said mine' });
  });

  it('parses form-encoded interactivity payloads', async () => {
    const body = slackBodies.click('spoc_claim', 'INC-000001', 'U1', 'C1');
    const res = await post(body, slackHeaders(SECRET, body, FORM));
    expect(res.statusCode).toBe(200);
    expect(seen).toContain('claim:INC-000001');
  });

  it('acknowledges at the deadline when the work is slow', async () => {
    const body = event('Ev3', 'slow');
    const started = Date.now();
    const res = await post(body, slackHeaders(SECRET, body, 'application/json'));
    expect(res.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    release?.();
  });

  it('answers 500 when the work failed, so Slack retries', async () => {
    const body = event('Ev4', 'boom');
    const res = await post(body, slackHeaders(SECRET, body, 'application/json'));
    expect(res.statusCode).toBe(500);
  });
});
