import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startSpoc, type RunningSpoc } from '../support/spoc.js';

const shots = new URL('../../.screenshots/', import.meta.url).pathname;

// One spoc and one browser for both groups: the public pages create no tickets, so the deflection
// figures below start from nothing.
let app: RunningSpoc;
let browser: Browser;
beforeAll(async () => {
  app = await startSpoc();
  browser = await launchBrowser();
  await mkdir(shots, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('KB public pages', () => {
  it('suggests the VPN article for "VPN 连不上" without a key', async () => {
    const res = await fetch(`${app.url}/kb/suggest?q=${encodeURIComponent('VPN 连不上')}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: Array<{ id: string }> };
    expect(body.results[0]?.id).toBe('vpn-home');
  });

  it('renders an article in Chinese and in English, sanitised, and takes screenshots', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    await page.goto(`${app.url}/kb/vpn-cert-expired?lang=zh`);
    await expect(page.locator('h1').textContent()).resolves.toBe('VPN 提示证书过期或无效（已知问题）');
    expect(await page.locator('.kind').textContent()).toBe('已知问题');
    expect(await page.locator('article ol li').count()).toBe(3);
    await page.screenshot({ path: `${shots}kb-article-zh.png`, fullPage: true });
    await page.click('text=English');
    await expect(page.locator('h1').textContent()).resolves.toBe('VPN says the certificate has expired (known error)');
    await page.screenshot({ path: `${shots}kb-article-en.png`, fullPage: true });
    await page.close();
  }, 60_000);

  it('answers 404 for an unknown article', async () => {
    const res = await fetch(`${app.url}/kb/no-such-article`);
    expect(res.status).toBe(404);
  });
});

describe('portal deflection', () => {
  for (const [lang, subject, title, solved] of [
    ['zh', 'VPN 连不上', '在家连接公司 VPN', '这解决了我的问题'],
    ['en', 'printer paper jam', 'Clear a printer paper jam', 'This solved it'],
  ] as const) {
    it(`shows the article while "${subject}" is typed; "solved it" counts a deflection and opens no ticket (${lang})`, async () => {
      const before = (await app.api('GET', '/api/v1/kb/stats')).body;
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      await page.goto(`${app.url}/?lang=${lang}`);
      await page.locator('#req-subject').pressSequentially(subject, { delay: 20 });
      const first = page.locator('#kb-list li').first();
      await first.locator('a').waitFor({ timeout: 20_000 });
      expect(await first.locator('a').textContent()).toBe(title);
      await page.screenshot({ path: `${shots}portal-deflection-${lang}.png`, fullPage: true });
      await first.getByRole('button', { name: solved }).click();
      await page.locator('#kb-thanks').waitFor({ state: 'visible', timeout: 20_000 });
      await page.screenshot({ path: `${shots}portal-deflected-${lang}.png`, fullPage: true });
      await page.close();
      const after = (await app.api('GET', '/api/v1/kb/stats')).body;
      expect(after.deflections).toBe(before.deflections + 1);
      expect(after.ticketsCreated).toBe(0);
      expect(after.deflectionRate).toBe(1);
    }, 90_000);
  }
});
