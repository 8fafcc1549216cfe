import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configCopy } from '../support/process.js';
import { startFakeSlack, type FakeSlack, type SlackCall } from '../support/fake-slack.js';
import { startSpoc, type RunningSpoc } from '../support/spoc.js';
import { until } from '../support/wait.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const AGENT = 'U0AGENT';
const MANAGER = 'U0MANAGER';
const blocksText = (c: SlackCall) => JSON.stringify(c.args.blocks ?? '');

/**
 * The SLA ladder through the real app: the router's target, the sweeper's pass, the outbox, the real Bolt
 * client against the fake Slack Web API, and a team webhook. The clock is the test's, so 75% and 100%
 * of a 15-minute target are reached without waiting.
 */
describe('SLA steps reach people: the assignee, the card, the next tier, the desk manager', () => {
  let slack: FakeSlack;
  let spoc: RunningSpoc;
  let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let configDir: string;
  // Tuesday 10:00 in Shanghai: inside the 7x8 hours of an inquiry's 15-minute first response.
  let now = new Date('2026-03-03T02:00:00.000Z');

  beforeAll(async () => {
    slack = await startFakeSlack();
    hook = await startWebhookReceiver();
    configDir = await configCopy((doc) => {
      doc.setIn(['teams', 'service-desk', 'members'], [AGENT]);
      doc.setIn(['teams', 'desk-manager', 'members'], [MANAGER]);
      for (const team of ['service-desk', 'desktop']) doc.setIn(['teams', team, 'webhook'], { url: hook.url, secretEnv: 'SPOC_TEST_HOOK_SECRET' });
    });
    spoc = await startSpoc({
      now: () => new Date(now),
      env: {
        SPOC_CONFIG_DIR: configDir,
        PUBLIC_BASE_URL: 'https://desk.example.com',
        SLACK_BOT_TOKEN: 'xoxb-sla',
        SLACK_SIGNING_SECRET: 'sla-secret',
        SLACK_API_URL: slack.apiUrl,
        SPOC_TEST_HOOK_SECRET: 'hook-secret',
      },
    });
  });
  afterAll(async () => {
    await spoc?.close();
    await slack?.close();
    await hook?.close();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  const sweep = async () => {
    const pass = await spoc.spoc.ticketing.sla.pass(new Date(now));
    await spoc.drained();
    return pass.events;
  };
  const cardCalls = (number: string) => slack.calls.filter((c) => (c.method === 'chat.postMessage' || c.method === 'chat.update') && !c.args.thread_ts && blocksText(c).includes('spoc_card_actions') && blocksText(c).includes(number));

  let number = '';
  let respondBy = '';
  let created = 0;

  it('warns the assignee by DM at 75% of the target, and the card turns from on track to at risk', async () => {
    const res = await spoc.api('POST', '/api/v1/contacts', { requester: { email: 'emily.carter@example.com' }, subject: 'How do I add a shared calendar in Outlook?', body: 'How do I add a shared calendar in Outlook?' });
    expect(res.status).toBe(201);
    ({ number, respondBy } = res.body);
    created = now.getTime();
    expect(res.body).toMatchObject({ tier: 'L1', team: 'service-desk' });
    expect(Date.parse(respondBy) - created).toBe(15 * 60_000);
    expect((await spoc.api('POST', `/api/v1/tickets/${number}/reassign`, { assignee: `slack:${AGENT}` })).status).toBe(200);
    await spoc.drained();
    const before = cardCalls(number).at(-1)!;
    expect(blocksText(before)).toContain('On track');

    now = new Date(created + 0.7 * 15 * 60_000);
    expect(await sweep()).toEqual([]);
    now = new Date(created + 0.76 * 15 * 60_000);
    expect(await sweep()).toMatchObject([{ type: 'sla_warning', data: { clock: 'respond', step: 'warning', assignee: `slack:${AGENT}` } }]);

    const card = cardCalls(number).at(-1)!;
    expect(card.method).toBe('chat.update');
    expect(blocksText(card)).toContain('At risk');
    expect(blocksText(card)).toMatch(/4 min left/);
    expect(blocksText(card)).not.toBe(blocksText(before));
    expect(slack.callsOf('conversations.open').map((c) => c.args.users)).toContain(AGENT);
    const dm = slack.callsOf('chat.postMessage').find((c) => c.args.channel === `D_${AGENT}`);
    expect(blocksText(dm!)).toContain(number);
    // An agent the directory does not know reads the desk's language (zh in the shipped config).
    expect(blocksText(dm!)).toContain('即将超时');
    expect(blocksText(dm!)).toContain('剩余 4 分钟');
    // Nothing for the manager at a warning.
    expect(slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C0SPOCMGR')).toEqual([]);
    expect(await sweep()).toEqual([]);
  });

  it('on breach escalates to the next tier, tells the desk manager in their channel and the team webhooks hear it', async () => {
    now = new Date(Date.parse(respondBy) + 60_000);
    const events = await sweep();
    expect(events).toMatchObject([{ type: 'sla_breach', data: { clock: 'respond', step: 'breach' } }]);
    const detail = (await spoc.api('GET', `/api/v1/tickets/${number}`)).body;
    expect(detail.ticket).toMatchObject({ tier: 'L2', team: 'desktop', status: 'assigned' });
    expect(detail.events.filter((e: { type: string }) => e.type === 'escalated')).toMatchObject([{ actor: 'system', data: { reason: 'sla', fromTier: 'L1', toTier: 'L2', clock: 'respond' } }]);

    const manager = await until(() => slack.callsOf('chat.postMessage').find((c) => c.args.channel === 'C0SPOCMGR'), { what: 'the desk manager channel post' });
    expect(blocksText(manager)).toContain(number);
    expect(blocksText(manager)).toContain('已超时');
    expect(blocksText(manager)).toContain('已从 Service desk / 服务台 (L1) 升级到 Desktop support / 桌面运维 (L2)');
    expect(blocksText(manager)).toContain(`<@${AGENT}>`);

    // The card moves to the L2 team's channel, showing the breach; the old one says where it went.
    const moved = cardCalls(number).filter((c) => c.args.channel === 'C0SPOCDESK');
    expect(moved.length).toBeGreaterThan(0);
    expect(blocksText(moved.at(-1)!)).toContain('Breached');
    expect(blocksText(moved.at(-1)!)).toMatch(/1 min overdue/);

    const heard = hook.bodies.filter((b) => b.ticket.number === number).map((b) => [b.event.type, b.event.data.reason]);
    expect(heard).toEqual(expect.arrayContaining([['sla_warning', undefined], ['sla_breach', undefined], ['escalated', 'sla']]));
    // Once per clock and step: further passes add nothing.
    now = new Date(Date.parse(respondBy) + 10 * 60_000);
    expect((await sweep()).filter((e) => e.data.clock === 'respond')).toEqual([]);
  });
});
