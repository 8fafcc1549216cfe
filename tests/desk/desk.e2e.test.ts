import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startSmtp, type TestSmtp } from '../support/mail-smtp.js';
import { startSpoc, type RunningSpoc } from '../support/spoc.js';
import { until } from '../support/wait.js';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

describe('the staff web in Chromium', () => {
  let smtp: TestSmtp;
  let s: RunningSpoc;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await startSmtp();
    s = await startSpoc({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'IT Desk <it@example.com>' } });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    await smtp?.close();
  });

  const linkIn = (n: number) => /\/desk\/sign-in\/link\/[A-Za-z0-9_-]+/.exec(String(smtp.received[n]!.parsed.text))![0];

  it('signs in by emailed link, filters and searches the queue, opens a ticket, downloads its attachment and replies to the requester', async () => {
    const file = Buffer.from('ping 10.0.0.1: timeout\n');
    const zh = await s.api('POST', '/api/v1/contacts', {
      requester: { email: 'wang.fang@example.com' },
      channel: 'email',
      subject: '打印机卡纸',
      body: '三楼的打印机卡纸了，无法打印',
      attachments: [{ name: 'trace.txt', contentType: 'text/plain', contentBase64: file.toString('base64') }],
    });
    await s.api('POST', '/api/v1/contacts', { requester: { email: 'emily.carter@example.com' }, subject: 'Projector flicker', body: 'The boardroom projector flickers' });
    await s.drained();
    const before = smtp.received.length;

    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(`${s.url}/desk/tickets/${zh.body.number}`);
    expect(page.url()).toContain('/desk/sign-in?next=');
    await page.fill('#email', 'han.mei@example.com');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[role=status]');
    await smtp.waitFor(before + 1);
    const mail = smtp.received[before]!;
    expect(mail.to).toEqual(['han.mei@example.com']);
    const link = linkIn(before);
    await page.goto(`${s.url}${link}`);
    await page.click('button');
    await page.waitForURL(`**/desk/tickets/${zh.body.number}`);
    await page.screenshot({ path: `${SHOTS}ticket-phone.png`, fullPage: true });
    expect(await page.textContent('h1')).toContain('打印机卡纸');

    // The link was used once: a second use is refused.
    const again = await browser.newPage();
    await again.goto(`${s.url}${link}`);
    await again.click('button');
    await again.waitForSelector('[role=alert]');
    await again.close();

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=trace.txt')]);
    expect(download.suggestedFilename()).toBe('trace.txt');

    await page.fill('#reply-body', '已安排同事前往三楼处理。');
    await page.click('form[action$="/reply"] button');
    await page.waitForSelector('text=已安排同事前往三楼处理。');
    await until(() => smtp.received.some((m) => m.to.includes('wang.fang@example.com') && String(m.parsed.text).includes('已安排同事')), { what: 'the reply by email', timeoutMs: 20_000 });
    const events = (await s.api('GET', `/api/v1/tickets/${zh.body.number}`)).body.events as Array<{ type: string; actor: string }>;
    expect(events.find((e) => e.type === 'replied_out')?.actor).toBe('staff:han.mei@example.com');

    await page.setViewportSize({ width: 1200, height: 800 });
    await page.goto(`${s.url}/desk?q=${encodeURIComponent('打印机')}`);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.goto(`${s.url}/desk`);
    await page.fill('#q', 'projector');
    await page.press('#q', 'Enter');
    await page.waitForURL('**/desk?q=projector**');
    expect(await page.textContent('tbody')).toContain('Projector flicker');
    await page.goto(`${s.url}/desk?team=network`);
    expect(await page.textContent('tbody')).not.toContain('打印机卡纸');
    await page.screenshot({ path: `${SHOTS}queue.png`, fullPage: true });

    // A POST without the CSRF token is refused.
    const forged = await page.request.post(`${s.url}/desk/tickets/${zh.body.number}/claim`, { form: { x: '1' } });
    expect(forged.status()).toBe(403);
    await page.close();
  }, 120_000);
});
