import type { SlackDeps } from './deps.js';
import type { SlackProfile } from './normalise.js';

/**
 * What Slack (users.info) told us about people, cached per process. Listeners only read the cache: a
 * users.info call never sits in front of Slack's 3-second ack. A miss starts a lookup in the background
 * so the next contact has the name; the requester's profile itself is filled by the `slack.profile` job.
 */
export function createPeople(d: Pick<SlackDeps, 'client' | 'log'>) {
  const cache = new Map<string, SlackProfile>();
  const pending = new Map<string, Promise<SlackProfile>>();

  async function fetchProfile(userId: string): Promise<SlackProfile> {
    const res = await d.client.users.info({ user: userId });
    const u = res.user;
    const name = u?.profile?.real_name || u?.real_name || u?.name;
    const profile: SlackProfile = { ...(name ? { name } : {}), ...(u?.profile?.email ? { email: u.profile.email } : {}) };
    cache.set(userId, profile);
    return profile;
  }

  /** One users.info at a time per person, however many callers ask. */
  function lookup(userId: string): Promise<SlackProfile> {
    const hit = cache.get(userId);
    if (hit) return Promise.resolve(hit);
    let p = pending.get(userId);
    if (!p) {
      p = fetchProfile(userId).finally(() => pending.delete(userId));
      pending.set(userId, p);
    }
    return p;
  }

  /** The cached profile, or undefined after starting a background lookup (its failure is only logged). */
  function cached(userId: string): SlackProfile | undefined {
    const hit = cache.get(userId);
    if (!hit) lookup(userId).catch((err: unknown) => d.log.warn({ userId, err: (err as Error).message }, 'users.info failed'));
    return hit;
  }

  return {
    cached,
    /** Name for actors on agent actions, from the cache only. */
    name: (userId: string) => cached(userId)?.name,
    /** users.info through the cache; throws the Web API error, for jobs that retry. */
    lookup,
  };
}
export type People = ReturnType<typeof createPeople>;
