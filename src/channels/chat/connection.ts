import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { ChannelContext, IntakePort } from '../types.js';
import type { Logger } from '../../shared/logger.js';
import { SpocError } from '../../shared/errors.js';
import type { ChatAddressLimits } from './address-limits.js';
import type { ChatConfig } from './config.js';
import type { ChatHub, ChatSubscriber } from './hub.js';
import type { ChatAnswers } from './loop.js';
import type { Score } from '../../survey/survey.js';
import type { ChatMailbox } from './mailbox.js';
import { toIntakeRecord } from './normalise.js';
import { parseClientFrame, SESSION_ID, type ClientFrame, type HelloFrame, type ServerFrame } from './protocol.js';

/** The knowledge base as the chat uses it (src/kb, through ChannelContext.kb). */
export type ChatKb = Pick<NonNullable<ChannelContext['kb']>, 'suggest' | 'deflect'>;

type MessageFrame = Extract<ClientFrame, { type: 'message' }>;

export interface ChatConnectionDeps {
  config: ChatConfig;
  intake: IntakePort;
  mailbox: ChatMailbox;
  hub: ChatHub;
  logger: Logger;
  /** Shared by every connection, so reconnecting does not reset them. */
  limits: ChatAddressLimits;
  /** Absent when the knowledge base is not wired: first messages open tickets at once. */
  kb?: ChatKb;
  /** The resolution's buttons and the survey's stars (absent: such frames are refused). */
  answers?: ChatAnswers;
}

const newSessionId = () => randomBytes(18).toString('base64url');
const MAX_QUEUED_FRAMES = 64;

/**
 * Speaks the chat protocol on one WebSocket. Frames are handled one at a time, in order, so a session's
 * first message has made its ticket before the second one joins it; a bad frame gets an error frame.
 */
export function serveChatConnection(ws: WebSocket, deps: ChatConnectionDeps, address: string): void {
  const { config } = deps;
  let sub: ChatSubscriber | undefined;
  let visitor: Omit<HelloFrame, 'type' | 'sessionId'> = {};
  const recent: number[] = [];
  let chain = Promise.resolve();
  let queued = 0;
  /** Whether this connection's session already has its ticket (a message was acknowledged). */
  let hasTicket = false;
  /** Whether the client said it shows suggestions (hello `suggest`). */
  let suggests = false;
  /** A new session's first message, held while the visitor reads the articles offered for it. */
  let held: { frame: MessageFrame; text: string; articleIds: string[] } | undefined;

  const send = (frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const fail = (code: string, message: string, id?: string) => send({ type: 'error', code, message, ...(id ? { id } : {}) });

  /** A sliding one-minute window per connection. */
  const overRate = () => {
    const now = Date.now();
    while (recent.length && recent[0]! <= now - 60_000) recent.shift();
    if (recent.length >= config.messagesPerMinute) return true;
    recent.push(now);
    return false;
  };

  async function hello(frame: HelloFrame) {
    if (sub) return fail('bad_frame', 'hello was already sent');
    const wellFormed = !!frame.sessionId && SESSION_ID.test(frame.sessionId);
    // Only a session that already has a ticket is a returning visitor; any other id a client sends is new.
    hasTicket = wellFormed && !!(await deps.mailbox.ticketOf(frame.sessionId!));
    if (!hasTicket && !deps.limits.sessions.take(address)) {
      deps.logger.warn({ address }, 'chat: new sessions from one address over the limit');
      fail('rate_limited', `at most ${config.newSessionsPerMinute} new chat sessions a minute from one address; try again in a minute`);
      return ws.close(1008, 'rate limited');
    }
    const sessionId = wellFormed ? frame.sessionId! : newSessionId();
    suggests = frame.suggest === true;
    visitor = { ...(frame.name ? { name: frame.name } : {}), ...(frame.email ? { email: frame.email } : {}), ...(frame.language ? { language: frame.language } : {}) };
    sub = { sessionId, send };
    send({ type: 'welcome', sessionId });
    await deps.hub.join(sub);
    // The socket may have closed while the mailbox was read; its close handler ran before the join.
    if (ws.readyState !== ws.OPEN) deps.hub.leave(sub);
  }

  const language = (text: string): 'zh' | 'en' => visitor.language ?? (/\p{Script=Han}/u.test(text) ? 'zh' : 'en');

  async function message(frame: MessageFrame) {
    if (!sub) return fail('hello_required', 'send hello first', frame.id);
    const text = frame.text.trim();
    if (!text) return fail('empty', 'the message is empty', frame.id);
    if (text.length > config.maxTextChars) return fail('too_long', `a message has at most ${config.maxTextChars} characters`, frame.id);
    if (overRate()) return fail('rate_limited', `at most ${config.messagesPerMinute} messages a minute`, frame.id);
    // Writing on instead of answering the suggestions is going on: the held message opens the ticket first.
    if (held && held.frame.id !== frame.id) await goOn();
    if (!hasTicket && suggests && deps.kb) {
      const articles = deps.kb.suggest(text, language(text));
      if (articles.length > 0) {
        held = { frame, text, articleIds: articles.map((a) => a.id) };
        return send({ type: 'suggestions', id: frame.id, articles });
      }
    }
    await open(frame, text);
  }

  async function goOn() {
    const pending = held;
    held = undefined;
    if (pending) await open(pending.frame, pending.text);
  }

  async function solved(frame: Extract<ClientFrame, { type: 'solved' }>) {
    // Only an article offered for the held message counts, and once: the count is not a public tally anyone can raise.
    if (!held || !deps.kb || held.frame.id !== frame.id) return fail('nothing_suggested', 'no suggestions are waiting for this message', frame.id);
    if (!held.articleIds.includes(frame.articleId)) return fail('not_suggested', `article ${frame.articleId} was not suggested for this message`, frame.id);
    const { text } = held;
    held = undefined;
    await deps.kb.deflect(frame.articleId, language(text));
    deps.logger.info({ articleId: frame.articleId, chars: text.length }, 'chat deflected by an article');
    send({ type: 'deflected', id: frame.id, articleId: frame.articleId });
  }

  async function open(frame: MessageFrame, text: string) {
    if (!sub) return;
    // A session's first message may open a ticket: it takes one of the address's ticket slots before intake
    // (so concurrent connections cannot all pass), given back when it joined an existing ticket instead.
    const reserved = !hasTicket;
    if (reserved && !deps.limits.tickets.take(address)) {
      return fail('rate_limited', `at most ${config.newTicketsPerMinute} new tickets a minute from one address; try again in a minute`, frame.id);
    }
    const record = toIntakeRecord({ sessionId: sub.sessionId, messageId: frame.id, text, visitor });
    try {
      const { ticket, outcome } = await deps.intake.accept(record);
      await deps.mailbox.bindTicket(ticket.id, sub.sessionId);
      if (reserved && outcome !== 'created') deps.limits.tickets.giveBack(address);
      hasTicket = true;
      deps.logger.info({ intakeId: record.id, ticketId: ticket.id, outcome, chars: text.length }, 'chat message');
      send({ type: 'ack', id: frame.id, ticket: ticket.number, outcome, status: ticket.status, priority: ticket.priority, respondBy: ticket.respondBy });
    } catch (err) {
      if (reserved) deps.limits.tickets.giveBack(address);
      if (err instanceof SpocError && err.status < 500) return fail(err.code, err.message, frame.id);
      deps.logger.error({ err, intakeId: record.id }, 'chat message not taken');
      // The widget keeps unacknowledged messages and sends them again; the dedupe key makes that safe.
      fail('unavailable', 'the message was not taken; it will be sent again', frame.id);
    }
  }

  async function answer(frame: Extract<ClientFrame, { type: 'confirm' | 'rate' }>) {
    if (!sub || !deps.answers) return fail('unsupported', 'this desk takes no answers in the chat');
    try {
      const done = frame.type === 'confirm' ? await deps.answers.confirm(sub.sessionId, frame.ticket, frame.fixed) : await deps.answers.rate(sub.sessionId, frame.ticket, frame.score as Score);
      deps.logger.info({ ticket: frame.ticket, answer: done }, 'chat answer');
      send({ type: 'answered', ticket: frame.ticket, answer: done });
    } catch (err) {
      if (err instanceof SpocError && err.status < 500) return fail(err.code, err.message);
      throw err;
    }
  }

  async function handle(data: Buffer, isBinary: boolean) {
    if (isBinary) return fail('bad_frame', 'frames are JSON text');
    const frame = parseClientFrame(data.toString('utf8'));
    if (frame.type === 'error') return send(frame);
    if (frame.type === 'hello') return hello(frame);
    if (frame.type === 'message') return message(frame);
    if (!sub) return fail('hello_required', 'send hello first');
    if (frame.type === 'solved') return solved(frame);
    if (frame.type === 'confirm' || frame.type === 'rate') return answer(frame);
    if (frame.type === 'continue') {
      if (!held || held.frame.id !== frame.id) return fail('nothing_suggested', 'no suggestions are waiting for this message', frame.id);
      return goOn();
    }
    await deps.mailbox.confirm(sub.sessionId, frame.seq);
  }

  ws.on('message', (data: Buffer, isBinary) => {
    // Frames wait their turn; a client that outruns the server by this much is not a person typing.
    if (++queued > MAX_QUEUED_FRAMES) return ws.close(1008, 'too many frames');
    chain = chain
      .then(() => handle(data, isBinary))
      .finally(() => queued--)
      .catch((err: unknown) => {
        deps.logger.error({ err }, 'chat frame failed');
        fail('internal', 'internal error');
      });
  });
  ws.on('close', () => {
    if (sub) deps.hub.leave(sub);
  });
}
