import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startSpoc, TEST_KEYS, type RunningSpoc } from '../support/spoc.js';

const shots = new URL('../../.screenshots/', import.meta.url).pathname;

/** The portal's status page in headless Chromium: it asks "fixed?" after a resolution and for a score after the close. */
describe('confirmation and survey on the portal status page', () => {
  let spoc: RunningSpoc;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    [spoc, browser] = await Promise.all([startSpoc(), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await spoc?.close();
  });

  async function resolved(email: string, subject: string) {
    const c = await spoc.api('POST', '/api/v1/contacts', { channel: 'web', requester: { email }, subject, body: subject }, { key: TEST_KEYS.intake });
    await spoc.api('POST', `/api/v1/tickets/${c.body.number}/resolve`, { resolution: 'done' }, { key: TEST_KEYS.agent });
    return c.body.number as string;
  }
  async function lookUp(locale: string, number: string, email: string): Promise<Page> {
    const page = await (await browser.newContext({ locale })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${spoc.url}/?ticket=${number}`);
    await page.fill('#status-email', email);
    await page.click('#status-form button[type=submit]');
    await page.waitForSelector('#status-result:not([hidden])');
    expect(errors).toEqual([]);
    return page;
  }

  it('"fixed" closes the ticket; then the stars and a comment record one rating, and the form goes away', async () => {
    const email = 'zhou.min@example.com';
    const number = await resolved(email, '共享盘打不开');
    const page = await lookUp('zh-CN', number, email);
    await page.waitForSelector('#ask-confirm:not([hidden])');
    expect(await page.textContent('#ask-confirm')).toContain('问题解决了吗');
    await page.screenshot({ path: `${shots}portal-confirm-zh.png`, fullPage: true });

    await page.click('#answer-fixed');
    await page.waitForSelector('#ask-rate:not([hidden])');
    expect(await page.textContent('#status-answered')).toBe('工单已关闭，谢谢！');
    expect((await spoc.ctx.tickets.get(number))!.ticket.status).toBe('closed');

    await page.fill('#rate-comment', '处理很快');
    await page.screenshot({ path: `${shots}portal-rate-zh.png`, fullPage: true });
    await page.click('#ask-rate .score[data-score="4"]');
    await page.waitForSelector('#status-ask #ask-rate[hidden]', { state: 'attached' });
    expect(await page.textContent('#status-answered')).toBe('谢谢您的评价！');
    const rated = (await spoc.ctx.tickets.get(number))!.events.filter((e) => e.type === 'rated');
    expect(rated).toHaveLength(1);
    expect(rated[0]!.data).toMatchObject({ score: 4, comment: '处理很快', channel: 'web' });

    // Looking it up again offers nothing more, and a replayed answer changes nothing.
    const again = await lookUp('zh-CN', number, email);
    expect(await again.isHidden('#status-ask')).toBe(true);
    const replay = await fetch(`${spoc.url}/portal/answer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ number, email, score: 1 }) });
    expect(replay.status).toBe(409);
    expect((await replay.json()).error.code).toBe('already_rated');
  }, 60_000);

  it('"not fixed" reopens; a wrong email changes nothing', async () => {
    const email = 'sun.li@example.com';
    const number = await resolved(email, 'Monitor flickers');
    const wrong = await fetch(`${spoc.url}/portal/answer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ number, email: 'someone@else.example', fixed: true }) });
    expect(wrong.status).toBe(404);
    const page = await lookUp('en-US', number, email);
    await page.waitForSelector('#ask-confirm:not([hidden])');
    await page.screenshot({ path: `${shots}portal-confirm-en.png`, fullPage: true });
    await page.click('#answer-not-fixed');
    await page.waitForSelector('#status-answered:not([hidden])');
    expect(await page.textContent('#status-answered')).toBe('Ticket reopened; an engineer will follow up.');
    expect(await page.isHidden('#status-ask')).toBe(true);
    expect((await spoc.ctx.tickets.get(number))!.ticket.status).not.toBe('resolved');
  }, 60_000);
});
