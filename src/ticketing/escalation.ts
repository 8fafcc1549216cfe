import type { Tier } from '../router/types.js';
import { SpocError } from '../shared/errors.js';
import type { Sql } from './db/sql.js';
import type { LockedTicket, TicketOps } from './ops.js';
import type { Organisation } from './service.js';
import type { Ticket } from './types.js';

/** The org's tier order: functional escalation goes one tier up. */
export const NEXT_TIER: Record<Tier, Tier | undefined> = { L1: 'L2', L2: 'L3', L3: undefined };

export function teamTier(org: Organisation, team: string): Tier {
  const t = Object.hasOwn(org.teams, team) ? org.teams[team] : undefined;
  if (!t) throw new SpocError('unknown_team', `unknown team ${team} (known: ${Object.keys(org.teams).join(', ')})`, 400);
  return t.tier;
}

/** The next tier's team: the one `byTier` names for it, else the tier's default team. */
export function nextTierTeam(org: Organisation, ticket: Pick<Ticket, 'number' | 'tier'>, byTier: Partial<Record<Tier, string>> = {}): string {
  const next = NEXT_TIER[ticket.tier];
  if (!next) throw new SpocError('no_higher_tier', `${ticket.number} is already at ${ticket.tier}; name a team`, 409);
  return byTier[next] ?? org.tiers[next].defaultTeam;
}

/** Moves a locked ticket to `team` (unassigned, back in the queue) and records `escalated` with `data` beside the move. */
export async function escalateLocked(
  tx: Sql,
  ops: TicketOps,
  org: Organisation,
  current: LockedTicket,
  input: { team: string; actor: string; data: Record<string, unknown> },
): Promise<LockedTicket> {
  const tier = teamTier(org, input.team);
  const { ticket, before, data } = await ops.move(tx, current, 'assigned', { team: input.team, tier, assignee: undefined });
  await ops.recordEvent(tx, ticket, 'escalated', input.actor, {
    ...data,
    fromTeam: before.team,
    toTeam: input.team,
    fromTier: before.tier,
    toTier: tier,
    ...input.data,
  });
  return ticket;
}
