import type { IntakeRecord } from './record.js';
import type { Sql } from '../ticketing/index.js';
import type { TicketOps } from '../ticketing/index.js';
import type { Ticket } from '../ticketing/types.js';

export interface ThreadMatch {
  ticket: Ticket;
  /** Why the contact joins this ticket, kept on the event. */
  reason: string;
  /** A conversation (SMS sender, chat session) only continues recent work; a named ticket always does. */
  via: 'number' | 'reply' | 'conversation';
}

/** Thread keys are namespaced so a Message-ID can never collide with a conversation id. */
export const messageKey = (id: string) => `msg:${id.trim().replace(/^<|>$/g, '').toLowerCase()}`;
export const conversationKey = (id: string) => `conv:${id}`;

/**
 * Which existing ticket a contact continues, strongest evidence first: a ticket number it names, a
 * message it answers, then its conversation.
 */
export async function findThread(tx: Sql, ops: TicketOps, record: IntakeRecord): Promise<ThreadMatch | undefined> {
  const { ticketNumber, replyTo, conversationId } = record.thread;
  if (ticketNumber) {
    const ticket = await ops.findTicket(tx, { number: ticketNumber.toUpperCase() });
    if (ticket) return { ticket, reason: `names ${ticket.number}`, via: 'number' };
  }
  for (const id of replyTo ?? []) {
    const ticket = (await ops.findTicketByThreadKey(tx, messageKey(id))) ?? (await ops.findTicketByMessageNativeId(tx, record.channel, id));
    if (ticket) return { ticket, reason: `answers message ${id}`, via: 'reply' };
  }
  if (conversationId) {
    const ticket = await ops.findTicketByThreadKey(tx, conversationKey(conversationId));
    if (ticket) return { ticket, reason: `conversation ${conversationId}`, via: 'conversation' };
  }
  return undefined;
}

/** The keys later contacts may use to find the ticket this one landed on. */
export function threadKeysOf(record: IntakeRecord): string[] {
  const keys: string[] = [];
  if (record.thread.messageId) keys.push(messageKey(record.thread.messageId));
  return keys;
}
