import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_IDS } from '../../src/desk/dashboard/page.js';
import { seedHistory, type Seeded } from '../reports/history.js';
import { launchBrowser } from '../support/browser.js';
import { startSmtp, type TestSmtp } from '../support/mail-smtp.js';
import { until } from '../support/wait.js';

const SHOTS = new URL('../../.screenshots/', import.meta.url).pathname;

/** The manager's dashboard over the known history of tests/reports/history.ts, in Chromium. */
describe('the desk dashboard in Chromium', () => {
  let smtp: TestSmtp;
  let h: Seeded;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    smtp = await startSmtp();
    h = await seedHistory('sqlite', { SMTP_URL: smtp.url, MAIL_FROM: 'IT Desk <it@example.com>' });
    url = h.spoc.url;
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await smtp?.close();
  });

  /** Every chart is drawn and holds at least one non-empty bar. */
  async function chartsDrawn(page: Page): Promise<void> {
    await page.waitForSelector('body[data-state=ready]');
    const drawn = await page.evaluate((ids) => {
      const w = window as unknown as { echarts: { getInstanceByDom(el: Element): { getOption(): { series: Array<{ data: Array<{ value: number | null }> }> } } | undefined } };
      return ids.map((id) => {
        const el = document.getElementById(`chart-${id}`)!;
        const series = w.echarts.getInstanceByDom(el)?.getOption().series ?? [];
        return [id, el.querySelector('canvas') !== null && series.some((s) => s.data.some((d) => (d?.value ?? 0) > 0))];
      });
    }, CHART_IDS);
    expect(drawn).toEqual(CHART_IDS.map((id) => [id, true]));
  }

  /** Clicks the bar of a chart at a category (its middle), as a person would. */
  async function clickBar(page: Page, chart: string, category: number, value: number, horizontal = false): Promise<void> {
    await page.locator(`#chart-${chart}`).scrollIntoViewIfNeeded();
    const box = (await page.locator(`#chart-${chart}`).boundingBox())!;
    const [x, y] = await page.evaluate(
      ([id, point]) => (window as unknown as { echarts: { getInstanceByDom(el: Element): { convertToPixel(f: object, v: number[]): number[] } } }).echarts.getInstanceByDom(document.getElementById(`chart-${id}`)!)!.convertToPixel({ seriesIndex: 0 }, point),
      [chart, horizontal ? [value, category] : [category, value]] as const,
    );
    await page.mouse.click(box.x + x!, box.y + y!);
  }

  /** Waits for the queue with these query parameters. */
  const queueOpened = (page: Page, params: Record<string, string>) =>
    page.waitForURL((u) => u.pathname === '/desk' && Object.entries(params).every(([k, v]) => u.searchParams.get(k) === v));
  const listed = async (page: Page) => page.$$eval('tbody tr td:first-child a', (as) => as.map((a) => a.textContent));

  it('signs a manager in, draws every chart in zh and en, drills down to the tickets, refreshes, and fits a phone and paper', async () => {
    const { B, C, D } = h.n;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') violations.push(m.text());
    });
    await page.clock.install({ time: new Date() });
    await page.goto(`${url}/desk/dashboard`);
    expect(page.url()).toContain('/desk/sign-in?next=');
    const before = smtp.received.length;
    await page.fill('#email', 'zhou.min@example.com');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[role=status]');
    // The seeded history's own mail (acknowledgements, surveys) may still be arriving: find the sign-in link's.
    const link = await until(() => smtp.received.slice(before).map((m) => /\/desk\/sign-in\/link\/[A-Za-z0-9_-]+/.exec(String(m.parsed.text))?.[0]).find(Boolean), { what: 'the sign-in mail', timeoutMs: 30_000 });
    await page.goto(url + link);
    await page.click('button');
    await page.waitForURL('**/desk/dashboard');

    // 周敏 reads Chinese: the page is in zh, every chart drawn on the seeded morning.
    await chartsDrawn(page);
    expect(await page.textContent('h1')).toBe('服务台看板');
    expect(await page.textContent('#kpi-tickets strong')).toBe('6');
    expect(await page.textContent('#kpi-respond-sla strong')).toBe('66.7%');
    expect(await page.textContent('#kpi-answer strong')).toBe('50%');
    expect(await page.getAttribute('#kpi-answer', 'class')).toContain('miss');
    expect(await page.textContent('#list-bounced tbody')).toContain(B);
    await page.screenshot({ path: `${SHOTS}dashboard-laptop-zh.png`, fullPage: true });

    // It fetches its figures again by itself (the page's clock moved past refreshSeconds).
    const again = page.waitForRequest((r) => r.url().includes('/desk/dashboard/data'));
    await page.clock.fastForward(61_000);
    await again;

    // A bar opens the queue at its tickets: the open backlog that breached its SLA is C and D.
    await clickBar(page, 'backlog-risk', 3, 1);
    await queueOpened(page, { status: 'open', risk: 'breached' });
    expect((await listed(page)).sort()).toEqual([C, D].sort());
    // And so does a number: the complaints tile.
    await page.goBack();
    await page.waitForSelector('body[data-state=ready]');
    await page.click('#kpi-complaints');
    await queueOpened(page, { type: 'complaint' });
    expect(await listed(page)).toEqual([D]);

    // English, with the team filter: the network team's two tickets, B and E.
    await page.goto(`${url}/desk/dashboard?lang=en`);
    await chartsDrawn(page);
    expect(await page.textContent('h1')).toBe('Service desk dashboard');
    expect(await page.textContent('#cap-backlog-risk')).toBe('Open backlog by SLA risk');
    await page.screenshot({ path: `${SHOTS}dashboard-laptop-en.png`, fullPage: true });
    await page.selectOption('select[name=team]', 'network');
    await page.click('form.filters button');
    await page.waitForURL((u) => u.pathname === '/desk/dashboard' && u.searchParams.get('team') === 'network');
    await page.waitForSelector('body[data-state=ready]');
    expect(await page.textContent('#kpi-tickets strong')).toBe('2');
    await clickBar(page, 'reassignments', 2, 0.5);
    await queueOpened(page, { reassigned: '2', team: 'network' });
    expect(await listed(page)).toEqual([B]);

    // A phone, in both languages, and paper.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const lang of ['zh', 'en']) {
      await page.goto(`${url}/desk/dashboard?lang=${lang}`);
      await chartsDrawn(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, 'no sideways scrolling on a phone').toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}dashboard-phone-${lang}.png`, fullPage: true });
      // The long page also in screen-high pieces, to look at one at a time.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      for (let y = 0, i = 1; y < height; y += 1400, i++) {
        await page.screenshot({ path: `${SHOTS}dashboard-phone-${lang}-${i}.png`, fullPage: true, clip: { x: 0, y, width: 390, height: Math.min(1400, height - y) } });
      }
    }
    await page.setViewportSize({ width: 1000, height: 1400 });
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    expect(await page.isVisible('form.filters')).toBe(false);
    await page.screenshot({ path: `${SHOTS}dashboard-print.png`, fullPage: true });

    expect(violations, 'no console errors (a CSP refusal would be one)').toEqual([]);
    await context.close();
  }, 180_000);

  it('serves ECharts and the page script from this site, cached and compressed', async () => {
    const page = await (await fetch(`${url}/desk/dashboard`, { redirect: 'manual' })).text();
    expect(page).not.toContain('/echarts'); // not signed in: a redirect, no page
    const { desk } = h.spoc.spoc;
    const { token } = await desk.sessions.create((await desk.staff.findActive('zhou.min@example.com'))!, 'link');
    const { sessionCookieName } = await import('../../src/desk/guard.js');
    const cookie = `${sessionCookieName(desk.auth)}=${token}`;
    const res = await fetch(`${url}/desk/dashboard`, { headers: { cookie } });
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*(src=|type="application\/json"))/);
    expect(html).not.toMatch(/\son[a-z]+=/);
    const echarts = /src="(\/desk\/assets\/echarts-[0-9a-f]+\.js)"/.exec(html)![1]!;
    const js = await fetch(url + echarts, { headers: { 'accept-encoding': 'gzip' } });
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect((await js.text()).length).toBeGreaterThan(500_000);
    expect((await fetch(url + echarts, { headers: { 'if-none-match': js.headers.get('etag')! } })).status).toBe(304);
    // An agent may not see it.
    const agent = await desk.sessions.create((await desk.staff.findActive('han.mei@example.com'))!, 'link');
    expect((await fetch(`${url}/desk/dashboard/data`, { headers: { cookie: `${sessionCookieName(desk.auth)}=${agent.token}` } })).status).toBe(403);
  });
});
