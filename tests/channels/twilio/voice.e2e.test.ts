import { createHash } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { announcementRoutes, createAnnouncementStore } from '../../../src/channels/twilio/index.js';
import { addSharedSchemas } from '../../../src/http/api/schemas.js';
import { installErrorHandler } from '../../../src/http/errors.js';
import type { Ticket } from '../../../src/ticketing/types.js';
import { AUTH_TOKEN, boot, caller, DESK, ON_CALL, PUBLIC, recordingParams, ticketsOf, transcriptionParams, textIn, type Harness } from './harness.js';
import { only, postSigned, spoken } from './twiml.js';

describe('phone: IVR flows through the real app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await boot();
  });
  afterAll(() => h.cleanup());

  let reported: Ticket;

  it('takes a new fault by voicemail: language, menu, recording, transcription, number read back and texted', async () => {
    const call = caller(h, '+14155550100', 'CA00000000000000000000000000000001');
    const hello = await call('/twilio/voice');
    expect(spoken(hello).slice(0, 2)).toEqual([
      ['zh-CN', '您好，这里是IT服务台。'],
      ['en-US', 'Hello, this is the IT service desk.'],
    ]);
    const language = only(hello, 'Gather');
    expect(language.attrs).toMatchObject({ action: `${PUBLIC}/twilio/voice/language`, numDigits: '1' });

    const menu = only(await call(language.attrs.action!, { Digits: '2' }), 'Gather');
    expect(menu.attrs).toMatchObject({ input: 'dtmf speech', language: 'en-US', action: `${PUBLIC}/twilio/voice/menu?lang=en` });
    expect(menu.children.map((v) => v.text)).toContain('To report a problem, press 1 or say "report"');

    // Spoken words choose too.
    const recordTwiml = await call(menu.attrs.action!, { SpeechResult: 'I need to report a problem', Confidence: '0.92' });
    const record = only(recordTwiml, 'Record');
    expect(record.attrs).toMatchObject({
      transcribe: 'true',
      action: `${PUBLIC}/twilio/voice/recording?lang=en&kind=report`,
      transcribeCallback: `${PUBLIC}/twilio/voice/transcription?lang=en&kind=report`,
    });

    const audio = Buffer.from('ID3 fake mp3 audio of a voicemail');
    const url = h.fake.addRecording('RE00000000000000000000000000000001', audio);
    const hold = await call(record.attrs.action!, recordingParams('RE00000000000000000000000000000001', url));
    expect(hold.map((v) => v.verb)).toEqual(['Say', 'Pause', 'Redirect']);

    const before = (await ticketsOf(h)).length;
    const text = 'The shared printer on the third floor is jammed and shows error fifty two, nobody can print.';
    const done = await call(record.attrs.transcribeCallback!, transcriptionParams('RE00000000000000000000000000000001', url, text));
    expect(done).toEqual([]);
    const after = await ticketsOf(h);
    expect(after).toHaveLength(before + 1);
    reported = after.find((t) => t.channel === 'voice')!;
    const detail = (await h.spoc.ctx.tickets.get(reported.number))!;
    expect(detail.messages[0]!.body).toBe(text);
    expect(detail.messages[0]!.attachments).toEqual([
      expect.objectContaining({ name: 'RE00000000000000000000000000000001.mp3', contentType: 'audio/mpeg', size: audio.length, sha256: createHash('sha256').update(audio).digest('hex') }),
    ]);
    expect(detail.requester.phone).toBe('+14155550100');

    // Twilio retries both callbacks: still one ticket.
    await call(record.attrs.transcribeCallback!, transcriptionParams('RE00000000000000000000000000000001', url, text));
    await call(record.attrs.action!, recordingParams('RE00000000000000000000000000000001', url));
    expect(await ticketsOf(h)).toHaveLength(before + 1);

    const readBack = await call(only(hold, 'Redirect').text);
    const [lang, sentence] = spoken(readBack)[0]!;
    expect(lang).toBe('en-US');
    // Letters and digits one by one, the prefix set off by a pause: "I N C, 0 0 0 0 0 1".
    const spelled = /^Your ticket number is: ([A-Z] [A-Z] [A-Z], (?:\d ){5}\d)\.$/.exec(sentence)?.[1];
    expect(spelled?.replace(', ', '-').replaceAll(' ', '')).toBe(reported.number);
    const offer = only(readBack, 'Gather');
    expect(offer.attrs.action).toBe(`${PUBLIC}/twilio/voice/sms-number?lang=en&ticket=${reported.number}`);

    const sent = await call(offer.attrs.action!, { Digits: '1' });
    expect(spoken(sent)[0]).toEqual(['en-US', 'We have sent you the ticket number by text message. Goodbye.']);
    const [sms] = await h.fake.waitForMessages(1);
    expect(sms).toMatchObject({ to: '+14155550100', from: DESK, body: `Your ticket number is ${reported.number}.` });
    // Pressing 1 again in the same call texts nothing more.
    await call(offer.attrs.action!, { Digits: '1' });
    expect(h.fake.messages).toHaveLength(1);
  });

  it('texts the number when the transcription comes after the caller stopped holding', async () => {
    const call = caller(h, '+14155550107', 'CA00000000000000000000000000000007');
    const url = h.fake.addRecording('RE00000000000000000000000000000007', Buffer.from('slow audio'));
    const hold = await call('/twilio/voice/recording?lang=en&kind=report', recordingParams('RE00000000000000000000000000000007', url));
    let next = only(hold, 'Redirect').text;
    for (let round = 1; round < 5; round++) next = only(await call(next), 'Redirect').text;
    const giveUp = await call(next);
    expect(spoken(giveUp)).toEqual([['en-US', 'Your message is registered. We will text you the ticket number. Goodbye.']]);
    expect(giveUp.at(-1)!.verb).toBe('Hangup');

    const sent = h.fake.messages.length;
    await call('/twilio/voice/transcription?lang=en&kind=report', transcriptionParams('RE00000000000000000000000000000007', url, 'Outlook keeps asking for my password.'));
    const ticket = (await ticketsOf(h)).find((t) => t.subject === 'Voicemail: Outlook keeps asking for my password.')!;
    expect(h.fake.messages).toHaveLength(sent + 1);
    expect(h.fake.messages.at(-1)).toMatchObject({ to: '+14155550107', body: `Your ticket number is ${ticket.number}.` });
  });

  it('checks a ticket by its number keyed in: status and next step spoken back', async () => {
    const call = caller(h, '+14155550101', 'CA00000000000000000000000000000002');
    const ask = only(await call('/twilio/voice/menu?lang=en', { Digits: '2' }), 'Gather');
    expect(ask.attrs).toMatchObject({ action: `${PUBLIC}/twilio/voice/status?lang=en`, finishOnKey: '#' });
    const digits = reported.number.split('-')[1]!.replace(/^0+/, '');
    const answer = await call(ask.attrs.action!, { Digits: digits, FinishedOnKey: '#' });
    const [first] = spoken(answer);
    expect(first![0]).toBe('en-US');
    expect(first![1]).toMatch(new RegExp(`^Ticket ${reported.number[0]} ${reported.number[1]} ${reported.number[2]}, (\\d ){5}\\d is received\\. An engineer will respond by \\d\\d:\\d\\d\\.$`));

    // The number by text: Twilio refuses once, the caller hears it and can press 1 again.
    const offer = only(answer, 'Gather');
    h.fake.refuse(1, 503);
    const failed = await call(offer.attrs.action!, { Digits: '1' });
    expect(spoken(failed)[0]![1]).toMatch(/^We could not send the text just now\. Your ticket number is: [A-Z] [A-Z] [A-Z], (\d ){5}\d\. Goodbye\.$/);
    const count = h.fake.messages.length;
    await call(offer.attrs.action!, { Digits: '1' });
    expect(h.fake.messages).toHaveLength(count + 1);
    expect(h.fake.messages.at(-1)).toMatchObject({ to: '+14155550101', body: `Your ticket number is ${reported.number}.` });

    const unknown = await call(ask.attrs.action!, { Digits: '99999' });
    expect(spoken(unknown)[0]).toEqual(['en-US', 'We could not find that ticket.']);
  });

  it('rings the urgent line in turn, then takes a voicemail that becomes a P2 missed-urgent-call ticket', async () => {
    const call = caller(h, '+8613800138077', 'CA00000000000000000000000000000003');
    const first = await call('/twilio/voice/menu?lang=zh', { Digits: '3' });
    const dial1 = only(first, 'Dial');
    expect(dial1.attrs).toMatchObject({ timeout: '20', action: `${PUBLIC}/twilio/voice/dial?lang=zh&kind=urgent&i=1` });
    expect(only(first, 'Number').text).toBe(ON_CALL[0]);

    const second = await call(dial1.attrs.action!, { DialCallStatus: 'no-answer', DialCallDuration: '0' });
    expect(only(second, 'Number').text).toBe(ON_CALL[1]);
    const dial2 = only(second, 'Dial');

    const voicemail = await call(dial2.attrs.action!, { DialCallStatus: 'busy' });
    expect(spoken(voicemail)[0]).toEqual(['zh-CN', '值班工程师暂时无法接听。请在提示音后留言，我们将按紧急故障处理。']);
    const record = only(voicemail, 'Record');
    expect(record.attrs.action).toBe(`${PUBLIC}/twilio/voice/recording?lang=zh&kind=urgent`);

    const url = h.fake.addRecording('RE00000000000000000000000000000003', Buffer.from('urgent audio'));
    await call(record.attrs.action!, recordingParams('RE00000000000000000000000000000003', url));
    // Twilio's transcription fails for Mandarin: the ticket still comes, with the recording.
    await call(record.attrs.transcribeCallback!, { ...recordingParams('RE00000000000000000000000000000003', url), TranscriptionStatus: 'failed', CallStatus: 'completed' });
    const ticket = (await ticketsOf(h)).find((t) => t.subject.startsWith('紧急热线未接通'))!;
    expect(ticket).toMatchObject({ channel: 'voice', priority: 'P2', type: 'incident' });
    expect(ticket.tags).toContain('missed-urgent-call');

    // An answered urgent call just ends.
    expect((await call(dial1.attrs.action!, { DialCallStatus: 'completed', DialCallDuration: '95' })).map((v) => v.verb)).toEqual(['Hangup']);
  });

  it('greets a known caller by name in their language and offers their open tickets first', async () => {
    const from = '+8613800138001';
    expect((await textIn(h, from, 'SM00000000000000000000000000000004', '打印机卡纸了，三楼')).status).toBe(200);
    const mine = (await ticketsOf(h)).find((t) => t.channel === 'sms')!;

    const call = caller(h, from, 'CA00000000000000000000000000000004');
    const hello = await call('/twilio/voice');
    const said = spoken(hello);
    expect(said.slice(0, 3)).toEqual([
      ['zh-CN', '您好，这里是IT服务台。'],
      ['zh-CN', '张伟，您好。'],
      ['zh-CN', '您有1张未完成的工单。'],
    ]);
    expect(said.every(([lang]) => lang === 'zh-CN')).toBe(true);
    const offer = only(hello, 'Gather');
    expect(offer.attrs.action).toBe(`${PUBLIC}/twilio/voice/mine?lang=zh&t=${mine.number}`);
    expect(offer.children[0]!.text).toMatch(/^工单 [A-Z] [A-Z] [A-Z], (\d ){5}\d，请按1。$/);

    const status = await call(offer.attrs.action!, { Digits: '1' });
    expect(spoken(status)[0]![1]).toMatch(/^工单 .* 的状态是：已受理。工程师将在\d\d:\d\d前响应。$/);
  });

  it('plays the major-incident announcement set by the admin endpoint before the menu, until it is withdrawn', async () => {
    // The admin routes as the lead mounts them (behind admin auth, under /api/v1/admin), on the same state.
    const admin = Fastify();
    addSharedSchemas(admin);
    installErrorHandler(admin);
    await admin.register(announcementRoutes(createAnnouncementStore(h.spoc.ctx.state)), { prefix: '/api/v1/admin' });
    const put = (body: unknown) => admin.inject({ method: 'PUT', url: '/api/v1/admin/announcement', payload: body as object });
    expect((await put({ zh: '邮件系统故障', en: 'Email is down', expiresAt: new Date(Date.now() - 1000).toISOString() })).statusCode).toBe(400);
    expect((await put({ zh: '', en: 'Email is down', expiresAt: new Date(Date.now() + 60_000).toISOString() })).statusCode).toBe(400);
    const set = await put({ zh: '邮件系统故障，正在抢修。', en: 'Email is down; we are working on it.', expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(set.statusCode).toBe(200);

    const call = caller(h, '+14155550105', 'CA00000000000000000000000000000005');
    const hello = await call('/twilio/voice');
    expect(hello.map((v) => v.verb)).toEqual(['Say', 'Say', 'Say', 'Say', 'Gather', 'Redirect']);
    expect(spoken(hello).slice(2, 4)).toEqual([
      ['zh-CN', '重要通知：邮件系统故障，正在抢修。'],
      ['en-US', 'Important notice: Email is down; we are working on it.'],
    ]);
    // A known caller hears it in their language only.
    const known = await caller(h, '+8613800138002', 'CA00000000000000000000000000000015')('/twilio/voice');
    expect(spoken(known)).toContainEqual(['zh-CN', '重要通知：邮件系统故障，正在抢修。']);
    expect(spoken(known).some(([lang]) => lang === 'en-US')).toBe(false);

    expect((await admin.inject({ method: 'DELETE', url: '/api/v1/admin/announcement' })).statusCode).toBe(204);
    expect((await call('/twilio/voice')).map((v) => v.verb)).toEqual(['Say', 'Say', 'Gather', 'Redirect']);
    await admin.close();
  });

  it('refuses unsigned and wrongly signed webhooks and changes nothing', async () => {
    const before = (await ticketsOf(h)).length;
    const opts = { baseUrl: h.spoc.url, publicBaseUrl: PUBLIC, authToken: AUTH_TOKEN };
    const params = { ...recordingParams('RE00000000000000000000000000000009', 'https://api.twilio.com/x'), CallSid: 'CA9', From: '+14155550109', TranscriptionStatus: 'completed', TranscriptionText: 'forged' };
    const missing = await postSigned(opts, '/twilio/voice/transcription?lang=en&kind=report', params, 'missing');
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body)).toEqual({ error: { code: 'signature_missing', message: expect.any(String) } });
    const wrong = await postSigned(opts, '/twilio/voice/transcription?lang=en&kind=report', params, 'wrong');
    expect(wrong.status).toBe(403);
    expect(JSON.parse(wrong.body).error.code).toBe('signature_invalid');
    // Signed for another URL (the query is part of what is signed).
    const moved = await fetch(`${h.spoc.url}/twilio/voice/transcription?lang=en&kind=urgent`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC}/twilio/voice/transcription?lang=en&kind=report`, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(moved.status).toBe(403);
    expect(await ticketsOf(h)).toHaveLength(before);
  });
});

describe('phone: outside the hotline hours', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await boot({ closedNow: true });
  });
  afterAll(() => h.cleanup());

  it('tells the hours and takes a voicemail that becomes a ticket', async () => {
    const call = caller(h, '+14155550106', 'CA00000000000000000000000000000006');
    const hello = await call('/twilio/voice');
    const said = spoken(hello);
    expect(said).toContainEqual(['en-US', 'The desk is closed now. Our hours are 9 am to 5 pm every day. Please leave a message after the tone.']);
    expect(hello.some((v) => v.verb === 'Gather')).toBe(false);
    const record = only(hello, 'Record');
    expect(record.attrs.action).toBe(`${PUBLIC}/twilio/voice/recording?lang=zh&kind=afterhours`);

    const url = h.fake.addRecording('RE00000000000000000000000000000006', Buffer.from('after hours audio'));
    await call(record.attrs.transcribeCallback!, transcriptionParams('RE00000000000000000000000000000006', url, 'My VPN does not connect, please call me back tomorrow.'));
    const [ticket] = await ticketsOf(h);
    expect(ticket).toMatchObject({ channel: 'voice' });
    expect(ticket!.subject).toMatch(/^非服务时间留言: My VPN does not connect/);
  });
});
