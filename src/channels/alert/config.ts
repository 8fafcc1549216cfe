import { z } from 'zod';

/** gateway.yaml `channels.alert:` — Alertmanager's webhook at `POST /alerts/alertmanager`. The token is ALERTMANAGER_TOKEN. */
export const alertConfigSchema = z
  .object({
    /** Who alert tickets are from: one requester for all of them, so they do not make a person each. */
    requester: z
      .object({ name: z.string().min(1).max(200).default('Alertmanager'), email: z.email().default('alertmanager@monitoring.invalid') })
      .prefault({}),
    /** Alertmanager batches a group's alerts into one request; larger requests are refused (413). */
    maxBodyBytes: z.number().int().min(1024).max(10 * 1024 * 1024).default(1024 * 1024),
    /** When every alert of a group has resolved: resolve its ticket, or only note it for the team. */
    onGroupResolved: z.enum(['resolve', 'note']).default('resolve'),
    /**
     * A group that fires again within this many minutes of its ticket's resolution is flapping: the ticket
     * reopens. Later, the group's next firing is a new outage and opens a new ticket.
     */
    reopenWindowMinutes: z.number().int().min(0).max(7 * 24 * 60).default(60),
  })
  .strict()
  .prefault({});
export type AlertConfig = z.output<typeof alertConfigSchema>;
