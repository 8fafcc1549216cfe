import type { RateLimitOptions } from '@fastify/rate-limit';
import { SpocError } from '../../shared/errors.js';

/** A route's rate limit per client IP; the limiter throws what this builds, so the edge maps it like any SpocError. */
export function publicRateLimit(limit: { max: number; windowMs: number }): RateLimitOptions {
  return {
    max: limit.max,
    timeWindow: limit.windowMs,
    errorResponseBuilder: (_req, ctx) => new SpocError('rate_limited', `too many requests; retry in ${ctx.after}`, ctx.statusCode),
  };
}
