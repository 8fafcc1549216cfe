import { describe, expect, it } from 'vitest';
import { afterFailure } from '../../src/dispatch/execute.js';
import { createDispatchRegistry, DEFAULT_JOB_OPTIONS } from '../../src/dispatch/registry.js';
import { parseRetryAfter } from '../../src/dispatch/retry-after.js';
import { laneOf } from '../../src/dispatch/bullmq/lanes.js';
import { RetryLaterError } from '../../src/dispatch/types.js';
import { PermanentJobError } from '../../src/shared/errors.js';

describe('dispatch registry', () => {
  it('refuses a job type registered twice and keeps every subscription', () => {
    const registry = createDispatchRegistry();
    const subscriptions = registry.subscriptions();
    registry.register('email.ack', async () => {});
    expect(() => registry.register('email.ack', async () => {})).toThrow(expect.objectContaining({ code: 'job_type_registered' }));
    registry.subscribe({ jobType: 'email.ack', events: ['created'], channels: ['email'] });
    registry.subscribe({ jobType: 'email.ack', events: ['resolved'] });
    expect(registry.get('email.ack')?.options).toEqual(DEFAULT_JOB_OPTIONS);
    expect(registry.get('slack.card')).toBeUndefined();
    // The list handed to the store early sees later subscriptions.
    expect(subscriptions).toEqual([
      { jobType: 'email.ack', events: ['created'], channels: ['email'] },
      { jobType: 'email.ack', events: ['resolved'] },
    ]);
  });
});

describe('retry policy', () => {
  const opts = { attempts: 4, backoffMs: 1000 };
  const now = new Date('2026-01-01T00:00:00Z');
  const delay = (o: ReturnType<typeof afterFailure>) => (o.kind === 'retry' ? o.runAt.getTime() - now.getTime() : o.kind);

  it('doubles the backoff each try and keeps the job failed after the last', () => {
    expect([1, 2, 3].map((attempt) => delay(afterFailure(new Error('x'), attempt, opts, now)))).toEqual([1000, 2000, 4000]);
    expect(afterFailure(new Error('x'), 4, opts, now)).toEqual({ kind: 'failed', error: 'Error: x' });
  });

  it("uses a RetryLaterError's delay and fails a PermanentJobError at once", () => {
    expect(delay(afterFailure(new RetryLaterError('429', 30_000), 1, opts, now))).toBe(30_000);
    expect(afterFailure(new PermanentJobError('bad'), 1, opts, now).kind).toBe('failed');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const t = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', t)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', t)).toBe(30_000);
    expect(parseRetryAfter('soon', t)).toBeUndefined();
    expect(parseRetryAfter(null, t)).toBeUndefined();
  });

  it('puts a ticket in the same lane every time and spreads tickets over lanes', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `ticket-${i}`);
    expect(ids.map((id) => laneOf(id, 8))).toEqual(ids.map((id) => laneOf(id, 8)));
    expect(new Set(ids.map((id) => laneOf(id, 8))).size).toBe(8);
  });
});
