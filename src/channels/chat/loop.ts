import type { Job, JobHandler } from '../../dispatch/types.js';
import { PermanentJobError, SpocError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { Score, Survey } from '../../survey/survey.js';
import { autoClosePromise } from '../../ticketing/auto-close-promise.js';
import type { AutoClosePolicy } from '../../ticketing/loop-config.js';
import type { TicketService } from '../../ticketing/service-types.js';
import type { ChannelContext } from '../types.js';
import type { ChatHub } from './hub.js';
import type { ChatMailbox } from './mailbox.js';
import type { ChatReply } from './protocol.js';

export const CHAT_PROMPT_JOB = 'chat.prompt';

const TEXT = {
  zh: {
    resolved: (n: string, r: string) => `工单 ${n} 已解决${r ? `：${r}` : '。'}\n问题解决了吗？`,
    survey: (n: string) => `工单 ${n} 已关闭。请为这次服务打分（1–5 星）。`,
  },
  en: {
    resolved: (n: string, r: string) => `Ticket ${n} is resolved${r ? `: ${r}` : '.'}\nIs your problem fixed?`,
    survey: (n: string) => `Ticket ${n} is closed. Please rate how it was handled (1–5 stars).`,
  },
};

export interface ChatLoopDeps {
  tickets: TicketService;
  effects: ChannelContext['effects'];
  mailbox: ChatMailbox;
  hub: ChatHub;
  survey?: Survey;
  autoClose: AutoClosePolicy;
  logger: Logger;
}

/**
 * `chat.prompt`: the resolution (with "fixed" / "not fixed" buttons and the auto-close promise) and, on close,
 * the survey (stars) go into the session's mailbox like an agent's reply, so an offline visitor sees them on
 * return. The widget draws the buttons from the reply's `ask`.
 */
export function createChatPrompt(deps: ChatLoopDeps): JobHandler {
  return async (job: Job) => {
    if (await deps.effects.get(job.key)) return;
    const detail = await deps.tickets.getById(job.ticketId);
    if (!detail) throw new PermanentJobError(`ticket ${job.ticketId} not found`);
    const event = detail.events.find((e) => e.id === job.eventId);
    if (!event) throw new PermanentJobError(`event ${job.eventId} not found on ticket ${detail.ticket.number}`);
    const sessionId = await deps.mailbox.sessionOf(job.ticketId);
    if (!sessionId) throw new PermanentJobError(`ticket ${detail.ticket.number} has no chat session`);
    const lang = detail.ticket.language ?? detail.requester.language ?? 'zh';
    const { number } = detail.ticket;
    let reply: ChatReply;
    if (event.type === 'resolved') {
      const closing = autoClosePromise(deps.autoClose, lang);
      const text = TEXT[lang].resolved(number, typeof event.data.resolution === 'string' ? event.data.resolution : '') + (closing ? `\n${closing}` : '');
      reply = { id: `resolved:${event.id}`, ticket: number, text, at: event.at, ask: 'confirm' };
    } else {
      if (!deps.survey || detail.events.some((e) => e.type === 'rated')) return void (await deps.effects.record(job.key, { skipped: 'no survey' }));
      reply = { id: `survey:${event.id}`, ticket: number, text: TEXT[lang].survey(number), at: event.at, ask: 'rate' };
    }
    const seq = await deps.mailbox.append(sessionId, reply);
    if (reply.ask === 'rate') await deps.survey?.sent(detail, { channel: 'chat', by: 'chat', seq });
    await deps.effects.record(job.key, { sessionId, seq, ask: reply.ask });
    deps.logger.info({ ticketId: job.ticketId, jobKey: job.key, seq, ask: reply.ask }, 'chat prompt stored');
    await deps.hub.notify(sessionId);
  };
}

/** What the widget's buttons do: they act only on the ticket the session's own messages made. */
export interface ChatAnswers {
  confirm(sessionId: string, number: string, fixed: boolean): Promise<'closed' | 'reopened'>;
  rate(sessionId: string, number: string, score: Score): Promise<'rated'>;
}

export function createChatAnswers(deps: Pick<ChatLoopDeps, 'tickets' | 'mailbox' | 'survey'>): ChatAnswers {
  async function own(sessionId: string, number: string) {
    const detail = await deps.tickets.get(number);
    if (!detail || (await deps.mailbox.ticketOf(sessionId)) !== detail.ticket.id) {
      throw new SpocError('not_your_ticket', `${number} is not this chat's ticket`, 403);
    }
    return detail;
  }
  const actor = (sessionId: string) => ({ id: `chat:${sessionId}`, role: 'requester' as const });
  return {
    async confirm(sessionId, number, fixed) {
      const detail = await own(sessionId, number);
      if (detail.ticket.status !== 'resolved') throw new SpocError('invalid_transition', `${number} is ${detail.ticket.status}, not waiting for your answer`, 409);
      if (fixed) {
        await deps.tickets.close(number, actor(sessionId));
        return 'closed';
      }
      await deps.tickets.reopen(number, actor(sessionId), { reason: 'requester says it is not fixed (chat)' });
      return 'reopened';
    },
    async rate(sessionId, number, score) {
      await own(sessionId, number);
      if (!deps.survey) throw new SpocError('no_survey', 'surveys are off', 409);
      await deps.survey.rate(number, actor(sessionId), { score, channel: 'chat' });
      return 'rated';
    },
  };
}
