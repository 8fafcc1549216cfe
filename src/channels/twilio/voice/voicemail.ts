import { randomUUID } from 'node:crypto';
import type { Ticket } from '../../../ticketing/types.js';
import { PROMPTS } from '../prompts.js';
import { pick, type Lang } from '../speech.js';
import { record, say, voiceResponse, type VoiceResponse } from '../twiml.js';
import { readBack } from './status.js';
import { langOf, type VoiceDeps, type VoiceRequest, type VoiceStep } from './types.js';
import { VOICEMAIL_KINDS, voicemailRecord, type VoicemailKind } from './voicemail-record.js';

/** Seconds per hold round while the transcription is on its way. */
const WAIT_PAUSE_SECONDS = 3;

const ticketKey = (recordingSid: string) => `twilio:recording:${recordingSid}`;
const textLaterKey = (recordingSid: string) => `twilio:recording-text:${recordingSid}`;

const kindOf = (v: string | undefined): VoicemailKind => (VOICEMAIL_KINDS as readonly string[]).includes(v ?? '') ? (v as VoicemailKind) : 'report';

/** A `<Record>` whose action (and transcription callback) carry the language and the kind of voicemail. */
export function recordVoicemail(resp: VoiceResponse, lang: Lang, kind: VoicemailKind, deps: VoiceDeps, opts: { intro?: boolean } = {}): void {
  if (opts.intro !== false) say(resp, lang, pick(kind === 'afterhours' ? PROMPTS.recordAfterHours : PROMPTS.recordReport, lang));
  const { maxLengthSeconds, transcribe } = deps.voice.voicemail;
  record(resp, {
    action: deps.urls('recording', { lang, kind }),
    maxLengthSeconds,
    ...(transcribe ? { transcribeCallback: deps.urls('transcription', { lang, kind }) } : {}),
  });
  // Twilio skips the action when nothing was recorded and goes on here.
  say(resp, lang, pick(PROMPTS.noRecording, lang));
  resp.hangup();
}

/**
 * Makes the voicemail's ticket, once per RecordingSid: intake dedupes on `voice:<RecordingSid>`, so a
 * retried callback gets the same ticket back. Remembers the number for the caller still on the line.
 */
async function voicemailTicket(req: VoiceRequest, deps: VoiceDeps, transcription: string | undefined): Promise<Ticket> {
  const p = req.params;
  const recordingSid = p.RecordingSid!;
  // A retry of a voicemail already taken needs no second copy of the audio.
  const known = await deps.state.get<string>(ticketKey(recordingSid));
  const recording = known || !p.RecordingUrl ? undefined : await deps.fetchRecording(p.RecordingUrl, recordingSid);
  const result = await deps.intake.accept(
    voicemailRecord({
      id: randomUUID(),
      receivedAt: deps.now().toISOString(),
      callSid: p.CallSid ?? '',
      recordingSid,
      recordingUrl: p.RecordingUrl ?? '',
      from: p.From ?? p.Caller ?? '',
      lang: req.lang ?? deps.defaultLang,
      kind: kindOf(req.query.kind),
      transcription,
      recording,
    }),
  );
  deps.logger.info({ callSid: p.CallSid, recordingSid, ticket: result.ticket.number, outcome: result.outcome }, 'voicemail accepted');
  await deps.state.set(ticketKey(recordingSid), result.ticket.number);
  return result.ticket;
}

function missingRecording(): VoiceResponse {
  const resp = voiceResponse();
  resp.hangup();
  return resp;
}

/**
 * `POST /twilio/voice/recording?lang=&kind=`: the recording ended. Without transcription the ticket is
 * made now and its number read back; with it, the caller holds while the transcription (the ticket's
 * body) arrives at `/transcription`.
 */
export const recordingStep: VoiceStep = async (req, deps) => {
  const lang = req.lang ?? deps.defaultLang;
  const sid = req.params.RecordingSid;
  if (!sid) return missingRecording();
  const resp = voiceResponse();
  if (!deps.voice.voicemail.transcribe) {
    const ticket = await voicemailTicket(req, deps, undefined);
    readBack(resp, lang, ticket.number, deps, 'hangup');
    return resp;
  }
  say(resp, lang, pick(PROMPTS.holdRegistering, lang));
  waitOrRead(resp, lang, sid, 0, await deps.state.get<string>(ticketKey(sid)), deps);
  return resp;
};

function waitOrRead(resp: VoiceResponse, lang: Lang, recordingSid: string, round: number, number: string | undefined, deps: VoiceDeps): boolean {
  if (number) {
    readBack(resp, lang, number, deps, 'hangup');
    return true;
  }
  if (round >= deps.voice.voicemail.waitRounds) return false;
  resp.pause({ length: WAIT_PAUSE_SECONDS });
  resp.redirect({ method: 'POST' }, deps.urls('wait', { lang, rec: recordingSid, n: round + 1 }));
  return true;
}

/** `POST /twilio/voice/wait?lang=&rec=&n=`: still holding; the number once the ticket exists, else a text later. */
export const waitStep: VoiceStep = async (req, deps) => {
  const lang = req.lang ?? deps.defaultLang;
  const sid = req.query.rec;
  if (!sid) return missingRecording();
  const resp = voiceResponse();
  const round = Number(req.query.n ?? 0) || 0;
  if (waitOrRead(resp, lang, sid, round, await deps.state.get<string>(ticketKey(sid)), deps)) return resp;
  // Out of patience: the transcription callback texts the number when it makes the ticket.
  await deps.state.set(textLaterKey(sid), { to: req.params.From, callSid: req.params.CallSid, lang });
  const late = await deps.state.get<string>(ticketKey(sid));
  if (late && req.params.From) await deps.textTicketNumber(req.params.CallSid ?? '', req.params.From, late, lang);
  say(resp, lang, pick(PROMPTS.willText, lang));
  resp.hangup();
  return resp;
};

/**
 * `POST /twilio/voice/transcription?lang=&kind=`: Twilio's transcription (completed or failed) makes
 * the ticket; a caller who gave up holding gets the number by text.
 */
export const transcriptionStep: VoiceStep = async (req, deps) => {
  const sid = req.params.RecordingSid;
  if (!sid) return voiceResponse();
  const text = req.params.TranscriptionStatus === 'completed' ? req.params.TranscriptionText : undefined;
  const ticket = await voicemailTicket(req, deps, text);
  const later = await deps.state.get<{ to?: string; callSid?: string; lang?: string }>(textLaterKey(sid));
  if (later?.to) await deps.textTicketNumber(later.callSid ?? '', later.to, ticket.number, langOf(later.lang) ?? deps.defaultLang);
  return voiceResponse();
};
