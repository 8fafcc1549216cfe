import { buildApp, type Spoc } from './app.js';
import { createLogger } from './shared/logger.js';

/** How long shutdown may take before the process exits anyway (an orchestrator sends SIGKILL soon after). */
const SHUTDOWN_GRACE_MS = 25_000;

function onSignals(spoc: Spoc, what: string): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    spoc.logger.info({ signal }, `${what} stopping`);
    const force = setTimeout(() => {
      spoc.logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    spoc.stop().then(
      () => spoc.logger.info(`${what} stopped`),
      (err: unknown) => {
        spoc.logger.error({ err }, 'shutdown failed');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** `spoc serve`: every channel, the API, dispatch and the SLA sweeper in one process. Returns the admin key made on first start, if any. */
export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<{ spoc: Spoc; url: string }> {
  const logger = createLogger();
  const spoc = await buildApp({ role: 'serve', env, logger });
  const url = await spoc.http!.listen({ port: Number(env.PORT ?? 3000), host: env.HOST ?? '0.0.0.0' });
  await spoc.start();
  onSignals(spoc, 'spoc serve');
  logger.info({ url, store: env.DATABASE_URL ? 'postgres' : 'sqlite', queue: env.REDIS_URL ? 'bullmq' : 'in-process' }, 'spoc serving');
  return { spoc, url };
}

/** `spoc worker`: queue jobs only, sharing the work of a Redis-backed deployment. */
export async function worker(env: NodeJS.ProcessEnv = process.env): Promise<Spoc> {
  if (!env.REDIS_URL) throw new Error('spoc worker needs REDIS_URL: without it `spoc serve` runs the jobs itself');
  const logger = createLogger();
  const spoc = await buildApp({ role: 'worker', env, logger });
  await spoc.start();
  onSignals(spoc, 'spoc worker');
  logger.info({ queue: env.SPOC_QUEUE ?? 'spoc' }, 'spoc worker running');
  return spoc;
}
