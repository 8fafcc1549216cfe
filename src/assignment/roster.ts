import type { Person } from '../config/directory.js';
import type { TeamConfig } from '../router/config-schema.js';

/**
 * The teams with their members as gateway.yaml lists them plus the staff of directory.yaml who name the
 * team and have a Slack id, so a desk that keeps its staff in the directory need not list them twice.
 * Order is kept (gateway.yaml first): round robin goes through members in this order.
 */
export function staffedTeams<T extends Pick<TeamConfig, 'members'>>(teams: Record<string, T>, people: readonly Person[]): Record<string, T> {
  return Object.fromEntries(
    Object.entries(teams).map(([id, team]) => {
      const staff = people.filter((p) => p.role && p.team === id && p.slackUserId).map((p) => p.slackUserId as string);
      return [id, { ...team, members: [...new Set([...team.members, ...staff])] }];
    }),
  );
}

/**
 * What the start-up log says is missing: a team without members is worked by anyone in Slack (nobody is
 * locked out) and its automatic policy cannot place tickets until members are listed.
 */
export function rosterGaps(teams: Record<string, Pick<TeamConfig, 'members' | 'assignment'>>): Array<{ team: string; policy: string; missing: string }> {
  const gaps: Array<{ team: string; policy: string; missing: string }> = [];
  for (const [team, t] of Object.entries(teams)) {
    if (t.members.length > 0) continue;
    const policy = t.assignment.policy;
    gaps.push({
      team,
      policy,
      missing:
        policy === 'claim'
          ? 'no members: anyone in Slack may claim and answer its tickets'
          : `no members: ${policy} cannot place tickets (they wait for a claim), and anyone in Slack may claim and answer them`,
    });
  }
  return gaps;
}
