import { describe, expect, it } from 'vitest';
import { TEST_KEYS } from '../support/spoc.js';
import { withSpoc } from './with-spoc.js';

describe('KB for agents', () => {
  const spoc = withSpoc();

  it('suggests articles for a ticket and sends one as the reply', async () => {
    const created = await spoc().api('POST', '/api/v1/contacts', { requester: { email: 'kim@corp.example' }, subject: 'My mailbox is full', body: 'Outlook says I cannot send mail any more, quota exceeded.' }, { key: TEST_KEYS.intake });
    const number: string = created.body.number;
    const suggestions = await spoc().api('GET', `/api/v1/kb/tickets/${number}/suggestions`, undefined, { key: TEST_KEYS.agent });
    expect(suggestions.status).toBe(200);
    expect(suggestions.body.results[0].id).toBe('mailbox-full');
    const sent = await spoc().api('POST', `/api/v1/kb/tickets/${number}/send`, { articleId: 'mailbox-full', agent: 'ana' }, { key: TEST_KEYS.agent });
    expect(sent.status).toBe(403); // an agent key acts only as its owner
    const sent2 = await spoc().api('POST', `/api/v1/kb/tickets/${number}/send`, { articleId: 'mailbox-full' }, { key: TEST_KEYS.agent });
    expect(sent2.status).toBe(201);
    const detail = (await spoc().api('GET', `/api/v1/tickets/${number}`)).body;
    const out = detail.messages.filter((m: { direction: string }) => m.direction === 'out');
    expect(out).toHaveLength(1);
    expect(out[0].body).toContain('/kb/mailbox-full?lang=');
    expect((await spoc().api('POST', `/api/v1/kb/tickets/${number}/send`, { articleId: 'nope' }, { key: TEST_KEYS.agent })).status).toBe(404);
    expect((await spoc().api('GET', `/api/v1/kb/tickets/${number}/suggestions`, undefined, { key: TEST_KEYS.intake })).status).toBe(403);
  }, 60_000);
});

describe('known-error auto-answer', () => {
  const spoc = withSpoc();

  const outbound = async (number: string) =>
    (await spoc().api('GET', `/api/v1/tickets/${number}`)).body.messages.filter((m: { direction: string }) => m.direction === 'out');

  it('answers a contact that matches a known error enabled for it, and no other', async () => {
    const known = await spoc().api('POST', '/api/v1/contacts', { requester: { email: 'wu@corp.example' }, subject: 'VPN 证书过期', body: 'VPN 提示证书无效，连不上' }, { key: TEST_KEYS.intake });
    const other = await spoc().api('POST', '/api/v1/contacts', { requester: { email: 'wu2@corp.example' }, subject: 'VPN cannot connect', body: 'Since this morning the VPN client fails with error 809' }, { key: TEST_KEYS.intake });
    await spoc().drained(30_000);
    const answered = await outbound(known.body.number);
    expect(answered).toHaveLength(1);
    expect(answered[0].body).toContain('/kb/vpn-cert-expired?lang=');
    expect(await outbound(other.body.number)).toHaveLength(0);
  }, 60_000);
});
