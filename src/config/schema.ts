import { z } from 'zod';
import { routerGatewaySchema } from '../router/index.js';
import { intakeConfigSchema } from '../intake/config.js';
import { emailConfigSchema } from '../channels/email/config.js';
import { slackConfigSchema } from '../channels/slack/config.js';
import { smsConfigSchema, voiceConfigSchema } from '../channels/twilio/config.js';
import { webConfigSchema } from '../channels/web/config.js';
import { chatConfigSchema } from '../channels/chat/config.js';
import { alertConfigSchema } from '../channels/alert/config.js';
import { reportsConfigSchema } from '../reports/config.js';
import type { Directory } from './directory.js';
import { deskConfigSchema } from '../desk/config.js';
import { loopConfigSchema } from '../ticketing/loop-config.js';
import { surveyConfigSchema } from '../survey/config.js';

/**
 * Each channel owns the schema of its section; an absent section takes the channel's defaults, so a
 * desk turns a channel on with its secrets alone.
 */
const channelsSchema = z.strictObject({
  email: emailConfigSchema.prefault({}),
  slack: slackConfigSchema.prefault({}),
  voice: voiceConfigSchema.prefault({}),
  sms: smsConfigSchema.prefault({}),
  web: webConfigSchema.prefault({}),
  chat: chatConfigSchema.prefault({}),
  alert: alertConfigSchema.prefault({}),
});

/** The whole of gateway.yaml: the router's sections plus intake and channels. */
export const gatewaySchema = routerGatewaySchema
  .extend({
    intake: intakeConfigSchema.prefault({}),
    channels: channelsSchema.prefault({}),
    staff: deskConfigSchema.prefault({}),
    reports: reportsConfigSchema.prefault({}),
    loop: loopConfigSchema.prefault({}),
    survey: surveyConfigSchema,
  })
  .strict();
export type GatewayConfig = z.output<typeof gatewaySchema>;

/** Configuration as validated once at boot. */
export interface SpocConfig {
  dir: string;
  gateway: GatewayConfig;
  directory: Directory;
}
