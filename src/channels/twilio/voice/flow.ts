import { affectedStep } from './affected.js';
import { dialStep } from './dial.js';
import { entryStep, languageStep } from './entry.js';
import { menuStep } from './menu.js';
import { mineStep, smsNumberStep, statusStep } from './status.js';
import type { VoiceStep } from './types.js';
import { voiceResponse } from '../twiml.js';
import { recordingStep, transcriptionStep, waitStep } from './voicemail.js';

/**
 * The IVR as a table from callback path (under `/twilio/voice`) to step. Each step reads what it needs
 * from Twilio's parameters and its own query (language, kind, index), so a retried callback gives the same
 * TwiML; the only effects, the voicemail ticket and the texted number, are keyed on RecordingSid and CallSid.
 */
export const VOICE_STEPS = new Map<string, VoiceStep>([
  ['', entryStep],
  ['language', languageStep],
  ['affected', affectedStep],
  ['menu', menuStep],
  ['mine', mineStep],
  ['status', statusStep],
  ['sms-number', smsNumberStep],
  ['dial', dialStep],
  ['recording', recordingStep],
  ['wait', waitStep],
  ['transcription', transcriptionStep],
  ['ended', endedStep],
]);

/** `POST /twilio/voice/ended`: the number's status callback at the end of a call; only the call record notes it. */
async function endedStep() {
  return voiceResponse();
}
