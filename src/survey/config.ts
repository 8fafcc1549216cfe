import { z } from 'zod';
import type { Channel } from '../intake/record.js';
import type { Subscription } from '../dispatch/types.js';
import type { ConfigSource } from '../config/yaml.js';

/** What each score means, lowest first. */
export const SCORE_WORDS = [
  { zh: '很不满意', en: 'very dissatisfied' },
  { zh: '不满意', en: 'dissatisfied' },
  { zh: '一般', en: 'neutral' },
  { zh: '满意', en: 'satisfied' },
  { zh: '非常满意', en: 'very satisfied' },
] as const;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** One channel's survey: whether it is sent, how long after the close, and how long it can be answered. */
const channelSurveySchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Minutes after the close before the survey goes out (a quiet interval after the last message). */
  delayMinutes: z.number().min(0).max(7 * 24 * 60).default(0),
  /** Days from the close during which an answer counts; a later answer (or link) is refused and changes nothing. */
  expiresDays: z.number().positive().max(365).default(7),
});
export type ChannelSurvey = z.output<typeof channelSurveySchema>;

/** The channels a survey can go out on; a ticket's survey goes out on the channel it came in on. */
export const SURVEY_CHANNELS = ['email', 'web', 'api', 'sms', 'voice', 'slack', 'chat'] as const satisfies readonly Channel[];
export type SurveyChannel = (typeof SURVEY_CHANNELS)[number];

/**
 * gateway.yaml `survey`: the satisfaction survey (满意度) sent once per ticket on close, on the originating
 * channel. Email, web and API tickets are asked by mail (and the portal's status page), SMS by text, voice by
 * text when the caller's number is a mobile, Slack with buttons, the chat with stars.
 */
export const surveyConfigSchema = z
  .strictObject({
    /** A score at or below this notifies the desk manager, as complaints are routed; 0 turns that off. */
    lowScore: z.number().int().min(0).max(5).default(2),
    /** The team told of low scores (its Slack channel): the desk manager's. */
    notifyTeam: z.string().min(1).default('desk-manager'),
    channels: z.strictObject(Object.fromEntries(SURVEY_CHANNELS.map((c) => [c, channelSurveySchema.prefault({})])) as Record<SurveyChannel, z.ZodPrefault<typeof channelSurveySchema>>).prefault({}),
  })
  .prefault({});
export type SurveyConfig = z.output<typeof surveyConfigSchema>;

export const isSurveyChannel = (c: Channel): c is SurveyChannel => (SURVEY_CHANNELS as readonly string[]).includes(c);

/** The settings of a ticket's channel; undefined for channels that are never surveyed (alerts). */
export function surveyOf(config: SurveyConfig, channel: Channel): ChannelSurvey | undefined {
  return isSurveyChannel(channel) ? config.channels[channel] : undefined;
}

/** Until when a survey sent for a ticket closed at `closedAt` may be answered. */
export function surveyExpiry(settings: ChannelSurvey, closedAt: Date): Date {
  return new Date(closedAt.getTime() + settings.delayMinutes * MINUTE_MS + settings.expiresDays * DAY_MS);
}

/**
 * The `closed` subscriptions of one survey job: one per enabled channel, each delayed by its channel's
 * setting, so turning a channel's survey off or delaying it is configuration only.
 */
export function surveySubscriptions(config: SurveyConfig, jobType: string, channels: readonly SurveyChannel[]): Subscription[] {
  return channels
    .filter((c) => config.channels[c].enabled)
    .map((c) => ({ jobType, events: ['closed'], channels: [c], delayMs: config.channels[c].delayMinutes * MINUTE_MS }));
}

/** The team told of low scores must be one of gateway.yaml's `teams`; the error names its line. */
export function checkSurveyTeam(config: SurveyConfig, teams: Readonly<Record<string, unknown>>, source: Pick<ConfigSource, 'error'>): void {
  if (config.lowScore > 0 && !Object.hasOwn(teams, config.notifyTeam)) {
    throw source.error(['survey', 'notifyTeam'], `unknown team "${config.notifyTeam}" (known: ${Object.keys(teams).join(', ')})`);
  }
}
