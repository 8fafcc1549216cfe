import type { FastifyPluginAsync } from 'fastify';
import type { EmailState } from './state.js';
import { errorResponses } from '../../http/api/schemas.js';

/**
 * The operator's view of mail kept aside (unparseable, refused by intake, or failing every try), under
 * the admin prefix: `GET /email/quarantine`. Each entry names the mailbox, UIDVALIDITY and UID, so the
 * mail can be found in the mailbox (it stays there, flagged \Seen) and fed again once the cause is fixed.
 */
export function quarantineRoutes(emailState: Pick<EmailState, 'quarantined'>): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/email/quarantine',
      {
        schema: {
          tags: ['admin'],
          summary: 'Email kept aside with the reason, newest first',
          response: { 200: { type: 'object', required: ['messages'], properties: { messages: { type: 'array', items: { type: 'object', additionalProperties: true } } } }, ...errorResponses(401, 403) },
        },
      },
      async () => ({ messages: await emailState.quarantined() }),
    );
  };
}
