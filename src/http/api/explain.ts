import type { FastifyInstance } from 'fastify';
import type { RequesterDirectory } from '../../channels/types.js';
import { CHANNELS, type Channel } from '../../intake/record.js';
import { formatTrace, requesterProfile, type Router } from '../../router/index.js';
import type { ApiKey } from '../auth.js';
import { guard } from '../guard.js';
import { requesterInputSchema } from './views.js';
import { errorResponses } from './schemas.js';

interface ExplainBody {
  subject?: string;
  body: string;
  channel?: Channel;
  requester?: { email?: string; phone?: string; slackUserId?: string };
  meta?: Record<string, string>;
}

/** The router's decision and trace for a contact, without storing anything. */
export async function explainRoutes(app: FastifyInstance, deps: { keys: ApiKey[]; router: Router; directory: RequesterDirectory }): Promise<void> {
  app.post<{ Body: ExplainBody }>(
    '/api/v1/route/explain',
    {
      preHandler: guard(deps.keys, 'agent'),
      schema: {
        tags: ['router'],
        summary: "The router's decision for a contact, with the rules that fired and why",
        body: {
          type: 'object',
          required: ['body'],
          additionalProperties: false,
          properties: {
            subject: { type: 'string', maxLength: 500 },
            body: { type: 'string', minLength: 1, maxLength: 200_000 },
            channel: { type: 'string', enum: [...CHANNELS] },
            requester: requesterInputSchema,
            meta: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['decision', 'explanation'],
            properties: {
              decision: {
                type: 'object',
                required: ['type', 'priority', 'tier', 'team', 'trace'],
                properties: { type: { type: 'string' }, category: { type: 'string' }, priority: { type: 'string' }, tier: { type: 'string' }, team: { type: 'string' }, respondBy: { type: 'string' }, resolveBy: { type: 'string' }, trace: { type: 'array', items: { type: 'object', additionalProperties: true } } },
                additionalProperties: true,
              },
              explanation: { type: 'string' },
            },
          },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => {
      const b = req.body;
      const requester = b.requester ? await deps.directory.find(b.requester) : undefined;
      const channel = b.channel ?? 'api';
      const decision = deps.router.route({
        record: { channel, subject: b.subject ?? '', body: b.body, meta: b.meta ?? {} },
        requester: requester && requesterProfile(requester, channel),
      });
      return { decision, explanation: formatTrace(decision) };
    },
  );
}
