import { randomUUID } from 'node:crypto';
import type { IntakeRecordInput } from '../../intake/record.js';
import type { HelloFrame } from './protocol.js';

const SUBJECT_CHARS = 80;

/** The subject of a chat contact: its first line, shortened on a character boundary. */
export function chatSubject(text: string): string {
  const line = text.trim().split(/\r?\n/, 1)[0]?.trim() ?? '';
  const chars = Array.from(line);
  return chars.length > SUBJECT_CHARS ? `${chars.slice(0, SUBJECT_CHARS - 1).join('')}…` : line;
}

/**
 * One chat message as an intake record. Every message of a session carries the same conversation id, so
 * intake joins it to the session's open ticket. The message id is scoped by the session: ids come from
 * browsers, and one visitor's id must never find another visitor's ticket.
 */
export function toIntakeRecord(
  input: { sessionId: string; messageId: string; text: string; visitor: Omit<HelloFrame, 'type' | 'sessionId'> },
  at: { id?: string; now?: Date } = {},
): IntakeRecordInput {
  const { visitor } = input;
  return {
    id: at.id ?? randomUUID(),
    channel: 'chat',
    receivedAt: (at.now ?? new Date()).toISOString(),
    dedupeKey: `chat:${input.sessionId}:${input.messageId}`,
    requester: {
      chatSessionId: input.sessionId,
      ...(visitor.name ? { name: visitor.name } : {}),
      ...(visitor.email ? { email: visitor.email.toLowerCase() } : {}),
      ...(visitor.language ? { language: visitor.language } : {}),
    },
    subject: chatSubject(input.text),
    body: input.text.trim(),
    ...(visitor.language ? { language: visitor.language } : {}),
    attachments: [],
    thread: { conversationId: `chat:${input.sessionId}` },
    meta: {},
  };
}
