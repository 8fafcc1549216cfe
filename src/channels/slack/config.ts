import { z } from 'zod';

/**
 * `channels.slack` in gateway.yaml: behaviour only. Tokens and the signing secret come from the
 * environment (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, SLACK_API_URL).
 */
export const slackConfigSchema = z
  .strictObject({
    /** A thread message that starts with this marker stays an internal note. */
    noteMarker: z.string().min(1).default('note:'),
    /** Slack allows about one message per second per channel; posts and updates to one channel are spaced by this. */
    postIntervalMs: z.number().int().min(0).default(1000),
    /** Longest summary of the ticket's first message shown on a card. */
    summaryLength: z.number().int().min(20).max(2000).default(280),
    /** Tickets listed in App Home and by `/spoc mine`. */
    listLimit: z.number().int().min(1).max(50).default(10),
    /** Link on the card; `{number}` is replaced. Default: the REST API's ticket URL under PUBLIC_BASE_URL. */
    ticketUrl: z.string().optional(),
  })
  .prefault({});
export type SlackConfig = z.output<typeof slackConfigSchema>;
