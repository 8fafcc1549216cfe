import type { FastifyInstance } from 'fastify';

/**
 * The API's shared OpenAPI components, registered once on the server (`app.addSchema`) and referred to by
 * `$ref: '<Name>#'` from each route's `response`: the same shapes serialise the answers and document them
 * at /docs. Objects keep `additionalProperties: true`, so a field added to a ticket reaches clients
 * before its schema names it, instead of being silently dropped by the serialiser.
 */
const open = { additionalProperties: true } as const;
const str = { type: 'string' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const SHARED_SCHEMAS = [
  {
    $id: 'Error',
    type: 'object',
    description: 'Every failure: a stable code and a readable message',
    required: ['error'],
    properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: str, message: str, details: {} }, ...open } },
  },
  {
    $id: 'TicketSummary',
    type: 'object',
    required: ['number', 'type', 'priority', 'tier', 'team', 'status'],
    properties: { number: str, type: str, category: str, priority: str, tier: str, team: str, status: str, respondBy: dateTime, resolveBy: dateTime, outcome: { type: 'string', enum: ['created', 'joined', 'reopened', 'duplicate'] } },
    ...open,
  },
  {
    $id: 'Ticket',
    type: 'object',
    required: ['id', 'number', 'type', 'priority', 'tier', 'team', 'status', 'subject', 'channel', 'respondBy', 'resolveBy', 'createdAt'],
    properties: {
      id: str, number: str, type: str, category: str, service: str, impact: str, urgency: str, priority: str, tier: str, team: str, status: str,
      subject: str, channel: str, requesterId: str, assignee: str, slaPolicy: str, calendar: str,
      respondBy: dateTime, resolveBy: dateTime, respondedAt: dateTime, resolvedAt: dateTime, closedAt: dateTime, slaPausedAt: dateTime,
      tags: { type: 'array', items: str }, language: str, reason: str, createdAt: dateTime, updatedAt: dateTime,
    },
    ...open,
  },
  {
    $id: 'Requester',
    type: 'object',
    required: ['id'],
    properties: { id: str, name: str, email: str, phone: str, slackUserId: str, department: str, location: str, vip: { type: 'boolean' }, language: str, externalId: str },
    ...open,
  },
  {
    $id: 'Attachment',
    type: 'object',
    required: ['name', 'contentType', 'size', 'sha256'],
    properties: { name: str, contentType: str, size: { type: 'integer' }, sha256: str, ref: str },
    ...open,
  },
  {
    $id: 'TicketEvent',
    type: 'object',
    required: ['id', 'type', 'at', 'actor'],
    properties: { id: { type: 'integer' }, ticketId: str, type: str, at: dateTime, actor: str, data: { type: 'object', additionalProperties: true } },
    ...open,
  },
  {
    $id: 'Message',
    type: 'object',
    required: ['id', 'direction', 'channel', 'author', 'body', 'internal', 'at'],
    properties: {
      id: str, ticketId: str, direction: { type: 'string', enum: ['in', 'out'] }, channel: str, nativeId: str, author: str, body: str,
      internal: { type: 'boolean' }, attachments: { type: 'array', items: { $ref: 'Attachment#' } }, at: dateTime,
    },
    ...open,
  },
  {
    $id: 'TicketDetail',
    type: 'object',
    required: ['ticket', 'requester', 'events', 'messages'],
    properties: {
      ticket: { $ref: 'Ticket#' },
      requester: { $ref: 'Requester#' },
      events: { type: 'array', items: { $ref: 'TicketEvent#' } },
      messages: { type: 'array', items: { $ref: 'Message#' } },
      parent: { type: 'string', description: 'on a child of a major incident: the parent’s number' },
      children: { type: 'array', items: str, description: 'on a major incident: its children’s numbers' },
    },
    ...open,
  },
] as const;

/** Registers the components; called once by createHttpServer before any route. */
export function addSharedSchemas(app: FastifyInstance): void {
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
}

export const ref = (name: (typeof SHARED_SCHEMAS)[number]['$id']) => ({ $ref: `${name}#` }) as const;

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input (wrong type, missing field, bad base64, bad cursor)',
  401: 'No bearer key, or an unknown one',
  403: 'The key may not do this (role, or acting as someone else)',
  404: 'No such ticket or item',
  409: 'Not allowed in the ticket\'s current state',
  413: 'Too large',
  429: 'Too many requests',
};

/** The documented error answers of a route: each the shared Error shape. */
export function errorResponses(...codes: Array<keyof typeof ERROR_TEXT>): Record<number, { description: string; $ref: string }> {
  return Object.fromEntries(codes.map((c) => [c, { description: ERROR_TEXT[c]!, ...ref('Error') }]));
}
