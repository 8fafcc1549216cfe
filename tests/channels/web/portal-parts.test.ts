import { describe, expect, it } from 'vitest';
import { intakeRecordSchema } from '../../../src/intake/record.js';
import { pickLanguage } from '../../../src/channels/web/i18n.js';
import { renderPortalPage } from '../../../src/channels/web/page.js';
import { escapeHtml } from '../../../src/shared/html.js';
import { emailMatches, publicStatus } from '../../../src/channels/web/status.js';
import { newFormToken, portalSubmissionSchema, toIntakeRecord } from '../../../src/channels/web/submission.js';
import type { TicketDetail } from '../../../src/ticketing/service-types.js';

describe('pickLanguage', () => {
  it('prefers ?lang, then the best-weighted Chinese or English tag, then the default', () => {
    expect(pickLanguage('en', 'zh-CN', 'zh')).toBe('en');
    expect(pickLanguage(undefined, 'zh-CN,zh;q=0.9,en;q=0.8', 'en')).toBe('zh');
    expect(pickLanguage(undefined, 'fr-FR,en-US;q=0.7,zh;q=0.3', 'zh')).toBe('en');
    expect(pickLanguage(undefined, 'fr-FR,de;q=0.5', 'zh')).toBe('zh');
    expect(pickLanguage('xx', undefined, 'en')).toBe('en');
  });
});

describe('toIntakeRecord', () => {
  const form = portalSubmissionSchema.parse({
    name: ' 张三 ',
    email: 'Zhang.San@Example.com',
    subject: 'VPN 连不上',
    description: '从早上开始 VPN 一直连接失败',
    formToken: 'a1b2c3d4e5f6a7b8c9d0',
    language: 'zh',
  });
  const attachment = { name: 'log.txt', contentType: 'text/plain', size: 5, sha256: 'a'.repeat(64), ref: `sha256:${'a'.repeat(64)}` };

  it('builds a valid web record whose dedupe key is the form token', () => {
    const record = toIntakeRecord(form, [attachment], { id: '00000000-0000-4000-8000-000000000001', now: new Date('2026-03-02T01:00:00Z') });
    expect(intakeRecordSchema.parse(record)).toMatchObject({
      channel: 'web',
      dedupeKey: 'web:a1b2c3d4e5f6a7b8c9d0',
      receivedAt: '2026-03-02T01:00:00.000Z',
      requester: { name: '张三', email: 'zhang.san@example.com', language: 'zh' },
      subject: 'VPN 连不上',
      body: '从早上开始 VPN 一直连接失败',
      language: 'zh',
      attachments: [attachment],
    });
  });

  it('refuses a missing or malformed form token and a bad email', () => {
    expect(portalSubmissionSchema.safeParse({ ...form, formToken: 'short' }).success).toBe(false);
    expect(portalSubmissionSchema.safeParse({ ...form, email: 'not-an-email' }).success).toBe(false);
    expect(portalSubmissionSchema.safeParse({ ...form, subject: '   ' }).success).toBe(false);
  });

  it('makes a fresh, valid token per page', () => {
    const a = newFormToken();
    expect(portalSubmissionSchema.shape.formToken.safeParse(a).success).toBe(true);
    expect(newFormToken()).not.toBe(a);
  });
});

describe('publicStatus', () => {
  const at = (m: number) => new Date(Date.UTC(2026, 2, 2, 1, m)).toISOString();
  const detail = {
    ticket: {
      id: 't1', number: 'INC-000042', type: 'incident', category: 'network', impact: 'medium', urgency: 'high', priority: 'P2',
      tier: 'L2', team: 'network', status: 'in_progress', subject: 'VPN down', channel: 'web', requesterId: 'r1',
      slaPolicy: 'incident-P2', calendar: '7x24', respondBy: at(15), resolveBy: at(240), tags: [], reason: 'rule vpn',
      createdAt: at(0), updatedAt: at(9),
    },
    requester: { id: 'r1', email: 'Zhang@Example.com', vip: false },
    events: [
      { id: 1, ticketId: 't1', type: 'created', at: at(0), actor: 'system', data: {} },
      { id: 2, ticketId: 't1', type: 'routed', at: at(0), actor: 'system', data: { trace: 'secret routing' } },
      { id: 3, ticketId: 't1', type: 'claimed', at: at(5), actor: 'slack:U1', data: { from: 'new', to: 'in_progress', assignee: 'slack:U1' } },
      { id: 5, ticketId: 't1', type: 'reassigned', at: at(7), actor: 'slack:U1', data: { from: 'desktop', to: 'network' } },
      { id: 4, ticketId: 't1', type: 'note', at: at(6), actor: 'slack:U1', data: {} },
    ],
    messages: [
      { id: 'm1', ticketId: 't1', direction: 'in', channel: 'web', author: 'r1', body: 'help', internal: false, attachments: [], at: at(0) },
      { id: 'm2', ticketId: 't1', direction: 'out', channel: 'web', author: 'slack:U1', body: 'internal: user is VIP', internal: true, attachments: [], at: at(6) },
      { id: 'm3', ticketId: 't1', direction: 'out', channel: 'web', author: 'slack:U1', body: 'Please reconnect now.', internal: false, attachments: [], at: at(8) },
    ],
  } as unknown as TicketDetail;

  it('shows status changes and replies, never notes or routing', () => {
    const view = publicStatus(detail, { network: 'Network team' });
    expect(view).toMatchObject({ number: 'INC-000042', status: 'in_progress', priority: 'P2', team: 'network', teamName: 'Network team' });
    expect(view.history).toEqual([
      { at: at(0), kind: 'created' },
      { at: at(5), kind: 'status', status: 'in_progress' },
      { at: at(8), kind: 'reply', text: 'Please reconnect now.' },
    ]);
    expect(JSON.stringify(view)).not.toContain('VIP');
    expect(JSON.stringify(view)).not.toContain('secret routing');
  });

  it('matches the email whatever its case, and nothing else', () => {
    expect(emailMatches(detail, ' zhang@example.COM ')).toBe(true);
    expect(emailMatches(detail, 'li@example.com')).toBe(false);
  });
});

describe('renderPortalPage', () => {
  const base = { title: { zh: 'IT 服务台', en: 'IT <Desk>' }, formToken: 'tok_1234567890abcdef', nonce: 'n0nce', limits: { maxFiles: 5, maxFileBytes: 10_485_760 } };

  it('shows a banner in both languages while a major incident is open, escaped, and none without one', () => {
    const html = renderPortalPage({ ...base, lang: 'zh', incidents: [{ number: 'INC-000007', about: { zh: 'VPN', en: 'VPN <gateway>' } }] });
    expect(html).toContain('class="incident-banner"');
    expect(html).toContain('重大故障处理中');
    expect(html).toContain('VPN目前出现故障（INC-000007）');
    expect(html).toContain('VPN &lt;gateway&gt; is down (INC-000007)');
    expect(html).not.toContain('<gateway>');
    expect(renderPortalPage({ ...base, lang: 'zh' })).not.toContain('incident-banner"');
  });

  it('renders in the chosen language with the form token and the pre-filled ticket', () => {
    const html = renderPortalPage({ ...base, lang: 'en', ticket: 'INC-000042' });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('name="formToken" value="tok_1234567890abcdef"');
    expect(html).toContain('value="INC-000042"');
    expect(html).toContain('IT &lt;Desk&gt;');
    expect(html).toContain('Up to 5 files, 10 MB each.');
    expect(renderPortalPage({ ...base, lang: 'zh' })).toContain('提交新请求');
  });

  it('escapes text and keeps JSON from closing its script element', () => {
    expect(escapeHtml(`"><script>'&`)).toBe('&quot;&gt;&lt;script&gt;&#39;&amp;');
    const html = renderPortalPage({ ...base, lang: 'en', title: { zh: '</script><b>', en: 'x' } });
    expect(html).not.toContain('</script><b>');
    expect(html).toContain('\\u003c/script>\\u003cb>');
  });
});
