import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReplyIntent } from '../../src/intake/reply-intent.js';
import { startSpoc, TEST_KEYS, type RunningSpoc } from '../support/spoc.js';

describe('reading a reply to a resolved ticket for its intent', () => {
  it.each([
    ['好了，谢谢', 'confirmed'],
    ['可以了', 'confirmed'],
    ['已解决', 'confirmed'],
    ['fixed, thanks', 'confirmed'],
    ['Works now, cheers', 'confirmed'],
    ['1', 'confirmed'],
    ['还是不行', 'not_fixed'],
    ['没解决', 'not_fixed'],
    ['thanks, but it is still broken', 'not_fixed'],
    ['Not fixed', 'not_fixed'],
    ['2', 'not_fixed'],
    ['同样的问题，打印机又卡纸', 'not_fixed'],
    ['Thanks, but the same problem came back', 'not_fixed'],
    ['VPN 又断开了一次', 'persisting'],
    ['It happened again this morning', 'persisting'],
    ['Could you also look at my monitor?', 'other'],
    ['打印机型号是 HP M404', 'other'],
  ])('%s → %s', (text, intent) => {
    expect(readReplyIntent(text).intent).toBe(intent);
  });
});

describe('a requester confirming the fix over the intake path', () => {
  let s: RunningSpoc;
  beforeAll(async () => {
    s = await startSpoc();
  });
  afterAll(async () => {
    await s?.close();
  });

  async function resolvedTicket(email: string): Promise<string> {
    const c = await s.api('POST', '/api/v1/contacts', { requester: { email }, subject: 'VPN 连不上', body: 'VPN 一直连不上' });
    await s.api('POST', `/api/v1/tickets/${c.body.number}/resolve`, { resolution: '重置了令牌' }, { key: TEST_KEYS.agent });
    return c.body.number as string;
  }

  it('never reopens for "好了，谢谢": it closes the ticket (loop.closeOnConfirm) and records the intent read', async () => {
    const n = await resolvedTicket('thanks.zh@corp.example');
    const reply = await s.api('POST', '/api/v1/contacts', { requester: { email: 'thanks.zh@corp.example' }, body: '好了，谢谢', ticketNumber: n });
    expect(reply.body).toMatchObject({ number: n, outcome: 'joined', status: 'closed' });
    const events = (await s.api('GET', `/api/v1/tickets/${n}`)).body.events as Array<{ type: string; data: { reason?: string } }>;
    expect(events.some((e) => e.type === 'reopened')).toBe(false);
    expect(events.filter((e) => e.type === 'replied_in').at(-1)?.data).toMatchObject({ intent: 'confirmed', reason: expect.stringMatching(/intent confirmed: said "好了"/) });
    expect(events.find((e) => e.type === 'closed')?.data).toMatchObject({ confirmed: 'said "好了"' });
  });

  it('joins anything else as a message without reopening, unless it reads as the problem persisting', async () => {
    const other = await resolvedTicket('other.zh@corp.example');
    const asked = await s.api('POST', '/api/v1/contacts', { requester: { email: 'other.zh@corp.example' }, body: '请问下次怎么自己重置令牌？', ticketNumber: other });
    expect(asked.body).toMatchObject({ outcome: 'joined', status: 'resolved' });
    const back = await resolvedTicket('back.zh@corp.example');
    const again = await s.api('POST', '/api/v1/contacts', { requester: { email: 'back.zh@corp.example' }, body: 'VPN 今天又断开了', ticketNumber: back });
    expect(again.body.outcome).toBe('reopened');
    const events = (await s.api('GET', `/api/v1/tickets/${back}`)).body.events as Array<{ type: string; data: Record<string, unknown> }>;
    expect(events.filter((e) => e.type === 'replied_in').at(-1)?.data.intent).toBe('persisting');
  });

  it('reopens for "still broken" and records the intent read', async () => {
    const n = await resolvedTicket('broken.en@corp.example');
    const reply = await s.api('POST', '/api/v1/contacts', { requester: { email: 'broken.en@corp.example' }, body: 'thanks, but it is still broken', ticketNumber: n });
    expect(reply.body.outcome).toBe('reopened');
    expect(reply.body.status).not.toBe('resolved');
    const events = (await s.api('GET', `/api/v1/tickets/${n}`)).body.events as Array<{ type: string; data: { reason?: string } }>;
    expect(events.filter((e) => e.type === 'replied_in').at(-1)?.data.reason).toMatch(/intent not_fixed/);
  });
});
