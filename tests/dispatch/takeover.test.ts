import { describe, expect, it } from 'vitest';
import { DEFAULT_TAKEOVER, takeoverFromEnv } from '../../src/dispatch/bullmq/worker.js';

describe('take-over settings for a killed worker', () => {
  it('defaults to seconds, not BullMQ’s 30 s + 30 s', () => {
    expect(takeoverFromEnv({})).toEqual(DEFAULT_TAKEOVER);
    expect(DEFAULT_TAKEOVER.lockMs + DEFAULT_TAKEOVER.stalledCheckMs).toBeLessThanOrEqual(15_000);
  });

  it('reads SPOC_QUEUE_LOCK_MS and SPOC_QUEUE_STALLED_CHECK_MS, and names a bad value', () => {
    expect(takeoverFromEnv({ SPOC_QUEUE_LOCK_MS: '4000', SPOC_QUEUE_STALLED_CHECK_MS: '2000' })).toEqual({ lockMs: 4000, stalledCheckMs: 2000 });
    expect(() => takeoverFromEnv({ SPOC_QUEUE_LOCK_MS: '5s' })).toThrow(/SPOC_QUEUE_LOCK_MS must be a whole number of milliseconds/);
    expect(() => takeoverFromEnv({ SPOC_QUEUE_STALLED_CHECK_MS: '10' })).toThrow(/at least 1000/);
  });
});
