import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmailState } from '../../../src/channels/email/state.js';
import { startDovecot, type TestDovecot } from '../../support/dovecot.js';
import { startSmtp, type TestSmtp } from '../../support/mail-smtp.js';
import { startSpoc, TEST_KEYS, type RunningSpoc } from '../../support/spoc.js';
import { until } from '../../support/wait.js';

/**
 * The real-world corpus (fixtures/real, see its SOURCES.md, plus this folder's own fixtures) moved into
 * Dovecot at once, as a backlog after an outage, and read by spoc as it runs: every mail must be
 * accounted for, none may hold up the rest, and mail appended afterwards is read at once.
 */
const FIXTURES = join(import.meta.dirname, 'fixtures');
const corpus = (readdirSync(FIXTURES, { recursive: true }) as string[])
  .filter((f) => /\.(eml|txt)$/.test(f) && statSync(join(FIXTURES, f)).isFile())
  .sort();

/** Addresses no automatic mail may go to, whatever the mail said of itself. */
const ROBOT = /(mailer-?daemon|postmaster|no-?reply|do-?not-?reply|bounce|abuse|delivery|ndr@|antivirus|smtp_mail)/i;
const OUTCOMES = new Set(['created', 'joined', 'duplicate', 'reopened', 'bounce', 'quarantined', 'skipped']);

const UNREADABLE = new Map<string, Buffer>([
  ['(generated) bytes that are no mail', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256))],
  [
    '(generated) a header over 1 MB',
    Buffer.from(`From: relay@corp.example\r\nSubject: many hops\r\n${Array.from({ length: 30_000 }, (_, i) => `Received: from relay${i}.example by mx`).join('\r\n')}\r\n\r\nbody\r\n`),
  ],
]);

let dovecot: TestDovecot;
let smtp: TestSmtp;
let configDir: string;
let s: RunningSpoc | undefined;

beforeAll(async () => {
  [dovecot, smtp] = await Promise.all([startDovecot(), startSmtp()]);
  configDir = mkdtempSync(join(tmpdir(), 'spoc-corpus-config-'));
  cpSync(fileURLToPath(new URL('../../../config', import.meta.url)), configDir, { recursive: true });
  const gateway = parseDocument(readFileSync(join(configDir, 'gateway.yaml'), 'utf8'));
  gateway.setIn(['channels', 'email', 'pollIntervalMs'], 60_000);
  gateway.setIn(['channels', 'email', 'reconnect'], { minMs: 200, maxMs: 2000 });
  gateway.setIn(['channels', 'email', 'maxAttempts'], 3);
  writeFileSync(join(configDir, 'gateway.yaml'), gateway.toString());
});
afterAll(async () => {
  await s?.close();
  await Promise.all([dovecot?.stop(), smtp?.close()]);
  rmSync(configDir, { recursive: true, force: true });
});

describe('the real-world corpus through Dovecot', () => {
  it('reads and accounts for every mail, answers no robot, keeps the text readable, and reads mail appended after it at once', async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    const byUid = new Map<number, string>();
    const appender = await dovecot.client();
    try {
      await appender.mailboxCreate('Corpus');
      for (const file of corpus) {
        const res = await appender.append('Corpus', readFileSync(join(FIXTURES, file)), []);
        byUid.set(Number(res && res.uid), file);
      }
      // Two mails no parser can make sense of, among the rest: bytes that are no mail, and a header over
      // the parser's 1 MB limit. Both must be kept aside with a reason, never an empty ticket.
      for (const [name, raw] of UNREADABLE) {
        const res = await appender.append('Corpus', raw, []);
        byUid.set(Number(res && res.uid), name);
      }
    } finally {
      await appender.logout();
    }
    expect(byUid.size).toBe(corpus.length + UNREADABLE.size);

    s = await startSpoc({
      env: {
        SPOC_CONFIG_DIR: configDir,
        IMAP_URL: dovecot.url('Corpus'),
        SMTP_URL: smtp.url,
        MAIL_FROM: 'IT Desk <it@corp.example>',
        PUBLIC_BASE_URL: 'https://desk.corp.example',
      },
    });
    const emailState = createEmailState(s.ctx.state);
    const last = Math.max(...byUid.keys());
    // The poll is a minute away: only IDLE and the passes themselves may bring the mail in.
    await until(async () => (await emailState.getCursor('default'))?.lastUid === last, { timeoutMs: 240_000, everyMs: 250, what: 'the cursor past the whole corpus' });
    const appendedAt = Date.now();
    const late = await dovecot.append(
      'From: Zhang Wei <zhang.wei@corp.example>\r\nTo: it@corp.example\r\nSubject: After the corpus\r\nMessage-ID: <after-corpus@corp.example>\r\n\r\nStill reading?\r\n',
      'Corpus',
    );
    await until(async () => (await emailState.getCursor('default'))?.lastUid === late, { timeoutMs: 15_000, everyMs: 100, what: 'the mail appended after the corpus' });
    expect(Date.now() - appendedAt).toBeLessThan(15_000);
    await s.drained(120_000);

    // Every mail is accounted for: done, with what it became; kept-aside mail says why.
    const cursor = (await emailState.getCursor('default'))!;
    const flags = await dovecot.flags('Corpus');
    const tally: Record<string, number> = {};
    for (const [uid, file] of byUid) {
      const claim = await emailState.claimOf('default', cursor.uidValidity, uid);
      expect(claim?.done, file).toBe(true);
      expect(OUTCOMES, file).toContain(claim!.outcome);
      expect(flags.get(uid)?.has('\\Seen'), file).toBe(true);
      if (claim!.outcome === 'quarantined') expect((await emailState.getQuarantine('default', cursor.uidValidity, uid))?.reason, file).toBeTruthy();
      tally[claim!.outcome!] = (tally[claim!.outcome!] ?? 0) + 1;
    }
    for (const [uid, file] of byUid) if (UNREADABLE.has(file)) expect((await emailState.claimOf('default', cursor.uidValidity, uid))?.outcome, file).toBe('quarantined');
    // Those two, and the corpus's mail of headers alone (cpython msg_18: no sender, subject or text).
    expect(tally.quarantined).toBe(UNREADABLE.size + 1);
    const listed = (await s.api('GET', '/api/v1/admin/email/quarantine')).body.messages as Array<{ uid: number; reason: string }>;
    expect(listed.map((q) => byUid.get(q.uid)).sort()).toEqual([...UNREADABLE.keys(), 'real/cpython-email/msg_18.txt'].sort());
    expect(await s.api('GET', '/api/v1/admin/email/quarantine', undefined, { key: TEST_KEYS.agent })).toMatchObject({ status: 403 });
    expect(tally.created).toBeGreaterThan(50);
    expect(tally.bounce).toBeGreaterThan(10);

    // No automatic mail to a robot; the colleagues at the desk's own domain were answered.
    const recipients = smtp.received.flatMap((r) => r.to);
    expect(recipients.filter((to) => ROBOT.test(to))).toEqual([]);
    for (const colleague of ['zhang.wei@corp.example', 'li.na@corp.example', 'yamada@corp.example', 'chan@corp.example']) expect(recipients, colleague).toContain(colleague);

    // Stored subjects and bodies hold no replacement character: every source's bytes were decodable.
    const tickets = await s.ctx.tickets.list({ limit: 1000 });
    const unreadable: string[] = [];
    for (const t of tickets) {
      const detail = await s.ctx.tickets.get(t.number);
      const texts = [t.subject, ...detail!.messages.filter((m) => m.direction === 'in').map((m) => m.body)];
      if (texts.some((x) => x.includes('\uFFFD'))) unreadable.push(`${t.number} ${t.subject}`);
    }
    expect(unreadable).toEqual([]);

    // The charset cases read right, end to end.
    const bySubject = (subject: string) => tickets.find((t) => t.subject === subject);
    for (const subject of ['提示：您的企业成员暂时无法登录邮件客户端', '打印机坏了，无法打印报表', 'パスワードを忘れました', '印表機壞了', '扩展字符𠀀𪚥㐀 报修']) {
      expect(bySubject(subject), subject).toBeDefined();
    }
    const tencent = await s.ctx.tickets.get(bySubject('提示：您的企业成员暂时无法登录邮件客户端')!.number);
    expect(tencent!.requester.name).toBe('腾讯企业邮箱');
    expect(tencent!.messages[0]!.body).toContain('系统检测到邮箱账号jianxin@jianxinapp.com频繁地登录失败');
    const latin1 = tickets.find((t) => t.subject === 'Re: running server as root (Was: Re: PUT method)');
    expect((await s.ctx.tickets.get(latin1!.number))!.requester.name).toBe('Ingo Lütkebohle');
    console.info(`corpus: ${corpus.length} mails, outcomes ${JSON.stringify(tally)}`);
  }, 420_000);
});
