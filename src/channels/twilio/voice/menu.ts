import type { IvrAction, MenuItem } from '../config.js';
import { PROMPTS } from '../prompts.js';
import { pick, type Lang } from '../speech.js';
import { gather, say, voiceResponse, type VoiceResponse } from '../twiml.js';
import { startDial } from './dial.js';
import { askTicketNumber } from './status.js';
import type { VoiceDeps, VoiceStep } from './types.js';
import { recordVoicemail } from './voicemail.js';

/** Silent rounds before the call ends: a pocket dial should not hold a line forever. */
const MAX_SILENT_ROUNDS = 3;

/** The menu as a `<Gather>` (keys and spoken words); silence comes back here with the round counted. */
export function renderMenu(resp: VoiceResponse, lang: Lang, deps: VoiceDeps, round = 0): void {
  const g = gather(resp, {
    action: deps.urls('menu', { lang }),
    lang,
    numDigits: 1,
    hints: deps.voice.menu.flatMap((item) => item.words[lang]),
  });
  for (const item of deps.voice.menu) say(g, lang, item.prompt[lang]);
  resp.redirect({ method: 'POST' }, deps.urls('menu', { lang, round: round + 1 }));
}

/** The menu item a key press or an utterance chooses. */
export function matchMenu(menu: MenuItem[], lang: Lang, digits: string | undefined, speech: string | undefined): MenuItem | undefined {
  if (digits) return menu.find((item) => item.key === digits[0]);
  const said = speech?.toLowerCase();
  if (!said) return undefined;
  return menu.find((item) => item.words[lang].some((w) => said.includes(w.toLowerCase())));
}

type ActionHandler = (resp: VoiceResponse, lang: Lang, deps: VoiceDeps) => void;

const ACTIONS = new Map<IvrAction, ActionHandler>([
  ['report', (resp, lang, deps) => recordVoicemail(resp, lang, 'report', deps)],
  ['status', (resp, lang, deps) => askTicketNumber(resp, lang, deps)],
  ['urgent', (resp, lang, deps) => startDial(resp, lang, 'urgent', 0, deps)],
  ['operator', (resp, lang, deps) => startDial(resp, lang, 'operator', 0, deps)],
  ['repeat', (resp, lang, deps) => renderMenu(resp, lang, deps)],
]);

/** `POST /twilio/voice/menu?lang=`: a choice, or (no input) the menu again. */
export const menuStep: VoiceStep = async (req, deps) => {
  const lang = req.lang ?? deps.defaultLang;
  const resp = voiceResponse();
  const digits = req.params.Digits;
  const speech = req.params.SpeechResult;
  if (!digits && !speech) {
    const round = Number(req.query.round ?? 0);
    if (round >= MAX_SILENT_ROUNDS) {
      say(resp, lang, pick(PROMPTS.goodbye, lang));
      resp.hangup();
    } else renderMenu(resp, lang, deps, round);
    return resp;
  }
  const item = matchMenu(deps.voice.menu, lang, digits, speech);
  if (!item) {
    say(resp, lang, pick(PROMPTS.notUnderstood, lang));
    renderMenu(resp, lang, deps);
    return resp;
  }
  deps.logger.info({ callSid: req.params.CallSid, action: item.action }, 'ivr choice');
  ACTIONS.get(item.action)!(resp, lang, deps);
  return resp;
};
