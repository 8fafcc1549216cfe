import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { surveyConfigSchema, surveySubscriptions } from '../../src/survey/config.js';
import { createSurveyLinks } from '../../src/survey/links.js';
import { createSurvey, scoreOf } from '../../src/survey/survey.js';
import { createStore } from '../../src/ticketing/index.js';
import { acceptOnce, agent, testClock, ticketing } from '../ticketing/fixtures.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const signer = { sign: (ticket: string, purpose: string) => Buffer.from(`${ticket}|${purpose}|k`).toString('base64url') };

describe('survey settings per channel', () => {
  it('ships every channel on, no delay, 7 days to answer; low scores at 2 or below go to the desk manager', () => {
    const survey = loadConfig('config').config.gateway.survey;
    expect(survey.lowScore).toBe(2);
    expect(survey.notifyTeam).toBe('desk-manager');
    for (const c of Object.values(survey.channels)) expect(c).toEqual({ enabled: true, delayMinutes: 0, expiresDays: 7 });
  });

  it('subscribes one job per enabled channel, delayed by its setting; an off channel gets none', () => {
    const config = surveyConfigSchema.parse({ channels: { sms: { delayMinutes: 30 }, voice: { enabled: false } } });
    expect(surveySubscriptions(config, 'sms.survey', ['sms', 'voice'])).toEqual([{ jobType: 'sms.survey', events: ['closed'], channels: ['sms'], delayMs: 1_800_000 }]);
    expect(surveyConfigSchema.safeParse({ channels: { fax: {} } }).success).toBe(false);
  });

  it('reads a bare 1–5, full-width digits and a trailing star included, and nothing else', () => {
    expect(['4', ' 5 ', '５', '3分', '2★'].map(scoreOf)).toEqual([4, 5, 5, 3, 2]);
    expect(['0', '6', '45', '4 printers down', ''].map(scoreOf)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('rating links and expiry (controlled clock)', () => {
  it('a link names its ticket and expiry; a changed expiry or ticket is not ours', () => {
    const links = createSurveyLinks(signer, 'https://desk.example');
    const token = links.tokenFor('INC-000001', new Date('2026-03-10T00:00:00Z'));
    expect(links.read(token)).toEqual({ ticket: 'INC-000001', expiresAt: new Date('2026-03-10T00:00:00Z') });
    const [, , sig] = token.split('.');
    expect(links.read(`INC-000001.zzzzzz.${sig}`)).toBeUndefined();
    expect(links.read(`INC-000002.${token.split('.')[1]}.${sig}`)).toBeUndefined();
    expect(links.read('INC-000001')).toBeUndefined();
  });

  it('a survey awaits its answer until it expires; a late answer is refused (403) and records nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spoc-survey-'));
    const store = await createStore({ kind: 'sqlite', file: join(dir, 'spoc.db') });
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close());
    const clock = testClock('2026-03-02T10:00:00.000Z');
    const t = ticketing(store, { now: clock.now });
    const survey = createSurvey({ config: surveyConfigSchema.parse({ channels: { api: { expiresDays: 2 } } }), tickets: t.service, links: createSurveyLinks(signer, 'https://d'), now: clock.now });
    const { ticket } = await acceptOnce(t, 's1');
    await t.service.resolve(ticket.number, agent(), { resolution: 'done' });
    await t.service.close(ticket.number, agent());
    const detail = (await t.service.get(ticket.number))!;
    expect(survey.expiresAt(detail)?.toISOString()).toBe('2026-03-04T10:00:00.000Z');
    await survey.sent(detail, { channel: 'api', by: 'email' });
    const sent = (await t.service.get(ticket.number))!;
    expect(sent.events.find((e) => e.type === 'survey_sent')?.data).toMatchObject({ channel: 'api', expiresAt: '2026-03-04T10:00:00.000Z' });
    expect(survey.awaiting(sent, 'api')).toBe(true);
    expect(survey.awaiting(sent, 'sms')).toBe(false);

    clock.set('2026-03-04T10:00:01.000Z');
    expect(survey.awaiting(sent, 'api')).toBe(false);
    await expect(survey.rate(ticket.number, { id: 'requester:x', role: 'requester' }, { score: 5, channel: 'api' })).rejects.toMatchObject({ code: 'survey_expired', status: 403 });
    expect((await t.service.get(ticket.number))!.events.some((e) => e.type === 'rated')).toBe(false);
  });

  it('a delayed survey job is not due before its delay has passed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spoc-survey-delay-'));
    const store = await createStore({ kind: 'sqlite', file: join(dir, 'spoc.db') });
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close());
    const clock = testClock('2026-03-02T10:00:00.000Z');
    const config = surveyConfigSchema.parse({ channels: { api: { delayMinutes: 60 } } });
    const t = ticketing(store, { now: clock.now, subscriptions: surveySubscriptions(config, 'email.survey', ['api']) });
    const { ticket } = await acceptOnce(t, 'd1');
    await t.service.resolve(ticket.number, agent(), { resolution: 'done' });
    await t.service.close(ticket.number, agent());
    expect(await t.outbox.claimDue(10, 1000, new Date('2026-03-02T10:59:59.000Z'))).toEqual([]);
    expect((await t.outbox.claimDue(10, 1000, new Date('2026-03-02T11:00:00.000Z'))).map((j) => j.type)).toEqual(['email.survey']);
  });
});
