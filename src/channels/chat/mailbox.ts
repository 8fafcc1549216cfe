import type { ChannelState } from '../types.js';
import type { ChatReply } from './protocol.js';

/**
 * Replies waiting for a chat session, kept in channel state so a visitor who is offline (or connected
 * to another spoc process) gets them later. Each session has an append-only log numbered from 1; the
 * browser confirms what it showed, and a reconnect resumes after the last confirmed reply.
 */
export interface ChatMailbox {
  /** Appends a reply and returns its sequence number. Safe from several processes at once. */
  append(sessionId: string, reply: ChatReply): Promise<number>;
  /** The reply at `seq`, if there is one yet. */
  get(sessionId: string, seq: number): Promise<ChatReply | undefined>;
  /** The first sequence number the browser has not confirmed. */
  firstUnseen(sessionId: string): Promise<number>;
  /** Records that the browser showed every reply up to `seq`. */
  confirm(sessionId: string, seq: number): Promise<void>;
  /** Which session a ticket's replies go to; written when the session's message made or joined it. */
  bindTicket(ticketId: string, sessionId: string): Promise<void>;
  sessionOf(ticketId: string): Promise<string | undefined>;
  /** The ticket a session's messages made or joined: a session id the server has seen work, not just one a client sends. */
  ticketOf(sessionId: string): Promise<string | undefined>;
}

export function createChatMailbox(state: ChannelState): ChatMailbox {
  const entry = (s: string, seq: number) => `chat:mailbox:${s}:${seq}`;
  const head = (s: string) => `chat:mailbox:${s}:head`;
  const seen = (s: string) => `chat:mailbox:${s}:seen`;
  return {
    async append(sessionId, reply) {
      // `head` is only a hint: setIfAbsent on the entry itself decides who owns a sequence number.
      let seq = (await state.get<number>(head(sessionId))) ?? 1;
      while (!(await state.setIfAbsent(entry(sessionId, seq), reply))) seq++;
      await state.set(head(sessionId), seq + 1);
      return seq;
    },
    get: (sessionId, seq) => state.get<ChatReply>(entry(sessionId, seq)),
    async firstUnseen(sessionId) {
      return ((await state.get<number>(seen(sessionId))) ?? 0) + 1;
    },
    async confirm(sessionId, seq) {
      const current = (await state.get<number>(seen(sessionId))) ?? 0;
      if (seq > current) await state.set(seen(sessionId), seq);
    },
    bindTicket: (ticketId, sessionId) => state.setEach([[`chat:ticket:${ticketId}`, sessionId], [`chat:session:${sessionId}`, ticketId]]),
    ticketOf: (sessionId) => state.get<string>(`chat:session:${sessionId}`),
    sessionOf: (ticketId) => state.get<string>(`chat:ticket:${ticketId}`),
  };
}
