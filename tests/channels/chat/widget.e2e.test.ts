import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../support/browser.js';
import { startSpoc, type RunningSpoc } from '../../support/spoc.js';

const shots = new URL('../../../.screenshots/', import.meta.url).pathname;

/** The chat widget embedded in another site's page (an intranet), driven in headless Chromium. */
describe('chat widget in Chromium', () => {
  let spoc: RunningSpoc;
  let browser: Browser;
  let context: BrowserContext;
  // Another origin than spoc's, so the widget is embedded cross-origin as on a real intranet.
  const HOST = 'http://localhost:9';

  /** The intranet page, served by Chromium itself; it has a strict CSP of its own that allows spoc. */
  const openIntranet = async (on: BrowserContext = context): Promise<Page> => {
    const page = await on.newPage();
    await page.route(`${HOST}/**`, (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        headers: { 'content-security-policy': `default-src 'none'; script-src ${spoc.url}; connect-src ${spoc.url.replace(/^http/, 'ws')}` },
        body: `<!doctype html><html lang="en"><body><h1>Intranet</h1>
          <script src="${spoc.url}/chat/widget.js" data-name="Chen Jie" data-email="chen.jie@example.com"></script></body></html>`,
      }),
    );
    await page.goto(`${HOST}/`);
    return page;
  };

  beforeAll(async () => {
    [spoc, browser] = await Promise.all([startSpoc(), launchBrowser()]);
    // Chromium asks before a page reaches a loopback address (Local Network Access): the visitor allows it.
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1000, height: 700 }, permissions: ['local-network-access'] });
  });
  afterAll(async () => {
    await browser?.close();
    await spoc?.close();
  });

  let number = '';

  it('opens a ticket from the chat box and shows its number', async () => {
    const page = await openIntranet();
    await page.click('.fab');
    await page.fill('textarea', 'My laptop cannot reach the Wi-Fi on floor 5');
    await page.press('textarea', 'Enter');
    // Before a ticket opens, the widget offers matching articles; the visitor still needs help.
    await page.locator('.log .kb a', { hasText: 'Wi-Fi' }).first().waitFor();
    await page.screenshot({ path: `${shots}chat-suggestions-en.png` });
    await page.click('.log .kb .go-on');
    const note = page.locator('.log .sys', { hasText: 'Ticket' });
    await note.waitFor();
    number = (await note.textContent())!.replace('Ticket ', '').trim();
    expect(number).toMatch(/^[A-Z]{3}-\d{6}$/);
    await expect.poll(async () => page.locator('.log .pending').count()).toBe(0);

    const { body } = await spoc.api('GET', `/api/v1/tickets/${number}`);
    expect(body.ticket).toMatchObject({ channel: 'chat', subject: 'My laptop cannot reach the Wi-Fi on floor 5' });
    expect(body.requester.email).toBe('chen.jie@example.com');

    await spoc.api('POST', `/api/v1/tickets/${number}/reply`, { body: 'Forget the network and join "corp-5G" again.', agent: 'li.lei' });
    await page.locator('.log .desk', { hasText: 'corp-5G' }).waitFor();
    await page.close();
  });

  it('gets a reply sent while the page was closed when the visitor comes back', async () => {
    await spoc.api('POST', `/api/v1/tickets/${number}/reply`, { body: 'Did that help?', agent: 'li.lei' });
    await spoc.drained();
    const page = await openIntranet();
    // The session is remembered: the widget reconnects by itself and shows the earlier conversation too.
    await page.locator('.log .desk', { hasText: 'Did that help?' }).waitFor({ state: 'attached' });
    const log = await page.locator('.log').textContent();
    expect(log).toContain('My laptop cannot reach the Wi-Fi on floor 5');
    expect(log!.split('corp-5G').length - 1).toBe(1);
    await page.close();
  });

  it('"This solved it" on an offered article counts a deflection and opens no ticket', async () => {
    const stats = async () => (await spoc.api('GET', '/api/v1/kb/stats')).body as { deflections: number; ticketsCreated: number };
    const before = await stats();
    // A new visitor (no stored session) on the same intranet.
    const fresh = await browser.newContext({ locale: 'en-US', viewport: { width: 1000, height: 700 }, permissions: ['local-network-access'] });
    const page = await openIntranet(fresh);
    await page.click('.fab');
    await page.fill('textarea', 'printer paper jam');
    await page.press('textarea', 'Enter');
    const article = page.locator('.log .kb div', { has: page.locator('a', { hasText: /jam/i }) }).first();
    await article.waitFor();
    await article.locator('.solved').click();
    await page.locator('.log .sys', { hasText: 'Glad that solved it.' }).waitFor();
    await page.screenshot({ path: `${shots}chat-deflected-en.png` });
    await expect.poll(async () => page.locator('.log .pending').count()).toBe(0);
    await expect.poll(async () => (await stats()).deflections).toBe(before.deflections + 1);
    expect((await stats()).ticketsCreated).toBe(before.ticketsCreated);
    expect(await page.locator('.log .sys', { hasText: 'Ticket' }).count()).toBe(0);
    await fresh.close();
  });

  it('shows the resolution with fixed / not-fixed buttons, then the survey as stars; each press records once', async () => {
    await spoc.api('POST', `/api/v1/tickets/${number}/resolve`, { resolution: 'Renewed the Wi-Fi certificate' });
    const page = await openIntranet();
    await page.click('.fab');
    await page.locator('.log .ask .fixed').waitFor();
    expect(await page.locator('.log .m.desk', { hasText: 'Renewed the Wi-Fi certificate' }).count()).toBe(1);
    await page.screenshot({ path: `${shots}chat-confirm-en.png` });
    await page.click('.log .ask .fixed');
    await page.locator('.log .sys', { hasText: 'Ticket closed. Thank you!' }).waitFor();
    expect((await spoc.ctx.tickets.get(number))!.ticket.status).toBe('closed');

    await page.locator('.log .ask .star-4').waitFor();
    await page.screenshot({ path: `${shots}chat-stars-en.png` });
    await page.click('.log .ask .star-4');
    await page.locator('.log .sys', { hasText: 'Thank you for your rating!' }).waitFor();
    expect(await page.locator('.log .ask').count()).toBe(0);
    const rated = (await spoc.ctx.tickets.get(number))!.events.filter((e) => e.type === 'rated');
    expect(rated.map((e) => e.data)).toMatchObject([{ score: 4, channel: 'chat' }]);
  });
});
