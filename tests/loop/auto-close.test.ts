import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/logger.js';
import { createAutoCloseSweeper } from '../../src/ticketing/auto-close-sweeper.js';
import { createStore, type Store } from '../../src/ticketing/index.js';
import { acceptOnce, agent, testClock, ticketing } from '../ticketing/fixtures.js';

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

async function setup() {
  const clock = testClock('2026-03-02T10:00:00.000Z');
  const t = ticketing(await sqlite(), { now: clock.now });
  const sweeperOf = () => createAutoCloseSweeper({ store: t.store, service: t.service, afterHours: 72, logger: createLogger({ level: 'silent' }), now: clock.now });
  return { clock, t, sweeper: sweeperOf(), second: sweeperOf() };
}

describe('auto-close sweep (SQLite, controlled clock)', () => {
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
