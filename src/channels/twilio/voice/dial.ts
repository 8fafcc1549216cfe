import { PROMPTS } from '../prompts.js';
import { pick, type Lang } from '../speech.js';
import { dial, say, voiceResponse, type VoiceResponse } from '../twiml.js';
import type { VoiceDeps, VoiceStep } from './types.js';
import { recordVoicemail } from './voicemail.js';

export type DialKind = 'urgent' | 'operator';

function targets(kind: DialKind, deps: VoiceDeps): string[] {
  if (kind === 'urgent') return deps.onCall;
  const operator = deps.operator ?? deps.onCall[0];
  return operator ? [operator] : [];
}

/**
 * Rings the `index`-th number of the urgent line (or the operator); each `<Dial>` reports back to
 * `/twilio/voice/dial` with the next index, so the numbers are tried in turn. When none is left, the
 * caller leaves a voicemail of that kind (a missed urgent call becomes a P2 ticket).
 */
export function startDial(resp: VoiceResponse, lang: Lang, kind: DialKind, index: number, deps: VoiceDeps): void {
  const numbers = targets(kind, deps);
  const number = numbers[index];
  if (number === undefined) {
    say(resp, lang, pick(kind === 'urgent' ? PROMPTS.urgentNoAnswer : PROMPTS.operatorNoAnswer, lang));
    recordVoicemail(resp, lang, kind, deps, { intro: false });
    return;
  }
  if (index === 0) say(resp, lang, pick(kind === 'urgent' ? PROMPTS.urgentConnecting : PROMPTS.operatorConnecting, lang));
  dial(resp, {
    number,
    action: deps.urls('dial', { lang, kind, i: index + 1 }),
    timeoutSeconds: deps.voice.urgent.dialTimeoutSeconds,
  });
}

/** `POST /twilio/voice/dial?lang=&kind=&i=`: after a `<Dial>`; an answered call is over, otherwise the next number. */
export const dialStep: VoiceStep = async (req, deps) => {
  const lang = req.lang ?? deps.defaultLang;
  const resp = voiceResponse();
  const status = req.params.DialCallStatus;
  if (status === 'completed' || status === 'answered') {
    resp.hangup();
    return resp;
  }
  const kind: DialKind = req.query.kind === 'operator' ? 'operator' : 'urgent';
  startDial(resp, lang, kind, Number(req.query.i ?? 0) || 0, deps);
  return resp;
};
