import twilio from 'twilio';
import type { Bilingual } from './config.js';
import { GATHER_LANGUAGE, SAY_LANGUAGE, type Lang } from './speech.js';

export type VoiceResponse = twilio.twiml.VoiceResponse;
type Gather = ReturnType<VoiceResponse['gather']>;
type Sayer = Pick<VoiceResponse, 'say'>;

export const voiceResponse = (): VoiceResponse => new twilio.twiml.VoiceResponse();

/** Speaks `text` in `lang` (nothing for an empty text, so optional phrases need no branches). */
export function say(node: Sayer, lang: Lang, text: string): void {
  if (text.trim()) node.say({ language: SAY_LANGUAGE[lang] }, text);
}

/** Both languages, Chinese first: for callers whose language is not known yet. */
export function sayBoth(node: Sayer, text: Bilingual): void {
  say(node, 'zh', text.zh);
  say(node, 'en', text.en);
}

export interface GatherOptions {
  action: string;
  /** Speech recognition language; keypad only when absent. */
  lang?: Lang;
  numDigits?: number;
  finishOnKey?: string;
  timeoutSeconds?: number;
  /** Words to help recognition (the menu's spoken choices). */
  hints?: string[];
}

/**
 * A `<Gather>` that posts to `action`; with a language it listens for speech too. When the caller says
 * nothing, Twilio falls through to the verbs after it, so callers add a redirect back to the same prompt.
 */
export function gather(resp: VoiceResponse, opts: GatherOptions): Gather {
  return resp.gather({
    action: opts.action,
    method: 'POST',
    input: opts.lang ? ['dtmf', 'speech'] : ['dtmf'],
    ...(opts.lang ? { language: GATHER_LANGUAGE[opts.lang], speechTimeout: 'auto' } : {}),
    ...(opts.numDigits ? { numDigits: opts.numDigits } : {}),
    ...(opts.finishOnKey ? { finishOnKey: opts.finishOnKey } : {}),
    ...(opts.hints?.length ? { hints: opts.hints.join(', ') } : {}),
    timeout: opts.timeoutSeconds ?? 6,
  });
}

export interface RecordOptions {
  action: string;
  maxLengthSeconds: number;
  /** Where Twilio posts the transcription; no transcription when absent. */
  transcribeCallback?: string;
}

export function record(resp: VoiceResponse, opts: RecordOptions): void {
  resp.record({
    action: opts.action,
    method: 'POST',
    maxLength: opts.maxLengthSeconds,
    finishOnKey: '#',
    playBeep: true,
    ...(opts.transcribeCallback ? { transcribe: true, transcribeCallback: opts.transcribeCallback } : {}),
  });
}

export function dial(resp: VoiceResponse, opts: { number: string; action: string; timeoutSeconds: number }): void {
  resp.dial({ action: opts.action, method: 'POST', timeout: opts.timeoutSeconds }).number(opts.number);
}

/** The TwiML answer to an SMS: one `<Message>`, or none (an empty `<Response/>` sends nothing). */
export function messagingResponse(text?: string): string {
  const resp = new twilio.twiml.MessagingResponse();
  if (text) resp.message(text);
  return resp.toString();
}

/** Absolute callback URLs under `/twilio/voice/`: Twilio signs the full URL it calls, query included. */
export function voiceUrls(publicBaseUrl: string) {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return (step: string, query: Record<string, string | number | undefined> = {}): string => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v));
    const q = qs.toString();
    return `${base}/twilio/voice${step ? `/${step}` : ''}${q ? `?${q}` : ''}`;
  };
}
export type VoiceUrls = ReturnType<typeof voiceUrls>;
