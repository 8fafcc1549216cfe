import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../support/mail-smtp.js';
import { startSpoc, TEST_KEYS, type RunningSpoc } from '../support/spoc.js';
import { until } from '../support/wait.js';

let smtp: TestSmtp;
let spoc: RunningSpoc;
beforeAll(async () => {
  smtp = await startSmtp();
  spoc = await startSpoc({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'IT Desk <it@desk.example>', PUBLIC_BASE_URL: 'https://desk.corp.example' } });
}, 60_000);
afterAll(async () => {
  await spoc?.close();
  await smtp?.close();
});

describe('satisfaction survey on close (email)', () => {
  it('mails the requester a signed link once; the page shows 1–5, POST rates once, a forged token gets 403', async () => {
    const created = await spoc.api('POST', '/api/v1/contacts', { requester: { email: 'li@corp.example' }, subject: '打印机卡纸', body: '三楼打印机一直卡纸' }, { key: TEST_KEYS.intake });
    expect(created.status).toBe(201);
    const number: string = created.body.number;
    const act = (action: string, body: unknown = {}) => spoc.api('POST', `/api/v1/tickets/${number}/${action}`, body, { key: TEST_KEYS.agent });
    expect((await act('resolve', { resolution: '已清理卡纸' })).status).toBe(200);
    expect((await act('close')).status).toBe(200);

    const surveyMail = () => smtp.received.find((m) => m.to.includes('li@corp.example') && /\/rate\//.test(m.parsed.text ?? ''));
    await until(() => !!surveyMail(), { what: () => `a survey mail among ${smtp.received.length}`, timeoutMs: 30_000 });
    const mail = surveyMail()!;
    expect(mail.parsed.subject).toContain(number);
    expect(mail.parsed.text).toContain('1–5');
    // One link per score, each opening the page with that score chosen.
    const links = [...mail.parsed.text!.matchAll(/https:\/\/desk\.corp\.example(\/rate\/[^?\s]+)\?score=(\d)/g)];
    expect(links.map((m) => m[2])).toEqual(['1', '2', '3', '4', '5']);
    const link = links[0]![1]!;
    await until(async () => (await spoc.api('GET', `/api/v1/tickets/${number}`)).body.events.some((e: { type: string }) => e.type === 'survey_sent'), {
      what: 'the survey_sent event',
      timeoutMs: 30_000,
    });

    // A GET (what a mail scanner does) records nothing; it shows the chosen score and a comment box.
    const page = await fetch(`${spoc.url}${link}?score=4`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('value="4" required checked');
    expect(html).toContain('name="comment"');

    const forged = await fetch(spoc.url + link.replace(/\.[^.]+$/, '.' + 'A'.repeat(43)) + '?score=1', { method: 'POST' });
    expect(forged.status).toBe(403);
    // Moving the expiry forward breaks the signature.
    const [tk, , sig] = decodeURIComponent(link.slice('/rate/'.length)).split('.');
    const stretched = await fetch(`${spoc.url}/rate/${encodeURIComponent(`${tk}.zzzzzz.${sig}`)}?score=1`, { method: 'POST' });
    expect(stretched.status).toBe(403);

    const form = new URLSearchParams({ score: '4', comment: '响应很快，谢谢' });
    const first = await fetch(spoc.url + link, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('谢谢您的评价');
    const again = await fetch(`${spoc.url}${link}?score=1`, { method: 'POST' });
    expect(again.status).toBe(403);
    expect(await again.text()).toContain('已经评价过');

    const detail = (await spoc.api('GET', `/api/v1/tickets/${number}`)).body;
    const rated = detail.events.filter((e: { type: string }) => e.type === 'rated');
    expect(rated).toHaveLength(1);
    expect(rated[0].data).toMatchObject({ score: 4, comment: '响应很快，谢谢', channel: 'api' });
    expect(detail.events.filter((e: { type: string }) => e.type === 'survey_sent')).toHaveLength(1);
  }, 90_000);
});
