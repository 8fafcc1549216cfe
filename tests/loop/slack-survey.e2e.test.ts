import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { startFakeSlack, type FakeSlack, type SlackCall } from '../support/fake-slack.js';
import { startSpoc, type RunningSpoc } from '../support/spoc.js';
import { until } from '../support/wait.js';
import { slackSender } from '../channels/slack/signing.js';

const SECRET = 'survey-signing-secret';
const AGENT = 'U0AGENT';
const EMPLOYEE = 'U0EMPLOYEE';
const ZH_EMPLOYEE = 'U0ZHEMPLOYEE';
const MANAGER_CHANNEL = 'C0SPOCMGR';
const agent = { id: `slack:${AGENT}`, role: 'agent' as const };

/** The repo's config with every team staffed, and a zh employee in the directory. */
function config(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spoc-survey-slack-'));
  cpSync(new URL('../../config', import.meta.url), dir, { recursive: true });
  const file = join(dir, 'gateway.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const teams = doc.get('teams') as { items: Array<{ key: { value: string } }> };
  for (const item of teams.items) doc.setIn(['teams', item.key.value, 'members'], item.key.value === 'desk-manager' ? ['U0MANAGER'] : [AGENT]);
  writeFileSync(file, doc.toString());
  return dir;
}

const text = (c: SlackCall) => `${String(c.args.text ?? '')} ${JSON.stringify(c.args.blocks ?? '')}`;

describe('the satisfaction survey in Slack (real Bolt, fake Web API, signed requests)', () => {
  let slack: FakeSlack;
  let spoc: RunningSpoc;
  let dir: string;
  beforeAll(async () => {
    slack = await startFakeSlack();
    slack.addUser({ id: EMPLOYEE, name: 'lilei', realName: 'Li Lei', email: 'li.lei@example.com' });
    slack.addUser({ id: ZH_EMPLOYEE, name: 'wangfang', realName: '王芳', email: 'wang.fang.zh@example.com' });
    dir = config();
    spoc = await startSpoc({ env: { SPOC_CONFIG_DIR: dir, PUBLIC_BASE_URL: 'https://desk.example.com', SLACK_BOT_TOKEN: 'xoxb-e2e', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl } });
  }, 60_000);
  afterAll(async () => {
    await spoc?.close();
    await slack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const { event, click } = slackSender(() => spoc.url, SECRET);
  const posts = () => slack.callsOf('chat.postMessage').filter((c) => c.response);
  let seq = 0;

  async function closedTicket(user: string, words: string): Promise<{ number: string; dm: string }> {
    const dm = `D${user}`;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;
    expect((await event({ type: 'message', channel: dm, channel_type: 'im', user, text: words, ts }, `EvSurvey${seq}`)).status).toBe(200);
    const answer = await until(() => posts().find((c) => c.args.channel === dm && c.args.thread_ts === ts), { what: 'the answer in the DM' });
    const number = /[A-Z]{3}-\d{6}/.exec(text(answer))![0];
    await spoc.ctx.tickets.resolve(number, agent, { resolution: 'Reinstalled the VPN client' });
    await spoc.ctx.tickets.close(number, agent);
    return { number, dm };
  }

  it('asks for a score with buttons on close; the employee’s press is a rated event, once; a score of 2 reaches the desk manager', async () => {
    const { number, dm } = await closedTicket(EMPLOYEE, 'My VPN keeps dropping since this morning');
    const survey = await until(() => posts().find((c) => c.args.channel === dm && text(c).includes('spoc_rate_5')), { what: 'the survey in the DM' });
    expect(text(survey)).toContain('How satisfied are you');
    await until(async () => (await spoc.ctx.tickets.get(number))!.events.some((e) => e.type === 'survey_sent'), { what: 'survey_sent' });

    // Someone else's press changes nothing.
    await click('spoc_rate_5', number, AGENT, dm, String(survey.response!.ts));
    await until(() => slack.callsOf('chat.postEphemeral').some((c) => c.args.user === AGENT && String(c.args.text).includes(`Only the person who asked can rate ${number}`)), { what: 'the refusal' });
    expect((await spoc.ctx.tickets.get(number))!.events.some((e) => e.type === 'rated')).toBe(false);

    await click('spoc_rate_2', number, EMPLOYEE, dm, String(survey.response!.ts));
    await until(() => slack.callsOf('chat.update').some((u) => u.args.ts === survey.response!.ts && text(u).includes('You gave')), { what: 'the settled survey' });
    // A second press (an old copy of the message) is refused and changes nothing.
    await click('spoc_rate_5', number, EMPLOYEE, dm, String(survey.response!.ts));
    await until(() => slack.callsOf('chat.postEphemeral').some((c) => c.args.user === EMPLOYEE && String(c.args.text).includes('rated already')), { what: 'the second-press refusal' });
    const rated = (await spoc.ctx.tickets.get(number))!.events.filter((e) => e.type === 'rated');
    expect(rated).toHaveLength(1);
    expect(rated[0]).toMatchObject({ actor: `slack:${EMPLOYEE}`, data: { score: 2, channel: 'slack' } });

    const notice = await until(() => posts().find((c) => c.args.channel === MANAGER_CHANNEL && text(c).includes(number) && text(c).includes('Low satisfaction')), { what: 'the desk manager notice' });
    expect(text(notice)).toContain('rated 2 of 5 by Li Lei');
    expect(text(notice)).toContain(`https://desk.example.com/desk/tickets/${number}`);
  }, 60_000);

  it('asks a Chinese-speaking employee in Chinese; a 4 tells nobody', async () => {
    const { number, dm } = await closedTicket(ZH_EMPLOYEE, '打印机一直卡纸，麻烦看一下');
    const survey = await until(() => posts().find((c) => c.args.channel === dm && text(c).includes('spoc_rate_4')), { what: 'the zh survey' });
    expect(text(survey)).toContain('您对这次服务满意吗');
    expect(text(survey)).toContain('非常满意');
    await click('spoc_rate_4', number, ZH_EMPLOYEE, dm, String(survey.response!.ts));
    await until(() => slack.callsOf('chat.update').some((u) => u.args.ts === survey.response!.ts && text(u).includes('谢谢您的评价')), { what: 'the zh thanks' });
    await spoc.drained(20_000);
    expect(posts().filter((c) => c.args.channel === MANAGER_CHANNEL && text(c).includes(number))).toEqual([]);
  }, 60_000);
});
