import { AFFECTED_KEY, type AnnouncementStore } from '../channels/twilio/announcement.js';
import type { DispatchRegistry, Job } from '../dispatch/types.js';
import { PermanentJobError, SpocError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Store, TicketOps } from '../ticketing/index.js';
import { enqueueJobs } from '../ticketing/outbox.js';
import type { TicketService } from '../ticketing/service-types.js';
import { OPEN_STATUSES } from '../ticketing/types.js';
import type { Incidents } from './incidents.js';
import { childrenOf, claimEffect, incidentOf } from './repo.js';
import { say } from './texts.js';

export const BROADCAST_JOB = 'incident.broadcast';
export const RELAY_JOB = 'incident.relay';
export const RESOLVE_CHILDREN_JOB = 'incident.resolve-children';
export const ANNOUNCE_JOB = 'incident.announce';

/** The announcement lasts while the incident is open; this is the store's own upper bound, renewed by each update. */
const ANNOUNCEMENT_MS = 7 * 86_400_000 - 60_000;

export interface IncidentJobDeps {
  store: Store;
  ops: TicketOps;
  tickets: TicketService;
  incidents: Incidents;
  /** The IVR's notice; absent when the voice channel is off. */
  announcements?: AnnouncementStore;
  logger: Logger;
  now?: () => Date;
}

/**
 * The parent's jobs. Every parent is an `api` ticket (src/incidents/incidents.ts), so these subscriptions
 * fire only for API tickets, and do nothing for those that are no incident:
 * - `incident.broadcast` on a public reply to the parent: one `incident.relay` job per child, keyed by
 *   the update and the child, so a retried or restarted broadcast enqueues nobody twice;
 * - `incident.relay`: the update, framed in the child's language, as a reply on the child (its own
 *   channel delivers it), written with the relay's effect in one transaction: exactly once per child;
 * - `incident.resolve-children` when the parent resolves: each open child resolved with the parent's
 *   resolution, through the usual resolve (so each requester is asked to confirm); the IVR notice stops;
 * - `incident.announce` when it is declared: the IVR plays the notice, with a key to be added as affected.
 */
export function registerIncidentJobs(registry: DispatchRegistry, deps: IncidentJobDeps): void {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'incidents' });

  async function parentEvent(job: Job) {
    const incident = await deps.incidents.incident(job.ticketId);
    if (!incident) return undefined;
    const detail = await deps.tickets.getById(job.ticketId);
    if (!detail) throw new PermanentJobError(`ticket ${job.ticketId} not found`);
    const event = detail.events.find((e) => e.id === job.eventId);
    if (!event) throw new PermanentJobError(`event ${job.eventId} not found on ${detail.ticket.number}`);
    return { incident, detail, event };
  }

  registry.register(BROADCAST_JOB, async (job) => {
    const found = await parentEvent(job);
    if (!found) return;
    const message = found.detail.messages.find((m) => m.id === found.event.data.messageId);
    if (!message || message.internal) return;
    await deps.store.withTx(async (tx) => {
      const children = await childrenOf(tx, job.ticketId);
      await enqueueJobs(
        tx,
        children.map((c) => ({
          type: RELAY_JOB,
          key: `${RELAY_JOB}:${job.eventId}:${c.childId}`,
          ticketId: c.childId,
          eventId: job.eventId,
          payload: { parent: found.incident.number, messageId: message.id },
          runAt: now().toISOString(),
        })),
      );
      log.info({ ticket: found.incident.number, children: children.length }, 'incident update broadcast');
    });
    await renewAnnouncement(found.incident.number);
  });
  registry.subscribe({ jobType: BROADCAST_JOB, events: ['replied_out'], channels: ['api'] });

  registry.register(RELAY_JOB, async (job) => {
    const parent = String(job.payload.parent);
    const parentDetail = await deps.tickets.get(parent);
    const update = parentDetail?.messages.find((m) => m.id === job.payload.messageId);
    if (!update) throw new PermanentJobError(`update ${String(job.payload.messageId)} of ${parent} not found`);
    await deps.store.withTx(async (tx) => {
      if (!(await claimEffect(tx, job.key, { parent }, now()))) return;
      const child = await deps.ops.lock(tx, { id: job.ticketId });
      // A requester whose ticket was closed since is not written to again.
      if (child.status === 'closed') return;
      await deps.incidents.tell(tx, child, say('update', child.language ?? 'en', { parent, body: update.body }), { incident: parent, kind: 'update', update: job.eventId });
    });
  });

  registry.register(RESOLVE_CHILDREN_JOB, async (job) => {
    const found = await parentEvent(job);
    if (!found) return;
    const resolution = String(found.event.data.resolution ?? '');
    const actor = { id: `incident:${found.incident.number}`, name: found.incident.number, role: 'system' as const };
    let resolved = 0;
    for (const child of await deps.incidents.children(job.ticketId)) {
      const current = await deps.tickets.getById(child.childId);
      if (!current || !OPEN_STATUSES.includes(current.ticket.status)) continue;
      try {
        await deps.tickets.resolve(child.number, actor, { resolution });
        resolved++;
      } catch (err) {
        // A child moved meanwhile (resolved by an agent): the others still resolve.
        if (!(err instanceof SpocError) || err.status >= 500) throw err;
        log.info({ ticket: child.number, code: err.code }, 'child not resolved with its incident');
      }
    }
    log.info({ ticket: found.incident.number, resolved }, 'incident resolved with its children');
    const notice = await deps.announcements?.current(now());
    if (notice?.incident === found.incident.number) await deps.announcements!.clear();
  });
  registry.subscribe({ jobType: RESOLVE_CHILDREN_JOB, events: ['resolved'], channels: ['api'] });

  async function renewAnnouncement(number: string): Promise<void> {
    if (!deps.announcements) return;
    const incident = await deps.incidents.byNumber(number);
    if (!OPEN_STATUSES.includes(incident.status as (typeof OPEN_STATUSES)[number])) return;
    const current = await deps.announcements.current(now());
    // An admin's own notice is theirs: an incident does not talk over it.
    if (current && current.incident !== number) return;
    const at = now();
    const name = deps.incidents.serviceName(incident);
    await deps.announcements.set({ zh: say('announcement', 'zh', { service: name.zh, key: AFFECTED_KEY }), en: say('announcement', 'en', { service: name.en, key: AFFECTED_KEY }), expiresAt: new Date(at.getTime() + ANNOUNCEMENT_MS).toISOString(), incident: number }, at);
  }

  registry.register(ANNOUNCE_JOB, async (job) => {
    const found = await deps.store.read((q) => incidentOf(q, job.ticketId));
    if (found) await renewAnnouncement(found.number);
  });
  registry.subscribe({ jobType: ANNOUNCE_JOB, events: ['incident_declared'] });
}
