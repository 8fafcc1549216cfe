import type { ChannelState } from '../../types.js';

const STOP_WORDS = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', '退订', 'td']);
const START_WORDS = new Set(['start', 'unstop', 'subscribe', '订阅']);

/** A whole-message opt-out or opt-in keyword, as carriers and Twilio define them (plus 退订). */
export function optKeyword(body: string): 'stop' | 'start' | undefined {
  const word = body.trim().replace(/[.!。！]+$/u, '').toLowerCase();
  if (STOP_WORDS.has(word)) return 'stop';
  if (START_WORDS.has(word)) return 'start';
  return undefined;
}

/**
 * Numbers that said STOP. Kept in the channel state so every process honours it; no text of any kind
 * (acknowledgement, reply, status) goes to such a number until it says START.
 */
export interface OptOutStore {
  isOptedOut(phone: string): Promise<boolean>;
  set(phone: string, optedOut: boolean): Promise<void>;
}

export function createOptOutStore(state: ChannelState): OptOutStore {
  const key = (phone: string) => `twilio:optout:${phone}`;
  return {
    async isOptedOut(phone) {
      return (await state.get<boolean>(key(phone))) === true;
    },
    async set(phone, optedOut) {
      await state.set(key(phone), optedOut);
    },
  };
}
