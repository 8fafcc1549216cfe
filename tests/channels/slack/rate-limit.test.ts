import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { RetryLaterError } from '../../../src/dispatch/types.js';
import { PermanentJobError } from '../../../src/shared/errors.js';
import { createChannelLimiter, toJobError } from '../../../src/channels/slack/rate-limit.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';

describe('createChannelLimiter', () => {
  it('spaces posts to one channel and leaves other channels alone', async () => {
    const limiter = createChannelLimiter({ intervalMs: 200 });
    const t0 = Date.now();
    await limiter.acquire('C1');
    await limiter.acquire('C2');
    expect(Date.now() - t0).toBeLessThan(100);
    await limiter.acquire('C1');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('sends a long queue back to the outbox instead of sleeping', async () => {
    let now = 0;
    const limiter = createChannelLimiter({ intervalMs: 1000, maxWaitMs: 500, now: () => now });
    await limiter.acquire('C1');
    now = 100;
    await expect(limiter.acquire('C1')).rejects.toMatchObject({ name: 'RetryLaterError', retryAfterMs: 900 });
    now = 1000;
    await limiter.acquire('C1');
  });
});

describe('toJobError with the real WebClient', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(() => slack.close());
  const client = () => new webApi.WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });

  it("turns Slack's 429 into RetryLaterError with its Retry-After", async () => {
    slack.rateLimit('chat.postMessage', 1, 7);
    const err = await client().chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => toJobError(e));
    expect(err).toBeInstanceOf(RetryLaterError);
    expect((err as RetryLaterError).retryAfterMs).toBe(7000);
    // The limit was for one call only: the next one goes through and is recorded.
    await client().chat.postMessage({ channel: 'C1', text: 'y' });
    expect(slack.callsOf('chat.postMessage').map((c) => c.args.text)).toEqual(['x', 'y']);
  });

  it('turns a permanent refusal into PermanentJobError', async () => {
    const err = await client().users.info({ user: 'UNOBODY' }).catch((e: unknown) => toJobError(e));
    expect(err).toBeInstanceOf(PermanentJobError);
  });
});
