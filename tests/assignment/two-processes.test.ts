import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createAssigner } from '../../src/assignment/assigner.js';
import { createLogger } from '../../src/shared/logger.js';
import { createStore, type Store } from '../../src/ticketing/index.js';
import { acceptOnce, calendars, testClock, ticketing } from '../ticketing/fixtures.js';
import { dropSchemas } from '../support/postgres.js';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `spoc_assign_${randomBytes(6).toString('hex')}`;
const stores: Store[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  await dropSchemas(url, schema);
});

const teams = { 'service-desk': { members: ['A', 'B', 'C'], assignment: { policy: 'round_robin' as const, reservationMinutes: 5, capacity: 10, agents: {} } } };

describe('assignment with two spoc processes on one PostgreSQL, and a restart', () => {
  const clock = testClock('2026-03-02T10:00:00.000Z');
  const open = async () => {
    const store = await createStore({ kind: 'postgres', url, schema });
    stores.push(store);
    const t = ticketing(store, { now: clock.now });
    return { t, assigner: createAssigner({ store, ops: t.ops, teams, calendars, now: clock.now, logger: createLogger({ level: 'silent' }) }) };
  };

  it('places each ticket once, takes turns in commit order, and passes a lapsed offer on once, also after a restart', async () => {
    const [one, two] = await Promise.all([open(), open()]);
    const tickets = [];
    for (let i = 0; i < 6; i++) tickets.push((await acceptOnce(one.t, `k${i}`)).ticket);
    // Both processes run the assignment job of every ticket at the same moment.
    await Promise.all(tickets.flatMap((t) => [one.assigner.place(t.id, { fresh: true }), two.assigner.place(t.id, { fresh: true })]));
    const assigned = async (number: string) => (await one.t.service.get(number))!.events.filter((e) => e.type === 'assigned');
    const holders: string[] = [];
    for (const t of tickets) {
      const events = await assigned(t.number);
      expect(events).toHaveLength(1);
      holders.push(String(events[0]!.data.assignee));
    }
    expect(holders.filter((h) => h === 'slack:A')).toHaveLength(2);
    expect(holders.filter((h) => h === 'slack:B')).toHaveLength(2);
    expect(holders.filter((h) => h === 'slack:C')).toHaveLength(2);

    clock.set('2026-03-02T10:05:00.000Z');
    const counts = await Promise.all([one.assigner.sweep(), two.assigner.sweep()]);
    expect(counts[0]! + counts[1]!).toBe(6);
    for (const t of tickets) {
      const events = await assigned(t.number);
      expect(events).toHaveLength(2);
      expect(events[1]!.data).toMatchObject({ cause: 'reservation_lapsed', previousAssignee: events[0]!.data.assignee });
      expect(events[1]!.data.assignee).not.toBe(events[0]!.data.assignee);
    }

    // A restarted process finds the offers in the store: nothing is due again until they lapse.
    const restarted = await open();
    expect(await restarted.assigner.sweep()).toBe(0);
    clock.set('2026-03-02T10:10:00.000Z');
    expect(await restarted.assigner.sweep()).toBe(6);
    const third = await assigned(tickets[0]!.number);
    expect(third).toHaveLength(3);
    // Two members let it lapse: the third is the only one left.
    const lapsedBy = [third[0]!.data.assignee, third[1]!.data.assignee];
    expect(['slack:A', 'slack:B', 'slack:C'].filter((m) => !lapsedBy.includes(m))).toEqual([third[2]!.data.assignee]);
  });
});
