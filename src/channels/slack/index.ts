import { App, SocketModeReceiver } from '@slack/bolt';
import type { ChannelFactory } from '../types.js';
import { registerActionListeners } from './actions.js';
import { boltLogger } from './bolt-logger.js';
import { registerCommands } from './commands.js';
import type { SlackDeps } from './deps.js';
import { registerHome } from './home.js';
import { registerSlackJobs } from './jobs.js';
import { registerSlackSurvey } from './survey.js';
import { registerSlaNotices } from './sla-notices.js';
import { registerMessageListeners } from './messages.js';
import { createPeople } from './people.js';
import { createMethodPause } from '../../dispatch/method-pause.js';
import { createChannelLimiter } from './rate-limit.js';
import { createFastifyReceiver } from './receiver.js';
import { createPresence } from './presence.js';
import { staffedTeams } from '../../assignment/roster.js';

export { slackConfigSchema } from './config.js';

/**
 * Slack: agents work routed tickets from cards in their team's channel; employees ask IT by DM or mention.
 * HTTP mode shares spoc's server at POST /slack/events; with SLACK_APP_TOKEN it uses Socket Mode instead.
 */
export const createSlackChannel: ChannelFactory = (ctx) => {
  const { SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: signingSecret, SLACK_APP_TOKEN: appToken, SLACK_API_URL: apiUrl } = ctx.env;
  if (!token) return { off: 'SLACK_BOT_TOKEN is not set' };
  if (!signingSecret && !appToken) return { off: 'SLACK_SIGNING_SECRET is not set (or SLACK_APP_TOKEN for Socket Mode)' };

  const log = ctx.logger.child({ channel: 'slack' });
  const logger = boltLogger(log);
  const config = ctx.config.gateway.channels.slack;
  // One auth.test (bot user and bot id, so our own messages are ignored), on first need rather than at construction:
  // worker processes only send and never need it.
  let initialising: Promise<void> | undefined;
  const init = () =>
    (initialising ??= app.init().catch((err: unknown) => {
      initialising = undefined;
      throw err;
    }));
  const http = signingSecret && !appToken ? createFastifyReceiver({ signingSecret, logger: log, prepare: init }) : undefined;
  const app: App = new App({
    token,
    receiver: http ?? new SocketModeReceiver({ appToken: appToken as string, logger }),
    logger,
    deferInitialization: true,
    clientOptions: {
      ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
      // The outbox retries with backoff and honours Retry-After; the client must not sleep inside a job.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 10_000,
    },
  });
  app.error(async (error) => {
    log.error({ code: error.code, err: error.message }, 'slack listener failed');
    throw error;
  });

  const d: SlackDeps = {
    ctx,
    client: app.client,
    config,
    teams: staffedTeams(ctx.config.gateway.teams, ctx.config.directory.people),
    timezone: ctx.config.gateway.desk.timezone,
    limiter: createChannelLimiter({ intervalMs: config.postIntervalMs }),
    pause: createMethodPause(ctx.env, `${ctx.env.SPOC_QUEUE ?? 'spoc'}:slack`),
    log,
  };
  const people = createPeople(d);
  registerMessageListeners(app, d, people);
  registerActionListeners(app, d, people);
  registerCommands(app, d, people);
  registerHome(app, d);
  const presence = createPresence(d);

  return {
    name: 'slack',
    presence,
    registerJobs: (dispatch) => {
      registerSlackJobs(d, people, dispatch);
      registerSlackSurvey(app, d, dispatch);
      registerSlaNotices(d, dispatch);
    },
    ...(http
      ? {
          async routes(server) {
            await server.register(http.plugin);
          },
        }
      : {}),
    async start() {
      if (!http) {
        await init();
        await app.start();
        log.info('slack connected in Socket Mode');
        return;
      }
      try {
        await init();
        log.info('slack ready at POST /slack/events');
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'slack auth.test failed; check SLACK_BOT_TOKEN');
      }
    },
    async stop() {
      if (!http) await app.stop();
      await d.pause.close();
    },
  };
};
