import { inlineSource } from '../../config/yaml.js';
import { compileCalendar } from '../../router/calendar.js';
import type { ChannelContext, ChannelFactory } from '../types.js';
import { createAnnouncementStore } from './announcement.js';
import type { VoiceConfig } from './config.js';
import { twilioRoutes } from './plugin.js';
import { createSmsSender } from './rest-client.js';
import { createOptOutStore } from './sms/opt-out.js';
import { createSmsDeliverHandler, SMS_JOB, smsSubscriptions } from './sms/outbound.js';
import { createTicketNumberTexter } from './sms/texter.js';
import { answerSmsSurvey, createSmsSurveyHandler, SMS_SURVEY_JOB } from './sms/survey.js';
import { surveySubscriptions } from '../../survey/config.js';
import { voiceUrls } from './twiml.js';
import { createCallRecords } from './voice/call-records.js';
import { createRecordingFetcher } from './voice/recording-fetch.js';
import type { VoiceDeps } from './voice/types.js';

export { announcementRoutes, createAnnouncementStore, type Announcement, type AnnouncementStore } from './announcement.js';
export { smsConfigSchema, voiceConfigSchema } from './config.js';

const REQUIRED_ENV = ['TWILIO_AUTH_TOKEN', 'TWILIO_ACCOUNT_SID', 'TWILIO_FROM'] as const;

const source = inlineSource('config/gateway.yaml');

/** The hotline's calendar, compiled from gateway.yaml `calendars` (the router's own compiler). */
function hotlineCalendar(ctx: ChannelContext, voice: VoiceConfig) {
  const gateway = ctx.config.gateway;
  const cfg = gateway.calendars[voice.calendar];
  if (!cfg) throw source.error(['channels', 'voice', 'calendar'], `unknown calendar "${voice.calendar}"`);
  return compileCalendar(voice.calendar, cfg, gateway.desk, source, ['calendars', voice.calendar]);
}

/** The urgent line: the configured team's on-call numbers, or the first L1 team's that has some. */
function onCallNumbers(ctx: ChannelContext, voice: VoiceConfig): string[] {
  const teams = ctx.config.gateway.teams;
  if (!voice.urgent.team) return Object.values(teams).find((t) => t.tier === 'L1' && t.onCall.length > 0)?.onCall ?? [];
  const team = teams[voice.urgent.team];
  if (!team) throw source.error(['channels', 'voice', 'urgent', 'team'], `unknown team "${voice.urgent.team}"`);
  return team.onCall;
}

/**
 * Phone (IVR, voicemail, urgent line) and SMS through Twilio. Off when its secrets are absent. The
 * major-incident announcement's admin routes are separate (`announcementRoutes`), for the lead to mount
 * behind admin authentication.
 */
export const createTwilioChannel: ChannelFactory = (ctx) => {
  const missing = REQUIRED_ENV.find((name) => !ctx.env[name]);
  if (missing) return { off: `${missing} not set` };
  const env = ctx.env as Record<(typeof REQUIRED_ENV)[number], string>;
  const { voice, sms } = ctx.config.gateway.channels;
  const now = ctx.now ?? (() => new Date());
  const logger = ctx.logger.child({ channel: 'twilio' });
  const sender = createSmsSender({ accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM, apiUrl: ctx.env.TWILIO_API_URL });
  const optOuts = createOptOutStore(ctx.state);
  const calendar = hotlineCalendar(ctx, voice);
  const defaultLang = ctx.config.gateway.desk.language;

  const surveyDeps = ctx.survey ? { survey: ctx.survey, tickets: ctx.tickets, effects: ctx.effects, state: ctx.state, optOuts, sender, defaultLang, logger } : undefined;
  const voiceDeps: VoiceDeps = {
    voice,
    urls: voiceUrls(ctx.publicBaseUrl),
    intake: ctx.intake,
    tickets: ctx.tickets,
    directory: ctx.directory,
    state: ctx.state,
    announcements: createAnnouncementStore(ctx.state),
    hotlineOpen: (at) => calendar.isOpen(at),
    onCall: onCallNumbers(ctx, voice),
    operator: voice.operator,
    ticketPrefixes: ctx.config.gateway.types.map((t) => t.prefix),
    timezone: ctx.config.gateway.desk.timezone,
    defaultLang,
    textTicketNumber: createTicketNumberTexter({ sender, optOuts, state: ctx.state, logger }),
    fetchRecording: createRecordingFetcher({
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      apiUrl: ctx.env.TWILIO_API_URL,
      attachments: ctx.attachments,
      logger,
    }),
    calls: createCallRecords(ctx.state, now),
    now,
    logger,
  };

  return {
    name: 'twilio',
    registerJobs(dispatch) {
      dispatch.register(SMS_JOB, createSmsDeliverHandler({ sms, tickets: ctx.tickets, effects: ctx.effects, optOuts, sender, defaultLang, logger, autoClose: ctx.config.gateway.loop.autoClose }));
      for (const sub of smsSubscriptions(sms)) dispatch.subscribe(sub);
      if (surveyDeps) {
        dispatch.register(SMS_SURVEY_JOB, createSmsSurveyHandler(surveyDeps));
        for (const sub of surveySubscriptions(surveyDeps.survey.config, SMS_SURVEY_JOB, ['sms', 'voice'])) dispatch.subscribe(sub);
      }
    },
    async routes(app) {
      await app.register(
        twilioRoutes({
          authToken: env.TWILIO_AUTH_TOKEN,
          publicBaseUrl: ctx.publicBaseUrl,
          voice: voiceDeps,
          sms: { intake: ctx.intake, optOuts, now, logger, ...(surveyDeps ? { answerSurvey: (from: string, body: string) => answerSmsSurvey(surveyDeps, from, body) } : {}) },
        }),
      );
    },
  };
};
