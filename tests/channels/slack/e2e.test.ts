import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { randomUUID } from 'node:crypto';
import { startSpoc, type RunningSpoc } from '../../support/spoc.js';
import { startSmtp, type TestSmtp } from '../../support/mail-smtp.js';
import { startFakeSlack, type FakeSlack, type SlackCall } from '../../support/fake-slack.js';
import { sleep, until } from '../../support/wait.js';
import { slackBodies, slackHeaders, slackSender } from './signing.js';

const SECRET = 'e2e-signing-secret';
const AGENT = 'U0AGENT';
const OUTSIDER = 'U0OUTSIDER';
const EMPLOYEE = 'U0EMPLOYEE';
const DM = 'D0EMPLOYEE';

/** The repo's config with every team staffed by AGENT, so permissions can be exercised. */
function configWithMembers(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spoc-slack-config-'));
  cpSync(new URL('../../../config', import.meta.url), dir, { recursive: true });
  const file = join(dir, 'gateway.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const teams = doc.get('teams') as { items: Array<{ key: { value: string } }> };
  for (const item of teams.items) {
    doc.setIn(['teams', item.key.value, 'members'], item.key.value === 'desk-manager' ? ['U0MANAGER'] : [AGENT]);
    // Claiming by hand is what these tests exercise (tests/assignment covers the automatic policies).
    doc.setIn(['teams', item.key.value, 'assignment'], { policy: 'claim' });
  }
  writeFileSync(file, doc.toString());
  return dir;
}

const NUMBER = /[A-Z]{3}-\d{6}/;
const text = (c: SlackCall) => `${String(c.args.text ?? '')} ${JSON.stringify(c.args.blocks ?? '')}`;
describe('Slack end to end: real Bolt app, fake Web API, signed requests', () => {
  let slack: FakeSlack;
  let spoc: RunningSpoc;
  let smtp: TestSmtp;
  let configDir: string;

  beforeAll(async () => {
    slack = await startFakeSlack();
    slack.addUser({ id: EMPLOYEE, name: 'lilei', realName: 'Li Lei', email: 'li.lei@example.com' });
    slack.addUser({ id: AGENT, name: 'agent', realName: 'Wang Fang' });
    smtp = await startSmtp();
    configDir = configWithMembers();
    spoc = await startSpoc({
      env: {
        SPOC_CONFIG_DIR: configDir,
        PUBLIC_BASE_URL: 'https://desk.example.com',
        SLACK_BOT_TOKEN: 'xoxb-e2e',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        // Email on for sending only, so a reply to an email requester has its real outbound path.
        SMTP_URL: smtp.url,
        MAIL_FROM: 'IT Desk <it@desk.example.com>',
      },
    });
  });
  afterAll(async () => {
    await spoc?.close();
    await slack?.close();
    await smtp?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  const slackSays = slackSender(() => spoc.url, SECRET);
  const { event: sendEvent, click, submit } = slackSays;
  /** Messages Slack accepted (a 429 is recorded too, without a response). */
  const posts = () => slack.callsOf('chat.postMessage').filter((c) => c.response);
  /** The card: a top-level post of the ticket to a team channel. */
  const cardOf = (number: string) => until(() => posts().find((c) => !c.args.thread_ts && text(c).includes('spoc_card_actions') && text(c).includes(number)), { what: `card of ${number}` });

  let dmTicket = '';
  const dmTs = `${Math.floor(Date.now() / 1000)}.000100`;
  const dm = { type: 'message', channel: DM, channel_type: 'im', user: EMPLOYEE, text: 'My VPN keeps dropping since this morning', ts: dmTs };

  it('refuses a badly signed event with 401 and makes nothing', async () => {
    const body = slackBodies.event({ ...dm, ts: '1.000001' }, 'EvForged');
    const res = await fetch(`${spoc.url}/slack/events`, { method: 'POST', body, headers: slackHeaders('not-the-secret', body, 'application/json') });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('invalid_signature');
    expect(await spoc.ctx.tickets.list({})).toEqual([]);
  });

  it('a DM becomes a ticket, answered in the thread with its number and respond-by; the team channel gets the card', async () => {
    const res = await sendEvent(dm, 'EvDM1');
    expect(res.status).toBe(200);
    const answer = await until(() => posts().find((c) => c.args.channel === DM), { what: 'the answer in the DM' });
    expect(answer.args.thread_ts).toBe(dmTs);
    dmTicket = text(answer).match(NUMBER)![0];
    expect(text(answer)).toMatch(/respond by \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

    const detail = (await spoc.ctx.tickets.get(dmTicket))!;
    expect(detail.ticket.channel).toBe('slack');
    expect(detail.requester).toMatchObject({ slackUserId: EMPLOYEE, name: 'Li Lei', email: 'li.lei@example.com' });
    expect(slack.callsOf('users.info').filter((c) => c.args.user === EMPLOYEE)).toHaveLength(1);

    const card = await cardOf(dmTicket);
    expect(card.args.channel).toBe(spoc.ctx.config.gateway.teams[detail.ticket.team]!.slackChannel);
    expect(text(card)).toContain('spoc_claim');
  });

  it('a retried event (X-Slack-Retry-Num) makes no second ticket and no second post', async () => {
    const before = { tickets: (await spoc.ctx.tickets.list({})).length, posts: posts().length };
    const res = await sendEvent(dm, 'EvDM1', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(res.status).toBe(200);
    await sleep(1500);
    expect((await spoc.ctx.tickets.list({})).length).toBe(before.tickets);
    expect(posts().length).toBe(before.posts);
  });

  it('a later message in the thread joins the ticket', async () => {
    await sendEvent({ ...dm, text: 'It happens on Wi-Fi only', ts: `${dmTs}1`, thread_ts: dmTs }, 'EvDM2');
    const detail = (await spoc.ctx.tickets.get(dmTicket))!;
    expect(detail.messages.map((m) => m.body)).toContain('It happens on Wi-Fi only');
    expect((await spoc.ctx.tickets.list({})).length).toBe(1);
  });

  it('Claim by a non-member is refused privately and changes nothing', async () => {
    const card = await cardOf(dmTicket);
    const res = await click('spoc_claim', dmTicket, OUTSIDER, String(card.args.channel));
    expect(res.status).toBe(200);
    const [refusal] = await slack.waitFor('chat.postEphemeral', 1);
    expect(refusal!.args).toMatchObject({ user: OUTSIDER, channel: card.args.channel });
    const { ticket } = (await spoc.ctx.tickets.get(dmTicket))!;
    expect(ticket.assignee).toBeUndefined();
    expect(ticket.status).not.toBe('in_progress');
  });

  it('Claim by a member assigns the ticket and updates the card in place', async () => {
    const card = await cardOf(dmTicket);
    const postsBefore = posts().filter((c) => String(c.args.channel) === card.args.channel && !c.args.thread_ts).length;
    const res = await click('spoc_claim', dmTicket, AGENT, String(card.args.channel));
    expect(res.status).toBe(200);
    // Interactivity is answered at ack(); the claim commits right after it.
    await until(async () => (await spoc.ctx.tickets.get(dmTicket))!.ticket.assignee, { what: 'the claim' });
    expect((await spoc.ctx.tickets.get(dmTicket))!.ticket).toMatchObject({ assignee: `slack:${AGENT}`, status: 'in_progress' });
    const update = await until(() => slack.callsOf('chat.update').find((u) => u.args.ts === card.response!.ts && text(u).includes(`<@${AGENT}>`)), { what: 'the card update' });
    expect(update.args.channel).toBe(card.response!.channel);
    expect(text(update)).not.toContain('spoc_claim');
    expect(posts().filter((c) => String(c.args.channel) === card.args.channel && !c.args.thread_ts).length).toBe(postsBefore);
  });

  it('Resolve asks for the resolution in a modal, then asks the employee to confirm or reopen', async () => {
    const card = await cardOf(dmTicket);
    await click('spoc_resolve', dmTicket, AGENT, String(card.args.channel));
    const [open] = await slack.waitFor('views.open', 1);
    const view = open!.args.view as { callback_id: string; private_metadata: string };
    expect(view.private_metadata).toBe(dmTicket);
    const res = await submit(view.callback_id, dmTicket, AGENT, { resolution: { value: { type: 'plain_text_input', value: 'Reinstalled the VPN client' } } });
    expect(res.status).toBe(200);
    expect((await spoc.ctx.tickets.get(dmTicket))!.ticket.status).toBe('resolved');
    const prompt = await until(() => posts().find((c) => c.args.channel === DM && text(c).includes('spoc_reopen')), { what: 'the confirm prompt' });
    expect(prompt.args.thread_ts).toBe(dmTs);
    expect(text(prompt)).toContain('Reinstalled the VPN client');
    expect(text(prompt)).toContain('spoc_confirm');

    // Someone else cannot answer for the employee; the employee says it is not fixed.
    await click('spoc_reopen', dmTicket, AGENT, DM, String(prompt.response!.ts));
    expect((await spoc.ctx.tickets.get(dmTicket))!.ticket.status).toBe('resolved');
    await click('spoc_reopen', dmTicket, EMPLOYEE, DM, String(prompt.response!.ts));
    await until(() => slack.callsOf('chat.update').find((u) => u.args.ts === prompt.response!.ts && text(u).includes('open again')), { what: 'the settled prompt' });
    expect((await spoc.ctx.tickets.get(dmTicket))!.ticket.status).toBe('in_progress');
  });

  it("the Reply modal answers the employee in their own thread; Escalate moves the ticket up a tier", async () => {
    const submitted = await submit('spoc_reply_modal', dmTicket, AGENT, { body: { value: { type: 'plain_text_input', value: 'Please try the new VPN profile.' } }, internal: { value: { type: 'checkboxes', selected_options: [] } } });
    expect(submitted.status).toBe(200);
    const reply = await until(() => posts().find((c) => c.args.channel === DM && text(c).includes('Please try the new VPN profile.')), { what: 'the reply in the DM thread' });
    expect(reply.args.thread_ts).toBe(dmTs);

    const before = (await spoc.ctx.tickets.get(dmTicket))!.ticket;
    expect((await submit('spoc_escalate_modal', dmTicket, AGENT, { team: { value: { type: 'static_select' } }, reason: { value: { type: 'plain_text_input', value: 'needs L3' } } })).status).toBe(200);
    const after = (await spoc.ctx.tickets.get(dmTicket))!.ticket;
    expect(after.tier > before.tier).toBe(true);
    await until(() => posts().find((c) => c.args.channel === spoc.ctx.config.gateway.teams[after.team]!.slackChannel && text(c).includes(dmTicket)), { what: 'the card in the escalated team channel' });
  });

  it("a reply in a card's thread reaches an email requester through the outbox; note: stays internal", async () => {
    const accepted = await spoc.ctx.intake.accept({
      id: randomUUID(), channel: 'email', receivedAt: new Date().toISOString(), dedupeKey: `email:<${randomUUID()}@example.com>`,
      requester: { email: 'zhang.wei@example.com', name: 'Zhang Wei' }, subject: 'Printer on 3F jammed', body: 'The printer on 3F is jammed again.',
    });
    const number = accepted.ticket.number;
    const card = await cardOf(number);
    const channel = String(card.response!.channel);
    const cardTs = String(card.response!.ts);
    const reply = { type: 'message', channel, channel_type: 'channel', user: AGENT, thread_ts: cardTs };
    expect((await sendEvent({ ...reply, text: 'Paper path cleared; please try again.', ts: `${cardTs}1` }, 'EvThread1')).status).toBe(200);
    expect((await sendEvent({ ...reply, text: 'note: the fuser looks worn', ts: `${cardTs}2` }, 'EvThread2')).status).toBe(200);
    // Slack retries the first one: it must not reply twice.
    expect((await sendEvent({ ...reply, text: 'Paper path cleared; please try again.', ts: `${cardTs}1` }, 'EvThread1', { 'x-slack-retry-num': '1' })).status).toBe(200);

    const detail = (await spoc.ctx.tickets.get(number))!;
    const out = detail.messages.filter((m) => m.direction === 'out');
    expect(out.map((m) => [m.body, m.internal])).toEqual([
      ['Paper path cleared; please try again.', false],
      ['the fuser looks worn', true],
    ]);
    const repliedOut = detail.events.filter((e) => e.type === 'replied_out');
    expect(repliedOut).toHaveLength(1);
    expect(repliedOut[0]!.actor).toBe(`slack:${AGENT}`);
    expect(detail.events.filter((e) => e.type === 'note')).toHaveLength(1);
    // The outbound path: the reply's event made an email job, and the requester got the mail (internal note not).
    const jobs = await spoc.spoc.ticketing.store.read((q) =>
      q.all<{ type: string; eventId: number }>('SELECT type, event_id AS "eventId" FROM outbox WHERE ticket_id = ?', [detail.ticket.id]),
    );
    expect(jobs).toContainEqual({ type: 'email.reply', eventId: repliedOut[0]!.id });
    const mail = await until(
      () => smtp.received.find((m) => m.to.includes('zhang.wei@example.com') && (m.parsed.text ?? '').includes('Paper path cleared')),
      { what: 'the reply mail' },
    );
    expect(mail.parsed.subject).toContain(`[${number}]`);
    expect(smtp.received.some((m) => (m.parsed.text ?? '').includes('fuser'))).toBe(false);
  });

  it("honours Slack's 429 Retry-After and still posts the card once", async () => {
    slack.rateLimit('chat.postMessage', 1, 1);
    const accepted = await spoc.ctx.intake.accept({
      id: randomUUID(), channel: 'api', receivedAt: new Date().toISOString(), dedupeKey: `api:${randomUUID()}`,
      requester: { email: 'zhang.wei@example.com' }, subject: 'Need Visio installed', body: 'Please install Visio on my laptop.',
    });
    const card = await cardOf(accepted.ticket.number);
    const tries = slack.callsOf('chat.postMessage').filter((c) => String(c.args.text).includes(accepted.ticket.number));
    expect(tries.length).toBe(2);
    expect(tries[0]!.response).toBeUndefined();
    expect(card.at - tries[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('a mention in a channel makes one ticket (app_mention and message.channels arrive for it) answered in its thread', async () => {
    const ts = `${Math.floor(Date.now() / 1000)}.000900`;
    const base = { channel: 'C0GENERAL', user: EMPLOYEE, text: '<@UBOT> the printer on 3F is jammed again', ts };
    const before = (await spoc.ctx.tickets.list({})).length;
    await sendEvent({ ...base, type: 'app_mention' }, 'EvMention1');
    await sendEvent({ ...base, type: 'message', channel_type: 'channel' }, 'EvMention1Msg');
    expect((await spoc.ctx.tickets.list({})).length).toBe(before + 1);
    const answer = await until(() => posts().find((c) => c.args.channel === 'C0GENERAL' && c.args.thread_ts === ts), { what: 'the answer in the channel thread' });
    const number = text(answer).match(NUMBER)![0];
    expect((await spoc.ctx.tickets.get(number))!.messages[0]!.body).toBe('the printer on 3F is jammed again');
  });

  it('/spoc new opens a ticket and a DM for it; /spoc status and /spoc mine answer privately', async () => {
    const { command } = slackSays;
    const created = await command(EMPLOYEE, 'new please reset my SAP password');
    expect(created.response_type).toBe('ephemeral');
    const number = String(created.text).match(NUMBER)![0];
    const [opened] = await slack.waitFor('conversations.open', 1);
    expect(opened!.args.users).toBe(EMPLOYEE);
    const dmChannel = `D_${EMPLOYEE}`;
    await until(() => posts().find((c) => c.args.channel === dmChannel && text(c).includes(number)), { what: 'the DM for /spoc new' });

    expect((await command(EMPLOYEE, `status ${number.toLowerCase()}`)).text).toContain(number);
    expect((await command(OUTSIDER, `status ${number}`)).text).toContain("can't find");
    const mine = (await command(EMPLOYEE, 'mine')).text;
    expect(mine).toContain(number);
    expect(mine).not.toContain('Assigned to you');
    const agents = (await command(AGENT, 'mine')).text;
    const [assigned] = await spoc.ctx.tickets.list({ assignee: `slack:${AGENT}`, status: ['in_progress'] });
    expect(agents.slice(0, agents.indexOf('Your requests'))).toContain(`*${assigned!.number}*`);
  });

  it('App Home shows an agent their open tickets and an employee their requests', async () => {
    const open = (user: string) => sendEvent({ type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home' }, `EvHome-${user}`);
    await open(AGENT);
    await open(EMPLOYEE);
    const published = await slack.waitFor('views.publish', 2);
    const forAgent = JSON.stringify(published.find((c) => c.args.user_id === AGENT)!.args.view);
    const forEmployee = JSON.stringify(published.find((c) => c.args.user_id === EMPLOYEE)!.args.view);
    const [assigned] = await spoc.ctx.tickets.list({ assignee: `slack:${AGENT}`, status: ['in_progress'] });
    expect(forAgent).toContain('Your open tickets');
    expect(forAgent).toContain(assigned!.number);
    expect(forEmployee).not.toContain('Your open tickets');
    expect(forEmployee).toContain(dmTicket);
  });

  it('Reassign moves the card to the new team channel and marks the old one', async () => {
    const card = await cardOf(dmTicket);
    const from = (await spoc.ctx.tickets.get(dmTicket))!.ticket.team;
    const to = Object.keys(spoc.ctx.config.gateway.teams).find((t) => t !== from && t !== 'desk-manager')!;
    const res = await submit('spoc_reassign_modal', dmTicket, AGENT, { team: { value: { type: 'static_select', selected_option: { value: to } } }, assignee: { value: { type: 'users_select' } } });
    expect(res.status).toBe(200);
    expect((await spoc.ctx.tickets.get(dmTicket))!.ticket.team).toBe(to);
    const target = spoc.ctx.config.gateway.teams[to]!.slackChannel;
    await until(() => posts().find((c) => c.args.channel === target && text(c).includes(dmTicket)), { what: 'the card in the new channel' });
    await until(() => slack.callsOf('chat.update').find((u) => u.args.ts === card.response!.ts && text(u).includes('Moved to')), { what: 'the old card marked moved' });
  });
});
