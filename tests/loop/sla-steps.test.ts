import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { slaLadder } from '../../src/ticketing/sla-ladder.js';
import { planSteps } from '../../src/ticketing/sla-plan.js';
import type { Ticket } from '../../src/ticketing/types.js';
import { configCopy } from '../support/process.js';

const ticket = (over: Partial<Ticket> = {}): Ticket => ({
  id: 't1', number: 'INC-000001', type: 'incident', category: 'x', impact: 'low', urgency: 'low', priority: 'P3', tier: 'L1',
  team: 'service-desk', status: 'new', subject: 's', channel: 'api', requesterId: 'r', slaPolicy: 'incident', calendar: '7x24',
  respondBy: '2026-03-02T10:40:00.000Z', resolveBy: '2026-03-02T14:00:00.000Z', tags: [], reason: 'r',
  createdAt: '2026-03-02T10:00:00.000Z', updatedAt: '2026-03-02T10:00:00.000Z', ...over,
});
const at = (iso: string) => new Date(iso);

describe('SLA step planning', () => {
  const ladder = slaLadder(undefined);

  it('owes the warning at 75% and names the breach as the next instant', () => {
    const plan = planSteps(ticket(), ladder, [], at('2026-03-02T10:31:00.000Z'));
    expect(plan.owed.map((o) => [o.clock, o.step.name, o.kind])).toEqual([['respond', 'warning', 'sla_warning']]);
    expect(plan.nextAt).toBe('2026-03-02T10:40:00.000Z');
  });

  it('passes over a warning whose clock is already past due, and owes nothing twice', () => {
    const late = at('2026-03-02T10:41:00.000Z');
    expect(planSteps(ticket(), ladder, [], late).owed.map((o) => o.step.name)).toEqual(['breach']);
    const taken = [{ clock: 'respond' as const, due: '2026-03-02T10:40:00.000Z', step: 'breach' }];
    expect(planSteps(ticket(), ladder, taken, late).owed).toEqual([]);
    // A due time moved later starts the ladder again.
    expect(planSteps(ticket({ respondBy: '2026-03-02T10:42:00.000Z' }), ladder, taken, late).owed.map((o) => o.step.name)).toEqual(['warning']);
  });

  it('runs no respond clock once responded and no resolve clock while pending', () => {
    const plan = planSteps(ticket({ status: 'pending', respondedAt: '2026-03-02T10:05:00.000Z' }), ladder, [], at('2026-03-02T20:00:00.000Z'));
    expect(plan).toEqual({ owed: [], nextAt: undefined });
  });

  it('takes a policy ladder from gateway.yaml, with steps past the due time and for one clock only', async () => {
    const dir = await configCopy((doc) => {
      doc.setIn(['sla', 'incident', 'steps'], [
        { name: 'warning', at: 0.5, do: ['card'] },
        { name: 'breach', at: 1, do: ['notify', 'manager'] },
        { name: 'late', at: 1.5, do: ['manager'], clocks: ['resolve'] },
      ]);
      doc.setIn(['sla', 'incident', 'escalation'], { teams: { L2: 'network' }, manager: 'dm' });
    });
    try {
      const own = slaLadder(loadConfig(dir).config.gateway.sla.incident);
      expect(own.escalation).toEqual({ teams: { L2: 'network' }, manager: 'dm' });
      const plan = planSteps(ticket({ respondedAt: '2026-03-02T10:05:00.000Z' }), own, [], at('2026-03-02T16:01:00.000Z'));
      expect(plan.owed.map((o) => [o.clock, o.step.name])).toEqual([['resolve', 'breach'], ['resolve', 'late']]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a ladder with a repeated step name or falling shares, naming the file and line', async () => {
    const dir = await configCopy((doc) => {
      doc.setIn(['sla', 'inquiry', 'steps'], [
        { name: 'warning', at: 0.75, do: ['card'] },
        { name: 'warning', at: 0.5, do: ['notify'] },
      ]);
    });
    try {
      expect(() => loadConfig(dir)).toThrow(/gateway\.yaml:\d+.*(used twice|rising share)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
