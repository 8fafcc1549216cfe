import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startSpoc, type RunningSpoc } from '../support/spoc.js';

const shots = new URL('../../.screenshots/', import.meta.url).pathname;

describe('KB public pages', () => {
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
