import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type TestDovecot } from '../../support/dovecot.js';
import { startSmtp, type TestSmtp } from '../../support/mail-smtp.js';
import { startSpoc, type RunningSpoc } from '../../support/spoc.js';
import { sleep, until } from '../../support/wait.js';

/**
 * The "done when", end to end: real Dovecot, real smtp-server, spoc booted from the repo's config
 * (with the email settings below: a fast poll and a short claim lease, so a takeover happens in a test).
 */
let dovecot: TestDovecot;
let smtp: TestSmtp;
let configDir: string;
const running: RunningSpoc[] = [];

beforeAll(async () => {
  [dovecot, smtp] = await Promise.all([startDovecot(), startSmtp()]);
  configDir = mkdtempSync(join(tmpdir(), 'spoc-email-config-'));
  cpSync(fileURLToPath(new URL('../../../config', import.meta.url)), configDir, { recursive: true });
  const gateway = parseDocument(readFileSync(join(configDir, 'gateway.yaml'), 'utf8'));
  gateway.setIn(['channels', 'email', 'pollIntervalMs'], 500);
  gateway.setIn(['channels', 'email', 'claimLeaseMs'], 1500);
  gateway.setIn(['channels', 'email', 'reconnect'], { minMs: 200, maxMs: 2000 });
  writeFileSync(join(configDir, 'gateway.yaml'), gateway.toString());
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await Promise.all([dovecot?.stop(), smtp?.close()]);
  rmSync(configDir, { recursive: true, force: true });
});

async function spoc(mailbox: string, opts: { dataDir?: string } = {}): Promise<RunningSpoc> {
  const s = await startSpoc({
    env: {
      SPOC_CONFIG_DIR: configDir,
      IMAP_URL: dovecot.url(mailbox),
      SMTP_URL: smtp.url,
      MAIL_FROM: 'IT Desk <it@desk.example>',
      PUBLIC_BASE_URL: 'https://desk.corp.example',
    },
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
  });
  running.push(s);
  return s;
}

/** IMAP polling and SMTP round trips take a while: waits poll every 100 ms for up to 20 s. */
const mailWait = { timeoutMs: 20_000, everyMs: 100 };

let seq = 0;
function mail(opts: { subject: string; body?: string; from?: string; headers?: string; messageId?: string }): string {
  const id = opts.messageId ?? `<e2e-${Date.now()}-${++seq}@corp.example>`;
  return `From: ${opts.from ?? 'Alice <alice@corp.example>'}\r\nTo: it@corp.example\r\nSubject: ${opts.subject}\r\nMessage-ID: ${id}\r\nDate: Tue, 17 Nov 2026 09:00:00 +0000\r\n${opts.headers ?? ''}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${opts.body ?? 'Please help.'}\r\n`;
}

const seen = async (mailbox: string, uid: number) => (await dovecot.flags(mailbox)).get(uid)?.has('\\Seen') ?? false;
const mailsTo = (address: string) => smtp.received.filter((r) => r.to.includes(address));
const tickets = (s: RunningSpoc) => s.ctx.tickets.list({ limit: 100 });

describe('email end to end', () => {
  it('a new mail becomes a ticket and the acknowledgement arrives; replies by subject and by headers join it', async () => {
    const s = await spoc('Flow');
    const uid = await dovecot.append(mail({ subject: 'VPN keeps disconnecting', from: 'Bob <bob@corp.example>' }), 'Flow');
    const [ack] = await until(() => mailsTo('bob@corp.example').length === 1 && mailsTo('bob@corp.example'), { ...mailWait, what: 'the acknowledgement to bob' });
    expect(await seen('Flow', uid)).toBe(true);
    const [ticket] = await tickets(s);
    expect(ticket!.channel).toBe('email');
    expect(ack!.parsed.subject).toBe(`[${ticket!.number}] Received: VPN keeps disconnecting`);
    expect(ack!.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(ack!.parsed.text).toContain(`https://desk.corp.example/?ticket=${ticket!.number}`);

    await dovecot.append(mail({ subject: `Re: [${ticket!.number}] VPN keeps disconnecting`, from: 'bob@corp.example', body: 'Still broken.' }), 'Flow');
    await dovecot.append(
      mail({ subject: 'one more thing', from: 'bob@corp.example', body: 'It also drops on Wi-Fi.', headers: `In-Reply-To: ${ack!.parsed.messageId}\r\n` }),
      'Flow',
    );
    const detail = await until(async () => {
      const d = await s.ctx.tickets.get(ticket!.number);
      return d && d.messages.filter((m) => m.direction === 'in').length === 3 && d;
    }, { ...mailWait, what: 'three inbound messages on the ticket' });
    expect(detail.messages.filter((m) => m.direction === 'in').map((m) => m.body)).toEqual(['Please help.', 'Still broken.', 'It also drops on Wi-Fi.']);
    expect(await tickets(s)).toHaveLength(1);
    // A reply continues the ticket: no second acknowledgement.
    await s.drained();
    expect(mailsTo('bob@corp.example')).toHaveLength(1);
  });

  it('a GBK-encoded Chinese mail reads correctly and is acknowledged in Chinese', async () => {
    const s = await spoc('Gbk');
    await dovecot.append(readFileSync(join(import.meta.dirname, 'fixtures', 'gbk-chinese.eml')), 'Gbk');
    const [ack] = await until(() => mailsTo('wang@corp.example').length === 1 && mailsTo('wang@corp.example'), { ...mailWait, what: 'the acknowledgement to wang' });
    const [ticket] = await tickets(s);
    expect(ticket!.subject).toBe('打印机故障');
    const detail = await s.ctx.tickets.get(ticket!.number);
    expect(detail!.messages[0]!.body).toContain('朱镕基楼三层的打印机坏了');
    expect(ack!.parsed.text).toContain('我们已收到您的请求');
  });

  it('an out-of-office reply and a bounce get no answer and no ticket; the same message twice makes one ticket', async () => {
    const s = await spoc('Loops');
    const first = mail({ subject: 'Laptop will not boot', from: 'carol@corp.example' });
    await dovecot.append(first, 'Loops');
    const [ack] = await until(() => mailsTo('carol@corp.example').length === 1 && mailsTo('carol@corp.example'), { ...mailWait, what: 'the acknowledgement to carol' });
    const [ticket] = await tickets(s);
    await dovecot.append(first, 'Loops');
    const oof = await dovecot.append(
      mail({
        subject: 'Automatic reply: Laptop will not boot',
        from: 'carol@corp.example',
        body: 'I am out of the office.',
        headers: `Auto-Submitted: auto-replied\r\nX-Auto-Response-Suppress: All\r\nIn-Reply-To: ${ack!.parsed.messageId}\r\n`,
      }),
      'Loops',
    );
    const dsn = readFileSync(join(import.meta.dirname, 'fixtures', 'dsn-bounce.eml'), 'utf8')
      .replaceAll('gone@corp.example', 'carol@corp.example')
      .replace('<ack-45@desk.example>', ack!.parsed.messageId!);
    const bounce = await dovecot.append(dsn, 'Loops');
    await until(async () => (await seen('Loops', oof)) && (await seen('Loops', bounce)), { ...mailWait, what: 'the auto-reply and the bounce flagged \\Seen' });
    await s.drained();
    expect(await tickets(s)).toHaveLength(1);
    expect(mailsTo('carol@corp.example')).toHaveLength(1);
    expect(smtp.received.filter((r) => r.to.some((t) => /mailer-daemon/i.test(t)))).toHaveLength(0);
    const detail = await s.ctx.tickets.get(ticket!.number);
    expect(detail!.messages.some((m) => m.internal && m.body.includes('bounced: carol@corp.example (status 5.1.1)'))).toBe(true);
    // The bounced address gets nothing more, even an agent's reply.
    await s.ctx.tickets.reply(ticket!.number, { id: 'api:test', role: 'agent' }, { body: 'Can you bring it to the desk?' });
    await s.drained();
    expect(mailsTo('carol@corp.example')).toHaveLength(1);
  });

  it("a colleague at the desk's own domain is acknowledged; our own acknowledgement looped back is never answered", async () => {
    const s = await spoc('OwnDomain');
    // Outlook inside the desk's company writes Message-IDs at the desk's domain.
    await dovecot.append(
      mail({ subject: 'Outlook crashes on start', from: 'Zhang Wei <zhang.wei@desk.example>', messageId: `<DB9PR0${Date.now()}@desk.example>` }),
      'OwnDomain',
    );
    const [ack] = await until(() => mailsTo('zhang.wei@desk.example').length === 1 && mailsTo('zhang.wei@desk.example'), { ...mailWait, what: 'the acknowledgement to zhang.wei' });
    // The acknowledgement comes back through a forwarding rule that rewrote the sender and dropped the
    // automatic headers: only our mark says it is ours.
    const looped = ack!.raw
      .toString('utf8')
      .replace(/^From: .*$/im, 'From: Helpdesk Group <helpdesk-group@desk.example>')
      .replace(/^To: .*$/im, 'To: it@desk.example')
      .replace(/^(Auto-Submitted|X-Auto-Response-Suppress): .*\r?\n/gim, '');
    expect(looped).not.toMatch(/^Auto-Submitted:/im);
    const uid = await dovecot.append(looped, 'OwnDomain');
    await until(() => seen('OwnDomain', uid), { ...mailWait, what: 'the looped acknowledgement flagged \\Seen' });
    await s.drained();
    const [ticket] = await tickets(s);
    expect(await tickets(s)).toHaveLength(1);
    const detail = await s.ctx.tickets.get(ticket!.number);
    expect(detail!.messages.filter((m) => m.direction === 'in')).toHaveLength(1);
    expect(smtp.received.filter((r) => r.to.includes('helpdesk-group@desk.example'))).toHaveLength(0);
  });

  it('two different mails sharing a Message-ID become two tickets, and the mail behind them is read', async () => {
    const s = await spoc('SharedId');
    const messageId = `<shared-${Date.now()}@corp.example>`;
    await dovecot.append(mail({ subject: 'Printer jammed', from: 'frank@corp.example', messageId }), 'SharedId');
    // A re-send of other content under the same id, as some mailers do.
    await dovecot.append(mail({ subject: 'Monitor flickers', from: 'frank@corp.example', messageId, body: 'Another problem.' }), 'SharedId');
    const last = await dovecot.append(mail({ subject: 'Keyboard missing keys', from: 'frank@corp.example' }), 'SharedId');
    await until(() => seen('SharedId', last), { ...mailWait, what: 'the mail behind the shared id flagged \\Seen' });
    const subjects = (await tickets(s)).map((t) => t.subject).sort();
    expect(subjects).toEqual(['Keyboard missing keys', 'Monitor flickers', 'Printer jammed']);
    await until(() => mailsTo('frank@corp.example').length === 3, { ...mailWait, what: 'three acknowledgements to frank' });
  });

  it('killing spoc between the commit and \\Seen makes no duplicate', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'spoc-email-kill-'));
    try {
      const a = await spoc('Kill', { dataDir });
      const accept = a.ctx.intake.accept.bind(a.ctx.intake);
      let committed = false;
      a.ctx.intake.accept = async (record) => {
        await accept(record);
        committed = true;
        // The process dies here: the ticket is committed, the message never flagged.
        throw new Error('killed');
      };
      const uid = await dovecot.append(mail({ subject: 'Printer on fire', from: 'dave@corp.example' }), 'Kill');
      await until(() => committed, { ...mailWait, what: 'the ticket to be committed' });
      await a.close();
      running.splice(running.indexOf(a), 1);
      expect(await seen('Kill', uid)).toBe(false);

      const b = await spoc('Kill', { dataDir });
      await until(() => seen('Kill', uid), { ...mailWait, what: 'the mail flagged \\Seen after the restart' });
      expect(await tickets(b)).toHaveLength(1);
      await b.drained();
      expect(mailsTo('dave@corp.example')).toHaveLength(1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('SMTP refusing for a while delays the acknowledgement; it is delivered once', async () => {
    const s = await spoc('Smtp');
    smtp.refuse(451);
    try {
      await dovecot.append(mail({ subject: 'Cannot log in', from: 'erin@corp.example' }), 'Smtp');
      await until(async () => (await tickets(s)).length === 1, { ...mailWait, what: 'the ticket' });
      await sleep(2500);
      expect(mailsTo('erin@corp.example')).toHaveLength(0);
    } finally {
      smtp.refuse(undefined);
    }
    await until(() => mailsTo('erin@corp.example').length === 1, { ...mailWait, timeoutMs: 25_000, what: 'the delayed acknowledgement to erin' });
    await s.drained(15_000);
    await sleep(1000);
    expect(mailsTo('erin@corp.example')).toHaveLength(1);
  });
});
