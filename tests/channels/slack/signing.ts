import { createHmac, randomUUID } from 'node:crypto';

/** Signs a body the way Slack does (v0:timestamp:body, HMAC-SHA256), independently of the code under test. */
export function slackHeaders(secret: string, body: string, contentType: string, timestamp = Math.floor(Date.now() / 1000)) {
  const sig = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${sig}`,
  };
}

export const FORM = 'application/x-www-form-urlencoded';
export const formBody = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
export const interactionBody = (payload: unknown) => formBody({ payload: JSON.stringify(payload) });

/** Bodies shaped like Slack's: an Events API envelope, a button click, a modal submission, a slash command. */
export const slackBodies = {
  event: (event: Record<string, unknown>, eventId: string) =>
    JSON.stringify({ token: 'x', team_id: 'T0001', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: Math.floor(Date.now() / 1000), event }),
  click: (actionId: string, value: string, user: string, channel: string, messageTs = '1.1') =>
    interactionBody({
      type: 'block_actions', team: { id: 'T0001' }, user: { id: user }, trigger_id: `trig-${randomUUID()}`, channel: { id: channel },
      container: { type: 'message', message_ts: messageTs, channel_id: channel }, message: { ts: messageTs },
      actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1' }],
    }),
  submit: (callbackId: string, number: string, user: string, values: Record<string, unknown>) =>
    interactionBody({
      type: 'view_submission', team: { id: 'T0001' }, user: { id: user }, trigger_id: 't',
      view: { id: 'V1', type: 'modal', callback_id: callbackId, private_metadata: number, state: { values } },
    }),
  command: (user: string, text: string) =>
    formBody({ command: '/spoc', text, user_id: user, channel_id: 'C0GENERAL', team_id: 'T0001', trigger_id: `trig-${randomUUID()}`, response_url: 'https://hooks.slack.com/x' }),
};

/** Posts signed requests to a running spoc's /slack/events, as Slack would. */
export function slackSender(url: () => string, secret: string) {
  const send = (body: string, contentType: string, extra: Record<string, string> = {}) =>
    fetch(`${url()}/slack/events`, { method: 'POST', body, headers: { ...slackHeaders(secret, body, contentType), ...extra } });
  return {
    send,
    event: (event: Record<string, unknown>, eventId: string, extra: Record<string, string> = {}) => send(slackBodies.event(event, eventId), 'application/json', extra),
    click: (...a: Parameters<typeof slackBodies.click>) => send(slackBodies.click(...a), FORM),
    submit: (...a: Parameters<typeof slackBodies.submit>) => send(slackBodies.submit(...a), FORM),
    command: async (user: string, text: string) => (await send(slackBodies.command(user, text), FORM)).json() as Promise<{ response_type: string; text: string }>,
  };
}
