import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisPause } from '../../../src/dispatch/method-pause.js';
import { startSpoc, type RunningSpoc } from '../../support/spoc.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { until } from '../../support/wait.js';
import { slackSender } from './signing.js';

const SECRET = 'retry-after-secret';
const REDIS_URL = 'redis://127.0.0.1:6379';
const RETRY_AFTER_S = 3;

describe('Slack 429 Retry-After pauses the method for every process (real Redis, PostgreSQL, BullMQ)', () => {
  let slack: FakeSlack;
  const procs: RunningSpoc[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack();
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-429',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      DATABASE_SCHEMA: `ra_${randomBytes(4).toString('hex')}`,
      REDIS_URL,
      SPOC_QUEUE: `ra-${randomBytes(4).toString('hex')}`,
    };
    // `spoc serve` runs jobs too, and a `spoc worker` beside it: two consumers of one queue.
    procs.push(await startSpoc({ env }));
    procs.push(await startSpoc({ env, role: 'worker' }));
  }, 60_000);
  afterAll(async () => {
    for (const p of procs.reverse()) await p.close();
    await slack?.close();
  });

  it('the pause is one Redis key both clients see', async () => {
    const prefix = `ra-unit-${randomBytes(3).toString('hex')}`;
    const a = createRedisPause(REDIS_URL, prefix);
    const b = createRedisPause(REDIS_URL, prefix);
    try {
      expect(await b.remaining('chat.postMessage')).toBe(0);
      await a.pause('chat.postMessage', 2000);
      const left = await b.remaining('chat.postMessage');
      expect(left).toBeGreaterThan(1000);
      expect(left).toBeLessThanOrEqual(2000);
      expect(await b.remaining('chat.update')).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('after a 429 no process posts until Retry-After has passed, and every post is made exactly once', async () => {
    const { event } = slackSender(() => procs[0]!.url, SECRET);
    slack.rateLimit('chat.postMessage', 1, RETRY_AFTER_S);
    const N = 4;
    const base = Math.floor(Date.now() / 1000);
    for (let i = 0; i < N; i++) {
      const res = await event({ type: 'message', channel: `D0RA${i}`, channel_type: 'im', user: `U0RA${i}`, text: `Outlook crashes, case ${i}`, ts: `${base}.00040${i}` }, `EvRA${i}`);
      expect(res.status).toBe(200);
    }
    // Each ticket: its acknowledgement in the DM and its card in the team channel.
    const accepted = () => slack.callsOf('chat.postMessage').filter((c) => c.response);
    await until(() => accepted().length >= 2 * N, { what: () => `${2 * N} posts, got ${JSON.stringify(slack.calls.map((c) => [c.method, c.args.channel, !!c.response, c.at]))}`, timeoutMs: 40_000, everyMs: 200 });

    const calls = slack.callsOf('chat.postMessage');
    const refused = calls.find((c) => !c.response)!;
    expect(refused).toBeDefined();
    const during = calls.filter((c) => c.at > refused.at && c.at < refused.at + RETRY_AFTER_S * 1000 - 50);
    expect(during).toEqual([]);

    const posts = accepted();
    const acks = posts.filter((c) => String(c.args.channel).startsWith('D0RA'));
    expect(acks.map((c) => c.args.channel).sort()).toEqual(Array.from({ length: N }, (_, i) => `D0RA${i}`));
    const cards = posts.filter((c) => !String(c.args.channel).startsWith('D0RA')).map((c) => String(c.args.text).match(/[A-Z]{3}-\d{6}/)![0]);
    expect(new Set(cards).size).toBe(N);
    expect(cards).toHaveLength(N);
    for (const p of procs) await p.drained(60_000);
    expect(slack.callsOf('chat.postMessage').filter((c) => c.response)).toHaveLength(2 * N);
  }, 180_000);
});
