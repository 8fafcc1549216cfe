import type { Logger } from '../../../shared/logger.js';
import type { ChannelState } from '../../types.js';
import { PROMPTS } from '../prompts.js';
import type { SmsSender } from '../rest-client.js';
import { pick, type Lang } from '../speech.js';
import type { OptOutStore } from './opt-out.js';

/** How texting a caller their number went: the step says so on the line. */
export type TextOutcome = 'sent' | 'opted_out' | 'failed';

/**
 * Texts a caller their ticket number during a call. It is no ticket event (so not an outbox job): it is
 * sent at once, once per call and ticket (recorded in the channel state after Twilio accepted it, so a
 * failed send may be tried again by pressing 1 again), never to a number that said STOP. A failure is
 * logged and reported, never thrown: the caller is still on the line.
 */
export function createTicketNumberTexter(deps: { sender: SmsSender; optOuts: OptOutStore; state: ChannelState; logger: Logger }) {
  return async (callSid: string, to: string, ticketNumber: string, lang: Lang): Promise<TextOutcome> => {
    if (await deps.optOuts.isOptedOut(to)) return 'opted_out';
    const key = `twilio:texted:${callSid}:${ticketNumber}`;
    if (await deps.state.get(key)) return 'sent';
    try {
      const { sid } = await deps.sender.send(to, pick(PROMPTS.smsTicketNumber, lang, { number: ticketNumber }));
      await deps.state.set(key, sid);
      deps.logger.info({ callSid, ticket: ticketNumber, messageSid: sid }, 'ticket number texted');
      return 'sent';
    } catch (err) {
      deps.logger.warn({ callSid, ticket: ticketNumber, err: (err as Error).message }, 'ticket number not texted');
      return 'failed';
    }
  };
}
