import type { TeamConfig } from '../../router/config-schema.js';
import type { Actor } from '../../ticketing/service-types.js';

/** The desk manager may act on every team's tickets. */
export const MANAGER_TEAM = 'desk-manager';

export type Teams = Record<string, Pick<TeamConfig, 'members' | 'name' | 'slackChannel' | 'tier'>>;

const isMember = (teams: Teams, team: string, userId: string) => teams[team]?.members.includes(userId) ?? false;

export function roleOf(teams: Teams, userId: string): Actor['role'] {
  if (isMember(teams, MANAGER_TEAM, userId)) return 'manager';
  return Object.values(teams).some((t) => t.members.includes(userId)) ? 'agent' : 'requester';
}

/**
 * Claim, resolve, reassign, escalate and answering the requester belong to the owning team and the desk
 * manager. A team with no members listed is open to anyone in Slack, so an unstaffed config never locks
 * agents out (the start-up log names such teams).
 */
export const mayWork = (teams: Teams, team: string, userId: string) =>
  isMember(teams, team, userId) || isMember(teams, MANAGER_TEAM, userId) || teams[team]?.members.length === 0;

export const actorFor = (teams: Teams, user: { id: string; name?: string }): Actor => ({
  id: `slack:${user.id}`,
  ...(user.name ? { name: user.name } : {}),
  role: roleOf(teams, user.id),
});

export const teamChoices = (teams: Teams) => Object.entries(teams).map(([id, t]) => ({ id, name: `${t.name} (${t.tier})` }));
