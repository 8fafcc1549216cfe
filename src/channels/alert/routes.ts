import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { SpocError } from '../../shared/errors.js';
import type { AlertBatchResult } from './intake.js';
import { alertmanagerPayloadSchema, type AlertmanagerPayload } from './normalise.js';

export const ALERTMANAGER_PATH = '/alerts/alertmanager';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares digests, so neither the token's length nor its prefix leaks through timing. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return !!m?.[1] && timingSafeEqual(digest(m[1]), digest(token));
}

/**
 * `POST /alerts/alertmanager` as one encapsulated plugin: the bearer check runs before the body is read,
 * so a caller without the token changes nothing and costs little.
 */
export function alertmanagerPlugin(deps: {
  token: string;
  maxBodyBytes: number;
  handle: (payload: AlertmanagerPayload) => Promise<AlertBatchResult>;
}): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', async (req) => {
      if (!bearerMatches(req.headers.authorization, deps.token)) throw new SpocError('unauthorized', 'missing or wrong bearer token', 401);
    });
    app.post(ALERTMANAGER_PATH, { bodyLimit: deps.maxBodyBytes }, async (req) => {
      const parsed = alertmanagerPayloadSchema.safeParse(req.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new SpocError('invalid_request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`, 400);
      }
      return deps.handle(parsed.data);
    });
  };
}
