import { z } from 'zod';

/** A text in both desk languages: callers hear the one they chose. */
const bilingual = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
export type Bilingual = z.output<typeof bilingual>;

export const IVR_ACTIONS = ['report', 'status', 'urgent', 'repeat', 'operator'] as const;
export type IvrAction = (typeof IVR_ACTIONS)[number];

const menuItem = z.strictObject({
  /** The keypad key. */
  key: z.string().regex(/^[0-9*#]$/, 'expected one keypad key'),
  action: z.enum(IVR_ACTIONS),
  /** What the menu says for this choice. */
  prompt: bilingual,
  /** Spoken words that choose it (`<Gather input="dtmf speech">`), matched case-insensitively as substrings. */
  words: z.strictObject({ zh: z.array(z.string().min(1)).default([]), en: z.array(z.string().min(1)).default([]) }).prefault({}),
});
export type MenuItem = z.output<typeof menuItem>;

const DEFAULT_MENU: z.input<typeof menuItem>[] = [
  { key: '1', action: 'report', prompt: { zh: '报告故障或提出请求，请按1', en: 'To report a problem, press 1 or say "report"' }, words: { zh: ['报告', '故障', '报修'], en: ['report', 'problem'] } },
  { key: '2', action: 'status', prompt: { zh: '查询工单进度，请按2', en: 'To check a ticket, press 2 or say "status"' }, words: { zh: ['查询', '进度'], en: ['status', 'check'] } },
  { key: '3', action: 'urgent', prompt: { zh: '紧急故障，请按3', en: 'For an urgent outage, press 3 or say "urgent"' }, words: { zh: ['紧急'], en: ['urgent', 'emergency'] } },
  { key: '9', action: 'repeat', prompt: { zh: '重听，请按9', en: 'To hear this again, press 9' }, words: { zh: ['重听', '再说'], en: ['repeat', 'again'] } },
  { key: '0', action: 'operator', prompt: { zh: '转人工服务，请按0', en: 'For an operator, press 0 or say "operator"' }, words: { zh: ['人工', '客服'], en: ['operator', 'agent'] } },
];

/**
 * gateway.yaml `channels.voice`: the hotline's IVR. Everything a caller hears is configuration, so the
 * desk changes the menu without a release; fixed phrases (thank-yous, status words) live in prompts.ts.
 */
export const voiceConfigSchema = z
  .strictObject({
    /** The hotline's hours (a calendar of gateway.yaml `calendars`); outside them callers hear `hours` and may leave a voicemail. */
    calendar: z.string().min(1).default('7x24'),
    greeting: bilingual.default({ zh: '您好，这里是IT服务台。', en: 'Hello, this is the IT service desk.' }),
    /** Asked first when the caller's language is unknown: key 1 → zh, key 2 → en. */
    languagePrompt: bilingual.default({ zh: '普通话服务请按1。', en: 'For English, press 2.' }),
    hours: bilingual.default({
      zh: '现在是非服务时间。服务时间为每天9点到17点。请在提示音后留言，我们会尽快处理。',
      en: 'The desk is closed now. Our hours are 9 am to 5 pm every day. Please leave a message after the tone.',
    }),
    menu: z.array(menuItem).min(1).prefault(DEFAULT_MENU),
    voicemail: z
      .strictObject({
        maxLengthSeconds: z.number().int().min(10).max(600).default(120),
        /** Twilio's transcription becomes the ticket body; off: the ticket is made as soon as the recording ends. */
        transcribe: z.boolean().default(true),
        /** While the transcription is on its way the caller holds this many times 3 s, then hears that the number comes by SMS. */
        waitRounds: z.number().int().min(0).max(20).default(5),
      })
      .prefault({}),
    urgent: z
      .strictObject({
        /** The L1 team whose on-call numbers are dialled in turn; the first L1 team when absent. */
        team: z.string().optional(),
        dialTimeoutSeconds: z.number().int().min(5).max(120).default(20),
      })
      .prefault({}),
    /** The operator's number; the urgent team's first on-call number when absent. */
    operator: z.string().regex(/^\+[1-9]\d{4,14}$/).optional(),
    /** How many open tickets a known caller is offered before the menu. */
    offerOpenTickets: z.number().int().min(0).max(5).default(3),
  })
  .prefault({});
export type VoiceConfig = z.output<typeof voiceConfigSchema>;

/**
 * gateway.yaml `channels.sms`. How long a sender's next text still joins their open ticket is intake's
 * `conversationWindowHours` (gateway.yaml `intake:`), the one window every conversation channel shares.
 */
export const smsConfigSchema = z
  .strictObject({
    /** Status changes the requester is told about by text (resolution always is). */
    notifyStatuses: z.array(z.enum(['assigned', 'in_progress', 'pending', 'closed'])).default(['in_progress', 'pending', 'closed']),
    /** Longest outbound text; longer replies are cut with an ellipsis (Twilio's limit is 1600). */
    maxLength: z.number().int().min(70).max(1600).default(640),
  })
  .prefault({});
export type SmsConfig = z.output<typeof smsConfigSchema>;
