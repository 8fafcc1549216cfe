import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type TestDovecot } from '../support/dovecot.js';
import { startSmtp, type TestSmtp } from '../support/mail-smtp.js';
import { startSpoc, type RunningSpoc } from '../support/spoc.js';
import { until } from '../support/wait.js';

const agent = { id: 'slack:U0AGENT1', role: 'agent' as const };
const mailWait = { timeoutMs: 30_000, everyMs: 100 };

/** The loop over email: real Dovecot in, real smtp-server out, replies to the resolution mail read for their intent. */
describe('confirmation by email reply', () => {
  let dovecot: TestDovecot;
  let smtp: TestSmtp;
  let spoc: RunningSpoc;
  beforeAll(async () => {
    [dovecot, smtp] = await Promise.all([startDovecot({ mailboxes: ['Loop'] }), startSmtp()]);
    spoc = await startSpoc({ env: { IMAP_URL: dovecot.url('Loop'), SMTP_URL: smtp.url, MAIL_FROM: 'IT Desk <it@desk.example>', PUBLIC_BASE_URL: 'https://desk.corp.example' } });
  }, 90_000);
  afterAll(async () => {
    await spoc?.close();
    await Promise.all([dovecot?.stop(), smtp?.close()]);
  });

  let seq = 0;
  const mail = (from: string, subject: string, body: string, headers = '') =>
    `From: ${from}\r\nTo: it@corp.example\r\nSubject: ${subject}\r\nMessage-ID: <loop-${Date.now()}-${++seq}@corp.example>\r\nDate: Thu, 03 Dec 2026 09:00:00 +0000\r\n${headers}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;
  /** The whole resolution mail quoted under the answer, as mail clients do: its own instructions say "还是不行". */
  const quote = (text: string) => `在 2026年12月3日 IT Desk 写道：\r\n${text.split('\n').map((l) => `> ${l}`).join('\r\n')}`;
  const mailsTo = (address: string) => smtp.received.filter((r) => r.to.includes(address));

  /** A ticket opened by mail and resolved; answers the resolution mail, whose promise the test checks. */
  async function resolvedByMail(from: string, subject: string) {
    await dovecot.append(mail(from, subject, `${subject}，麻烦看一下`), 'Loop');
    const ack = await until(() => mailsTo(from).find((m) => /已受理/.test(m.parsed.subject ?? '')), { ...mailWait, what: `the ack to ${from}` });
    const number = /([A-Z]{3}-\d{6})/.exec(ack.parsed.subject!)![1]!;
    await spoc.ctx.tickets.resolve(number, agent, { resolution: '已更换网线' });
    const resolution = await until(() => mailsTo(from).find((m) => /已解决/.test(m.parsed.subject ?? '')), { ...mailWait, what: 'the resolution mail' });
    return { number, resolution };
  }

  it('"好了，谢谢" answering the resolution mail closes the ticket without reopening it; the survey mail follows', async () => {
    const from = 'liu.yang@corp.example';
    const { number, resolution } = await resolvedByMail(from, '网络时断时续');
    expect(resolution.parsed.text).toContain('如 3 个工作日内没有回复，工单将自动关闭。');
    await dovecot.append(mail(from, `Re: ${resolution.parsed.subject}`, `好了，谢谢！\r\n\r\n${quote(resolution.parsed.text!)}`, `In-Reply-To: ${resolution.parsed.messageId}\r\n`), 'Loop');
    await until(async () => (await spoc.ctx.tickets.get(number))!.ticket.status === 'closed', { ...mailWait, what: 'the ticket closed' });
    const detail = (await spoc.ctx.tickets.get(number))!;
    expect(detail.events.some((e) => e.type === 'reopened')).toBe(false);
    expect(detail.events.filter((e) => e.type === 'replied_in').at(-1)?.data.intent).toBe('confirmed');
    await until(() => mailsTo(from).some((m) => /请评价/.test(m.parsed.subject ?? '')), { ...mailWait, what: 'the survey mail' });
  }, 90_000);

  it('"还是不行" reopens it', async () => {
    const from = 'he.jing@corp.example';
    const { number, resolution } = await resolvedByMail(from, '打印机脱机');
    await dovecot.append(mail(from, `Re: ${resolution.parsed.subject}`, '还是不行，打印机仍然显示脱机。', `In-Reply-To: ${resolution.parsed.messageId}\r\n`), 'Loop');
    await until(async () => (await spoc.ctx.tickets.get(number))!.events.some((e) => e.type === 'reopened'), { ...mailWait, what: 'the reopen' });
    const detail = (await spoc.ctx.tickets.get(number))!;
    expect(detail.ticket.status).not.toBe('resolved');
    expect(detail.events.filter((e) => e.type === 'replied_in').at(-1)?.data.intent).toBe('not_fixed');
  }, 90_000);
});
