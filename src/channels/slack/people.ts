import type { SlackDeps } from './deps.js';
import type { SlackProfile } from './normalise.js';

/**
 * Looks people up in Slack (users.info) at most once per process. A failed lookup is not fatal: the
 * ticket is still made, with the Slack id as the requester's identity.
 */
export function createPeople(d: Pick<SlackDeps, 'client' | 'log' | 'ctx'>) {
  const cache = new Map<string, SlackProfile>();

  async function lookup(userId: string): Promise<SlackProfile> {
    const hit = cache.get(userId);
    if (hit) return hit;
    try {
      const res = await d.client.users.info({ user: userId });
      const u = res.user;
      const profile: SlackProfile = {
        ...((u?.profile?.real_name || u?.real_name || u?.name) ? { name: u?.profile?.real_name || u?.real_name || u?.name } : {}),
        ...(u?.profile?.email ? { email: u.profile.email } : {}),
      };
      cache.set(userId, profile);
      return profile;
    } catch (err) {
      d.log.warn({ userId, err: (err as Error).message }, 'users.info failed');
      return {};
    }
  }

  return {
    /** Name for actors on agent actions. */
    name: async (userId: string) => (await lookup(userId)).name,
    /** Name and email for a requester the directory does not know yet (first contact); nothing for a known one. */
    async firstContact(userId: string): Promise<SlackProfile | undefined> {
      if (await d.ctx.directory.find({ slackUserId: userId })) return undefined;
      return lookup(userId);
    },
  };
}
export type People = ReturnType<typeof createPeople>;
