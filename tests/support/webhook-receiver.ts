import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TeamWebhookBody } from '../../src/dispatch/notifiers/webhook.js';

/** A team's webhook endpoint: records each delivery id it is sent (answering 200), to count effects, and each parsed body. */
export async function startWebhookReceiver(): Promise<{ url: string; deliveries: string[]; bodies: TeamWebhookBody[]; close(): Promise<void> }> {
  const deliveries: string[] = [];
  const bodies: TeamWebhookBody[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push(String(req.headers['x-spoc-delivery']));
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as TeamWebhookBody);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    deliveries,
    bodies,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
