import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ChannelState } from '../types.js';

/**
 * spoc's mark on the mail it sends: a token `<nonce>.<mac>` whose mac is an HMAC of the nonce under a key
 * only spoc holds. It is the local part of our Message-IDs and the value of our own header, so mail of
 * ours that comes back (a loop through a forwarding rule, an alias, a mailbox that is also MAIL_FROM) is
 * known by what only spoc can write. A domain proves nothing: every colleague at the desk's company
 * writes Message-IDs at that domain.
 */
export const MARK_HEADER = 'X-Spoc-Mark';

const TOKEN = /^([0-9a-f]{32})\.([0-9a-f]{20})$/;
const STATE_KEY = 'email:mark-key';

function macOf(nonce: string, key: string): string {
  return createHmac('sha256', key).update(nonce).digest('hex').slice(0, 20);
}

/** The mark for a job: the nonce is derived from the job's idempotency key, so a retried send carries the same one. */
export function markFor(jobKey: string, key: string): string {
  const nonce = createHash('sha256').update(jobKey).digest('hex').slice(0, 32);
  return `${nonce}.${macOf(nonce, key)}`;
}

/** True when a token (a Message-ID's local part, or our header's value) carries a valid mark. */
export function isOurMark(token: string | undefined, key: string): boolean {
  const m = TOKEN.exec(token?.trim().toLowerCase() ?? '');
  if (!m) return false;
  return timingSafeEqual(Buffer.from(m[2]!), Buffer.from(macOf(m[1]!, key)));
}

/** The local part of a Message-ID (`<local@domain>`). */
export function localPart(messageId: string | undefined): string | undefined {
  return /^<?([^@<>]+)@[^>]*>?$/.exec(messageId?.trim() ?? '')?.[1];
}

/**
 * The desk's mark key: made once and kept in the shared channel state, so every spoc process on one store
 * (serve, workers) marks and recognises with the same key.
 */
export async function loadMarkKey(state: Pick<ChannelState, 'get' | 'setIfAbsent'>): Promise<string> {
  await state.setIfAbsent(STATE_KEY, randomBytes(32).toString('hex'));
  const key = await state.get<string>(STATE_KEY);
  if (!key) throw new Error('email mark key missing from channel state');
  return key;
}
