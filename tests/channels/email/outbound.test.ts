import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { startSmtp, type TestSmtp } from '../../support/mail-smtp.js';
import { memoryState, memoryThreads } from '../../support/mail-context.js';
import { createMailSender, messageIdFor } from '../../../src/channels/email/outbound.js';
import { markFor } from '../../../src/channels/email/mark.js';
import { OVERSIZE_MARK } from '../../../src/channels/email/normalise.js';
import { createEmailState } from '../../../src/channels/email/state.js';
import { PermanentJobError } from '../../../src/shared/errors.js';
import type { Job, Subscription } from '../../../src/dispatch/types.js';
import type { TicketDetail } from '../../../src/ticketing/service-types.js';
import type { Ticket } from '../../../src/ticketing/types.js';

let smtp: TestSmtp;
beforeAll(async () => { smtp = await startSmtp(); });
afterAll(async () => { await smtp?.close(); });

function detail(opts: { language?: 'zh' | 'en'; subject?: string; email?: string; id?: string } = {}): TicketDetail {
  const ticket = {
    id: opts.id ?? 't-1', number: 'INC-000042', subject: opts.subject ?? 'VPN keeps disconnecting', status: 'new',
    respondBy: '2026-11-17T02:30:00.000Z', channel: 'email', requesterId: 'r1',
  } as Ticket;
  return {
    ticket,
    requester: { id: 'r1', vip: false, email: opts.email ?? 'alice@corp.example', ...(opts.language ? { language: opts.language } : {}) },
    events: [
      { id: 1, ticketId: ticket.id, type: 'created', at: '', actor: 'system', data: { intakeId: `intake-${ticket.id}` } },
      { id: 2, ticketId: ticket.id, type: 'replied_out', at: '', actor: 'slack:U1', data: { messageId: 'm-2' } },
      { id: 3, ticketId: ticket.id, type: 'resolved', at: '', actor: 'slack:U1', data: { resolution: 'Reinstalled the <VPN> client' } },
      { id: 4, ticketId: ticket.id, type: 'claimed', at: '', actor: 'slack:U1', data: { from: 'assigned', to: 'in_progress', assignee: 'slack:U1' } },
    ],
    messages: [
      { id: 'm-1', ticketId: ticket.id, direction: 'in', channel: 'email', nativeId: '<in-1@corp.example>', body: 'My VPN drops', internal: false, attachments: [], at: '', author: 'alice' },
      { id: 'm-2', ticketId: ticket.id, direction: 'out', channel: 'email', body: 'Please try the new client.', internal: false, attachments: [], at: '', author: 'slack:U1' },
    ],
  };
}

function setup(d: TicketDetail, opts: { perHour?: number } = {}) {
  const state = memoryState();
  const effects = new Map<string, Record<string, unknown>>();
  const emailState = createEmailState(state);
  const threads = memoryThreads();
  const sender = createMailSender({
    transport: nodemailer.createTransport(smtp.url),
    mailFrom: 'IT Desk <it@desk.example>',
    domain: 'desk.example',
    markKey: async () => 'test-mark-key',
    tickets: { getById: async () => d },
    effects: {
      record: async (k, v) => { if (effects.has(k)) return false; effects.set(k, v); return true; },
      get: async (k) => effects.get(k),
    },
    emailState,
    threads,
    timezone: 'Asia/Shanghai',
    publicBaseUrl: 'https://desk.corp.example/',
    autoRepliesPerHour: opts.perHour ?? 5,
    notifyStatuses: ['in_progress', 'pending', 'closed'],
    logger: pino({ level: 'silent' }),
  });
  return { sender, effects, emailState, threads };
}

const job = (type: string, eventId: number, ticketId = 't-1'): Job => ({ id: `j-${type}-${eventId}`, type, key: `${type}:${eventId}`, ticketId, eventId, payload: {}, attempt: 1 });

describe('outbound mail against an SMTP peer', () => {
  it('acknowledges with the ticket tag, our Message-ID, loop headers, respond-by in the desk zone and the portal link', async () => {
    const d = detail();
    const { sender, effects, threads } = setup(d);
    const before = smtp.received.length;
    await sender.handle('ack', job('email.ack', 1));
    await smtp.waitFor(before + 1);
    const { parsed, to } = smtp.received[before]!;
    expect(to).toEqual(['alice@corp.example']);
    expect(parsed.subject).toBe('[INC-000042] Received: VPN keeps disconnecting');
    expect(parsed.messageId).toBe(messageIdFor('email.ack:1', 'desk.example', 'test-mark-key'));
    expect(parsed.headers.get('x-spoc-mark')).toBe(markFor('email.ack:1', 'test-mark-key'));
    expect(parsed.inReplyTo).toBe('<in-1@corp.example>');
    expect(parsed.references).toBe('<in-1@corp.example>');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed.headers.get('x-auto-response-suppress')).toBe('All');
    expect(parsed.text).toContain('We will respond by 2026-11-17 10:30 (GMT+8)');
    expect(parsed.text).toContain('https://desk.corp.example/?ticket=INC-000042');
    expect(effects.get('email.ack:1')).toMatchObject({ messageId: parsed.messageId, to: 'alice@corp.example' });
    // Replies to it thread back by headers alone.
    expect((await threads.find(parsed.messageId!))?.id).toBe(d.ticket.id);
  });

  it('writes to a Chinese requester in Chinese and escapes everything in the HTML part', async () => {
    const d = detail({ language: 'zh', subject: '打印机 <script>alert(1)</script>' });
    const { sender } = setup(d);
    const before = smtp.received.length;
    await sender.handle('ack', job('email.ack', 1));
    await smtp.waitFor(before + 1);
    const { parsed } = smtp.received[before]!;
    expect(parsed.subject).toBe('[INC-000042] 已受理：打印机 <script>alert(1)</script>');
    expect(parsed.text).toContain('我们已收到您的请求“打印机 <script>alert(1)</script>”，工单号 INC-000042。');
    expect(parsed.text).toContain('2026年11月17日 10:30');
    expect(String(parsed.html)).not.toContain('<script>');
    expect(String(parsed.html)).toContain('打印机 &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it("sends an agent's reply without Auto-Submitted, and the resolution with a confirm/reopen prompt", async () => {
    const d = detail();
    const { sender } = setup(d);
    const before = smtp.received.length;
    await sender.handle('reply', job('email.reply', 2));
    await sender.handle('resolved', job('email.resolved', 3));
    await smtp.waitFor(before + 2);
    const [reply, resolved] = smtp.received.slice(before).map((r) => r.parsed);
    expect(reply!.text).toContain('Please try the new client.');
    expect(reply!.headers.has('auto-submitted')).toBe(false);
    expect(reply!.headers.get('x-auto-response-suppress')).toBe('All');
    expect(resolved!.subject).toBe('[INC-000042] Resolved: VPN keeps disconnecting');
    expect(resolved!.text).toContain('Resolution: Reinstalled the <VPN> client');
    expect(resolved!.text).toContain('reply "fixed, thanks" and the ticket stays resolved');
    expect(resolved!.text).toContain('just reply to this email with "not fixed" and what you see, and the ticket will be reopened');
    expect(resolved!.text).not.toContain('close by itself');
    expect(String(resolved!.html)).toContain('Reinstalled the &lt;VPN&gt; client');
    // Both answer the requester's mail; References carry our earlier mail too.
    expect(resolved!.inReplyTo).toBe('<in-1@corp.example>');
    expect(resolved!.references).toEqual(['<in-1@corp.example>', reply!.messageId]);
  });

  it('mails the moves the desk announces, and is subscribed to those only', async () => {
    const d = detail();
    const { sender } = setup(d);
    const subscriptions: Subscription[] = [];
    sender.registerJobs({ register: () => undefined, subscribe: (sub) => void subscriptions.push(sub) });
    expect(subscriptions.find((sub) => sub.jobType === 'email.status')).toEqual({
      jobType: 'email.status',
      events: ['status_changed', 'claimed', 'closed'],
      channels: ['email', 'web', 'api'],
      statuses: ['in_progress', 'pending', 'closed'],
    });
    const before = smtp.received.length;
    await sender.handle('status', job('email.status', 4));
    await smtp.waitFor(before + 1);
    expect(smtp.received[before]!.parsed.text).toContain('Your ticket INC-000042 is now');
  });

  it('tells the sender when their mail was too large to download', async () => {
    const d = detail({ id: 't-big' });
    d.messages[0] = { ...d.messages[0]!, body: `${OVERSIZE_MARK} This email is 30 MB, over the 25 MB limit, and was not downloaded.` };
    const { sender } = setup(d);
    const before = smtp.received.length;
    await sender.handle('ack', job('email.ack', 1, 't-big'));
    await smtp.waitFor(before + 1);
    expect(smtp.received[before]!.parsed.text).toContain('Your email was over the size limit and was not downloaded.');
  });

  it('SMTP refusing for a while delays the mail; it is delivered once', async () => {
    const d = detail({ id: 't-retry' });
    // Refused attempts do not count against the hourly cap: with a cap of one, the retry still sends.
    const { sender } = setup(d, { perHour: 1 });
    const before = smtp.received.length;
    smtp.refuse(451);
    const j = job('email.ack', 1, 't-retry');
    let failures = 0;
    for (let attempt = 1; attempt <= 5; attempt++) {
      if (attempt === 3) smtp.refuse(undefined);
      try {
        await sender.handle('ack', { ...j, attempt });
      } catch (err) {
        expect(err).not.toBeInstanceOf(PermanentJobError);
        failures++;
      }
    }
    await smtp.waitFor(before + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(failures).toBe(2);
    expect(smtp.received.length).toBe(before + 1);
  });

  it('a permanent refusal fails the job for good', async () => {
    const { sender } = setup(detail({ id: 't-perm' }));
    smtp.refuse(550);
    try {
      await expect(sender.handle('ack', job('email.ack', 1, 't-perm'))).rejects.toBeInstanceOf(PermanentJobError);
    } finally {
      smtp.refuse(undefined);
    }
  });

  it('sends no automatic mail to a dead address, a ticket opened by automatic mail, or past the hourly cap', async () => {
    const before = smtp.received.length;
    const dead = setup(detail({ email: 'gone@corp.example' }));
    await dead.emailState.markDead('gone@corp.example', {});
    await dead.sender.handle('ack', job('email.ack', 1));
    expect(dead.effects.get('email.ack:1')).toEqual({ skipped: 'address bounced' });

    const quiet = setup(detail({ id: 't-quiet' }));
    await quiet.emailState.markQuiet('intake-t-quiet', 'auto-submitted auto-replied');
    await quiet.sender.handle('ack', job('email.ack', 1, 't-quiet'));
    expect(quiet.effects.get('email.ack:1')).toEqual({ skipped: 'opened by automatic mail' });

    const capped = setup(detail({ id: 't-cap' }), { perHour: 1 });
    await capped.sender.handle('ack', job('email.ack', 1, 't-cap'));
    await capped.sender.handle('resolved', job('email.resolved', 3, 't-cap'));
    expect(capped.effects.get('email.resolved:3')).toEqual({ skipped: 'hourly cap for automatic mail' });
    await smtp.waitFor(before + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received.length).toBe(before + 1);
  });
});
