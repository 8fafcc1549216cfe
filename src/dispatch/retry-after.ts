/** Never wait longer than this for one peer, whatever it asks. */
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * An HTTP Retry-After header (delay-seconds or an HTTP-date) in milliseconds from `now`; undefined when
 * absent or unreadable. Slack, Twilio and team webhooks answer 429 with it.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now;
  if (Number.isNaN(ms)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms));
}
