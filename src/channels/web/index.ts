import type { ChannelFactory } from '../types.js';
import { portalPlugin } from './routes.js';

export { webConfigSchema, type WebConfig } from './config.js';

/**
 * The public portal at `/`: employees submit requests (with attachments) and check their tickets. It has
 * no outbound side: the requester hears back by email (their address is on the ticket) and on the page.
 */
export const createWebChannel: ChannelFactory = (ctx) => {
  const config = ctx.config.gateway.channels.web;
  if (!config.enabled) return { off: 'channels.web.enabled is false' };
  const teamNames = Object.fromEntries(Object.entries(ctx.config.gateway.teams ?? {}).map(([id, team]) => [id, team.name]));
  const logger = ctx.logger.child({ channel: 'web' });
  return {
    name: 'web',
    registerJobs() {},
    async routes(app) {
      await app.register(portalPlugin({ config, intake: ctx.intake, tickets: ctx.tickets, attachments: ctx.attachments, teamNames, logger, incidents: ctx.incidents, ...(ctx.survey ? { survey: ctx.survey } : {}), ...(ctx.now ? { now: ctx.now } : {}) }));
    },
  };
};
