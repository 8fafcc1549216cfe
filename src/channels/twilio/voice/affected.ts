import { randomUUID } from 'node:crypto';
import { AFFECTED_KEY } from '../announcement.js';
import { PROMPTS } from '../prompts.js';
import { pick, spellTicketNumber } from '../speech.js';
import { say, voiceResponse } from '../twiml.js';
import { languageStep } from './entry.js';
import { menuStep } from './menu.js';
import type { VoiceStep } from './types.js';

const E164 = /^\+[1-9]\d{4,14}$/;

/**
 * `POST /twilio/voice/affected?incident=&lang=`: a key pressed during a major incident's announcement. The
 * affected key makes a contact tied to the incident (`meta.incident`: intake links it as a child, and the
 * caller is texted its updates); once per call, keyed on the CallSid. Any other key is what the caller
 * would have pressed next: the language choice, or the menu when the language is known.
 */
export const affectedStep: VoiceStep = async (req, deps) => {
  const digit = req.params.Digits?.[0];
  const incident = req.query.incident;
  if (digit !== AFFECTED_KEY || !incident) return req.lang ? menuStep(req, deps) : languageStep(req, deps);
  const lang = req.lang ?? deps.defaultLang;
  const from = req.params.From ?? '';
  const result = await deps.intake.accept({
    id: randomUUID(),
    channel: 'voice',
    receivedAt: deps.now().toISOString(),
    dedupeKey: `voice:${req.params.CallSid ?? ''}:affected`,
    requester: E164.test(from) ? { phone: from, language: lang } : { language: lang },
    subject: pick(PROMPTS.affectedSubject, lang, { number: incident }),
    body: pick(PROMPTS.affectedBody, lang),
    language: lang,
    attachments: [],
    thread: {},
    meta: { incident, call_sid: req.params.CallSid ?? '', ivr_choice: 'affected' },
  });
  deps.logger.info({ callSid: req.params.CallSid, incident, ticket: result.ticket.number, outcome: result.outcome }, 'caller added as affected');
  const resp = voiceResponse();
  say(resp, lang, pick(PROMPTS.affectedAdded, lang, { spoken: spellTicketNumber(result.ticket.number) }));
  resp.hangup();
  return resp;
};
