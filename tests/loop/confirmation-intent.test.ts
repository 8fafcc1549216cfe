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
    ['Could you also look at my monitor?', 'other'],
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

  it('keeps the ticket resolved for "好了，谢谢" and records the intent read', async () => {
    const n = await resolvedTicket('thanks.zh@corp.example');
    const reply = await s.api('POST', '/api/v1/contacts', { requester: { email: 'thanks.zh@corp.example' }, body: '好了，谢谢', ticketNumber: n });
    expect(reply.body).toMatchObject({ number: n, outcome: 'joined', status: 'resolved' });
    const events = (await s.api('GET', `/api/v1/tickets/${n}`)).body.events as Array<{ type: string; data: { reason?: string } }>;
    expect(events.some((e) => e.type === 'reopened')).toBe(false);
    expect(events.filter((e) => e.type === 'replied_in').at(-1)?.data.reason).toMatch(/intent confirmed: said "好了"/);
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
