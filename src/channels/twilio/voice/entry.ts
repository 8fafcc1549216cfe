import type { Requester } from '../../../ticketing/types.js';
import { PROMPTS } from '../prompts.js';
import { pick, spellTicketNumber, type Lang } from '../speech.js';
import { gather, say, sayBoth, voiceResponse, type VoiceResponse } from '../twiml.js';
import { renderMenu } from './menu.js';
import type { VoiceDeps, VoiceStep } from './types.js';
import { recordVoicemail } from './voicemail.js';

const E164 = /^\+[1-9]\d{4,14}$/;

async function callerOf(from: string | undefined, deps: VoiceDeps): Promise<Requester | undefined> {
  return from && E164.test(from) ? deps.directory.find({ phone: from }) : undefined;
}

/** Says a text in the caller's language, or in both when it is not known yet. */
function speak(resp: Pick<VoiceResponse, 'say'>, lang: Lang | undefined, text: { zh: string; en: string }): void {
  if (lang) say(resp, lang, text[lang]);
  else sayBoth(resp, text);
}

/**
 * Once the language is known: a known caller is greeted by name and offered their open tickets
 * (key 1…n reads one back), anyone else goes straight to the menu.
 */
async function afterLanguage(resp: VoiceResponse, lang: Lang, caller: Requester | undefined, deps: VoiceDeps): Promise<void> {
  if (caller?.name) say(resp, lang, pick(PROMPTS.greetName, lang, { name: caller.name }));
  const open = caller && deps.voice.offerOpenTickets > 0 ? (await deps.directory.openTickets(caller.id)).slice(0, deps.voice.offerOpenTickets) : [];
  if (open.length === 0) {
    renderMenu(resp, lang, deps);
    return;
  }
  say(resp, lang, pick(PROMPTS.openTickets, lang, { count: open.length }));
  const g = gather(resp, { action: deps.urls('mine', { lang, t: open.map((t) => t.number).join(',') }), numDigits: 1 });
  open.forEach((t, i) => say(g, lang, pick(PROMPTS.openTicketOption, lang, { spoken: spellTicketNumber(t.number), key: i + 1 })));
  say(g, lang, pick(PROMPTS.mainMenuOption, lang));
  resp.redirect({ method: 'POST' }, deps.urls('menu', { lang }));
}

/**
 * `POST /twilio/voice`: a call comes in. Greeting, then the major-incident notice if one is active (so
 * callers about the outage hear it without queueing); outside the hotline's hours the hours and a
 * voicemail; otherwise the language choice (unless the directory knows the caller's) and the menu.
 */
export const entryStep: VoiceStep = async (req, deps) => {
  const now = deps.now();
  const caller = await callerOf(req.params.From, deps);
  const lang = caller?.language;
  const resp = voiceResponse();
  speak(resp, lang, deps.voice.greeting);
  const notice = await deps.announcements.current(now);
  if (notice) {
    // A major incident's notice listens for its key (a caller affected presses it); silence goes on as usual.
    const node = notice.incident ? gather(resp, { action: deps.urls('affected', { incident: notice.incident, lang }), numDigits: 1 }) : resp;
    speak(node, lang, { zh: pick(PROMPTS.announcement, 'zh', { text: notice.zh }), en: pick(PROMPTS.announcement, 'en', { text: notice.en }) });
  }
  if (!deps.hotlineOpen(now)) {
    speak(resp, lang, deps.voice.hours);
    recordVoicemail(resp, lang ?? deps.defaultLang, 'afterhours', deps, { intro: false });
    return resp;
  }
  if (lang) {
    await afterLanguage(resp, lang, caller, deps);
    return resp;
  }
  const g = gather(resp, { action: deps.urls('language'), numDigits: 1 });
  sayBoth(g, deps.voice.languagePrompt);
  resp.redirect({ method: 'POST' }, deps.urls('menu', { lang: deps.defaultLang }));
  return resp;
};

/** `POST /twilio/voice/language`: key 1 Chinese, key 2 English (anything else: the desk's language). */
export const languageStep: VoiceStep = async (req, deps) => {
  const lang: Lang = req.params.Digits === '1' ? 'zh' : req.params.Digits === '2' ? 'en' : deps.defaultLang;
  const resp = voiceResponse();
  await afterLanguage(resp, lang, await callerOf(req.params.From, deps), deps);
  return resp;
};
