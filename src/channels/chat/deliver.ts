import type { Job } from '../../dispatch/types.js';
import { PermanentJobError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { TicketService } from '../../ticketing/service-types.js';
import type { ChannelContext } from '../types.js';
import type { ChatHub } from './hub.js';
import type { ChatMailbox } from './mailbox.js';

export const CHAT_DELIVER_JOB = 'chat.deliver';

/**
 * `chat.deliver`: an agent's reply on a chat ticket goes into the session's mailbox (durable, so an
 * offline visitor gets it on reconnect) and is pushed to the session if it is connected to this process.
 * The effect is recorded after the append; a crash between the two appends the reply twice, and the
 * widget drops the second copy by its message id.
 */
export function createChatDeliver(deps: {
  tickets: TicketService;
  effects: ChannelContext['effects'];
  mailbox: ChatMailbox;
  hub: ChatHub;
  logger: Logger;
}): (job: Job) => Promise<void> {
  return async (job) => {
    if (await deps.effects.get(job.key)) return;
    const detail = await deps.tickets.getById(job.ticketId);
    if (!detail) throw new PermanentJobError(`ticket ${job.ticketId} not found`);
    const event = detail.events.find((e) => e.id === job.eventId);
    const messageId = event?.data.messageId;
    const message = detail.messages.find((m) => m.id === messageId);
    if (!message) throw new PermanentJobError(`event ${job.eventId} names no message of ticket ${detail.ticket.number}`);
    if (message.internal) return;
    const sessionId = await deps.mailbox.sessionOf(job.ticketId);
    if (!sessionId) throw new PermanentJobError(`ticket ${detail.ticket.number} has no chat session`);
    const seq = await deps.mailbox.append(sessionId, { id: message.id, ticket: detail.ticket.number, text: message.body, at: message.at });
    await deps.effects.record(job.key, { sessionId, seq });
    deps.logger.info({ ticketId: job.ticketId, jobKey: job.key, seq, chars: message.body.length }, 'chat reply stored');
    await deps.hub.notify(sessionId);
  };
}
