import { describe, expect, it } from 'vitest';
import { actorFor, mayWork, roleOf, type Teams } from '../../../src/channels/slack/permissions.js';

const teams: Teams = {
  network: { tier: 'L2', name: 'Network', slackChannel: 'C1', members: ['UNET'] },
  apps: { tier: 'L3', name: 'Apps', slackChannel: 'C2', members: ['UAPP'] },
  'desk-manager': { tier: 'L1', name: 'Desk manager', members: ['UBOSS'] },
  unstaffed: { tier: 'L2', name: 'Unstaffed', slackChannel: 'C3', members: [] },
};

describe('who may work a ticket', () => {
  it('the owning team and the desk manager, nobody else', () => {
    expect(mayWork(teams, 'network', 'UNET')).toBe(true);
    expect(mayWork(teams, 'network', 'UBOSS')).toBe(true);
    expect(mayWork(teams, 'network', 'UAPP')).toBe(false);
    expect(mayWork(teams, 'network', 'USTRANGER')).toBe(false);
    expect(mayWork(teams, 'no-such-team', 'UNET')).toBe(false);
  });

  it('a team with no members listed is open to anyone, so an unstaffed config locks nobody out', () => {
    expect(mayWork(teams, 'unstaffed', 'USTRANGER')).toBe(true);
  });

  it('names the actor by Slack id with the role their membership gives', () => {
    expect(roleOf(teams, 'UBOSS')).toBe('manager');
    expect(roleOf(teams, 'UAPP')).toBe('agent');
    expect(roleOf(teams, 'USTRANGER')).toBe('requester');
    expect(actorFor(teams, { id: 'UNET', name: 'Wang Fang' })).toEqual({ id: 'slack:UNET', name: 'Wang Fang', role: 'agent' });
  });
});
