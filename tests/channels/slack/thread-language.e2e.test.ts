import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { startFakeSlack, type FakeSlack, type SlackCall } from '../../support/fake-slack.js';
import { startSpoc, type RunningSpoc } from '../../support/spoc.js';
import { until } from '../../support/wait.js';
import { slackSender } from './signing.js';

const SECRET = 'thread-language-secret';
const AGENT = 'U0MEMBER';
const OUTSIDER = 'U0OUTSIDER';
const EMPLOYEE = 'U0EMPLOYEE';
/** 张伟 in config/directory.yaml: language zh. */
const ZH_EMPLOYEE = 'U01ZHANGWEI';

function staffedConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spoc-slack-thread-'));
  cpSync(new URL('../../../config', import.meta.url), dir, { recursive: true });
  const file = join(dir, 'gateway.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  for (const item of (doc.get('teams') as { items: Array<{ key: { value: string } }> }).items) {
    doc.setIn(['teams', item.key.value, 'members'], item.key.value === 'desk-manager' ? ['U0MANAGER'] : [AGENT]);
    doc.setIn(['teams', item.key.value, 'assignment'], { policy: 'claim' });
  }
  writeFileSync(file, doc.toString());
  return dir;
}

const text = (c: SlackCall) => `${String(c.args.text ?? '')} ${JSON.stringify(c.args.blocks ?? '')}`;
const NUMBER = /[A-Z]{3}-\d{6}/;

describe('Slack: who speaks to the requester in a card thread, and in which language', () => {
  let slack: FakeSlack;
  let spoc: RunningSpoc;
  let configDir: string;

  beforeAll(async () => {
    slack = await startFakeSlack();
    configDir = staffedConfig();
    spoc = await startSpoc({ env: { SPOC_CONFIG_DIR: configDir, PUBLIC_BASE_URL: 'https://desk.example.com', SLACK_BOT_TOKEN: 'xoxb-t', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl } });
  });
  afterAll(async () => {
    await spoc?.close();
    await slack?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  const { event, click, submit, command } = slackSender(() => spoc.url, SECRET);
  const posts = () => slack.callsOf('chat.postMessage').filter((c) => c.response);
  const cardOf = (number: string) =>
    until(() => posts().find((c) => !c.args.thread_ts && text(c).includes('spoc_card_actions') && text(c).includes(number)), { what: `card of ${number}` });

  /** A DM from `user` and the number of the ticket it opened, from the answer in its thread. */
  async function dmTicket(user: string, channel: string, body: string, ts: string) {
    await event({ type: 'message', channel, channel_type: 'im', user, text: body, ts }, `Ev-${ts}`);
    const ack = await until(() => posts().find((c) => c.args.channel === channel && c.args.thread_ts === ts), { what: 'the acknowledgement' });
    return { ack, number: text(ack).match(NUMBER)![0] };
  }

  it("a non-member's message in a card's thread never reaches the requester: it is a note, and they are told privately", async () => {
    const { number } = await dmTicket(EMPLOYEE, 'D0EMP', 'My VPN keeps dropping since this morning', '1764000000.000100');
    const card = await cardOf(number);
    const thread = { type: 'message', channel: String(card.response!.channel), channel_type: 'channel', thread_ts: String(card.response!.ts) };

    await event({ ...thread, user: OUTSIDER, text: 'Have you tried turning it off and on?', ts: '1764000001.000001' }, 'EvOutsider');
    const told = await until(() => slack.callsOf('chat.postEphemeral').find((c) => c.args.user === OUTSIDER), { what: 'the private notice' });
    expect(told.args).toMatchObject({ channel: thread.channel, thread_ts: thread.thread_ts });
    expect(String(told.args.text)).toContain('kept as an internal note');

    // The Reply modal too: a non-member's reply is kept as a note, and the modal says so.
    const modal = await submit('spoc_reply_modal', number, OUTSIDER, { body: { value: { type: 'plain_text_input', value: 'Reinstall everything' } }, internal: { value: { type: 'checkboxes', selected_options: [] } } });
    expect(modal.status).toBe(200);
    expect(JSON.stringify(await modal.json())).toContain('kept as an internal note');

    // A member's message is the desk's answer, in the employee's own thread.
    await event({ ...thread, user: AGENT, text: 'Please try the new VPN profile.', ts: '1764000002.000001' }, 'EvMember');
    await until(() => posts().find((c) => c.args.channel === 'D0EMP' && text(c).includes('Please try the new VPN profile.')), { what: "the member's reply in the DM" });

    const detail = (await spoc.ctx.tickets.get(number))!;
    const out = detail.messages.filter((m) => m.direction === 'out').map((m) => [m.author, m.body, m.internal]);
    expect(out).toEqual([
      [`slack:${OUTSIDER}`, 'Have you tried turning it off and on?', true],
      [`slack:${OUTSIDER}`, 'Reinstall everything', true],
      [`slack:${AGENT}`, 'Please try the new VPN profile.', false],
    ]);
    expect(detail.events.filter((e) => e.type === 'replied_out')).toHaveLength(1);
    await spoc.drained();
    expect(posts().some((c) => c.args.channel === 'D0EMP' && /turning it off|Reinstall everything/.test(text(c)))).toBe(false);
  });

  it('a Chinese-speaking requester sees Chinese: acknowledgement, refusals, resolution prompt, /spoc and App Home', async () => {
    const { ack, number } = await dmTicket(ZH_EMPLOYEE, 'D0ZHANG', 'VPN 连不上，一直掉线', '1764000100.000100');
    expect(text(ack)).toContain('已收到您的请求');
    expect(text(ack)).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}.*前响应/);
    expect(text(ack)).not.toContain('Thanks, we have your request');

    const card = await cardOf(number);
    const channel = String(card.response!.channel);
    await click('spoc_claim', number, OUTSIDER, channel);
    const refusal = await until(() => slack.callsOf('chat.postEphemeral').find((c) => c.args.user === OUTSIDER && String(c.args.text).includes(number) && String(c.args.text).includes('只有')), { what: 'the refusal in Chinese' });
    expect(String(refusal.args.text)).toContain('服务台经理');
    await event({ type: 'message', channel, channel_type: 'channel', thread_ts: String(card.response!.ts), user: OUTSIDER, text: '重启试试', ts: '1764000101.000001' }, 'EvZhOutsider');
    await until(() => slack.callsOf('chat.postEphemeral').find((c) => c.args.user === OUTSIDER && String(c.args.text).includes('内部备注')), { what: 'the note notice in Chinese' });

    const resolved = await submit('spoc_resolve_modal', number, AGENT, { resolution: { value: { type: 'plain_text_input', value: '已重新下发 VPN 配置' } } });
    expect(resolved.status).toBe(200);
    const prompt = await until(() => posts().find((c) => c.args.channel === 'D0ZHANG' && text(c).includes('spoc_confirm')), { what: 'the resolution prompt' });
    expect(text(prompt)).toContain('已解决');
    expect(text(prompt)).toContain('您的问题解决了吗');
    expect(text(prompt)).toContain('没解决，重新打开');

    const status = await command(ZH_EMPLOYEE, `status ${number}`);
    expect(status.text).toContain(number);
    expect(status.text).toContain('已解决');
    expect(status.text).toContain('团队');
    expect((await command(ZH_EMPLOYEE, 'mine')).text).toContain('*您的请求*');
    expect((await command(ZH_EMPLOYEE, 'help')).text).toContain('用法');
    // The English speaker still reads English.
    expect((await command(EMPLOYEE, 'help')).text).toContain('Usage');

    await event({ type: 'app_home_opened', user: ZH_EMPLOYEE, channel: 'D0HOME', tab: 'home' }, 'EvHomeZh');
    const home = await until(() => slack.callsOf('views.publish').find((c) => c.args.user_id === ZH_EMPLOYEE), { what: 'App Home' });
    expect(JSON.stringify(home.args.view)).toMatch(/您的请求/);

    await click('spoc_confirm', number, ZH_EMPLOYEE, 'D0ZHANG', String(prompt.response!.ts));
    await until(() => slack.callsOf('chat.update').find((c) => c.args.ts === prompt.response!.ts && text(c).includes('已关闭')), { what: 'the settled prompt in Chinese' });
  });
});
