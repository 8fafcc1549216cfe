import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A team's webhook endpoint: records each delivery id it is sent (answering 200), to count effects. */
export async function startWebhookReceiver(): Promise<{ url: string; deliveries: string[]; close(): Promise<void> }> {
  const deliveries: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      deliveries.push(String(req.headers['x-spoc-delivery']));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    deliveries,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
