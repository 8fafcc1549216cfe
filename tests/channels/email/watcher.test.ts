import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startDovecot, type TestDovecot } from '../../support/dovecot.js';
import { memoryState, memoryThreads, recordingIntake, tempAttachments } from '../../support/mail-context.js';
import { emailConfigSchema } from '../../../src/channels/email/config.js';
import { parseImapUrl } from '../../../src/channels/email/env.js';
import { createInboundProcessor } from '../../../src/channels/email/inbound.js';
import { parseEmail } from '../../../src/channels/email/parse.js';
import { createEmailState } from '../../../src/channels/email/state.js';
import { batchesOf, createMailboxWatcher, uidSet } from '../../../src/channels/email/watcher.js';
import type { ChannelState, ThreadIndex } from '../../../src/channels/types.js';
import { SpocError } from '../../../src/shared/errors.js';
import { readFileSync } from 'node:fs';
import { sleep, until } from '../../support/wait.js';
import { join } from 'node:path';

const logger = pino({ level: 'silent' });
let dovecot: TestDovecot;
const attachments = tempAttachments();

beforeAll(async () => {
  dovecot = await startDovecot();
});
afterAll(async () => {
  await dovecot?.stop();
  attachments.cleanup();
});

let seq = 0;
function mail(opts: { subject?: string; body?: string; headers?: string; size?: number } = {}): string {
  const id = `${Date.now()}.${++seq}@corp.example`;
  const body = opts.body ?? `Body of message ${seq}` + (opts.size ? `\r\n${'x'.repeat(opts.size)}` : '');
  return `From: Alice <alice@corp.example>\r\nTo: it@corp.example\r\nSubject: ${opts.subject ?? `Test ${seq}`}\r\nMessage-ID: <${id}>\r\nDate: Tue, 17 Nov 2026 09:00:00 +0000\r\n${opts.headers ?? ''}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;
}

const seen = async (mailbox: string, uid: number) => (await dovecot.flags(mailbox)).get(uid)?.has('\\Seen') ?? false;
/** The watcher works at IMAP speed: waits poll every 100 ms for up to 15 s. */
const mailWait = { timeoutMs: 15_000, everyMs: 100 };
const untilSeen = (mailbox: string, uid: number) => until(() => seen(mailbox, uid), { ...mailWait, what: `UID ${uid} in ${mailbox} flagged \\Seen` });

function watcher(mailbox: string, state: ChannelState, intake: ReturnType<typeof recordingIntake>, opts: {
  owner?: string; claimLeaseMs?: number; maxMessageBytes?: number; maxAttempts?: number; parseThreads?: number; parse?: typeof parseEmail; replies?: unknown[]; threads?: ThreadIndex;
} = {}) {
  const config = emailConfigSchema.parse({
    pollIntervalMs: 500,
    idleWatchdogMs: 2000,
    reconnect: { minMs: 100, maxMs: 1000 },
    claimLeaseMs: opts.claimLeaseMs ?? 60_000,
    ...(opts.maxMessageBytes ? { maxMessageBytes: opts.maxMessageBytes } : {}),
    ...(opts.maxAttempts ? { maxAttempts: opts.maxAttempts } : {}),
  });
  const emailState = createEmailState(state);
  const processor = createInboundProcessor({
    intake: intake.port,
    tickets: { reply: async (number, actor, input) => { opts.replies?.push({ number, actor, input }); return {} as never; } },
    attachments,
    emailState,
    threads: opts.threads ?? memoryThreads(),
    config,
    own: { addresses: ['it@desk.example'], markKey: 'test-mark-key' },
    logger,
    ...(opts.parse ? { parse: opts.parse } : {}),
  });
  return createMailboxWatcher({
    endpoint: parseImapUrl('default', dovecot.url(mailbox)),
    settings: { name: mailbox.toLowerCase(), meta: { team_hint: 'service-desk' } },
    config,
    emailState,
    processor,
    owner: opts.owner ?? 'proc-a',
    logger,
  });
}

describe('batches of a pass', () => {
  it('names UIDs in IMAP sequence sets with runs as ranges', () => {
    expect(uidSet([1, 2, 3, 5, 7, 8, 10])).toBe('1:3,5,7:8,10');
    expect(uidSet([42])).toBe('42');
    expect(uidSet([])).toBe('');
  });

  it('makes batches of at most 200 messages and 16 MB, a larger message alone', () => {
    const uids = Array.from({ length: 500 }, (_, i) => i + 1);
    expect(batchesOf(uids, () => 1000).map((b) => b.length)).toEqual([200, 200, 100]);
    const MB = 1024 * 1024;
    const sizes = new Map([[25, 10 * MB], [26, 10 * MB], [30, 20 * MB]]);
    const batches = batchesOf(uids.slice(0, 40), (uid) => sizes.get(uid) ?? 1000);
    expect(batches.map((b) => [b[0], b.at(-1)])).toEqual([[1, 25], [26, 29], [30, 30], [31, 40]]);
  });
});

describe('mailbox watcher against Dovecot', () => {
  it('accepts new mail, then flags it \\Seen; IDLE brings mail that arrives later', async () => {
    const state = memoryState();
    const intake = recordingIntake();
    const seenAtAccept: boolean[] = [];
    const accept = intake.port.accept;
    intake.port.accept = async (r) => {
      const uid = [...(await dovecot.flags('New')).keys()].pop()!;
      seenAtAccept.push(await seen('New', uid));
      return accept(r);
    };
    const first = await dovecot.append(mail({ subject: 'first' }), 'New');
    const w = watcher('New', state, intake);
    w.start();
    try {
      await untilSeen('New', first);
      const second = await dovecot.append(mail({ subject: 'second' }), 'New');
      await untilSeen('New', second);
      expect(intake.records.map((r) => r.subject)).toEqual(['first', 'second']);
      expect(seenAtAccept).toEqual([false, false]);
      expect(intake.records[0]!.meta).toMatchObject({ mailbox: 'new', team_hint: 'service-desk' });
      expect(await createEmailState(state).getCursor('new')).toMatchObject({ lastUid: second });
    } finally {
      await w.stop();
    }
  });

  it('reconnects with a fresh session when the server drops the connection', async () => {
    const state = memoryState();
    const intake = recordingIntake();
    const w = watcher('Kick', state, intake);
    const first = await dovecot.append(mail({ subject: 'before the cut' }), 'Kick');
    w.start();
    try {
      await untilSeen('Kick', first);
      await dovecot.kick();
      const second = await dovecot.append(mail({ subject: 'after the cut' }), 'Kick');
      await untilSeen('Kick', second);
      expect(intake.records.map((r) => r.subject)).toEqual(['before the cut', 'after the cut']);
    } finally {
      await w.stop();
    }
  });

  it('continues from the last UID after a restart, without skipping or repeating', async () => {
    const state = memoryState();
    const intake = recordingIntake();
    const a = await dovecot.append(mail({ subject: 'before restart' }), 'Restart');
    const w1 = watcher('Restart', state, intake);
    w1.start();
    await untilSeen('Restart', a);
    await w1.stop();
    // Arrives while spoc is down; a human reading it in a mail client must not make us skip it.
    const b = await dovecot.append(mail({ subject: 'while down' }), 'Restart', ['\\Seen']);
    const c = await dovecot.append(mail({ subject: 'while down 2' }), 'Restart');
    const w2 = watcher('Restart', state, intake, { owner: 'proc-b' });
    w2.start();
    try {
      await untilSeen('Restart', c);
      await until(async () => (await createEmailState(state).getCursor('restart'))?.lastUid === c, { ...mailWait, what: 'the cursor at the last UID' });
      expect(intake.records.map((r) => r.subject)).toEqual(['before restart', 'while down', 'while down 2']);
      expect(b).toBeLessThan(c);
    } finally {
      await w2.stop();
    }
  });

  it('resyncs after a UIDVALIDITY change without announcing old mail again', async () => {
    const state = memoryState();
    const intake = recordingIntake();
    const old = mail({ subject: 'old news' });
    const uid = await dovecot.append(old, 'Renumber');
    const w1 = watcher('Renumber', state, intake);
    w1.start();
    await untilSeen('Renumber', uid);
    await w1.stop();
    const before = (await createEmailState(state).getCursor('renumber'))!.uidValidity;
    await dovecot.recreate('Renumber');
    await dovecot.append(old, 'Renumber', ['\\Seen']);
    const fresh = await dovecot.append(mail({ subject: 'new after renumbering' }), 'Renumber');
    const w2 = watcher('Renumber', state, intake);
    w2.start();
    try {
      await untilSeen('Renumber', fresh);
      await until(async () => (await createEmailState(state).getCursor('renumber'))?.uidValidity !== before, { ...mailWait, what: 'the cursor on the new UIDVALIDITY' });
      expect(intake.records.map((r) => r.subject)).toEqual(['old news', 'new after renumbering']);
      expect(await createEmailState(state).getCursor('renumber')).toMatchObject({ lastUid: fresh });
    } finally {
      await w2.stop();
    }
  });

  it('two processes on one mailbox accept each message once', async () => {
    const state = memoryState();
    const intake = recordingIntake();
    const uids: number[] = [];
    for (let i = 0; i < 6; i++) uids.push(await dovecot.append(mail({ subject: `shared ${i}` }), 'Shared'));
    const w1 = watcher('Shared', state, intake, { owner: 'proc-a' });
    const w2 = watcher('Shared', state, intake, { owner: 'proc-b' });
    w1.start();
    w2.start();
    try {
      await until(async () => (await Promise.all(uids.map((u) => seen('Shared', u)))).every(Boolean), { ...mailWait, what: 'every shared message flagged \\Seen' });
      const later = await dovecot.append(mail({ subject: 'shared later' }), 'Shared');
      await untilSeen('Shared', later);
      await sleep(700);
      expect(intake.records.map((r) => r.subject).sort()).toEqual([...[0, 1, 2, 3, 4, 5].map((i) => `shared ${i}`), 'shared later'].sort());
    } finally {
      await Promise.all([w1.stop(), w2.stop()]);
    }
  });

  it('a backlog of several batches, one downloading while the one before commits: each message once, a failure loses none', async () => {
    const state = memoryState();
    const intake = recordingIntake();
    const accept = intake.port.accept;
    let failed = false;
    // A store failure in the middle of the 200-message batch, while the batch after it is already downloaded.
    intake.port.accept = async (r) => {
      if (r.subject === 'backlog 100' && !failed) {
        failed = true;
        throw new Error('store unavailable');
      }
      return accept(r);
    };
    const appender = await dovecot.client();
    const uids: number[] = [];
    try {
      await appender.mailboxCreate('Backlog');
      for (let i = 0; i < 250; i++) {
        const res = await appender.append('Backlog', mail({ subject: `backlog ${i}` }), []);
        uids.push(res ? Number(res.uid) : NaN);
      }
    } finally {
      await appender.logout();
    }
    const w = watcher('Backlog', state, intake);
    w.start();
    try {
      const last = uids.at(-1)!;
      await until(async () => (await createEmailState(state).getCursor('backlog'))?.lastUid === last, { ...mailWait, timeoutMs: 60_000, what: 'the cursor at the last UID' });
      const subjects = intake.records.map((r) => r.subject);
      expect(failed).toBe(true);
      expect(subjects).toHaveLength(250);
      expect(new Set(subjects)).toEqual(new Set(uids.map((_, i) => `backlog ${i}`)));
      expect(intake.tickets.size).toBe(250);
      const flags = await dovecot.flags('Backlog');
      expect(uids.filter((u) => !flags.get(u)?.has('\\Seen'))).toEqual([]);
      // In UID order, but for the failed one, taken again by the next pass.
      expect(subjects.filter((s) => s !== 'backlog 100')).toEqual(uids.map((_, i) => `backlog ${i}`).filter((s) => s !== 'backlog 100'));
    } finally {
      await w.stop();
    }
  });

  it('a process that dies between the commit and \\Seen makes no duplicate: the next one takes over', async () => {
    const state = memoryState();
    const intake = recordingIntake();
    intake.failAfterCommit(true);
    const uid = await dovecot.append(mail({ subject: 'crash' }), 'Crash');
    const w1 = watcher('Crash', state, intake, { owner: 'proc-a', claimLeaseMs: 500 });
    w1.start();
    await until(() => intake.records.length >= 1, { ...mailWait, what: 'the first accepted record' });
    await w1.stop();
    expect(await seen('Crash', uid)).toBe(false);
    intake.failAfterCommit(false);
    const w2 = watcher('Crash', state, intake, { owner: 'proc-b', claimLeaseMs: 500 });
    w2.start();
    try {
      await untilSeen('Crash', uid);
      expect(intake.tickets.size).toBe(1);
      expect(intake.records.length).toBeGreaterThanOrEqual(2);
      expect(new Set(intake.records.map((r) => r.dedupeKey)).size).toBe(1);
    } finally {
      await w2.stop();
    }
  });

  it('keeps an unparseable message aside and goes on; an oversize one becomes a contact without download', async () => {
    const state = memoryState();
    const intake = recordingIntake();
    const parsedSubjects: string[] = [];
    const parse = async (raw: Buffer) => {
      if (raw.includes('Subject: BROKEN')) throw new Error('malformed MIME structure');
      const p = await parseEmail(raw);
      parsedSubjects.push(p.subject ?? '');
      return p;
    };
    const broken = await dovecot.append(mail({ subject: 'BROKEN' }), 'Odd');
    const big = await dovecot.append(mail({ subject: 'huge attachment', size: 6000 }), 'Odd');
    const fine = await dovecot.append(mail({ subject: 'after the broken one' }), 'Odd');
    const w = watcher('Odd', state, intake, { parse, maxMessageBytes: 4000 });
    w.start();
    try {
      await untilSeen('Odd', fine);
      expect(await seen('Odd', broken)).toBe(true);
      const q = await createEmailState(state).getCursor('odd');
      expect(q?.lastUid).toBe(fine);
      const kept = await createEmailState(state).getQuarantine('odd', q!.uidValidity, broken);
      expect(kept).toMatchObject({ reason: 'malformed MIME structure' });
      expect(intake.records.map((r) => r.subject)).toEqual(['huge attachment', 'after the broken one']);
      expect(intake.records[0]!.meta).toMatchObject({ oversize: 'true' });
      expect(intake.records[0]!.body).toContain('over the 4 KB limit');
      expect(parsedSubjects).toEqual(['after the broken one']);
      expect(big).toBeLessThan(fine);
    } finally {
      await w.stop();
    }
  });

  it('keeps aside a message intake refuses and goes on', async () => {
    const state = memoryState();
    const intake = recordingIntake();
    const accept = intake.port.accept;
    intake.port.accept = async (r) => {
      if (r.subject === 'REFUSED') throw new SpocError('invalid_contact', 'requester: no identity', 400);
      return accept(r);
    };
    const refused = await dovecot.append(mail({ subject: 'REFUSED' }), 'Refused');
    const fine = await dovecot.append(mail({ subject: 'accepted after it' }), 'Refused');
    const w = watcher('Refused', state, intake);
    w.start();
    try {
      await untilSeen('Refused', fine);
      expect(await seen('Refused', refused)).toBe(true);
      const cursor = await createEmailState(state).getCursor('refused');
      expect(await createEmailState(state).getQuarantine('refused', cursor!.uidValidity, refused)).toMatchObject({
        reason: 'intake refused: requester: no identity',
      });
      expect(intake.records.map((r) => r.subject)).toEqual(['accepted after it']);
    } finally {
      await w.stop();
    }
  });

  it('a message that fails every try is kept aside after maxAttempts tries, and the mail behind it is read', async () => {
    const state = memoryState();
    const intake = recordingIntake();
    const accept = intake.port.accept;
    let tries = 0;
    intake.port.accept = async (r) => {
      if (r.subject === 'POISON') {
        tries++;
        throw new Error('UNIQUE constraint failed: messages.channel, messages.native_id');
      }
      return accept(r);
    };
    const poison = await dovecot.append(mail({ subject: 'POISON' }), 'Poison');
    const behind = await dovecot.append(mail({ subject: 'behind the poison' }), 'Poison');
    const w = watcher('Poison', state, intake, { maxAttempts: 3 });
    w.start();
    try {
      // The mail behind is accepted at once; the cursor passes both once the poison is kept aside.
      await until(async () => (await createEmailState(state).getCursor('poison'))?.lastUid === behind, { ...mailWait, what: 'the cursor past the poison' });
      expect(tries).toBe(3);
      expect(await seen('Poison', poison)).toBe(true);
      const emailState = createEmailState(state);
      const cursor = await emailState.getCursor('poison');
      expect(cursor?.lastUid).toBe(behind);
      expect(await emailState.getQuarantine('poison', cursor!.uidValidity, poison)).toMatchObject({
        reason: 'failed 3 tries: UNIQUE constraint failed: messages.channel, messages.native_id',
      });
      expect((await emailState.quarantined()).map((q) => [q.mailbox, q.uid])).toContainEqual(['poison', poison]);
      expect(intake.records.map((r) => r.subject)).toEqual(['behind the poison']);
      // Mail that arrives afterwards is read as usual.
      const later = await dovecot.append(mail({ subject: 'after the quarantine' }), 'Poison');
      await untilSeen('Poison', later);
      expect(tries).toBe(3);
    } finally {
      await w.stop();
    }
  });

  it("keeps a message whose attachment the store refuses, without the attachment", async () => {
    const state = memoryState();
    const intake = recordingIntake();
    const put = attachments.put;
    attachments.put = async (bytes, meta) => {
      if (meta.name === 'big.bin') throw new SpocError('attachment_too_large', 'too large', 413);
      return put(bytes, meta);
    };
    try {
      const uid = await dovecot.append(readFileSync(join(import.meta.dirname, 'fixtures', 'attachments.eml')), 'Attach');
      const w = watcher('Attach', state, intake);
      w.start();
      try {
        await untilSeen('Attach', uid);
      } finally {
        await w.stop();
      }
      const [record] = intake.records;
      expect(record!.attachments!.map((a) => [a.name, a.size])).toEqual([['log.txt', 18]]);
      expect(record!.body).toBe('Error attached.\n\n[big.bin: not kept, over the attachment size limit]');
      expect((await attachments.read(record!.attachments![0]!)).toString()).toBe('line one\r\nline two');
    } finally {
      attachments.put = put;
    }
  });

  it('records a bounce on the ticket it bounces from, marks the address dead and opens no ticket', async () => {
    const state = memoryState();
    const intake = recordingIntake();
    const replies: unknown[] = [];
    const threads = memoryThreads();
    await threads.link('INC-000045', '<ack-45@desk.example>');
    const dsn = readFileSync(join(import.meta.dirname, 'fixtures', 'dsn-bounce.eml'));
    const uid = await dovecot.append(dsn, 'Bounce');
    const w = watcher('Bounce', state, intake, { replies, threads });
    w.start();
    try {
      await untilSeen('Bounce', uid);
      expect(intake.records).toEqual([]);
      expect(await createEmailState(state).isDead('gone@corp.example')).toBe(true);
      expect(replies).toEqual([
        { number: 'INC-000045', actor: { id: 'system', role: 'system' }, input: { internal: true, body: expect.stringContaining('gone@corp.example (status 5.1.1)') } },
      ]);
    } finally {
      await w.stop();
    }
  });
});
