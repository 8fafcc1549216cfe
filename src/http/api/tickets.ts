import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TICKET_STATUSES, type TicketStatus } from '../../ticketing/types.js';
import type { Actor, TicketService } from '../../ticketing/service-types.js';
import { notFound } from '../../shared/errors.js';
import type { Priority, Tier } from '../../router/types.js';
import { CHANNELS, type Channel } from '../../intake/record.js';
import { errorResponses, ref } from './schemas.js';
import type { ApiKey } from '../auth.js';
import { apiActor, guard, type StaffLookup } from '../guard.js';
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

const csv = (values: readonly string[]) => `^(${values.join('|')})(,(${values.join('|')}))*$`;

/** The listing's query: the queue's filters, search, and cursor paging beyond any one page's limit. */
const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', pattern: csv(TICKET_STATUSES), description: 'comma-separated statuses' },
    tier: { type: 'string', enum: ['L1', 'L2', 'L3'] },
    team: { type: 'string', maxLength: 64 },
    assignee: { type: 'string', maxLength: 100 },
    priority: { type: 'string', pattern: csv(['P1', 'P2', 'P3', 'P4']), description: 'comma-separated priorities' },
    channel: { type: 'string', enum: [...CHANNELS] },
    sla: { type: 'string', enum: ['at_risk', 'breached'] },
    requester: { type: 'string', minLength: 1, maxLength: 320, description: "the requester's email, E.164 phone, Slack id or id" },
    q: { type: 'string', minLength: 1, maxLength: 200, description: 'words in the number, subject, requester or messages (Chinese or English)' },
    sort: { type: 'string', enum: ['created', 'due'], default: 'created' },
    cursor: { type: 'string', maxLength: 400, description: "the previous page's nextCursor" },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const;

type ListQuery = { status?: string; tier?: Tier; team?: string; assignee?: string; priority?: string; channel?: Channel; sla?: 'at_risk' | 'breached'; requester?: string; q?: string; sort?: 'created' | 'due'; cursor?: string; limit?: number };

const ticketAnswer = { 200: { type: 'object', required: ['ticket'], properties: { ticket: ref('Ticket') } } } as const;

/** Agent tools: read tickets with their history and act on them. */
export async function ticketRoutes(
  app: FastifyInstance,
  deps: { keys: ApiKey[]; tickets: TicketService; staff: StaffLookup; relations?: (ticketId: string) => Promise<{ parent?: string; children?: string[] }> },
): Promise<void> {
  const agentOnly = guard(deps.keys, 'agent');

  app.get<{ Params: { number: string } }>(
    '/api/v1/tickets/:number',
    {
      preHandler: agentOnly,
      schema: { tags: ['tickets'], summary: 'A ticket with its requester, events and messages', params: numberParam, response: { 200: ref('TicketDetail'), ...errorResponses(400, 401, 403, 404) } },
    },
    async (req) => {
      const detail = await deps.tickets.get(req.params.number.toUpperCase());
      if (!detail) throw notFound('ticket', req.params.number);
      // A major incident's parent lists its children; a child names its parent.
      return { ...detail, ...(await deps.relations?.(detail.ticket.id)) };
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/api/v1/tickets',
    {
      preHandler: agentOnly,
      schema: {
        tags: ['tickets'],
        summary: 'Tickets by filters and words, a page at a time (follow nextCursor)',
        querystring: listQuery,
        response: {
          200: { type: 'object', required: ['tickets'], properties: { tickets: { type: 'array', items: ref('Ticket') }, nextCursor: { type: 'string' } } },
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (req) => {
      const q = req.query;
      return deps.tickets.page({
        status: q.status ? (q.status.split(',') as TicketStatus[]) : undefined,
        tier: q.tier,
        team: q.team,
        assignee: q.assignee,
        priority: q.priority ? (q.priority.split(',') as Priority[]) : undefined,
        channel: q.channel,
        sla: q.sla,
        requester: q.requester,
        q: q.q,
        sort: q.sort,
        cursor: q.cursor,
        limit: q.limit,
      });
    },
  );

  for (const [name, action] of Object.entries(ACTIONS)) {
    app.post<{ Params: { number: string }; Body: ActionBody }>(
      `/api/v1/tickets/:number/${name}`,
      {
        preHandler: agentOnly,
        schema: {
          tags: ['tickets'],
          summary: `${name} a ticket`,
          description: 'Recorded as the key\'s owner; an admin key may name the agent it acts for (`agent`), recorded with `via` the key.',
          params: numberParam,
          body: { ...actionBodySchema, required: action.required },
          response: { ...ticketAnswer, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (req: FastifyRequest<{ Params: { number: string }; Body: ActionBody }>) => {
        const body = req.body ?? {};
        const ticket = await action.run(deps.tickets, req.params.number.toUpperCase(), await apiActor(req, deps.staff, body.agent), body);
        return { ticket };
      },
    );
  }
}
