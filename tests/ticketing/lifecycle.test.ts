import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, TRANSITIONS } from '../../src/ticketing/lifecycle.js';
import { transition } from '../../src/ticketing/transition.js';
import { TICKET_STATUSES, type Ticket } from '../../src/ticketing/types.js';
import { calendars } from './fixtures.js';

const ticket = (over: Partial<Ticket> = {}): Ticket => ({
  id: 't1', number: 'INC-000001', type: 'incident', category: 'x', impact: 'low', urgency: 'low', priority: 'P4',
  tier: 'L1', team: 'service-desk', status: 'in_progress', subject: 's', channel: 'api', requesterId: 'r1',
  slaPolicy: 'p', calendar: '7x8', respondBy: '2026-03-02T10:30:00.000Z', resolveBy: '2026-03-02T17:00:00.000Z',
  tags: [], reason: 'r', createdAt: '2026-03-02T10:00:00.000Z', updatedAt: '2026-03-02T10:00:00.000Z', ...over,
});

describe('lifecycle table', () => {
  it('walks the main path and both reopen targets', () => {
    for (const [from, to] of [
      ['new', 'assigned'], ['assigned', 'in_progress'], ['in_progress', 'pending'], ['pending', 'in_progress'],
      ['in_progress', 'resolved'], ['resolved', 'closed'], ['resolved', 'in_progress'], ['closed', 'assigned'],
    ] as const) {
      expect(canTransition(from, to), `${from} → ${to}`).toBe(true);
    }
  });

  it('refuses leaving closed except by reopening, and closing anything unresolved', () => {
    for (const s of TICKET_STATUSES) expect(canTransition(s, 'closed')).toBe(s === 'resolved');
    expect(TRANSITIONS.closed).toEqual(['in_progress', 'assigned']);
    expect(() => assertTransition('pending', 'closed', 'INC-000001')).toThrow(/INC-000001: cannot go from pending to closed/);
  });
});

describe('SLA pause and resume', () => {
  const cal = calendars.get('7x8');

  it('does not move resolveBy when no business time passed while pending', () => {
    // Paused at 17:00 and resumed at 08:00 next day: the office was shut the whole time.
    const paused = transition(ticket(), 'pending', new Date('2026-03-02T17:00:00.000Z'), cal).ticket;
    const back = transition(paused, 'in_progress', new Date('2026-03-03T08:00:00.000Z'), cal);
    expect(back.ticket.resolveBy).toBe('2026-03-02T17:00:00.000Z');
    expect(back.data).toMatchObject({ pausedMinutes: 0 });
  });

  it('carries the paused minutes over closing time into the next business day', () => {
    const paused = transition(ticket(), 'pending', new Date('2026-03-02T16:30:00.000Z'), cal).ticket;
    const back = transition(paused, 'resolved', new Date('2026-03-02T16:50:00.000Z'), cal);
    // 20 minutes paused, added to a 17:00 due time: 09:20 the next day.
    expect(back.ticket).toMatchObject({ status: 'resolved', slaPausedAt: undefined, resolveBy: '2026-03-03T09:20:00.000Z' });
  });

  it('counts wall-clock minutes when the ticket calendar is gone from the config', () => {
    const paused = transition(ticket(), 'pending', new Date('2026-03-02T16:30:00.000Z'), undefined).ticket;
    const back = transition(paused, 'in_progress', new Date('2026-03-02T18:30:00.000Z'), undefined);
    expect(back.ticket.resolveBy).toBe('2026-03-02T19:00:00.000Z');
  });
});
