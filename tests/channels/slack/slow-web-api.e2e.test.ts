import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpoc, type RunningSpoc } from '../../support/spoc.js';
import { startFakeSlack, type FakeSlack } from '../../support/fake-slack.js';
import { until } from '../../support/wait.js';
import { slackSender } from './signing.js';

const SECRET = 'slow-signing-secret';
const EMPLOYEE = 'U0SLOWEMP';
const SLOW_MS = 5000;

/** Slack wants an answer within 3 s; spoc must give it while its Web API answers after 5 s. */
describe('Slack ack with a slow Web API (real Bolt app, fake Web API answering after 5 s)', () => {
  let slack: FakeSlack;
  let spoc: RunningSpoc;

  beforeAll(async () => {
    slack = await startFakeSlack();
    slack.addUser({ id: EMPLOYEE, name: 'zhouxin', realName: 'Zhou Xin', email: 'zhou.xin@example.com' });
    slack.delay(SLOW_MS);
    spoc = await startSpoc({ env: { SLACK_BOT_TOKEN: 'xoxb-slow', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl } });
  }, 60_000);
  afterAll(async () => {
    await spoc?.close();
    await slack?.close();
  });

  const { event, command } = slackSender(() => spoc.url, SECRET);

  it('acknowledges a first DM (cold users.info cache) within 3 s, with the ticket already committed, and makes one ticket', async () => {
    const ts = `${Math.floor(Date.now() / 1000)}.000200`;
    const dm = { type: 'message', channel: 'D0SLOW', channel_type: 'im', user: EMPLOYEE, text: 'Printer on floor 3 is jammed', ts };
    const started = Date.now();
    const res = await event(dm, 'EvSlow1');
    const elapsed = Date.now() - started;
    // Checked before anything else: intake committed before the 200, not after the 5 s users.info.
    const atAck = await spoc.ctx.tickets.list({});
    expect(res.status).toBe(200);
    expect(elapsed).toBeLessThan(3000);
    expect(atAck).toHaveLength(1);
    expect(slack.callsOf('users.info')).toHaveLength(0);

    // Slack's retry of the same event (as after a late ack) changes nothing.
    expect((await event(dm, 'EvSlow1', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    expect(await spoc.ctx.tickets.list({})).toHaveLength(1);

    // After the ack, the outbox fills the requester from users.info and answers in the DM.
    const requester = await until(
      async () => {
        const r = (await spoc.ctx.tickets.get(atAck[0]!.number))!.requester;
        return r.email ? r : undefined;
      },
      { what: 'the requester profile from users.info', timeoutMs: 60_000, everyMs: 250 },
    );
    expect(requester).toMatchObject({ name: 'Zhou Xin', email: 'zhou.xin@example.com', slackUserId: EMPLOYEE });
    await slack.waitFor('chat.postMessage', 1, 60_000);
    expect(await spoc.ctx.tickets.list({})).toHaveLength(1);
  }, 120_000);

  it('answers /spoc new within 3 s with the new ticket number', async () => {
    const started = Date.now();
    const answer = await command('U0SLOWNEW', 'new my laptop will not boot');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(answer.text).toMatch(/Created \*[A-Z]{3}-\d{6}\*/);
  }, 30_000);
});
