import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AttachmentStore, IntakePort } from '../../channels/types.js';
import { CHANNELS, type Attachment, type Channel } from '../../intake/record.js';
import type { IntakeConfig } from '../../intake/config.js';
import { SpocError } from '../../shared/errors.js';
import type { ApiKey } from '../auth.js';
import { guard } from '../guard.js';
import { requesterInputSchema, ticketSummary } from './views.js';
import { errorResponses, ref } from './schemas.js';
import { TICKET_NUMBER_SOURCE } from '../../ticketing/numbers.js';

/** Standard base64, padded: anything else is refused rather than decoded into junk bytes. */
const BASE64 = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';

interface ContactBody {
  requester: { name?: string; email?: string; phone?: string; slackUserId?: string; department?: string };
  subject?: string;
  body: string;
  channel?: Channel;
  language?: 'zh' | 'en';
  ticketNumber?: string;
  meta?: Record<string, string>;
  attachments?: Array<{ name: string; contentType?: string; contentBase64: string }>;
}

export interface ContactsDeps {
  keys: ApiKey[];
  intake: IntakePort;
  attachments: AttachmentStore;
  limits: IntakeConfig['limits'];
  /** The app's clock: a contact's SLA clocks start when it was received. */
  now?: () => Date;
}

/** `POST /api/v1/contacts`: any source creates or continues a ticket; a repeated Idempotency-Key answers the same ticket with 200. */
export async function contactRoutes(app: FastifyInstance, deps: ContactsDeps): Promise<void> {
  app.post<{ Body: ContactBody; Headers: { 'idempotency-key'?: string } }>(
    '/api/v1/contacts',
    {
      preHandler: guard(deps.keys, 'intake'),
      // Attachments arrive base64-encoded inside the JSON: a third larger than the files themselves.
      bodyLimit: deps.limits.bodyBytes + Math.ceil((deps.limits.attachmentBytes * 4) / 3),
      schema: {
        summary: 'Create or continue a ticket from any source',
        tags: ['contacts'],
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 } } },
        body: {
          type: 'object',
          required: ['requester', 'body'],
          additionalProperties: false,
          properties: {
            requester: { ...requesterInputSchema, anyOf: [{ required: ['email'] }, { required: ['phone'] }, { required: ['slackUserId'] }] },
            subject: { type: 'string', maxLength: 500 },
            body: { type: 'string', minLength: 1, maxLength: 200_000 },
            channel: { type: 'string', enum: [...CHANNELS] },
            language: { type: 'string', enum: ['zh', 'en'] },
            ticketNumber: { type: 'string', pattern: `^${TICKET_NUMBER_SOURCE}$` },
            meta: { type: 'object', additionalProperties: { type: 'string', maxLength: 500 }, maxProperties: 50 },
            attachments: {
              type: 'array',
              maxItems: 50,
              items: {
                type: 'object',
                required: ['name', 'contentBase64'],
                additionalProperties: false,
                properties: { name: { type: 'string', minLength: 1, maxLength: 255 }, contentType: { type: 'string', maxLength: 255 }, contentBase64: { type: 'string', pattern: BASE64 } },
              },
            },
          },
        },
        response: {
          200: { description: 'The same Idempotency-Key again, or a contact that continues a ticket', ...ref('TicketSummary') },
          201: { description: 'A new ticket', ...ref('TicketSummary') },
          ...errorResponses(400, 401, 403, 413),
        },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const files = body.attachments ?? [];
      if (files.length > deps.limits.attachmentsPerContact) {
        throw new SpocError('too_many_attachments', `at most ${deps.limits.attachmentsPerContact} attachments per contact`, 413);
      }
      const attachments: Attachment[] = [];
      for (const f of files) {
        attachments.push(await deps.attachments.put(Buffer.from(f.contentBase64, 'base64'), { name: f.name, contentType: f.contentType ?? 'application/octet-stream' }));
      }
      const channel = body.channel ?? 'api';
      const key = req.headers['idempotency-key'];
      const result = await deps.intake.accept({
        id: randomUUID(),
        channel,
        receivedAt: (deps.now?.() ?? new Date()).toISOString(),
        dedupeKey: `api:${key ?? randomUUID()}`,
        requester: body.requester,
        subject: body.subject ?? '',
        body: body.body,
        language: body.language,
        attachments,
        thread: body.ticketNumber ? { ticketNumber: body.ticketNumber } : {},
        meta: body.meta ?? {},
      });
      reply.status(result.outcome === 'created' ? 201 : 200);
      return { ...ticketSummary(result.ticket), outcome: result.outcome };
    },
  );
}
