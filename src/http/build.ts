import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from '../shared/logger.js';
import { installErrorHandler } from './errors.js';
import { authBeforeBody } from './guard.js';
import { installStrictJson } from './strict-json.js';

export interface HttpOptions {
  logger: Logger;
  /** Largest JSON body a route takes unless it says otherwise. */
  bodyLimit: number;
  version: string;
}

/**
 * The bare server every route plugin registers on: logging, the JSON error shape and OpenAPI at /docs.
 * Building never listens (src/server.ts does), so tests inject requests or listen on port 0.
 */
export async function createHttpServer(opts: HttpOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    // pino's Logger is wider than fastify's logger type; fastify only calls the base methods.
    loggerInstance: opts.logger.child({ component: 'http' }) as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit,
    // The load balancer, not the client, says who the client is only when told to trust it.
    trustProxy: process.env.TRUST_PROXY === 'true',
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });
  installErrorHandler(app);
  app.addHook('onRoute', authBeforeBody);
  installStrictJson(app);
  app.addHook('onResponse', async (req, reply) => {
    // Ids and sizes only: never bodies or headers (which may carry keys).
    req.log.info({ method: req.method, route: req.routeOptions.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'spoc', description: 'Single point of contact for an IT service desk', version: opts.version },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  return app;
}
