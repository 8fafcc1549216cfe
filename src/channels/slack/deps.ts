import type { webApi } from '@slack/bolt';
import type { MethodPause } from '../../dispatch/method-pause.js';
import type { Logger } from '../../shared/logger.js';
import type { ChannelContext } from '../types.js';
import type { SlackConfig } from './config.js';
import type { Teams } from './permissions.js';
import type { ChannelLimiter } from './rate-limit.js';

/** What the Slack modules share: built once in index.ts. */
export interface SlackDeps {
  ctx: ChannelContext;
  client: webApi.WebClient;
  config: SlackConfig;
  teams: Teams;
  /** The desk's time zone: every time shown in Slack is in it. */
  timezone: string;
  limiter: ChannelLimiter;
  /** Slack's 429 Retry-After per Web API method, shared by every process when REDIS_URL is set. */
  pause: MethodPause;
  log: Logger;
}
