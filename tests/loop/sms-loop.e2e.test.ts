import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, textIn, type Harness } from '../channels/twilio/harness.js';
import { only } from '../channels/twilio/twiml.js';
import { until } from '../support/wait.js';

const agent = { id: 'slack:U0AGENT1', name: 'Agent One', role: 'agent' as const };

/** The loop over SMS against the real app: Twilio-signed webhooks in, texts out to a fake Twilio REST API. */
describe('confirmation and survey by SMS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await boot();
  }, 60_000);
  afterAll(() => h.cleanup());

  const textsTo = (to: string) => h.fake.messages.filter((m) => m.to === to).map((m) => m.body);
  const waitText = (to: string, pattern: RegExp) =>
    until(() => textsTo(to).some((b) => pattern.test(b)), { what: () => `a text to ${to} matching ${pattern}: ${JSON.stringify(textsTo(to))}`, timeoutMs: 30_000 });
  const events = async (number: string) => (await h.spoc.ctx.tickets.get(number))!.events;
  let seq = 0;
  const sid = () => `SM${String(++seq).padStart(32, '0')}`;

  async function resolvedBySms(from: string, text: string): Promise<string> {
    const first = await textIn(h, from, sid(), text);
    const number = /([A-Z]{3}-\d{6})/.exec(only(first.verbs, 'Message').text)![1]!;
    await h.spoc.ctx.tickets.resolve(number, agent, { resolution: '已重置 VPN 令牌。' });
    await waitText(from, /已解决/);
    return number;
  }

  it('asks "1 = fixed, 2 = not fixed" with the real auto-close promise; "好了，谢谢" closes without reopening; the survey follows; "4" is a rated event', async () => {
    const from = '+8613800138201';
    const number = await resolvedBySms(from, 'VPN 连不上了');
    const resolvedText = textsTo(from).find((b) => b.includes('已解决'))!;
    expect(resolvedText).toContain('回复 1 = 已解决，2 = 仍未解决');
    expect(resolvedText).toContain('如 3 个工作日内没有回复，工单将自动关闭。');

    const thanks = await textIn(h, from, sid(), '好了，谢谢');
    expect(thanks.status).toBe(200);
    const after = (await h.spoc.ctx.tickets.get(number))!;
    expect(after.ticket.status).toBe('closed');
    expect(after.events.some((e) => e.type === 'reopened')).toBe(false);

    await waitText(from, /回复 1–5/);
    await until(async () => (await events(number)).some((e) => e.type === 'survey_sent'), { what: 'survey_sent', timeoutMs: 20_000 });
    expect((await events(number)).find((e) => e.type === 'survey_sent')!.data).toMatchObject({ channel: 'sms', by: 'sms' });

    const rateSid = sid();
    const rated = await textIn(h, from, rateSid, '4');
    expect(only(rated.verbs, 'Message').text).toBe('谢谢您的评价！');
    // Twilio's retry of the same text: thanked again, rated once.
    expect(only((await textIn(h, from, rateSid, '4')).verbs, 'Message').text).toBe('谢谢您的评价！');
    const ratings = (await events(number)).filter((e) => e.type === 'rated');
    expect(ratings).toHaveLength(1);
    expect(ratings[0]).toMatchObject({ actor: `sms:${from}`, data: { score: 4, channel: 'sms' } });
    // The answer is no message on the ticket and reopens nothing.
    const final = (await h.spoc.ctx.tickets.get(number))!;
    expect(final.ticket.status).toBe('closed');
    expect(final.messages.map((m) => m.body)).not.toContain('4');

    // A later "5" finds no survey awaiting an answer: it is an ordinary contact, and the rating stands.
    await textIn(h, from, sid(), '5');
    expect((await events(number)).filter((e) => e.type === 'rated')).toHaveLength(1);
  }, 90_000);

  it('"还是不行" reopens the ticket', async () => {
    const from = '+8613800138202';
    const number = await resolvedBySms(from, '打印机无法打印');
    const reply = await textIn(h, from, sid(), '还是不行');
    expect(only(reply.verbs, 'Message').text).toBe(`已补充到工单 ${number}。`);
    const detail = (await h.spoc.ctx.tickets.get(number))!;
    expect(detail.ticket.status).not.toBe('resolved');
    expect(detail.events.filter((e) => e.type === 'reopened')).toHaveLength(1);
    expect(detail.events.filter((e) => e.type === 'replied_in').at(-1)?.data.intent).toBe('not_fixed');
  }, 60_000);

  it('"1" confirms, "2" reopens', async () => {
    const one = '+8613800138203';
    const fixed = await resolvedBySms(one, '邮箱登录不上');
    await textIn(h, one, sid(), '1');
    expect((await h.spoc.ctx.tickets.get(fixed))!.ticket.status).toBe('closed');
    const two = '+8613800138204';
    const broken = await resolvedBySms(two, 'Wi-Fi 断线');
    await textIn(h, two, sid(), '2');
    expect((await h.spoc.ctx.tickets.get(broken))!.ticket.status).not.toBe('resolved');
  }, 60_000);

  it('surveys a caller by SMS when their number is a mobile, and not a landline', async () => {
    const voiceTicket = async (phone: string) => {
      const r = await h.spoc.ctx.intake.accept({
        id: randomUUID(),
        channel: 'voice',
        receivedAt: new Date().toISOString(),
        dedupeKey: `voice:CA${randomUUID().replace(/-/g, '')}`,
        requester: { phone },
        subject: '',
        body: '我的电脑蓝屏了',
        language: 'zh',
      });
      await h.spoc.ctx.tickets.resolve(r.ticket.number, agent, { resolution: '更新了显卡驱动' });
      await h.spoc.ctx.tickets.close(r.ticket.number, agent);
      return r.ticket.number;
    };
    const mobile = '+8613800138205';
    const landline = '+861062345678';
    const viaMobile = await voiceTicket(mobile);
    const viaLandline = await voiceTicket(landline);
    await waitText(mobile, /回复 1–5/);
    await h.spoc.drained(20_000);
    expect(textsTo(landline).filter((b) => /回复 1–5/.test(b))).toEqual([]);
    expect((await events(viaLandline)).some((e) => e.type === 'survey_sent')).toBe(false);

    expect(only((await textIn(h, mobile, sid(), '５')).verbs, 'Message').text).toBe('谢谢您的评价！');
    expect((await events(viaMobile)).find((e) => e.type === 'rated')?.data).toMatchObject({ score: 5, channel: 'voice' });
  }, 60_000);
});
