import type { FastifyError, FastifyInstance } from 'fastify';
import { SpocError } from '../shared/errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Maps every failure to `{ error: { code, message } }` once, at the edge. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | SpocError | Error, req, reply) => {
    if (err instanceof SpocError) {
      if (err.status >= 500) req.log.error({ err }, 'request failed');
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, details: err.details } } satisfies ErrorBody);
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      return reply.status(400).send({ error: { code: 'invalid_request', message: fe.message } } satisfies ErrorBody);
    }
    if (fe.statusCode && fe.statusCode < 500) {
      const code = fe.statusCode === 413 ? 'payload_too_large' : fe.statusCode === 429 ? 'rate_limited' : (fe.code ?? 'bad_request').toLowerCase();
      return reply.status(fe.statusCode).send({ error: { code, message: fe.message } } satisfies ErrorBody);
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: 'internal error' } } satisfies ErrorBody);
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } } satisfies ErrorBody);
  });
}
