import { RetryLaterError } from '../../dispatch/types.js';
import { PermanentJobError } from '../../shared/errors.js';

export interface ChannelLimiter {
  /** Waits for this channel's next slot, or throws RetryLaterError when it is further away than the job should sleep. */
  acquire(channel: string): Promise<void>;
}

/**
 * Slack allows about one message per second per channel. Slots are handed out in order per channel, so a
 * burst of cards to one team is spaced instead of refused; a long queue goes back to the outbox's backoff.
 */
export function createChannelLimiter(opts: { intervalMs: number; maxWaitMs?: number; now?: () => number }): ChannelLimiter {
  const now = opts.now ?? Date.now;
  const maxWait = opts.maxWaitMs ?? 5000;
  const next = new Map<string, number>();
  return {
    async acquire(channel) {
      const t = now();
      const slot = Math.max(t, next.get(channel) ?? 0);
      const wait = slot - t;
      if (wait > maxWait) throw new RetryLaterError(`slack channel ${channel} is busy`, wait);
      next.set(channel, slot + opts.intervalMs);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    },
  };
}

/** Slack refusals that no retry will fix. */
const PERMANENT = new Set([
  'channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'account_inactive', 'token_revoked',
  'user_not_found', 'invalid_blocks', 'msg_too_long', 'no_text', 'cannot_dm_bot', 'message_not_found', 'cant_update_message',
]);

/**
 * Maps a Web API failure to what the outbox understands: 429 → RetryLaterError with Slack's Retry-After,
 * a permanent refusal → PermanentJobError; anything else is rethrown for the normal backoff.
 */
export function toJobError(err: unknown): Error {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (e?.code === 'slack_webapi_rate_limited_error') return new RetryLaterError('slack rate limited', Math.max(1, e.retryAfter ?? 1) * 1000);
  if (e?.code === 'slack_webapi_platform_error' && e.data?.error && PERMANENT.has(e.data.error)) {
    return new PermanentJobError(`slack refused: ${e.data.error}`);
  }
  return err instanceof Error ? err : new Error(String(err));
}
