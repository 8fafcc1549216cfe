import type { Ticket } from '../../ticketing/types.js';
import type { SlackDeps } from './deps.js';
import { roleOf } from './permissions.js';
import { OPEN_STATUSES } from '../../ticketing/types.js';
import type { Lang } from './texts.js';


/**
 * What App Home and `/spoc mine` show a person: agents see the open tickets assigned to them
 * (`assigned` is absent for everyone else), and everyone sees their own open requests.
 */
export async function ticketsOf(d: SlackDeps, userId: string): Promise<{ assigned?: Ticket[]; requested: Ticket[] }> {
  const limit = d.config.listLimit;
  const requester = await d.ctx.directory.find({ slackUserId: userId });
  const requested = requester ? (await d.ctx.directory.openTickets(requester.id)).slice(0, limit) : [];
  if (roleOf(d.teams, userId) === 'requester') return { requested };
  const assigned = await d.ctx.tickets.list({ assignee: `slack:${userId}`, status: [...OPEN_STATUSES], limit });
  return { assigned, requested };
}

/**
 * The language a person reads in Slack: their profile's (directory.yaml, or learned from their contacts),
 * else that of their newest open request, else English.
 */
export async function languageOf(d: SlackDeps, userId: string): Promise<Lang> {
  const requester = await d.ctx.directory.find({ slackUserId: userId });
  if (!requester) return 'en';
  return requester.language ?? (await d.ctx.directory.openTickets(requester.id))[0]?.language ?? 'en';
}
