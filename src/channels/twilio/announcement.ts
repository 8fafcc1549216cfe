import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { SpocError } from '../../shared/errors.js';
import type { ChannelState } from '../types.js';
import { errorResponses } from '../../http/api/schemas.js';

const KEY = 'twilio:announcement';
/** The key a caller presses during a major incident's announcement to be added as affected. */
export const AFFECTED_KEY = '9';
/** Long enough for an outage, short enough that a forgotten notice does not play for days. */
const MAX_DURATION_MS = 7 * 86_400_000;

export const announcementSchema = z.strictObject({
  zh: z.string().trim().min(1).max(500),
  en: z.string().trim().min(1).max(500),
  expiresAt: z.string().datetime({ offset: true }),
});
/** `incident`: set when a major incident plays it (src/incidents), whose callers may press a key to be added. */
export type Announcement = z.output<typeof announcementSchema> & { incident?: string };

/**
 * The major-incident notice callers hear before the menu. It lives in the channel state, so every
 * `spoc serve` instance plays the same notice, and it ends by itself at `expiresAt`.
 */
export interface AnnouncementStore {
  /** The notice playing now, if any. */
  current(now?: Date): Promise<Announcement | undefined>;
  set(a: Announcement, now?: Date): Promise<Announcement>;
  clear(): Promise<void>;
}

export function createAnnouncementStore(state: ChannelState): AnnouncementStore {
  return {
    async current(now = new Date()) {
      const a = await state.get<Announcement | null>(KEY);
      return a && Date.parse(a.expiresAt) > now.getTime() ? a : undefined;
    },
    async set(a, now = new Date()) {
      const expires = Date.parse(a.expiresAt);
      if (expires <= now.getTime()) throw new SpocError('invalid_request', 'expiresAt must be in the future', 400);
      if (expires - now.getTime() > MAX_DURATION_MS) throw new SpocError('invalid_request', 'expiresAt must be within 7 days', 400);
      await state.set(KEY, a);
      return a;
    },
    async clear() {
      // ChannelState has no delete: null is "no notice".
      await state.set(KEY, null);
    },
  };
}

const ANSWER = {
  type: 'object',
  required: ['announcement'],
  properties: {
    announcement: { type: ['object', 'null'], properties: { zh: { type: 'string' }, en: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } } },
  },
} as const;

/**
 * `PUT /announcement` ({ zh, en, expiresAt }) and `DELETE /announcement`. The lead registers it under
 * the admin prefix behind admin authentication: `app.register(announcementRoutes(store), { prefix: '/api/v1/admin' })`.
 */
export function announcementRoutes(store: AnnouncementStore): FastifyPluginAsync {
  return async (app) => {
    app.get('/announcement', { schema: { tags: ['admin'], summary: 'The announcement playing now (null when none)', response: { 200: ANSWER, ...errorResponses(401, 403) } } }, async () => ({ announcement: (await store.current()) ?? null }));
    app.put('/announcement', { schema: { tags: ['admin'], summary: 'Play an announcement before the IVR menu until it expires', response: { 200: ANSWER, ...errorResponses(400, 401, 403) } } }, async (req) => {
      const parsed = announcementSchema.safeParse(req.body);
      if (!parsed.success) throw new SpocError('invalid_request', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), 400);
      return { announcement: await store.set(parsed.data) };
    });
    app.delete('/announcement', { schema: { tags: ['admin'], summary: 'Stop the announcement', response: { 204: { type: 'null', description: 'Stopped' }, ...errorResponses(401, 403) } } }, async (_req, reply) => {
      await store.clear();
      return reply.status(204).send();
    });
  };
}
