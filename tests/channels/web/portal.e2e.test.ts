import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../support/browser.js';
import { startSpoc, type RunningSpoc } from '../../support/spoc.js';

/** The portal in headless Chromium against the real app: submit with a file, see it routed, look it up. */
describe('web portal in Chromium', () => {
  let spoc: RunningSpoc;
  let browser: Browser;
  let number = '';

  beforeAll(async () => {
    [spoc, browser] = await Promise.all([startSpoc(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await spoc?.close();
  });

  it('takes a request with an attachment and shows the ticket number', async () => {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${spoc.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    await page.fill('#req-name', 'Wang Fang');
    await page.fill('#req-email', 'wang.fang@example.com');
    await page.fill('#req-subject', 'VPN cannot connect');
    await page.fill('#req-description', 'Since this morning the VPN client fails with error 809. <b>Not bold</b>');
    await page.setInputFiles('#req-files', { name: 'vpn-error.txt', mimeType: 'text/plain', buffer: Buffer.from('error 809: the network connection timed out') });
    await page.click('#req-submit');
    await page.waitForSelector('#request-result:not([hidden])');

    number = (await page.textContent('#result-fields .number'))!.trim();
    expect(number).toMatch(/^[A-Z]{3}-\d{6}$/);
    expect(await page.textContent('#request-result')).toContain('Respond by');
    expect(pageErrors).toEqual([]);

    // The API sees it routed, with the file stored under the data directory.
    const { status, body } = await spoc.api('GET', `/api/v1/tickets/${number}`);
    expect(status).toBe(200);
    expect(body.ticket).toMatchObject({ number, channel: 'web', status: 'new', team: 'network' });
    expect(body.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['created', 'routed']));
    // The address is in config/directory.yaml: the request is linked to that person.
    expect(body.requester).toMatchObject({ name: '王芳', email: 'wang.fang@example.com' });
    const [attachment] = body.messages[0].attachments;
    expect(attachment).toMatchObject({ name: 'vpn-error.txt', size: 43 });
    expect(await spoc.ctx.attachments.read(attachment)).toEqual(Buffer.from('error 809: the network connection timed out'));
    expect(body.messages[0].body).toContain('<b>Not bold</b>');

    // The status form was filled in for the requester: look it up.
    await page.click('#status-form button[type=submit]');
    await page.waitForSelector('#status-result:not([hidden])');
    expect(await page.textContent('#status-fields')).toContain(number);
    expect(await page.textContent('#status-fields')).toContain('Received');
  });

  it('shows agent replies and status changes in the status look-up, never internal notes', async () => {
    expect((await spoc.api('POST', `/api/v1/tickets/${number}/claim`, { agent: 'li.lei' })).status).toBe(200);
    expect((await spoc.api('POST', `/api/v1/tickets/${number}/reply`, { body: 'Please update the VPN client to 5.2.', agent: 'li.lei' })).status).toBe(200);
    expect((await spoc.api('POST', `/api/v1/tickets/${number}/reply`, { body: 'internal: user is on the old laptop image', internal: true })).status).toBe(200);

    // An acknowledgement's link (?ticket=) pre-fills the number; the page follows Accept-Language.
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await page.goto(`${spoc.url}/?ticket=${number.toLowerCase()}`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.inputValue('#status-number')).toBe(number);
    await page.fill('#status-email', 'WANG.FANG@example.com');
    await page.click('#status-form button[type=submit]');
    await page.waitForSelector('#status-result:not([hidden])');
    const history = await page.textContent('#status-history');
    expect(history).toContain('Please update the VPN client to 5.2.');
    expect(history).toContain('服务台回复');
    expect(history).not.toContain('old laptop image');

    // The language switch re-renders without a reload and keeps what was shown.
    await page.click('.lang button[data-lang=en]');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('#status-history')).toContain('Reply from the service desk');
  });

  it('answers a wrong email exactly like an unknown number', async () => {
    const wrong = await fetch(`${spoc.url}/portal/status?number=${number}&email=someone.else@example.com`);
    const unknown = await fetch(`${spoc.url}/portal/status?number=INC-999999&email=wang.fang@example.com`);
    expect(wrong.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('makes one ticket of a double-submitted form', async () => {
    const form = () => {
      const fd = new FormData();
      for (const [k, v] of Object.entries({ name: 'Zhao Lei', email: 'zhao.lei@example.com', subject: 'Printer jam', description: 'Floor 3 printer jams', formToken: 'double-submit-token-0001' })) fd.set(k, v);
      return fd;
    };
    const [a, b] = await Promise.all([form(), form()].map((body) => fetch(`${spoc.url}/portal/requests`, { method: 'POST', body })));
    const [ja, jb] = await Promise.all([a!.json(), b!.json()]);
    expect(ja.number).toBe(jb.number);
    expect([a!.status, b!.status].sort()).toEqual([200, 201]);
    expect([ja.outcome, jb.outcome].sort()).toEqual(['created', 'duplicate']);
  });

  it('refuses bad input and oversized files with a JSON error and makes no ticket', async () => {
    const count = async () => (await spoc.api('GET', '/api/v1/tickets')).body.tickets.length as number;
    const before = await count();
    const bad = await fetch(`${spoc.url}/portal/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'X', email: 'not-an-email', subject: 's', description: 'd', formToken: 'bad-input-token-00001' }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'invalid_request' });

    const fd = new FormData();
    for (const [k, v] of Object.entries({ name: 'X', email: 'x@example.com', subject: 's', description: 'd', formToken: 'too-large-token-00001' })) fd.set(k, v);
    fd.append('attachments', new Blob([Buffer.alloc(10 * 1024 * 1024 + 1)]), 'big.bin');
    const big = await fetch(`${spoc.url}/portal/requests`, { method: 'POST', body: fd });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('payload_too_large');
    expect(await count()).toBe(before);
  });

  it('rate-limits submissions per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await fetch(`${spoc.url}/portal/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      statuses.push(res.status);
      if (res.status === 429) {
        expect((await res.json()).error.code).toBe('rate_limited');
        expect(res.headers.get('retry-after')).toBeTruthy();
        break;
      }
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(20);
  });
});
