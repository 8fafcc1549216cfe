import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emailConfigSchema } from '../../../src/channels/email/config.js';
import { parseEmail } from '../../../src/channels/email/parse.js';
import { startParsePool, type ParsePool } from '../../../src/channels/email/parse-pool.js';
import { prepareDownloaded } from '../../../src/channels/email/prepare.js';
import { tempAttachments } from '../../support/mail-context.js';

const raw = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name));
const own = { addresses: ['it@desk.example'], markKey: 'test-mark-key' };
const mailbox = { name: 'default', meta: {} };
const origin = (uid: number) => ({ mailbox: 'default', uidValidity: '7', uid });
/** What does not depend on the thread: the random intake id and the clock are left out. */
const comparable = (p: Awaited<ReturnType<typeof prepareDownloaded>>) =>
  p.kind === 'contact' ? { ...p, record: { ...p.record, id: undefined, receivedAt: undefined } } : p;

describe('mail parsing threads', () => {
  const attachments = tempAttachments();
  let pool: ParsePool | undefined;
  afterEach(async () => {
    await pool?.close();
    attachments.cleanup();
  });

  it('prepare what the event loop would: GBK text, attachments stored, bounces and unparseable mail told apart', async () => {
    const config = emailConfigSchema.parse({});
    pool = startParsePool({ config, own, attachments: attachments.options }, 2);
    await pool.ready;
    const local = { config, own, attachments, parse: parseEmail };
    for (const [i, name] of ['gbk-chinese.eml', 'attachments.eml', 'dsn-bounce.eml', 'oof-auto-reply.eml'].entries()) {
      const [threaded, inline] = await Promise.all([pool.prepare(mailbox, origin(i), raw(name)), prepareDownloaded(local, mailbox, origin(i), raw(name))]);
      expect(comparable(threaded), name).toEqual(comparable(inline));
    }
    const gbk = await pool.prepare(mailbox, origin(9), raw('gbk-chinese.eml'));
    expect(gbk.kind === 'contact' && gbk.record.body).toContain('朱镕基楼三层的打印机坏了');
    const withFiles = await pool.prepare(mailbox, origin(10), raw('attachments.eml'));
    const stored = withFiles.kind === 'contact' ? withFiles.record.attachments ?? [] : [];
    expect(stored.length).toBeGreaterThan(0);
    // The thread wrote the files into the same content-addressed store the event loop reads.
    for (const a of stored) expect((await attachments.read(a)).length).toBe(a.size);
  });

  it('fails a message that cannot be sent to a thread alone, and goes on parsing', async () => {
    pool = startParsePool({ config: emailConfigSchema.parse({}), own, attachments: attachments.options }, 1);
    await pool.ready;
    // A function does not cross threads: the call must fail at once, not hang waiting for an answer. The
    // calls asked for with it in the same turn cross in one message with it, and still get their answer.
    const before = pool.prepare(mailbox, origin(1), raw('gbk-chinese.eml'));
    const bad = pool.prepare({ name: 'default', meta: { toString: (() => 'x') as unknown as string } }, origin(2), raw('gbk-chinese.eml'));
    const after = pool.prepare(mailbox, origin(3), raw('gbk-chinese.eml'));
    await expect(bad).rejects.toThrow(/could not be cloned/);
    expect((await before).kind).toBe('contact');
    expect((await after).origin.uid).toBe(3);
    const next = await pool.prepare(mailbox, origin(4), raw('gbk-chinese.eml'));
    expect(next.kind).toBe('contact');
  });
});
