import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveChatConnection, type ChatConnectionDeps } from './connection.js';
import { chatWidgetScript } from './widget.js';

export const CHAT_WS_PATH = '/chat/ws';
const CLOSE_GRACE_MS = 2000;

/** The chat's HTTP side: the WebSocket endpoint on the server's `upgrade` event, and the widget script. */
export interface ChatServer {
  /** Registers the encapsulated plugin and starts answering upgrades on `app.server`. */
  mount(app: FastifyInstance): Promise<void>;
  /** Stops taking connections and closes the open ones (1001, going away); the widget reconnects elsewhere. */
  close(): Promise<void>;
}

const refuse = (socket: Duplex, status: string) => {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

/** The client's address: the socket's, or the first X-Forwarded-For hop behind a trusted proxy (TRUST_PROXY). */
function clientAddress(req: IncomingMessage): string {
  const forwarded = process.env.TRUST_PROXY === 'true' ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0]?.trim() : '';
  return forwarded || req.socket.remoteAddress || 'unknown';
}

export function createChatServer(deps: ChatConnectionDeps): ChatServer {
  const { config } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxFrameBytes });
  const widget = chatWidgetScript(config);
  const alive = new WeakSet<WebSocket>();
  let closing = false;
  let server: FastifyInstance['server'] | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let sweep: NodeJS.Timeout | undefined;

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    // Other upgrade listeners may own other paths: leave their requests alone.
    if (new URL(req.url ?? '/', 'http://spoc').pathname !== CHAT_WS_PATH) return;
    if (closing) return refuse(socket, '503 Service Unavailable');
    const origin = req.headers.origin;
    if (config.allowedOrigins.length > 0 && (!origin || !config.allowedOrigins.includes(origin))) return refuse(socket, '403 Forbidden');
    if (wss.clients.size >= config.maxConnections) return refuse(socket, '503 Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      ws.on('error', (err) => deps.logger.debug({ err }, 'chat socket error'));
      serveChatConnection(ws, deps, clientAddress(req));
    });
  }

  return {
    async mount(app) {
      await app.register(async (scope) => {
        scope.get(CHAT_WS_PATH, async (_req, reply) =>
          reply.status(426).header('upgrade', 'websocket').send({ error: { code: 'upgrade_required', message: 'connect with a WebSocket' } }),
        );
        scope.get('/chat/widget.js', async (_req, reply) =>
          reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(widget),
        );
      });
      server = app.server;
      server.on('upgrade', onUpgrade);
      heartbeat = setInterval(() => {
        for (const ws of wss.clients) {
          if (!alive.has(ws)) {
            ws.terminate();
            continue;
          }
          alive.delete(ws);
          ws.ping();
        }
      }, config.heartbeatMs).unref();
      sweep = setInterval(() => void deps.hub.sweep(), config.pollIntervalMs).unref();
    },
    async close() {
      closing = true;
      clearInterval(heartbeat);
      clearInterval(sweep);
      server?.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
      // A browser that does not answer the close handshake must not hold up shutdown.
      const stragglers = setTimeout(() => wss.clients.forEach((ws) => ws.terminate()), CLOSE_GRACE_MS);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      clearTimeout(stragglers);
    },
  };
}
