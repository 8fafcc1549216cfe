import { z } from 'zod';

/** A fixed-window rate limit per client IP. */
const rateLimitSchema = z.object({
  max: z.number().int().min(1).max(100_000),
  windowMs: z.number().int().min(1000).max(86_400_000).default(60_000),
});

/** gateway.yaml `channels.web:` — the public portal at `/`. Every field has a default, so an absent section works. */
export const webConfigSchema = z
  .object({
    /** The portal is public; a desk that only takes contacts through other channels switches it off. */
    enabled: z.boolean().default(true),
    /** The page's language when Accept-Language names neither Chinese nor English. */
    defaultLanguage: z.enum(['zh', 'en']).default('zh'),
    /** Shown in the page header. */
    title: z.object({ zh: z.string().min(1).max(100), en: z.string().min(1).max(100) }).prefault({
      zh: 'IT 服务台',
      en: 'IT Service Desk',
    }),
    attachments: z
      .object({
        maxFiles: z.number().int().min(0).max(20).default(5),
        maxFileBytes: z.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
      })
      .prefault({}),
    /** Page views per client IP: generous, since the page is cheap, but bounded like every public endpoint. */
    pageRateLimit: rateLimitSchema.prefault({ max: 120 }),
    /** Submissions per client IP: a form is filled by a person, so a low limit stops scripted floods. */
    submitRateLimit: rateLimitSchema.prefault({ max: 20 }),
    /** Status look-ups per client IP: low enough that ticket numbers cannot be probed. */
    statusRateLimit: rateLimitSchema.prefault({ max: 30 }),
  })
  .strict()
  .prefault({});
export type WebConfig = z.output<typeof webConfigSchema>;
