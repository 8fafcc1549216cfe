import { describe, expect, it } from 'vitest';
import { renderMail } from '../../src/channels/email/templates.js';
import { TEST_KEYS } from '../support/spoc.js';
import { withSpoc } from './with-spoc.js';

describe('"solved it" links of acknowledgements', () => {
  const spoc = withSpoc();

  it('offers up to three articles with signed links; GET asks, POST resolves the ticket once, a forged link gets 403', async () => {
    const created = await spoc().api('POST', '/api/v1/contacts', { requester: { email: 'li@corp.example' }, subject: 'VPN 连不上', body: '在家连不上公司内网' }, { key: TEST_KEYS.intake });
    expect(created.status).toBe(201);
    const number: string = created.body.number;
    const articles = spoc().ctx.kb!.forAck('VPN 连不上 在家连不上公司内网', 'zh', number);
    expect(articles.length).toBeGreaterThan(0);
    expect(articles.length).toBeLessThanOrEqual(3);
    expect(articles[0]!.title).toBe('在家连接公司 VPN');
    const mail = renderMail({ kind: 'ack', language: 'zh', ticketNumber: number, subject: 'VPN 连不上', respondBy: new Date().toISOString(), timezone: 'Asia/Shanghai', portalUrl: spoc().url, articles });
    expect(mail.text).toContain(articles[0]!.solvedUrl);

    const link = articles[0]!.solvedUrl.replace(/^https?:\/\/[^/]+/, spoc().url);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect((await spoc().api('GET', `/api/v1/tickets/${number}`)).body.ticket.status).not.toBe('resolved');

    const forged = await fetch(link.replace(/s=[^&]+/, 's=AAAA' + 'x'.repeat(39)), { method: 'POST' });
    expect(forged.status).toBe(403);
    const other = await fetch(link.replace('/vpn-home?', '/printer-jam?'), { method: 'POST' });
    expect(other.status).toBe(403);

    expect((await fetch(link, { method: 'POST' })).status).toBe(200);
    const again = await fetch(link, { method: 'POST' });
    expect(await again.text()).toContain('已经解决');
    const detail = (await spoc().api('GET', `/api/v1/tickets/${number}`)).body;
    expect(detail.ticket.status).toBe('resolved');
    const resolved = detail.events.filter((e: { type: string }) => e.type === 'resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0].data.resolution).toContain('vpn-home');
  }, 60_000);
});
