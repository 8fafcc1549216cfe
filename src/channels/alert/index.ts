import type { ChannelFactory } from '../types.js';
import { createAlertIntake } from './intake.js';
import { alertmanagerPlugin } from './routes.js';

export { alertConfigSchema, type AlertConfig } from './config.js';

/**
 * Monitoring alerts from Alertmanager's webhook: one ticket per alert group (the first firing alert's
 * severity and labels feed the router's rules; later alerts of the group join it), a resolved alert notes
 * it, and the group resolved resolves it. Off without ALERTMANAGER_TOKEN, so the endpoint is never open.
 */
export const createAlertChannel: ChannelFactory = (ctx) => {
  const token = ctx.env.ALERTMANAGER_TOKEN;
  if (!token) return { off: 'ALERTMANAGER_TOKEN is not set' };
  const config = ctx.config.gateway.channels.alert;
  const logger = ctx.logger.child({ channel: 'alert' });
  const handle = createAlertIntake({ config, intake: ctx.intake, tickets: ctx.tickets, state: ctx.state, logger, now: ctx.now });
  return {
    name: 'alert',
    registerJobs() {},
    async routes(app) {
      await app.register(alertmanagerPlugin({ token, maxBodyBytes: config.maxBodyBytes, handle }));
    },
  };
};
