import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../shared/metrics.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** Liveness, readiness (the store and the queue answer) and Prometheus metrics. */
export async function opsRoutes(app: FastifyInstance, deps: { metrics: Metrics; checks: ReadinessCheck[]; isDraining: () => boolean }): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const results = await Promise.all(
      deps.checks.map(async (c) => {
        try {
          await c.check();
          return [c.name, 'ok'] as const;
        } catch (err) {
          return [c.name, (err as Error).message.slice(0, 200)] as const;
        }
      }),
    );
    const ok = !deps.isDraining() && results.every(([, r]) => r === 'ok');
    reply.status(ok ? 200 : 503);
    return { status: ok ? 'ready' : deps.isDraining() ? 'draining' : 'unavailable', checks: Object.fromEntries(results) };
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
