import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TICKET_STATUSES, type TicketStatus } from '../../ticketing/types.js';
import type { Actor, TicketService } from '../../ticketing/service-types.js';
import { notFound } from '../../shared/errors.js';
import type { Tier } from '../../router/types.js';
import type { ApiKey } from '../auth.js';
import { apiActor, guard } from '../guard.js';
import { TICKET_NUMBER_SOURCE } from '../../ticketing/numbers.js';

type ActionBody = { agent?: string; body?: string; internal?: boolean; team?: string; assignee?: string; reason?: string; resolution?: string; score?: 1 | 2 | 3 | 4 | 5; comment?: string };

/** One table from action name to what it does, instead of a route per action written out by hand. */
const ACTIONS: Record<string, { required: string[]; run: (t: TicketService, number: string, actor: Actor, b: ActionBody) => Promise<unknown> }> = {
  claim: { required: [], run: (t, n, a) => t.claim(n, a) },
  reply: { required: ['body'], run: async (t, n, a, b) => (await t.reply(n, a, { body: b.body!, internal: b.internal })).ticket },
  escalate: { required: [], run: (t, n, a, b) => t.escalate(n, a, { team: b.team, reason: b.reason }) },
  reassign: { required: [], run: (t, n, a, b) => t.reassign(n, a, { team: b.team, assignee: b.assignee }) },
  pending: { required: [], run: (t, n, a, b) => t.setPending(n, a, { reason: b.reason }) },
  resolve: { required: ['resolution'], run: (t, n, a, b) => t.resolve(n, a, { resolution: b.resolution! }) },
  close: { required: [], run: (t, n, a) => t.close(n, a) },
  reopen: { required: [], run: (t, n, a, b) => t.reopen(n, a, { reason: b.reason }) },
  rate: { required: ['score'], run: (t, n, a, b) => t.rate(n, a, { score: b.score!, comment: b.comment }) },
};

const actionBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    agent: { type: 'string', minLength: 1, maxLength: 100 },
    body: { type: 'string', minLength: 1, maxLength: 100_000 },
    internal: { type: 'boolean' },
    team: { type: 'string', maxLength: 64 },
    assignee: { type: 'string', maxLength: 100 },
    reason: { type: 'string', maxLength: 2000 },
    resolution: { type: 'string', minLength: 1, maxLength: 20_000 },
    score: { type: 'integer', minimum: 1, maximum: 5 },
    comment: { type: 'string', maxLength: 2000 },
  },
} as const;

const numberParam = { type: 'object', required: ['number'], properties: { number: { type: 'string', pattern: `^${TICKET_NUMBER_SOURCE}$` } } } as const;

/** Agent tools: read tickets with their history and act on them. */
export async function ticketRoutes(app: FastifyInstance, deps: { keys: ApiKey[]; tickets: TicketService }): Promise<void> {
  const agentOnly = guard(deps.keys, 'agent');

  app.get<{ Params: { number: string } }>(
    '/api/v1/tickets/:number',
    { preHandler: agentOnly, schema: { tags: ['tickets'], summary: 'A ticket with its requester, events and messages', params: numberParam } },
    async (req) => {
      const detail = await deps.tickets.get(req.params.number.toUpperCase());
      if (!detail) throw notFound('ticket', req.params.number);
      return detail;
    },
  );

  app.get<{ Querystring: { status?: string; tier?: Tier; team?: string; assignee?: string; limit?: number } }>(
    '/api/v1/tickets',
    {
      preHandler: agentOnly,
      schema: {
        tags: ['tickets'],
        summary: 'Tickets by status (comma-separated), tier, team or assignee',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', pattern: `^(${TICKET_STATUSES.join('|')})(,(${TICKET_STATUSES.join('|')}))*$` },
            tier: { type: 'string', enum: ['L1', 'L2', 'L3'] },
            team: { type: 'string', maxLength: 64 },
            assignee: { type: 'string', maxLength: 100 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      const tickets = await deps.tickets.list({
        status: q.status ? (q.status.split(',') as TicketStatus[]) : undefined,
        tier: q.tier,
        team: q.team,
        assignee: q.assignee,
        limit: q.limit,
      });
      return { tickets };
    },
  );

  for (const [name, action] of Object.entries(ACTIONS)) {
    app.post<{ Params: { number: string }; Body: ActionBody }>(
      `/api/v1/tickets/:number/${name}`,
      {
        preHandler: agentOnly,
        schema: { tags: ['tickets'], summary: `${name} a ticket`, params: numberParam, body: { ...actionBodySchema, required: action.required } },
      },
      async (req: FastifyRequest<{ Params: { number: string }; Body: ActionBody }>) => {
        const body = req.body ?? {};
        const ticket = await action.run(deps.tickets, req.params.number.toUpperCase(), apiActor(req, body.agent), body);
        return { ticket };
      },
    );
  }
}
