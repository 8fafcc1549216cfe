import type { SlackDeps } from './deps.js';

type Presence = 'active' | 'away' | 'unknown';

/**
 * users.getPresence for automatic assignment, cached per process for `ttlMs` (the method is rate-limited
 * per workspace, and a team's members are asked about on every ticket). A failed call answers `unknown`,
 * which never keeps a ticket from an agent: Slack being down must not stop assignment.
 */
export function createPresence(d: Pick<SlackDeps, 'client' | 'log'>, ttlMs = 30_000, now = () => Date.now()) {
  const cache = new Map<string, { presence: Presence; at: number }>();
  return async function presence(member: string): Promise<Presence> {
    const hit = cache.get(member);
    if (hit && now() - hit.at < ttlMs) return hit.presence;
    try {
      const res = await d.client.users.getPresence({ user: member });
      const value: Presence = res.presence === 'away' ? 'away' : res.presence === 'active' ? 'active' : 'unknown';
      cache.set(member, { presence: value, at: now() });
      return value;
    } catch (err) {
      d.log.warn({ member, err: (err as Error).message }, 'users.getPresence failed; treating the member as present');
      return 'unknown';
    }
  };
}
