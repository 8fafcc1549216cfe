import type { FastifyInstance } from 'fastify';
import { errorResponses, ref } from '../http/api/schemas.js';
import type { ApiKey } from '../http/auth.js';
import { apiActor, guard, type StaffLookup } from '../http/guard.js';
import { TICKET_NUMBER_SOURCE } from '../ticketing/numbers.js';
import type { Incidents } from './incidents.js';

const NUMBER = { type: 'string', pattern: `^${TICKET_NUMBER_SOURCE}$` } as const;

const incidentSchema = {
  type: 'object',
  required: ['number', 'subject', 'status', 'declaredAt', 'children'],
  properties: {
    number: { type: 'string' },
    subject: { type: 'string' },
    service: { type: 'string' },
    status: { type: 'string' },
    declaredAt: { type: 'string', format: 'date-time' },
    children: { type: 'array', items: { type: 'string' } },
  },
} as const;

const ticketAnswer = { type: 'object', required: ['ticket'], properties: { ticket: ref('Ticket') } } as const;

/**
 * Major incidents for agents: `POST /api/v1/incidents` declares one (about a service, or on a ticket that
 * becomes its first child), `GET /api/v1/incidents` lists the open ones, and children are linked and
 * unlinked under `/api/v1/incidents/:number/children`. Updates are replies on the parent, and resolving
 * the parent resolves its children (src/incidents/jobs.ts).
 */
export function incidentRoutes(deps: { keys: ApiKey[]; incidents: Incidents; staff: StaffLookup }) {
  return async (app: FastifyInstance) => {
    const agentOnly = guard(deps.keys, 'agent');
    const described = async (ticketId: string) => {
      const incident = await deps.incidents.incident(ticketId);
      const children = (await deps.incidents.children(ticketId)).map((c) => c.number);
      return { ...incident!, children };
    };

    app.post<{ Body: { service?: string; ticket?: string; title?: string; agent?: string } }>(
      '/api/v1/incidents',
      {
        preHandler: agentOnly,
        schema: {
          tags: ['incidents'],
          summary: 'Declare a major incident about a service, or on a ticket (its first child)',
          description: 'The parent is P1, owned by the service’s team; the desk manager is told. 409 `incident_open` when the service has one open (its number in `details.incident`).',
          body: {
            type: 'object',
            additionalProperties: false,
            properties: {
              service: { type: 'string', minLength: 1, maxLength: 100, description: 'a service id of config/services.yaml' },
              ticket: NUMBER,
              title: { type: 'string', minLength: 1, maxLength: 300 },
              agent: { type: 'string', minLength: 1, maxLength: 100 },
            },
          },
          response: { 201: { type: 'object', required: ['incident'], properties: { incident: incidentSchema } }, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (req, reply) => {
        const body = req.body ?? {};
        const parent = await deps.incidents.declare({ service: body.service, ticket: body.ticket?.toUpperCase(), title: body.title }, await apiActor(req, deps.staff, body.agent));
        return reply.status(201).send({ incident: await described(parent.id) });
      },
    );

    app.get(
      '/api/v1/incidents',
      {
        preHandler: agentOnly,
        schema: {
          tags: ['incidents'],
          summary: 'The open major incidents, newest first, with their children',
          response: { 200: { type: 'object', required: ['incidents'], properties: { incidents: { type: 'array', items: incidentSchema } } }, ...errorResponses(401, 403) },
        },
      },
      async () => ({ incidents: await Promise.all((await deps.incidents.open()).map((i) => described(i.ticketId))) }),
    );

    app.post<{ Params: { number: string }; Body: { ticket: string; reason?: string; agent?: string } }>(
      '/api/v1/incidents/:number/children',
      {
        preHandler: agentOnly,
        schema: {
          tags: ['incidents'],
          summary: 'Link a ticket to a major incident as its child (its requester is told)',
          params: { type: 'object', required: ['number'], properties: { number: NUMBER } },
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['ticket'],
            properties: { ticket: NUMBER, reason: { type: 'string', minLength: 1, maxLength: 500 }, agent: { type: 'string', minLength: 1, maxLength: 100 } },
          },
          response: { 200: ticketAnswer, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (req) => {
        const actor = await apiActor(req, deps.staff, req.body.agent);
        return { ticket: await deps.incidents.link(req.params.number.toUpperCase(), req.body.ticket.toUpperCase(), actor, req.body.reason) };
      },
    );

    app.delete<{ Params: { number: string; child: string } }>(
      '/api/v1/incidents/:number/children/:child',
      {
        preHandler: agentOnly,
        schema: {
          tags: ['incidents'],
          summary: 'Take a child off a major incident',
          params: { type: 'object', required: ['number', 'child'], properties: { number: NUMBER, child: NUMBER } },
          response: { 200: ticketAnswer, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (req) => ({ ticket: await deps.incidents.unlink(req.params.number.toUpperCase(), req.params.child.toUpperCase(), await apiActor(req, deps.staff)) }),
    );
  };
}
