import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { intakeRecordSchema } from '../../../src/intake/record.js';
import { parseEmail } from '../../../src/channels/email/parse.js';
import { parsedMailToIntake, selectAttachments, type NormaliseContext } from '../../../src/channels/email/normalise.js';
import { automaticReason, isDeliveryReport } from '../../../src/channels/email/loop.js';
import { readDeliveryReport } from '../../../src/channels/email/dsn.js';
import { trimQuoted } from '../../../src/channels/email/text.js';
import { markFor } from '../../../src/channels/email/mark.js';
import { messageIdFor } from '../../../src/channels/email/outbound.js';
import { replyToIds, ticketNumberFromSubject } from '../../../src/channels/email/thread.js';

const fixture = (name: string) => parseEmail(readFileSync(join(import.meta.dirname, 'fixtures', name)));
const own = { addresses: ['it@desk.example'], markKey: 'test-mark-key' };
const nctx = (extra: Partial<NormaliseContext> = {}): NormaliseContext => ({
  id: '00000000-0000-4000-8000-000000000001',
  receivedAt: '2026-11-17T09:00:00.000Z',
  mailbox: 'default',
  mailboxMeta: {},
  attachments: [],
  droppedAttachments: [],
  ...extra,
});
async function record(name: string, extra: Partial<NormaliseContext> = {}) {
  const parsed = await fixture(name);
  const auto = automaticReason(parsed, own);
  const r = parsedMailToIntake(parsed, nctx({ ...(auto ? { automaticReason: auto } : {}), ...extra }));
  // Every record the normaliser builds is one intake accepts.
  return intakeRecordSchema.parse(r);
}

describe('parsedMailToIntake on recorded mail', () => {
  it('reads GB2312-labelled mail that is really GBK/GB18030', async () => {
    const r = await record('gbk-chinese.eml');
    expect(r.subject).toBe('打印机故障');
    expect(r.body).toContain('朱镕基楼三层的打印机坏了');
    expect(r.body).toContain('生僻字：𠀀');
    expect(r.requester).toEqual({ email: 'wang@corp.example', name: '王小明', language: 'zh' });
    expect(r.language).toBe('zh');
    expect(r.dedupeKey).toMatch(/^email:<gbk-001@corp\.example>#[0-9a-f]{16}$/);
    expect(r.meta).toEqual({ mailbox: 'default', message_id: '<gbk-001@corp.example>' });
  });

  it('reads Big5 and ISO-2022-JP', async () => {
    const big5 = await record('big5.eml');
    expect(big5.subject).toBe('印表機無法列印');
    expect(big5.body).toContain('三樓的印表機無法列印');
    const jp = await record('iso-2022-jp.eml');
    expect(jp.subject).toBe('プリンター故障');
    expect(jp.body).toBe('プリンターが動きません。\n確認をお願いします。');
  });

  it('turns HTML-only mail into plain text without markup, scripts or styles', async () => {
    const r = await record('html-only.eml');
    expect(r.body).toBe("Hi team,\n\nMy VPN drops every 5 minutes & I can't work.\n\nSee status [https://status.corp.example]");
    expect(r.body).not.toMatch(/<|alert|color: red/);
  });

  it('trims quoted history and signatures, keeps the ticket number and the reply ids', async () => {
    const en = await record('quoted-reply-en.eml');
    expect(en.body).toBe('It happened again this morning at 7:55.');
    expect(en.thread).toEqual({ ticketNumber: 'INC-000042', replyTo: ['<ack-42@desk.example>', '<html-001@corp.example>'], messageId: '<reply-en-001@corp.example>' });
    const zh = await record('quoted-reply-zh.eml');
    expect(zh.body).toBe('还是不行，换了硒鼓也一样。');
    expect(zh.thread.ticketNumber).toBe('INC-000043');
    const outlook = await record('outlook-original.eml');
    expect(outlook.body).toBe('Still locked out, please reset.');
  });

  it('decodes RFC 2047 subjects split over folded encoded words', async () => {
    const r = await record('rfc2047-subject.eml');
    expect(r.subject).toBe('Café printer 打印机 broken');
    expect(r.requester.name).toBe('José Pérez');
  });

  it('marks an out-of-office reply so nothing answers it automatically', async () => {
    const r = await record('oof-auto-reply.eml');
    expect(r.meta.auto_reply).toBe('true');
    expect(r.meta.auto_reason).toBe('auto-submitted auto-replied');
    expect(r.thread).toEqual({ ticketNumber: 'INC-000044', replyTo: ['<ack-44@desk.example>'], messageId: '<oof-001@corp.example>' });
  });

  it('recognises a delivery report and reads which address failed and which message bounced', async () => {
    const parsed = await fixture('dsn-bounce.eml');
    expect(isDeliveryReport(parsed)).toBe(true);
    expect(readDeliveryReport(parsed)).toEqual({
      failed: ['gone@corp.example'],
      status: { 'gone@corp.example': '5.1.1' },
      originalMessageId: '<ack-45@desk.example>',
    });
    expect(isDeliveryReport(await fixture('oof-auto-reply.eml'))).toBe(false);
  });

  it('keeps attachments within the limits and says which were left out', async () => {
    const parsed = await fixture('attachments.eml');
    const { keep, dropped } = selectAttachments(parsed, { maxBytes: 1024, maxCount: 5 });
    expect(keep.map((a) => [a.name, a.content.toString()])).toEqual([['log.txt', 'line one\r\nline two']]);
    expect(dropped).toEqual([{ name: 'big.bin', reason: 'over 1 KB' }]);
    const r = parsedMailToIntake(parsed, nctx({ droppedAttachments: dropped }));
    expect(r.body).toBe('Error attached.\n\n[big.bin: not kept, over 1 KB]');
    expect(selectAttachments(parsed, { maxBytes: 10_000, maxCount: 1 }).dropped).toEqual([{ name: 'big.bin', reason: 'more than 1 attachments' }]);
  });

  it('gives the same key to a re-delivery and a new key when a Message-ID is reused for new content', async () => {
    const raw = readFileSync(join(import.meta.dirname, 'fixtures', 'html-only.eml'), 'utf8');
    const a = parsedMailToIntake(await parseEmail(Buffer.from(`Delivered-To: it@corp.example\r\n${raw}`)), nctx());
    const b = parsedMailToIntake(await parseEmail(Buffer.from(raw)), nctx());
    const c = parsedMailToIntake(await parseEmail(Buffer.from(raw.replace('every 5 minutes', 'every hour'))), nctx());
    expect(a.dedupeKey).toBe(b.dedupeKey);
    expect(c.dedupeKey).not.toBe(b.dedupeKey);
    const noId = parsedMailToIntake(await parseEmail(Buffer.from(raw.replace(/^Message-ID:.*\r\n/m, ''))), nctx());
    expect(noId.dedupeKey).toMatch(/^email:sha256:[0-9a-f]{64}$/);
  });

  it('carries the mailbox and its routing hints in meta', async () => {
    const r = await record('big5.eml', { mailbox: 'security', mailboxMeta: { team_hint: 'security' } });
    expect(r.meta).toMatchObject({ mailbox: 'security', team_hint: 'security' });
  });
});

describe('threading and loop rules', () => {
  it('finds our ticket number after any reply or forward prefix', () => {
    for (const s of ['Re: [INC-000042] x', 'RE: FW: [INC-000042]', '回复: 转发: [INC-000042] 打印机', '答复：[INC-000042]', 'AW: WG: [INC-000042]', 'Fwd: INC-000042 printer']) {
      expect(ticketNumberFromSubject(s)).toBe('INC-000042');
    }
    expect(ticketNumberFromSubject('Printer INC-000042 mentioned in passing')).toBeUndefined();
    expect(replyToIds('<a@x>', ['<b@x>', '<a@x>'])).toEqual(['<a@x>', '<b@x>']);
  });

  it('trims Chinese and English quote openers', () => {
    expect(trimQuoted('新问题\n\n在 2026年11月16日 09:15，IT服务台 写道：\n> 旧内容')).toBe('新问题');
    expect(trimQuoted('New text\n\n-----Original Message-----\nold')).toBe('New text');
    expect(trimQuoted('新内容\n发件人: a@b.c\n旧')).toBe('新内容');
    expect(trimQuoted('Only text\n-- \nSig')).toBe('Only text');
    expect(trimQuoted('> all quoted\n> lines')).toBe('> all quoted\n> lines');
  });

  it('never auto-answers bulk, list, looped, system or our own mail', async () => {
    const base = readFileSync(join(import.meta.dirname, 'fixtures', 'big5.eml'), 'utf8');
    const reason = async (headers: string, from = 'Chen <chen@corp.example>') =>
      automaticReason(await parseEmail(Buffer.from(headers + base.replace('Chen <chen@corp.example>', from))), own);
    expect(await reason('')).toBeUndefined();
    expect(await reason('Auto-Submitted: no\r\n')).toBeUndefined();
    expect(await reason('Auto-Submitted: auto-generated\r\n')).toBe('auto-submitted auto-generated');
    expect(await reason('Precedence: bulk\r\n')).toBe('precedence bulk');
    expect(await reason('X-Auto-Response-Suppress: OOF, DR\r\n')).toBe('x-auto-response-suppress OOF, DR');
    expect(await reason('List-Id: <it.lists.corp.example>\r\n')).toBe('list-id');
    expect(await reason('X-Loop: it@desk.example\r\n')).toBe('x-loop');
    expect(await reason('Return-Path: <>\r\n')).toBe('null return path');
    expect(await reason('', 'MAILER-DAEMON@mx.corp.example')).toBe('system sender');
    expect(await reason('', 'postmaster@corp.example')).toBe('system sender');
    expect(await reason('', 'IT <IT@desk.example>')).toBe('our own address');
    // Ours only by the keyed mark: in the Message-ID's local part, or in our header when a relay rewrote the id.
    const mark = markFor('email.ack:7', own.markKey);
    const withId = (id: string) => base.replace('<big5-001@corp.example>', id);
    expect(automaticReason(await parseEmail(Buffer.from(withId(messageIdFor('email.ack:7', 'desk.example', own.markKey)))), own)).toBe('our own mail');
    expect(await reason(`X-Spoc-Mark: ${mark}\r\n`)).toBe('our own mail');
    // A colleague's Outlook writes Message-IDs at the desk's domain: that is no reason to stay silent.
    expect(automaticReason(await parseEmail(Buffer.from(withId('<x1@desk.example>'))), own)).toBeUndefined();
    // A mark made with another key, or a forged one, is not ours.
    expect(automaticReason(await parseEmail(Buffer.from(withId(messageIdFor('email.ack:7', 'desk.example', 'another key')))), own)).toBeUndefined();
    expect(await reason(`X-Spoc-Mark: ${mark.slice(0, -1)}${mark.endsWith('0') ? '1' : '0'}\r\n`)).toBeUndefined();
  });
});
