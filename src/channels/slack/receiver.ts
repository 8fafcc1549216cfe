import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ReceiverMultipleAckError, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../shared/logger.js';
import { checkSlackSignature } from './verify.js';

export interface FastifyReceiverOptions {
  signingSecret: string;
  logger: Logger;
  path?: string;
  /** Slack gives up after 3 s; whatever is still running then is answered 200 and finishes on its own. */
  ackDeadlineMs?: number;
  bodyLimit?: number;
  /** Runs (memoised by the caller) before the first request reaches Bolt: the app's one auth.test. */
  prepare?: () => Promise<void>;
}

/**
 * Bolt's transport for spoc's own fastify server: Bolt never listens; `plugin` registers the one route.
 * Bolt acknowledges events before their listeners run, so an event is answered once its listeners have
 * finished (intake has committed it; a failure answers 500 so Slack retries). Listeners call Slack only
 * after that, detached or through the outbox. Interactivity and commands are answered as soon as the
 * listener calls ack(); what it does afterwards runs on. The ack deadline caps both.
 */
export interface FastifyReceiver extends Receiver {
  plugin(scope: FastifyInstance): Promise<void>;
}

type Parsed = Record<string, unknown>;

/** JSON for the Events API; form-encoded `payload=<json>` for interactivity; plain form fields for slash commands. */
export function parseSlackBody(raw: string, contentType: string | undefined): Parsed {
  if ((contentType ?? '').startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    if (payload !== null) return JSON.parse(payload) as Parsed;
    return Object.fromEntries(form);
  }
  return JSON.parse(raw) as Parsed;
}

const header = (req: FastifyRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function sendAck(reply: FastifyReply, response: unknown) {
  if (response === undefined || response === null || response === '') return reply.code(200).send('');
  if (typeof response === 'string') return reply.code(200).type('text/plain').send(response);
  return reply.code(200).send(response);
}

export function createFastifyReceiver(opts: FastifyReceiverOptions): FastifyReceiver {
  const path = opts.path ?? '/slack/events';
  const deadlineMs = opts.ackDeadlineMs ?? 2500;
  const log = opts.logger;
  let app: App | undefined;

  async function dispatch(req: FastifyRequest, reply: FastifyReply) {
    let body: Parsed;
    try {
      body = parseSlackBody(req.body as string, header(req, 'content-type'));
    } catch {
      return reply.code(400).send({ error: { code: 'bad_request', message: 'unreadable Slack payload' } });
    }
    if (body.ssl_check) return reply.code(200).send('');
    if (body.type === 'url_verification') return reply.code(200).send({ challenge: body.challenge });
    if (!app) return reply.code(503).send({ error: { code: 'not_ready', message: 'Slack app not initialised' } });
    try {
      await opts.prepare?.();
    } catch (err) {
      log.error({ err: (err as Error).message }, 'slack app could not initialise');
      return reply.code(503).send({ error: { code: 'not_ready', message: 'Slack app not initialised' } });
    }

    let acked = false;
    let ackResponse: unknown;
    let ackCalled: () => void = () => undefined;
    // Events are acked by Bolt itself before the listeners, so for them only the listeners' end counts.
    const ackSignal = body.type === 'event_callback' ? new Promise<never>(() => undefined) : new Promise<'acked'>((resolve) => (ackCalled = () => resolve('acked')));
    const retryNum = header(req, 'x-slack-retry-num');
    const event: ReceiverEvent = {
      body,
      retryNum: retryNum === undefined ? undefined : Number(retryNum),
      retryReason: header(req, 'x-slack-retry-reason'),
      ack: async (response?: unknown) => {
        if (acked) throw new ReceiverMultipleAckError();
        acked = true;
        ackResponse = response;
        ackCalled();
      },
    };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(resolve, deadlineMs, 'deadline');
    });
    const processing = app.processEvent(event).then(
      () => 'done' as const,
      (err: unknown) => err,
    );
    const outcome = await Promise.race([processing, ackSignal, deadline]);
    clearTimeout(timer);
    if (outcome === 'acked') {
      void processing.then((late) => late !== 'done' && log.error({ err: late }, 'slack request failed after its ack'));
      return sendAck(reply, ackResponse);
    }
    if (outcome === 'deadline') {
      log.warn({ deadlineMs, retryNum }, 'slack request still running at the ack deadline; acknowledged anyway');
      void processing.then((late) => late !== 'done' && log.error({ err: late }, 'slack request failed after the ack deadline'));
      return sendAck(reply, ackResponse);
    }
    if (outcome !== 'done') {
      log.error({ err: outcome }, 'slack request failed');
      return reply.code(500).send({ error: { code: 'slack_handler_failed', message: 'the request could not be processed' } });
    }
    return sendAck(reply, ackResponse);
  }

  return {
    init(a: App) {
      app = a;
    },
    start: async () => undefined,
    stop: async () => undefined,
    async plugin(scope: FastifyInstance) {
      // The signature covers the exact bytes, so both content types arrive as untouched strings.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(
        ['application/json', 'application/x-www-form-urlencoded'],
        { parseAs: 'string', bodyLimit: opts.bodyLimit ?? 1024 * 1024 },
        (_req, raw, done) => done(null, raw),
      );
      scope.addHook('preHandler', async (req, reply) => {
        const verdict = checkSlackSignature(opts.signingSecret, {
          rawBody: typeof req.body === 'string' ? req.body : '',
          signature: header(req, 'x-slack-signature'),
          timestamp: header(req, 'x-slack-request-timestamp'),
        });
        if (!verdict.ok) {
          log.warn({ reason: verdict.reason, ip: req.ip }, 'slack request refused');
          return reply.code(401).send({ error: { code: 'invalid_signature', message: `Slack signature check failed: ${verdict.reason}` } });
        }
      });
      scope.post(path, dispatch);
    },
  };
}
