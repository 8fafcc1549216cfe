import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSpoc, TEST_KEYS } from '../support/spoc.js';

const article = (status: 'draft' | 'published') => ({
  id: 'badge-printer-login',
  title: { zh: '工牌打印机登录', en: 'Badge login at the printer' },
  kind: 'how-to',
  services: ['printer'],
  keywords: ['工牌', 'badge', 'tap'],
  status,
  body: { zh: '把工牌贴在打印机的读卡区，等待绿灯亮起。', en: 'Hold your badge on the printer reader until the light turns green.' },
});

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('admin API for articles', () => {
  it.each(['sqlite', 'postgres'])('creates a draft, publishes it, edits and deletes it, searchable at once and kept across a restart (%s)', async (kind) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'spoc-kb-admin-'));
    // The same schema after the restart, so the stored articles are found again.
    const env = kind === 'postgres' ? { DATABASE_URL: PG_URL, DATABASE_SCHEMA: `kb_${randomBytes(4).toString('hex')}` } : {};
    let spoc = await startSpoc({ dataDir, env });
    try {
      const suggest = async (q: string) => (await (await fetch(`${spoc.url}/kb/suggest?q=${encodeURIComponent(q)}`)).json()).results.map((r: { id: string }) => r.id);
      const search = async (q: string) => (await spoc.api('GET', `/api/v1/kb/search?q=${encodeURIComponent(q)}`)).body.results.map((r: { id: string }) => r.id);

      expect((await spoc.api('POST', '/api/v1/admin/kb/articles', article('draft'), { key: TEST_KEYS.agent })).status).toBe(403);
      const created = await spoc.api('POST', '/api/v1/admin/kb/articles', article('draft'));
      expect(created).toMatchObject({ status: 201, body: { id: 'badge-printer-login', status: 'draft' } });
      // A draft: agents' search finds it, the public does not.
      expect(await search('badge tap printer')).toContain('badge-printer-login');
      expect(await suggest('badge tap printer')).not.toContain('badge-printer-login');
      expect((await fetch(`${spoc.url}/kb/badge-printer-login`)).status).toBe(404);
      expect((await spoc.api('POST', '/api/v1/admin/kb/articles', article('draft'))).status).toBe(409);

      const { id: _id, ...rest } = article('published');
      expect((await spoc.api('PUT', '/api/v1/admin/kb/articles/badge-printer-login', rest)).body).toMatchObject({ status: 'published' });
      expect(await suggest('工牌 打印机')).toContain('badge-printer-login');
      const page = await fetch(`${spoc.url}/kb/badge-printer-login?lang=en`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Hold your badge on the printer reader');

      await spoc.close();
      spoc = await startSpoc({ dataDir, env });
      expect(await suggest('badge tap printer')).toContain('badge-printer-login');

      expect((await spoc.api('DELETE', '/api/v1/admin/kb/articles/badge-printer-login')).status).toBe(204);
      expect(await search('badge tap printer')).not.toContain('badge-printer-login');
      expect((await spoc.api('DELETE', '/api/v1/admin/kb/articles/badge-printer-login')).status).toBe(404);
    } finally {
      await spoc.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('refuses bad articles with the field named, and leaves the shipped files alone', async () => {
    const spoc = await startSpoc();
    try {
      const post = (body: unknown) => spoc.api('POST', '/api/v1/admin/kb/articles', body);
      const noEnglish = await post({ ...article('draft'), body: { zh: '只有中文' } });
      expect(noEnglish.status).toBe(400);
      expect(noEnglish.body.error.message).toMatch(/^body\.en:/);
      expect((await post({ ...article('draft'), id: 'Not An Id' })).body.error.message).toMatch(/^id:/);
      expect((await post({ ...article('draft'), services: ['nope'] })).body.error.message).toContain('unknown service "nope"');
      expect((await post({ ...article('draft'), autoAnswer: true })).body.error.message).toMatch(/^autoAnswer:/);
      expect((await post({ ...article('draft'), colour: 'red' })).status).toBe(400);
      expect((await post({ ...article('draft'), id: 'vpn-home' })).status).toBe(409);
      expect((await spoc.api('DELETE', '/api/v1/admin/kb/articles/vpn-home')).status).toBe(409);
      expect((await fetch(`${spoc.url}/kb/vpn-home`)).status).toBe(200);
    } finally {
      await spoc.close();
    }
  }, 60_000);
});
