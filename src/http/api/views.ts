import type { Ticket } from '../../ticketing/types.js';

/** The ticket as the contract's create/continue answer shows it. */
export function ticketSummary(t: Ticket) {
  return {
    number: t.number,
    type: t.type,
    category: t.category,
    priority: t.priority,
    tier: t.tier,
    team: t.team,
    status: t.status,
    respondBy: t.respondBy,
    resolveBy: t.resolveBy,
  };
}

export const requesterInputSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 200 },
    email: { type: 'string', format: 'email', maxLength: 320 },
    phone: { type: 'string', pattern: '^\\+[1-9]\\d{4,14}$' },
    slackUserId: { type: 'string', maxLength: 64 },
    department: { type: 'string', maxLength: 200 },
  },
} as const;
