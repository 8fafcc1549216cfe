import type { Attachment, IntakeRecordInput } from '../../../intake/record.js';
import type { Bilingual } from '../config.js';
import type { Lang } from '../speech.js';

/** Why the caller left a voicemail: the menu's report choice, a missed urgent or operator call, or closed hours. */
export const VOICEMAIL_KINDS = ['report', 'urgent', 'operator', 'afterhours'] as const;
export type VoicemailKind = (typeof VOICEMAIL_KINDS)[number];

export interface VoicemailInput {
  id: string;
  receivedAt: string;
  callSid: string;
  recordingSid: string;
  recordingUrl: string;
  /** The caller's number as Twilio gives it (`+8613…`, or `anonymous`). */
  from: string;
  lang: Lang;
  kind: VoicemailKind;
  /** Twilio's transcription, when it succeeded. */
  transcription?: string;
  /** The audio, copied into the attachment store; when absent the body keeps the recording's URL. */
  recording?: Attachment;
}

const SUBJECTS: Record<VoicemailKind, Bilingual> = {
  report: { zh: '电话留言', en: 'Voicemail' },
  urgent: { zh: '紧急热线未接通', en: 'Missed urgent call' },
  operator: { zh: '人工服务未接通', en: 'Missed operator call' },
  afterhours: { zh: '非服务时间留言', en: 'After-hours voicemail' },
};
const NO_TRANSCRIPTION: Bilingual = { zh: '（留言未能转写，请收听录音）', en: '(The voicemail could not be transcribed; please listen to the recording.)' };
const RECORDING: Bilingual = { zh: '录音', en: 'Recording' };

const E164 = /^\+[1-9]\d{4,14}$/;
const SUBJECT_TEXT = 80;

/**
 * A voicemail as an intake record: the transcription is the body (so the router classifies what was
 * said), the audio is an attachment (or, when it could not be copied, its URL ends the body), the URL is
 * also in `meta.recording_url`, and `dedupeKey` is `voice:<RecordingSid>`, so
 * Twilio's retried callbacks never make a second ticket. A missed urgent call carries
 * `meta.urgent_line = "missed"`, which the routing rules raise to P2.
 */
export function voicemailRecord(input: VoicemailInput): IntakeRecordInput {
  const text = input.transcription?.trim();
  const subjectText = text ? `: ${text.length > SUBJECT_TEXT ? `${text.slice(0, SUBJECT_TEXT - 1)}…` : text}` : '';
  return {
    id: input.id,
    channel: 'voice',
    receivedAt: input.receivedAt,
    dedupeKey: `voice:${input.recordingSid}`,
    requester: E164.test(input.from) ? { phone: input.from, language: input.lang } : { language: input.lang },
    subject: `${SUBJECTS[input.kind][input.lang]}${subjectText}`,
    body: [text || NO_TRANSCRIPTION[input.lang], input.recording ? '' : `${RECORDING[input.lang]}: ${input.recordingUrl}`].filter(Boolean).join('\n\n'),
    language: input.lang,
    attachments: input.recording ? [input.recording] : [],
    thread: {},
    meta: {
      ivr_choice: input.kind,
      call_sid: input.callSid,
      recording_sid: input.recordingSid,
      recording_url: input.recordingUrl,
      transcribed: text ? 'true' : 'false',
      ...(input.kind === 'urgent' ? { urgent_line: 'missed' } : {}),
      ...(input.kind === 'afterhours' ? { after_hours: 'true' } : {}),
    },
  };
}
