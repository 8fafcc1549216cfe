import { describe, expect, it } from 'vitest';
import { rosterGaps, staffedTeams } from '../../src/assignment/roster.js';
import { personSchema } from '../../src/config/directory.js';

const assignment = (policy: 'claim' | 'round_robin') => ({ policy, reservationMinutes: 5, capacity: 10, agents: {} });

describe('team rosters', () => {
  it('adds directory staff with a Slack id to their team, after the listed members, once', () => {
    const people = [
      personSchema.parse({ name: 'Han Mei', email: 'han@example.com', slackUserId: 'U2', role: 'agent', team: 'desk' }),
      personSchema.parse({ name: 'Dup', email: 'dup@example.com', slackUserId: 'U1', role: 'agent', team: 'desk' }),
      personSchema.parse({ name: 'No Slack', email: 'ns@example.com', role: 'agent', team: 'desk' }),
      personSchema.parse({ name: 'Requester', email: 'r@example.com', slackUserId: 'U9', team: 'desk' }),
    ];
    const teams = staffedTeams({ desk: { members: ['U1'], assignment: assignment('round_robin') } }, people);
    expect(teams.desk!.members).toEqual(['U1', 'U2']);
  });

  it('names every team without members, and what that means for its policy', () => {
    const gaps = rosterGaps({ desk: { members: [], assignment: assignment('round_robin') }, net: { members: [], assignment: assignment('claim') }, ok: { members: ['U1'], assignment: assignment('round_robin') } });
    expect(gaps.map((g) => g.team)).toEqual(['desk', 'net']);
    expect(gaps[0]!.missing).toContain('round_robin cannot place tickets');
    expect(gaps[1]!.missing).toContain('anyone in Slack may claim');
  });
});
