import { createServer, type Server } from 'node:http';
import { rm } from 'node:fs/promises';
import Provider from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { freePort } from '../support/net.js';
import { configCopy } from '../support/process.js';
import { startSpoc, type RunningSpoc } from '../support/spoc.js';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const CLIENT_ID = 'spoc-desk';
const CLIENT_SECRET = 'oidc-test-client-secret';
/** Failed sign-ins allowed per client address: the refusals below count, then the limit is reached on purpose. */
const MAX_FAILURES = 8;

/**
 * Single sign-on end to end: spoc's desk against a real OpenID provider (the `oidc-provider` package, with
 * its development login and consent pages) on a loopback port, driven in headless Chromium. The provider
 * puts the email in its UserInfo answer, not the ID token, as many providers do for a code flow.
 */
describe('desk sign-in with OpenID Connect', () => {
  let idp: Server;
  let issuer: string;
  let configDir: string;
  let s: RunningSpoc;
  let browser: Browser;

  beforeAll(async () => {
    idp = createServer();
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as { port: number }).port}`;
    const spocPort = await freePort();
    const spocUrl = `http://127.0.0.1:${spocPort}`;
    const provider = new Provider(issuer, {
      clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [`${spocUrl}/desk/sign-in/oidc/callback`] }],
      // The development login page takes any login: it becomes the account id, which is the email here.
      findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, email: sub, email_verified: !sub.startsWith('unverified'), name: sub.split('@')[0] }) }),
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      cookies: { keys: ['oidc-test-cookie-key'] },
      ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
    });
    idp.on('request', provider.callback());
    configDir = await configCopy((gw) => {
      gw.setIn(['staff', 'oidc'], { issuer, clientId: CLIENT_ID });
      gw.setIn(['staff', 'failedSignIns'], { max: MAX_FAILURES, windowMinutes: 15 });
    });
    s = await startSpoc({ port: spocPort, env: { SPOC_CONFIG_DIR: configDir, PUBLIC_BASE_URL: spocUrl, SPOC_OIDC_CLIENT_SECRET: CLIENT_SECRET } });
    await s.spoc.desk.staff.upsert({ email: 'left.company@example.com', name: 'Left', role: 'agent', language: 'en' }, 'admin');
    await s.spoc.desk.staff.disable('left.company@example.com');
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await new Promise((resolve) => idp?.close(resolve));
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  /** From the desk's sign-in page through the provider's login and consent; resolves where the browser lands. */
  async function signInAtProvider(page: Page, login: string): Promise<void> {
    await page.click('#sso');
    await page.waitForURL(`${issuer}/**`);
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', 'any');
    await page.click('button[type=submit]');
    // The provider asks for consent once per account and client.
    await page.waitForSelector('button:has-text("Continue")');
    await page.click('button:has-text("Continue")');
    await page.waitForURL(`${s.url}/**`);
  }

  it('clicks "sign in with SSO", logs in at the provider and lands on the page asked for, signed in', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    const callbacks: string[] = [];
    page.on('request', (r) => r.url().includes('/desk/sign-in/oidc/callback') && callbacks.push(r.url()));
    await page.goto(`${s.url}/desk?view=mine`);
    expect(page.url()).toContain('/desk/sign-in?next=');
    expect(await page.textContent('#sso')).toContain('单点登录');
    await page.screenshot({ path: `${SHOTS}oidc-sign-in.png`, fullPage: true });
    await signInAtProvider(page, 'Han.Mei@example.com');
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/desk?view=mine');
    expect(await page.textContent('header')).toContain('韩梅 (agent)');
    await page.screenshot({ path: `${SHOTS}oidc-signed-in.png`, fullPage: true });

    // The request went out with PKCE, state and nonce, and the callback works once.
    expect(callbacks).toHaveLength(1);
    const replay = await page.goto(callbacks[0]!);
    expect(replay!.status()).toBe(400);
    expect(await page.textContent('[role=alert]')).toMatch(/not started in this browser|expired or was used/);
    await context.close();
  }, 90_000);

  it('refuses an email with no staff account, and a disabled one, with a page saying why', async () => {
    for (const [login, said, shot] of [
      ['stranger@example.com', 'There is no service desk staff account for stranger@example.com', 'oidc-unknown'],
      ['left.company@example.com', 'The staff account left.company@example.com is disabled', 'oidc-disabled'],
      ['unverified@example.com', 'has not verified', 'oidc-unverified'],
    ] as const) {
      const context = await browser.newContext({ locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(`${s.url}/desk/sign-in`);
      await signInAtProvider(page, login);
      expect(await page.textContent('[role=alert]')).toContain(said);
      await page.screenshot({ path: `${SHOTS}${shot}.png`, fullPage: true });
      // Not signed in: the queue sends the browser back to sign in.
      await page.goto(`${s.url}/desk`);
      expect(page.url()).toContain('/desk/sign-in');
      await context.close();
    }
  }, 120_000);

  it('refuses a callback that no sign-in in this browser started', async () => {
    const res = await fetch(`${s.url}/desk/sign-in/oidc/callback?code=stolen&state=guessed`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('not started in this browser');
  });

  it('after staff.failedSignIns.max failures from one address, refuses every way in with 429 until the window passes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < MAX_FAILURES && statuses.at(-1) !== 429; i++) {
      statuses.push((await fetch(`${s.url}/desk/sign-in/oidc/callback?code=x&state=y`)).status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((code) => code === 400)).toBe(true);
    expect((await fetch(`${s.url}/desk/sign-in/oidc`, { redirect: 'manual' })).status).toBe(429);
    const link = await fetch(`${s.url}/desk/sign-in/link`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=han.mei%40example.com' });
    expect(link.status).toBe(429);
    expect((await link.json()).error.code).toBe('rate_limited');
  });
});
