import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, type Frame } from '../support/chat-client.js';
import { startSpoc, type RunningSpoc } from '../support/spoc.js';

const agent = { id: 'slack:U0AGENT1', role: 'agent' as const };

/** The loop over the web chat, with real ws clients against the whole app. */
describe('confirmation and survey in the chat', () => {
  let spoc: RunningSpoc;
  const clients: ChatClient[] = [];
  beforeAll(async () => {
    spoc = await startSpoc();
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) await c.close();
    await spoc?.close();
  });

  let seq = 0;
  const id = () => `msg-${String(++seq).padStart(8, '0')}`;
  async function visitor(language: 'zh' | 'en') {
    const c = await ChatClient.open(spoc.url);
    clients.push(c);
    const sessionId = await c.hello(undefined, { language });
    const say = async (text: string): Promise<Frame> => {
      const mid = id();
      c.send({ type: 'message', id: mid, text });
      return c.next((f) => f.type === 'ack' && f.id === mid, 20_000);
    };
    return { c, sessionId, say };
  }
  async function resolved(language: 'zh' | 'en', text: string) {
    const v = await visitor(language);
    const { ticket } = await v.say(text);
    await spoc.ctx.tickets.resolve(ticket, agent, { resolution: language === 'zh' ? '已重置密码' : 'Password reset' });
    const prompt = await v.c.next((f) => f.type === 'reply' && f.ask === 'confirm', 20_000);
    return { ...v, ticket: ticket as string, prompt };
  }
  const events = async (n: string) => (await spoc.ctx.tickets.get(n))!.events;

  it('pushes the resolution with fixed / not-fixed buttons; "好了，谢谢" closes without reopening; the stars record a rating once', async () => {
    const { c, ticket, prompt, say } = await resolved('zh', '邮箱密码忘了，登录不上');
    expect(prompt.text).toContain('问题解决了吗');
    expect(prompt.text).toContain('如 3 个工作日内没有回复，工单将自动关闭。');

    const thanks = await say('好了，谢谢');
    expect(thanks).toMatchObject({ ticket, outcome: 'joined', status: 'closed' });
    expect((await events(ticket)).some((e) => e.type === 'reopened')).toBe(false);

    const survey = await c.next((f) => f.type === 'reply' && f.ask === 'rate', 20_000);
    expect(survey.text).toContain('1–5 星');
    c.send({ type: 'rate', ticket, score: 5 });
    expect(await c.next((f) => f.type === 'answered')).toEqual({ type: 'answered', ticket, answer: 'rated' });
    c.send({ type: 'rate', ticket, score: 1 });
    expect((await c.next((f) => f.type === 'error')).code).toBe('already_rated');
    const rated = (await events(ticket)).filter((e) => e.type === 'rated');
    expect(rated).toHaveLength(1);
    expect(rated[0]!.data).toMatchObject({ score: 5, channel: 'chat' });
    expect((await events(ticket)).find((e) => e.type === 'survey_sent')?.data).toMatchObject({ channel: 'chat' });
  }, 60_000);

  it('"还是不行" reopens', async () => {
    const { ticket, say } = await resolved('zh', '打印机连不上');
    const again = await say('还是不行');
    expect(again).toMatchObject({ ticket, outcome: 'reopened' });
    expect((await spoc.ctx.tickets.get(ticket))!.ticket.status).not.toBe('resolved');
  }, 60_000);

  it('the "not fixed" button reopens; another session cannot answer for this ticket', async () => {
    const { c, ticket } = await resolved('en', 'Outlook keeps asking for my password');
    const stranger = await visitor('en');
    await stranger.say('Unrelated: my mouse is broken');
    stranger.c.send({ type: 'confirm', ticket, fixed: true });
    expect((await stranger.c.next((f) => f.type === 'error')).code).toBe('not_your_ticket');
    expect((await spoc.ctx.tickets.get(ticket))!.ticket.status).toBe('resolved');

    c.send({ type: 'confirm', ticket, fixed: false });
    expect(await c.next((f) => f.type === 'answered')).toEqual({ type: 'answered', ticket, answer: 'reopened' });
    expect((await spoc.ctx.tickets.get(ticket))!.ticket.status).not.toBe('resolved');
  }, 60_000);
});
