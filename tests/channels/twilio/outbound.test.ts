import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsConfigSchema } from '../../../src/channels/twilio/config.js';
import { createSmsSender } from '../../../src/channels/twilio/rest-client.js';
import { outboundText, smsSubscriptions } from '../../../src/channels/twilio/sms/outbound.js';
import { RetryLaterError } from '../../../src/dispatch/types.js';
import { PermanentJobError } from '../../../src/shared/errors.js';
import type { TicketDetail } from '../../../src/ticketing/service-types.js';
import type { TicketEvent } from '../../../src/ticketing/types.js';
import { startFakeTwilio, type FakeTwilio } from '../../support/fake-twilio.js';

const sms = smsConfigSchema.parse({});
const detail = {
  ticket: { id: 't1', number: 'INC-000042', status: 'in_progress' },
  requester: { id: 'r1', phone: '+8613800138001', vip: false },
  events: [],
  messages: [
    { id: 'm1', body: 'Please restart the VPN client.', internal: false },
    { id: 'm2', body: 'internal: user is difficult', internal: true },
  ],
} as unknown as TicketDetail;
const event = (type: TicketEvent['type'], data: Record<string, unknown>) => ({ id: 1, ticketId: 't1', type, at: '', actor: 'slack:U1', data }) as TicketEvent;

describe('outbound SMS texts', () => {
  it('texts agent replies with the ticket number, never internal notes', () => {
    expect(outboundText(event('replied_out', { messageId: 'm1' }), detail, 'en', sms)).toBe('[INC-000042] Please restart the VPN client.');
    expect(outboundText(event('replied_out', { messageId: 'm2' }), detail, 'en', sms)).toBeUndefined();
  });

  it('texts the resolution and the statuses the desk announces', () => {
    // Auto-close off: the text makes no promise of closing.
    expect(outboundText(event('resolved', { resolution: 'Printer fixed.' }), detail, 'zh', sms)).toBe('[INC-000042] 已解决：Printer fixed. 问题解决了吗？回复 1 = 已解决，2 = 仍未解决，也可直接回复文字。');
    expect(outboundText(event('resolved', { resolution: 'Printer fixed.' }), detail, 'en', sms, { kind: 'businessDays', days: 2 })).toBe(
      '[INC-000042] Resolved: Printer fixed. Is it fixed? Reply 1 = fixed, 2 = not fixed, or tell us in words. If we do not hear from you within 2 business days, the ticket will close automatically.',
    );
    expect(outboundText(event('status_changed', { from: 'in_progress', to: 'pending' }), detail, 'en', sms)).toBe(
      '[INC-000042] Status: waiting for your reply. Please answer the engineer’s question.',
    );
  });

  it('is subscribed to replies and the resolution always, to other moves only for the statuses announced', () => {
    expect(smsSubscriptions(sms)).toEqual([
      { jobType: 'sms.deliver', events: ['replied_out', 'resolved'], channels: ['sms', 'voice'] },
      { jobType: 'sms.deliver', events: ['status_changed', 'claimed', 'closed'], channels: ['sms', 'voice'], statuses: ['in_progress', 'pending', 'closed'] },
    ]);
  });

  it('cuts long replies to the configured length', () => {
    const long = { ...detail, messages: [{ id: 'm3', body: 'x'.repeat(2000), internal: false }] } as unknown as TicketDetail;
    const text = outboundText(event('replied_out', { messageId: 'm3' }), long, 'en', sms)!;
    expect(text).toHaveLength(sms.maxLength);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('SMS sender through the real twilio client', () => {
  const accountSid = `AC${'1'.repeat(32)}`;
  let fake: FakeTwilio;
  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid, authToken: 'secret-token' });
  });
  afterAll(() => fake.close());

  it('reaches the fake REST API at TWILIO_API_URL and classes refusals for the outbox', async () => {
    const sender = createSmsSender({ accountSid, authToken: 'secret-token', from: '+8610800000000', apiUrl: fake.url });
    const { sid } = await sender.send('+8613800138001', 'hello');
    expect(fake.messages).toEqual([expect.objectContaining({ sid, to: '+8613800138001', from: '+8610800000000', body: 'hello' })]);

    fake.refuse(1, 429, 7);
    const limited = await sender.send('+8613800138001', 'again').catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RetryLaterError);
    expect((limited as RetryLaterError).retryAfterMs).toBe(7000);

    fake.refuse(1, 503);
    const down = await sender.send('+8613800138001', 'again').catch((e: unknown) => e);
    expect(down).not.toBeInstanceOf(PermanentJobError);
    expect((down as { status?: number }).status).toBe(503);

    await expect(sender.send('+123', 'bad number')).rejects.toBeInstanceOf(PermanentJobError);
    const wrongToken = createSmsSender({ accountSid, authToken: 'nope', from: '+8610800000000', apiUrl: fake.url });
    await expect(wrongToken.send('+8613800138001', 'x')).rejects.toBeInstanceOf(PermanentJobError);
    expect(fake.messages).toHaveLength(1);
    expect(fake.refused).toEqual([429, 503]);
  });
});
