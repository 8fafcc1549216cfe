import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_TOKEN, boot, DESK, PUBLIC, textIn, ticketsOf, type Harness } from './harness.js';
import { only, postSigned } from './twiml.js';
import twilio from 'twilio';

const agent = { id: 'slack:U0AGENT1', name: 'Agent One', role: 'agent' as const };

describe('SMS through the real app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await boot();
  });
  afterAll(() => h.cleanup());

  const from = '+8613800138099';
  let number: string;

  it('turns a text into a ticket and acknowledges it with the number as TwiML; a retried webhook makes no second ticket', async () => {
    const first = await textIn(h, from, 'SM10000000000000000000000000000001', 'My laptop cannot connect to the VPN since this morning');
    expect(first.status).toBe(200);
    const ack = only(first.verbs, 'Message').text;
    number = /ticket ([A-Z]{3}-\d{6})/.exec(ack)?.[1] ?? '';
    expect(ack).toBe(`Received: ticket ${number}. Reply to this message to add details.`);
    const [ticket] = await ticketsOf(h);
    expect(ticket).toMatchObject({ number, channel: 'sms' });

    const retry = await textIn(h, from, 'SM10000000000000000000000000000001', 'My laptop cannot connect to the VPN since this morning');
    expect(only(retry.verbs, 'Message').text).toBe(ack);
    expect(await ticketsOf(h)).toHaveLength(1);
  });

  it('joins the sender’s open ticket when they write again within the window', async () => {
    const again = await textIn(h, from, 'SM10000000000000000000000000000002', 'It is a ThinkPad T14, Windows 11');
    expect(only(again.verbs, 'Message').text).toBe(`Added to ticket ${number}.`);
    expect(await ticketsOf(h)).toHaveLength(1);
    const detail = (await h.spoc.ctx.tickets.get(number))!;
    expect(detail.messages.map((m) => m.body)).toEqual(['My laptop cannot connect to the VPN since this morning', 'It is a ThinkPad T14, Windows 11']);
  });

  it('texts agents’ replies and the resolution through the outbox, also after Twilio refused for a while', async () => {
    h.fake.refuse(2, 503);
    await h.spoc.ctx.tickets.reply(number, agent, { body: 'Please restart the VPN client and try again.' });
    await h.spoc.ctx.tickets.reply(number, agent, { body: 'internal: probably the expired cert', internal: true });
    const [reply] = await h.fake.waitForMessages(1, 20_000);
    expect(reply).toMatchObject({ to: from, from: DESK, body: `[${number}] Please restart the VPN client and try again.` });
    expect(h.fake.refused).toEqual([503, 503]);

    h.fake.refuse(1, 429, 1);
    await h.spoc.ctx.tickets.resolve(number, agent, { resolution: 'VPN certificate renewed.' });
    const texts = await h.fake.waitForMessages(2, 20_000);
    expect(texts[1]!.body).toBe(`[${number}] Resolved: VPN certificate renewed. Is it fixed? Reply 1 = fixed, 2 = not fixed, or tell us in words. If we do not hear from you within 3 business days, the ticket will close automatically.`);
    await h.spoc.drained(20_000);
    // Each event texted once; the internal note never.
    expect(h.fake.messages.map((m) => m.body).filter((b) => b.includes('internal'))).toEqual([]);
    expect(h.fake.messages).toHaveLength(2);
  });

  it('honours STOP (and 退订): no more texts until START', async () => {
    const stop = await textIn(h, from, 'SM10000000000000000000000000000003', 'STOP');
    expect(only(stop.verbs, 'Message').text).toBe('You are unsubscribed and will get no more texts. Reply START to resubscribe.');
    const sent = h.fake.messages.length;
    await h.spoc.ctx.tickets.reopen(number, agent, { reason: 'user says it broke again' });
    await h.spoc.ctx.tickets.reply(number, agent, { body: 'Which error do you see now?' });
    await h.spoc.drained(20_000);
    expect(h.fake.messages).toHaveLength(sent);

    // A new text while opted out is still taken, but not answered.
    const quiet = await textIn(h, from, 'SM10000000000000000000000000000004', 'error 809');
    expect(quiet.verbs).toEqual([]);

    const start = await textIn(h, from, 'SM10000000000000000000000000000005', 'START');
    expect(only(start.verbs, 'Message').text).toBe('You are subscribed to text updates again.');
    await h.spoc.ctx.tickets.reply(number, agent, { body: 'Thanks, looking into 809.' });
    const texts = await h.fake.waitForMessages(sent + 1, 20_000);
    expect(texts.at(-1)!.body).toBe(`[${number}] Thanks, looking into 809.`);

    const zh = await textIn(h, '+8613800138098', 'SM10000000000000000000000000000006', '退订');
    expect(only(zh.verbs, 'Message').text).toBe('已退订，您将不再收到短信。回复START可重新订阅。');
  });

  it('verifies the bodySHA256 variant for JSON bodies and refuses altered ones', async () => {
    const body = JSON.stringify({ MessageSid: 'SM10000000000000000000000000000007', From: '+8613800138097', To: DESK, Body: '打印机没反应' });
    const hash = twilio.getExpectedBodyHash(body);
    const path = `/twilio/sms?bodySHA256=${hash}`;
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC + path, {});
    const post = (b: string) => fetch(h.spoc.url + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-twilio-signature': signature }, body: b });
    const before = (await ticketsOf(h)).length;
    expect((await post(body.replace('没反应', '坏了'))).status).toBe(403);
    expect(await ticketsOf(h)).toHaveLength(before);
    const ok = await post(body);
    expect(ok.status).toBe(200);
    expect(await ticketsOf(h)).toHaveLength(before + 1);
  });

  it('refuses a text with no signature or a wrong one', async () => {
    const before = (await ticketsOf(h)).length;
    const params = { MessageSid: 'SM10000000000000000000000000000008', From: '+8613800138096', To: DESK, Body: 'hello' };
    const opts = { baseUrl: h.spoc.url, publicBaseUrl: PUBLIC, authToken: AUTH_TOKEN };
    expect((await postSigned(opts, '/twilio/sms', params, 'missing')).status).toBe(400);
    expect((await postSigned(opts, '/twilio/sms', params, 'wrong')).status).toBe(403);
    expect(await ticketsOf(h)).toHaveLength(before);
  });
});
