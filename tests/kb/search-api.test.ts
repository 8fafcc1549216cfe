import { describe, expect, it } from 'vitest';
import { TEST_KEYS } from '../support/spoc.js';
import { withSpoc } from './with-spoc.js';

describe('GET /api/v1/kb/search', () => {
  const spoc = withSpoc();

  it('ranks the VPN article first for a Chinese query, with id, title, summary and url', async () => {
    const res = await spoc().api('GET', `/api/v1/kb/search?q=${encodeURIComponent('VPN 连不上')}`, undefined, { key: TEST_KEYS.intake });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ id: 'vpn-home', title: '在家连接公司 VPN', url: expect.stringMatching(/\/kb\/vpn-home\?lang=zh$/) });
    expect(res.body.results[0].summary.length).toBeGreaterThan(10);
  });

  it('answers in English for an English query', async () => {
    const res = await spoc().api('GET', '/api/v1/kb/search?q=printer%20paper%20jam', undefined, { key: TEST_KEYS.agent });
    expect(res.body.results[0]).toMatchObject({ id: 'printer-jam', title: 'Clear a printer paper jam' });
  });

  it('needs a key and a query', async () => {
    expect((await spoc().api('GET', '/api/v1/kb/search?q=vpn', undefined, { key: 'nope' })).status).toBe(401);
    const bad = await spoc().api('GET', '/api/v1/kb/search?q=');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
  });
});
