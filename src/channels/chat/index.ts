import type { ChannelFactory } from '../types.js';
import { CHAT_DELIVER_JOB, createChatDeliver } from './deliver.js';
import { createChatAddressLimits } from './address-limits.js';
import { createChatHub } from './hub.js';
import { createChatMailbox } from './mailbox.js';
import { createChatServer } from './server.js';
import { CHAT_PROMPT_JOB, createChatAnswers, createChatPrompt } from './loop.js';
import { surveySubscriptions } from '../../survey/config.js';

export { chatConfigSchema, type ChatConfig } from './config.js';

/**
 * The web chat: visitors talk over `GET /chat/ws` (the widget at `/chat/widget.js`), each session is one
 * conversation and so one ticket, and agents' replies come back to the session, kept until it reconnects.
 */
export const createChatChannel: ChannelFactory = (ctx) => {
  const config = ctx.config.gateway.channels.chat;
  if (!config.enabled) return { off: 'channels.chat.enabled is false' };
  const logger = ctx.logger.child({ channel: 'chat' });
  const mailbox = createChatMailbox(ctx.state);
  const hub = createChatHub({ mailbox, logger });
  const loop = { tickets: ctx.tickets, effects: ctx.effects, mailbox, hub, survey: ctx.survey, autoClose: ctx.config.gateway.loop.autoClose, logger };
  const server = createChatServer({ config, intake: ctx.intake, mailbox, hub, logger, limits: createChatAddressLimits(config), kb: ctx.kb, answers: createChatAnswers(loop) });
  return {
    name: 'chat',
    registerJobs(dispatch) {
      dispatch.register(CHAT_DELIVER_JOB, createChatDeliver({ tickets: ctx.tickets, effects: ctx.effects, mailbox, hub, logger }));
      dispatch.subscribe({ jobType: CHAT_DELIVER_JOB, events: ['replied_out'], channels: ['chat'] });
      dispatch.register(CHAT_PROMPT_JOB, createChatPrompt(loop));
      dispatch.subscribe({ jobType: CHAT_PROMPT_JOB, events: ['resolved'], channels: ['chat'] });
      for (const sub of ctx.survey ? surveySubscriptions(ctx.survey.config, CHAT_PROMPT_JOB, ['chat']) : []) dispatch.subscribe(sub);
    },
    routes: (app) => server.mount(app),
    stop: () => server.close(),
  };
};
