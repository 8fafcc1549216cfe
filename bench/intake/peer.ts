/**
 * The baseline: a bare fastify 5 server whose one route parses the JSON body and answers `{}`. It runs as
 * its own process, like spoc, so both share the machine with the load generator in the same way.
 * Prints its port on stdout once listening.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/empty', async () => ({}));
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${(app.server.address() as { port: number }).port}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
