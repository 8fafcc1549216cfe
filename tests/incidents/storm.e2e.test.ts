import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type TestDovecot } from '../support/dovecot.js';
import { startFakeSlack, type FakeSlack, type SlackCall } from '../support/fake-slack.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { startSmtp, type TestSmtp } from '../support/mail-smtp.js';
import { startSpoc, TEST_KEYS, type RunningSpoc } from '../support/spoc.js';
import { until } from '../support/wait.js';
import { slackSender } from '../channels/slack/signing.js';
import { ACCOUNT_SID, AUTH_TOKEN, DESK, ON_CALL, PUBLIC, caller, textIn, type Harness } from '../channels/twilio/harness.js';
import { twilioConfigDir } from '../channels/twilio/config-dir.js';
import { flatten, spoken } from '../channels/twilio/twiml.js';

const SECRET = 'storm-signing-secret';
const EMPLOYEE = 'U0STORM';
const DM = 'D0STORM';
const SMS_FROM = '+8613800009001';
const CALLER = '+8613800009002';
const EMAIL_FROM = 'ana.storm@corp.example';
const API_A = 'ben.storm@corp.example';
const API_B = 'cho.storm@corp.example';
const wait = { timeoutMs: 30_000, everyMs: 100 };

/**
 * The storm, end to end: five people report the VPN down within minutes over email (Dovecot and
 * smtp-server), SMS (signed Twilio webhooks, fake Twilio REST), Slack (the real Bolt app, fake Web API) and
 * the API. spoc declares one major incident with five children; an update on the parent reaches each of
 * them once on their own channel; the IVR announces it and key 9 adds a caller; resolving the parent
 * resolves every child, and each requester is asked to confirm.
 */
describe('major incident storm across channels', () => {
  let dovecot: TestDovecot;
  let smtp: TestSmtp;
  let slack: FakeSlack;
  let twilio: FakeTwilio;
  let s: RunningSpoc;
  let config: { dir: string; cleanup(): void };
  let h: Harness;

  beforeAll(async () => {
    [dovecot, smtp, slack, twilio] = await Promise.all([startDovecot(), startSmtp(), startFakeSlack(), startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN })]);
    slack.addUser({ id: EMPLOYEE, name: 'dai', realName: 'Dai Storm', email: 'dai.storm@corp.example' });
    config = twilioConfigDir({ onCall: ON_CALL });
    const file = join(config.dir, 'gateway.yaml');
    const gateway = parseDocument(readFileSync(file, 'utf8'));
    gateway.setIn(['channels', 'email', 'pollIntervalMs'], 500);
    writeFileSync(file, gateway.toString());
    s = await startSpoc({
      env: {
        SPOC_CONFIG_DIR: config.dir,
        PUBLIC_BASE_URL: PUBLIC,
        IMAP_URL: dovecot.url('Storm'),
        SMTP_URL: smtp.url,
        MAIL_FROM: 'IT Desk <it@desk.example>',
        SLACK_BOT_TOKEN: 'xoxb-storm',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_FROM: DESK,
        TWILIO_API_URL: twilio.url,
      },
    });
    h = { spoc: s, fake: twilio, cleanup: async () => {} };
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await Promise.all([dovecot?.stop(), smtp?.close(), slack?.close(), twilio?.close()]);
    config?.cleanup();
  });

  const mailsTo = (address: string, has: string) => smtp.received.filter((r) => r.to.includes(address) && (r.parsed.text ?? '').includes(has));
  const textsTo = (phone: string, has: string) => twilio.messages.filter((m) => m.to === phone && m.body.includes(has));
  const slackPosts = (has: string) => slack.callsOf('chat.postMessage').filter((c: SlackCall) => c.response && c.args.channel === DM && `${String(c.args.text)} ${JSON.stringify(c.args.blocks ?? '')}`.includes(has));
  const incidents = async () => (await s.api('GET', '/api/v1/incidents')).body.incidents as Array<{ number: string; children: string[] }>;
  const ticket = async (n: string) => (await s.api('GET', `/api/v1/tickets/${n}`)).body;

  let parent = '';
  let children: string[] = [];

  it('five contacts about the VPN over email, SMS, Slack and the API make one major incident with five children', async () => {
    await dovecot.append(`From: Ana <${EMAIL_FROM}>\r\nTo: it@corp.example\r\nSubject: VPN is down\r\nMessage-ID: <storm-1@corp.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe VPN is down, I cannot connect.\r\n`, 'Storm');
    await until(async () => (await s.ctx.tickets.list({ channel: 'email' })).length === 1, { ...wait, what: 'the email ticket' });
    expect((await textIn(h, SMS_FROM, 'SMstorm0001', 'VPN down, cannot connect from home')).status).toBe(200);
    expect((await slackSender(() => s.url, SECRET).event({ type: 'message', channel: DM, channel_type: 'im', user: EMPLOYEE, text: 'The VPN is down for me', ts: `${Math.floor(Date.now() / 1000)}.000200` }, 'EvStorm1')).status).toBe(200);
    await until(async () => (await s.ctx.tickets.list({ channel: 'slack' })).length === 1, { ...wait, what: 'the Slack ticket' });
    for (const email of [API_A, API_B]) {
      expect((await s.api('POST', '/api/v1/contacts', { requester: { email }, subject: 'VPN outage', body: 'VPN is down' }, { key: TEST_KEYS.intake })).status).toBe(201);
    }
    const open = await incidents();
    expect(open).toHaveLength(1);
    parent = open[0]!.number;
    children = open[0]!.children;
    expect(children).toHaveLength(5);
    const channels = await Promise.all(children.map(async (n) => (await ticket(n)).ticket.channel));
    expect(channels.sort()).toEqual(['api', 'api', 'email', 'slack', 'sms']);
    expect((await ticket(parent)).ticket).toMatchObject({ priority: 'P1', team: 'network' });
    // Each requester is told, on their channel, which known incident they are part of; the desk manager's channel hears of it.
    await until(() => mailsTo(EMAIL_FROM, parent).length === 1 && mailsTo(API_A, parent).length === 1 && mailsTo(API_B, parent).length === 1 && textsTo(SMS_FROM, parent).length === 1 && slackPosts(parent).length === 1, { ...wait, what: 'the acknowledgements naming the incident' });
    await until(() => slack.callsOf('chat.postMessage').some((c) => c.args.channel === 'C0SPOCMGR' && String(c.args.text).includes(parent)), { ...wait, what: 'the desk manager told' });
  }, 120_000);

  it('an update on the parent reaches each requester on their channel exactly once', async () => {
    const update = 'The VPN gateway is being restarted; expect service in 20 minutes.';
    expect((await s.api('POST', `/api/v1/tickets/${parent}/reply`, { body: update }, { key: TEST_KEYS.agent })).status).toBe(200);
    await until(() => mailsTo(EMAIL_FROM, update).length && mailsTo(API_A, update).length && mailsTo(API_B, update).length && textsTo(SMS_FROM, update).length && slackPosts(update).length, { ...wait, what: 'the update everywhere' });
    await s.drained(30_000);
    expect([mailsTo(EMAIL_FROM, update), mailsTo(API_A, update), mailsTo(API_B, update), textsTo(SMS_FROM, update), slackPosts(update)].map((l) => l.length)).toEqual([1, 1, 1, 1, 1]);
  }, 60_000);

  it('the IVR announces it, and a caller pressing 9 is added as affected', async () => {
    const call = caller(h, CALLER, 'CAstorm0001');
    const verbs = await call('/twilio/voice');
    const gather = flatten(verbs).find((v) => v.verb === 'Gather' && (v.attrs.action ?? '').includes('/twilio/voice/affected'));
    expect(gather, JSON.stringify(verbs)).toBeDefined();
    expect(spoken(gather!.children).map(([, t]) => t).join(' ')).toMatch(/VPN is down.*press 9/);
    const added = await call(gather!.attrs.action!, { Digits: '9' });
    // An unknown caller who pressed no language key hears the desk's language (zh).
    expect(spoken(added).map(([, t]) => t).join(' ')).toContain('已将您登记为受影响用户');
    expect(added.some((v) => v.verb === 'Hangup')).toBe(true);
    await until(async () => (await ticket(parent)).children.length === 6, { ...wait, what: 'the caller as a sixth child' });
    children = (await ticket(parent)).children;
  });

  it('resolving the parent resolves every child with its resolution, and each requester is asked to confirm', async () => {
    const resolution = 'A failed line card in the VPN gateway was replaced.';
    expect((await s.api('POST', `/api/v1/tickets/${parent}/resolve`, { resolution }, { key: TEST_KEYS.agent })).status).toBe(200);
    await until(async () => (await Promise.all(children.map(async (n) => (await ticket(n)).ticket.status))).every((st) => st === 'resolved'), { ...wait, what: 'every child resolved' });
    await until(() => mailsTo(EMAIL_FROM, resolution).length && mailsTo(API_A, resolution).length && mailsTo(API_B, resolution).length && textsTo(SMS_FROM, resolution).length && textsTo(CALLER, resolution).length && slackPosts('Is your problem fixed?').length, { ...wait, what: 'every requester hearing back' });
    for (const n of children) expect((await ticket(n)).events.find((e: { type: string }) => e.type === 'resolved').data.resolution).toBe(resolution);
    // The notice stops with the incident.
    const after = await caller(h, CALLER, 'CAstorm0002')('/twilio/voice');
    expect(flatten(after).some((v) => (v.attrs.action ?? '').includes('/affected'))).toBe(false);
  }, 60_000);
});
