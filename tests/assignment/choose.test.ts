import { describe, expect, it } from 'vitest';
import { choose, describe as say, turnOrder, type MemberState } from '../../src/assignment/choose.js';

const m = (member: string, over: Partial<MemberState> = {}): MemberState => ({ member, load: 0, capacity: 5, ...over });

describe('choosing the agent', () => {
  it('turns start after the last member and wrap around', () => {
    expect(turnOrder(['A', 'B', 'C'], undefined)).toEqual(['A', 'B', 'C']);
    expect(turnOrder(['A', 'B', 'C'], 'B')).toEqual(['C', 'A', 'B']);
    expect(turnOrder(['A', 'B', 'C'], 'gone')).toEqual(['A', 'B', 'C']);
  });

  it('round robin takes the next available member and names whom it skipped', () => {
    const c = choose('round_robin', [m('A'), m('B', { unavailable: 'away' }), m('C', { unavailable: 'off_shift' }), m('D')], 'A');
    expect(c).toEqual({ member: 'D', skipped: [{ member: 'B', why: 'away' }, { member: 'C', why: 'off_shift' }] });
    expect(say('round_robin', c)).toBe('round_robin: D; skipped B away, C off shift');
  });

  it('least loaded takes the fewest open tickets below capacity; equal loads rotate', () => {
    expect(choose('least_loaded', [m('A', { load: 3 }), m('B', { load: 1 }), m('C', { load: 1, capacity: 1 })], undefined).member).toBe('B');
    expect(choose('least_loaded', [m('A', { load: 1 }), m('B', { load: 1 })], 'A').member).toBe('B');
    const full = choose('least_loaded', [m('A', { load: 2, capacity: 2 }), m('B', { unavailable: 'let_lapse' })], undefined);
    expect(full).toEqual({ skipped: [{ member: 'A', why: 'at_capacity' }, { member: 'B', why: 'let_lapse' }] });
    expect(say('least_loaded', full)).toContain('nobody available');
  });
});
