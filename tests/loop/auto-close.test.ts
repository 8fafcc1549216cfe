import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { renderMail } from '../../src/channels/email/templates.js';
import { createLogger } from '../../src/shared/logger.js';
import { autoClosePromise } from '../../src/ticketing/auto-close-promise.js';
import { createAutoCloseSweeper } from '../../src/ticketing/auto-close-sweeper.js';
import { createStore, type Store } from '../../src/ticketing/index.js';
import { loopConfigSchema, type AutoClosePolicy } from '../../src/ticketing/loop-config.js';
import { acceptOnce, agent, calendars, testClock, ticketing } from '../ticketing/fixtures.js';

/** The shipped calendars (Asia/Shanghai, 2026 holidays): 5x8 is Monday to Friday 09:00–17:00. */
const shipped = loadConfig('config').router.gateway.calendars;

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function sqlite(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), 'spoc-autoclose-'));
  const store = await createStore({ kind: 'sqlite', file: join(dir, 'spoc.db') });
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close());
  return store;
}

async function setup(policy: AutoClosePolicy = { kind: 'hours', hours: 72 }, start = '2026-03-02T10:00:00.000Z') {
  const clock = testClock(start);
  const t = ticketing(await sqlite(), { now: clock.now });
  const sweeperOf = () =>
    createAutoCloseSweeper({ store: t.store, service: t.service, policy, calendars: new Map([...calendars, ...shipped]), logger: createLogger({ level: 'silent' }), now: clock.now });
  return { clock, t, sweeper: sweeperOf(), second: sweeperOf() };
}

describe('auto-close after N business days (SQLite, controlled clock)', () => {
  const threeDays: AutoClosePolicy = { kind: 'businessDays', days: 3, calendar: '5x8' };

  it('closes a ticket resolved on Friday when Wednesday’s business hours end, once, across two sweepers', async () => {
    // Friday 2026-03-06 15:00 in Shanghai.
    const { clock, t, sweeper, second } = await setup(threeDays, '2026-03-06T07:00:00.000Z');
    const { ticket } = await acceptOnce(t, 'bd1');
    await t.service.resolve(ticket.number, agent(), { resolution: 'VPN profile re-issued' });

    // The weekend does not count, nor do Monday and Tuesday: Wednesday 16:59 is still open for objections.
    for (const at of ['2026-03-09T08:59:00.000Z', '2026-03-10T09:00:00.000Z', '2026-03-11T08:59:00.000Z']) {
      clock.set(at);
      expect(await sweeper.sweep()).toBe(0);
    }
    expect((await t.service.get(ticket.number))!.ticket.status).toBe('resolved');

    clock.set('2026-03-11T09:00:00.000Z'); // Wednesday 17:00 in Shanghai
    const counts = await Promise.all([sweeper.sweep(), second.sweep()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await sweeper.sweep()).toBe(0);
    const detail = (await t.service.get(ticket.number))!;
    expect(detail.ticket).toMatchObject({ status: 'closed', closedAt: '2026-03-11T09:00:00.000Z' });
    const closed = detail.events.filter((e) => e.type === 'closed');
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ actor: 'system', data: { autoClose: { afterBusinessDays: 3, calendar: '5x8' } } });
  });

  it('skips public holidays: resolved before the May Day break, it closes on the third working day after it', async () => {
    // Thursday 2026-04-30 10:00 Shanghai; 2026-05-01..05 are holidays.
    const { clock, t, sweeper } = await setup(threeDays, '2026-04-30T02:00:00.000Z');
    const { ticket } = await acceptOnce(t, 'bd2');
    await t.service.resolve(ticket.number, agent(), { resolution: 'toner replaced' });
    clock.set('2026-05-07T08:59:00.000Z'); // Thursday 16:59: Wed 6th, Thu 7th are two working days
    expect(await sweeper.sweep()).toBe(0);
    clock.set('2026-05-08T09:00:00.000Z'); // Friday 8th 17:00: the third
    expect(await sweeper.sweep()).toBe(1);
  });

  it('does not close when the requester objected: a reply that is no confirmation holds it, a confirmation does not', async () => {
    const { clock, t, sweeper } = await setup(threeDays, '2026-03-06T07:00:00.000Z');
    const held = (await acceptOnce(t, 'bd3')).ticket;
    const thanked = (await acceptOnce(t, 'bd4', 'bo@example.com')).ticket;
    for (const n of [held.number, thanked.number]) await t.service.resolve(n, agent(), { resolution: 'driver reinstalled' });
    clock.set('2026-03-09T02:00:00.000Z');
    const write = (number: string, body: string, intent: string) =>
      t.store.withTx(async (tx) => t.ops.addInboundMessage(tx, await t.ops.lock(tx, { number }), { channel: 'api', body }, 'api:requester', 'named the ticket', { intent }));
    await write(held.number, 'The printer shows E5 now, is that related?', 'other');
    await write(thanked.number, 'works now, thanks', 'confirmed');

    clock.set('2026-03-12T09:00:00.000Z');
    expect(await sweeper.sweep()).toBe(1);
    expect((await t.service.get(held.number))!.ticket.status).toBe('resolved');
    expect((await t.service.get(thanked.number))!.ticket.status).toBe('closed');
  });

  it('is off with autoCloseAfter: 0', async () => {
    const { clock, t, sweeper } = await setup({ kind: 'off' });
    const { ticket } = await acceptOnce(t, 'bd5');
    await t.service.resolve(ticket.number, agent(), { resolution: 'done' });
    clock.set('2027-03-02T10:00:00.000Z');
    expect(await sweeper.sweep()).toBe(0);
  });
});

describe('the loop settings', () => {
  it('defaults to 3 business days on the ticket’s calendar; reads the older autoCloseHours; refuses both', () => {
    expect(loopConfigSchema.parse({}).autoClose).toEqual({ kind: 'businessDays', days: 3 });
    expect(loopConfigSchema.parse({ autoCloseAfter: 5, autoCloseCalendar: '5x8' }).autoClose).toEqual({ kind: 'businessDays', days: 5, calendar: '5x8' });
    expect(loopConfigSchema.parse({ autoCloseHours: 72 }).autoClose).toEqual({ kind: 'hours', hours: 72 });
    expect(loopConfigSchema.parse({ autoCloseAfter: 0 }).autoClose).toEqual({ kind: 'off' });
    expect(loopConfigSchema.parse({ autoCloseHours: 0 }).autoClose).toEqual({ kind: 'off' });
    expect(loopConfigSchema.safeParse({ autoCloseAfter: 3, autoCloseHours: 72 }).error?.issues[0]?.message).toMatch(/not both/);
  });

  it('the shipped gateway.yaml closes after 3 business days', () => {
    expect(loadConfig('config').config.gateway.loop.autoClose).toEqual({ kind: 'businessDays', days: 3 });
  });

  it('the resolution mail promises the real setting, and nothing when auto-close is off', () => {
    const facts = { kind: 'resolved' as const, ticketNumber: 'INC-000001', subject: 'VPN', respondBy: '2026-03-02T10:30:00.000Z', timezone: 'Asia/Shanghai', portalUrl: 'https://x/?ticket=INC-000001', text: 'fixed' };
    const zh = renderMail({ ...facts, language: 'zh', closing: autoClosePromise({ kind: 'businessDays', days: 3 }, 'zh') });
    expect(zh.text).toContain('如 3 个工作日内没有回复，工单将自动关闭。');
    const en = renderMail({ ...facts, language: 'en', closing: autoClosePromise({ kind: 'hours', hours: 48 }, 'en') });
    expect(en.text).toContain('If we do not hear from you within 48 hours, the ticket will close automatically.');
    const off = renderMail({ ...facts, language: 'zh', closing: autoClosePromise({ kind: 'off' }, 'zh') });
    expect(off.text).not.toContain('自动关闭');
  });
});

describe('auto-close with the older autoCloseHours (SQLite, controlled clock)', () => {
  it('closes a ticket resolved 72 h ago as the system, once, with the closed event', async () => {
    const { clock, t, sweeper, second } = await setup();
    const { ticket } = await acceptOnce(t, 'k1');
    await t.service.resolve(ticket.number, agent(), { resolution: 'VPN profile re-issued' });

    clock.set('2026-03-05T09:59:00.000Z'); // 71 h 59 min later: not yet
    expect(await sweeper.sweep()).toBe(0);
    expect((await t.service.get(ticket.number))!.ticket.status).toBe('resolved');

    clock.set('2026-03-05T10:00:00.000Z');
    // Two sweepers at once (two processes): the ticket closes once.
    const counts = await Promise.all([sweeper.sweep(), second.sweep()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await sweeper.sweep()).toBe(0);

    const detail = (await t.service.get(ticket.number))!;
    expect(detail.ticket).toMatchObject({ status: 'closed', closedAt: '2026-03-05T10:00:00.000Z' });
    const closed = detail.events.filter((e) => e.type === 'closed');
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ actor: 'system', data: { autoClose: { afterHours: 72 } } });
  });

  it('leaves a reopened ticket open, and counts the hours from its new resolution', async () => {
    const { clock, t, sweeper } = await setup();
    const { ticket } = await acceptOnce(t, 'k2');
    await t.service.resolve(ticket.number, agent(), { resolution: 'cleared the cache' });
    clock.set('2026-03-03T10:00:00.000Z');
    await t.service.reopen(ticket.number, agent(), { reason: 'requester: still broken' });

    clock.set('2026-03-06T10:00:00.000Z');
    expect(await sweeper.sweep()).toBe(0);
    expect((await t.service.get(ticket.number))!.ticket.status).toBe('assigned'); // reopened: back with the team (no owner had claimed it)

    await t.service.resolve(ticket.number, agent(), { resolution: 'replaced the cable' });
    clock.set('2026-03-09T09:00:00.000Z');
    expect(await sweeper.sweep()).toBe(0);
    clock.set('2026-03-09T10:00:00.000Z');
    expect(await sweeper.sweep()).toBe(1);
    expect((await t.service.get(ticket.number))!.ticket.status).toBe('closed');
  });
});
