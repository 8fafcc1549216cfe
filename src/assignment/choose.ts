import type { AssignmentPolicy } from '../router/team-assignment-schema.js';

/** Why a member was passed over for this ticket. */
export type SkipReason = 'off_shift' | 'away' | 'let_lapse' | 'at_capacity';

export interface MemberState {
  member: string;
  /** Set when the member cannot take work now (shift, presence, or a reservation of this ticket they let lapse). */
  unavailable?: Exclude<SkipReason, 'at_capacity'>;
  /** Open tickets they hold (least_loaded). */
  load: number;
  capacity: number;
}

export interface Choice {
  member?: string;
  skipped: Array<{ member: string; why: SkipReason }>;
}

/** Members in turn order: the one after `last` first, so each gets the next ticket in turn. */
export function turnOrder(members: readonly string[], last: string | undefined): string[] {
  const at = last === undefined ? -1 : members.indexOf(last);
  return [...members.slice(at + 1), ...members.slice(0, at + 1)];
}

/**
 * Picks the member for a ticket. `round_robin`: the first available member in turn order.
 * `least_loaded`: the available member with the fewest open tickets below their capacity, ties broken
 * by turn order, so equal loads still rotate. Pure: the caller reads shifts, presence and loads.
 */
export function choose(policy: Exclude<AssignmentPolicy, 'claim'>, states: readonly MemberState[], last: string | undefined): Choice {
  const byMember = new Map(states.map((s) => [s.member, s]));
  const order = turnOrder(states.map((s) => s.member), last).map((m) => byMember.get(m)!);
  const skipped: Choice['skipped'] = [];
  let best: MemberState | undefined;
  for (const s of order) {
    if (s.unavailable) {
      skipped.push({ member: s.member, why: s.unavailable });
      continue;
    }
    if (policy === 'round_robin') return { member: s.member, skipped };
    if (s.load >= s.capacity) {
      skipped.push({ member: s.member, why: 'at_capacity' });
      continue;
    }
    if (!best || s.load < best.load) best = s;
  }
  return { ...(best ? { member: best.member } : {}), skipped };
}

const WHY: Record<SkipReason, string> = { off_shift: 'off shift', away: 'away', let_lapse: 'let the offer lapse', at_capacity: 'at capacity' };

/** The choice in words for the `assigned` event's reason. */
export function describe(policy: AssignmentPolicy, choice: Choice): string {
  const skipped = choice.skipped.map((s) => `${s.member} ${WHY[s.why]}`).join(', ');
  if (!choice.member) return `${policy}: nobody available${skipped ? ` (${skipped})` : ''}; the ticket waits with the team`;
  return `${policy}: ${choice.member}${skipped ? `; skipped ${skipped}` : ''}`;
}
