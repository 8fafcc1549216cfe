import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { Logger } from '../shared/logger.js';
import { installErrorHandler } from './errors.js';
import { authBeforeBody } from './guard.js';
import { installStrictJson } from './strict-json.js';
import { addSharedSchemas } from './api/schemas.js';

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
  });
  // Query strings and path parameters arrive as text, so they are coerced (`?limit=50`); JSON bodies are
  // typed, so they are not: `"body": 42` is a 400, never the string "42".
  const validators = { body: validatorAjv(false), other: validatorAjv('array') };
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? validators.body : validators.other).compile(schema));
  installErrorHandler(app);
  app.addHook('onRoute', authBeforeBody);
  installStrictJson(app);
  app.addHook('onResponse', async (req, reply) => {
    // Ids and sizes only: never bodies or headers (which may carry keys).
    req.log.info({ method: req.method, route: req.routeOptions.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  await app.register(swagger, {
    // Shared components keep their own names in the document (Ticket, Error …), not def-0, def-1.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      info: { title: 'spoc', description: 'Single point of contact for an IT service desk', version: opts.version },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  addSharedSchemas(app);
  return app;
}

function validatorAjv(coerceTypes: false | 'array'): Ajv {
  const ajv = new Ajv({ removeAdditional: false, useDefaults: true, coerceTypes, allErrors: false, strict: false });
  addFormats.default(ajv);
  return ajv;
}
