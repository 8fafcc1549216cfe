import type { ChannelFactory } from './types.js';
import { createWebChannel } from './web/index.js';
import { createChatChannel } from './chat/index.js';
import { createAlertChannel } from './alert/index.js';
import { createEmailChannel } from './email/index.js';
import { createSlackChannel } from './slack/index.js';
import { createTwilioChannel } from './twilio/index.js';

/** Every channel spoc has; each turns itself off when its settings are absent. */
export const CHANNEL_FACTORIES: Readonly<Record<string, ChannelFactory>> = {
  web: createWebChannel,
  chat: createChatChannel,
  alert: createAlertChannel,
  email: createEmailChannel,
  slack: createSlackChannel,
  twilio: createTwilioChannel,
};
