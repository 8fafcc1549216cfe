import type { IntakeRecord } from '../intake/record.js';
import { addBusinessMinutes, type Router } from '../router/index.js';
import type { ServiceConfig } from '../router/services.js';
import { notFound, SpocError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Sql, Store, TicketOps, RouteDecisionLike } from '../ticketing/index.js';
import { insertMessage } from '../ticketing/messages.js';
import type { Actor } from '../ticketing/service-types.js';
import { OPEN_STATUSES, type Ticket } from '../ticketing/types.js';
import { childrenOf, deleteChild, incidentOf, insertChild, insertIncident, lockStorm, openIncidentFor, openIncidents, parentOf, unlinkedSince, type IncidentRow } from './repo.js';
import { say, type Lang } from './texts.js';

/** The ticket type of fault reports (gateway.yaml `types`): only these make storms and become children. */
export const INCIDENT_TYPE = 'incident';

/** Who the parent ticket is from: one requester for every major incident, with no address to write to. */
const PARENT_REQUESTER = 'system:major-incident';

export interface DeclareInput {
  /** The catalogue's service id; defaults to the ticket's service. */
  service?: string;
  /** A ticket the incident is declared on: it becomes the first child. */
  ticket?: string;
  /** The parent's subject; defaults to "Major incident: <service>". */
  title?: string;
}

export interface Relations {
  /** The parent's number, on a child. */
  parent?: string;
  /** The children's numbers, on a parent. */
  children?: string[];
}

export interface IncidentsDeps {
  store: Store;
  ops: TicketOps;
  router: Router;
  logger: Logger;
  now?: () => Date;
  /** After each commit of the module's own: its events wrote outbox jobs, so dispatch looks now. */
  onCommitted?: () => void;
}

/**
 * Major incidents: a parent ticket (P1, owned by the service's team) with the contacts about the outage
 * linked as its children. Intake calls `afterCreate` inside its transaction, so a contact about a
 * service with an open incident is a child from its first commit, and the contact that completes a storm
 * declares the incident with every contact of the storm as a child.
 */
export function createIncidents(deps: IncidentsDeps) {
  const { store, ops, router } = deps;
  const now = deps.now ?? (() => new Date());
  const catalogue = router.services;
  const log = deps.logger.child({ component: 'incidents' });

  /** The parent's route: P1 (high impact, high urgency) for the service's team, with P1's SLA targets. */
  function parentDecision(team: string, service: string | undefined, why: string, at: Date): RouteDecisionLike {
    const gw = router.gateway;
    const type = gw.types.get(INCIDENT_TYPE);
    const teamCfg = gw.teams.get(team);
    if (!type || !teamCfg) throw new SpocError('config_invalid', `major incidents need the ${INCIDENT_TYPE} type and team ${team}`, 500);
    const policy = gw.sla.get(type.sla)!;
    const target = policy.byPriority?.P1;
    const calendarId = target?.calendar ?? policy.calendar;
    const calendar = gw.calendars.get(calendarId)!;
    return {
      type: INCIDENT_TYPE,
      category: 'major-incident',
      ...(service ? { service } : {}),
      impact: 'high',
      urgency: 'high',
      priority: 'P1',
      tier: teamCfg.tier,
      team,
      slaPolicy: type.sla,
      calendar: calendarId,
      respondBy: addBusinessMinutes(calendar, at, target?.respond ?? policy.respond).toISOString(),
      resolveBy: addBusinessMinutes(calendar, at, target?.resolve ?? policy.resolve).toISOString(),
      tags: ['major-incident'],
      trace: [{ rule: '@major-incident', description: 'a major incident is P1 for the service’s team', matched: [why], set: { priority: 'P1', team } }],
      reason: `major incident → P1 ${teamCfg.tier}/${team}`,
    };
  }

  function serviceNamed(id: string): ServiceConfig {
    const service = catalogue?.get(id);
    if (!service) throw new SpocError('unknown_service', `unknown service ${id} (config/services.yaml)`, 400);
    return service;
  }

  /** Links a child and tells its requester, on their channel, which known incident it belongs to. */
  async function link(tx: Sql, parent: Pick<IncidentRow, 'ticketId' | 'number' | 'subject'>, child: Ticket, actor: string, reason: string): Promise<void> {
    if (child.id === parent.ticketId) throw new SpocError('invalid_link', `${child.number} is the incident itself`, 409);
    if (await incidentOf(tx, child.id)) throw new SpocError('invalid_link', `${child.number} is a major incident; it cannot be a child`, 409);
    const at = now();
    if (!(await insertChild(tx, { parentId: parent.ticketId, childId: child.id, reason, linkedBy: actor, at }))) {
      const other = await parentOf(tx, child.id);
      throw new SpocError('already_linked', `${child.number} is a child of ${other?.number ?? 'another incident'} already`, 409, { parent: other?.number });
    }
    await ops.recordEvent(tx, child, 'incident_linked', actor, { parent: parent.number, reason });
    const parentTicket = await ops.findTicket(tx, { id: parent.ticketId });
    await ops.recordEvent(tx, parentTicket!, 'incident_linked', actor, { child: child.number, reason });
    const lang: Lang = child.language ?? 'en';
    await tell(tx, child, say('childAck', lang, { child: child.number, parent: parent.number, subject: parent.subject }), { incident: parent.number, kind: 'ack' });
  }

  /** A message to a child's requester: a `replied_out` from the system, delivered by the child's channel. */
  async function tell(tx: Sql, child: Ticket, body: string, data: Record<string, unknown>): Promise<void> {
    const message = await insertMessage(tx, { ticketId: child.id, direction: 'out', channel: child.channel, author: 'system', body, internal: false, at: now().toISOString() });
    await ops.recordEvent(tx, child, 'replied_out', 'system', { messageId: message.id, channel: child.channel, ...data });
  }

  async function declareInTx(tx: Sql, input: { service?: ServiceConfig; team: string; title?: string; actor: string; reason: string; children: Ticket[] }): Promise<Ticket> {
    const at = now();
    const name = input.service ? `${input.service.name.en}` : input.children[0]?.subject ?? 'service';
    const zhName = input.service ? input.service.name.zh : name;
    const subject = input.title ?? `${say('parentSubject', 'en', { service: name })} / ${say('parentSubject', 'zh', { service: zhName })}`;
    const requester = await ops.upsertRequester(tx, PARENT_REQUESTER, { name: 'Major incident / 重大故障' });
    const { ticket } = await ops.createTicket(tx, {
      decision: parentDecision(input.team, input.service?.id, input.reason, at),
      subject,
      channel: 'api',
      requester,
      actor: input.actor,
      firstMessage: { channel: 'api', body: `${say('parentBody', 'en', { why: input.reason })}\n\n${say('parentBody', 'zh', { why: input.reason })}`, author: input.actor },
    });
    await insertIncident(tx, { ticketId: ticket.id, service: input.service?.id, declaredBy: input.actor, reason: input.reason, at });
    await ops.recordEvent(tx, ticket, 'incident_declared', input.actor, { service: input.service?.id, reason: input.reason, children: input.children.map((c) => c.number) });
    const parent = { ticketId: ticket.id, number: ticket.number, subject };
    for (const child of input.children) await link(tx, parent, child, input.actor, `declared with the incident: ${input.reason}`);
    log.info({ ticket: ticket.number, service: input.service?.id, children: input.children.length, actor: input.actor }, 'major incident declared');
    return ticket;
  }

  async function withCommit<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const result = await store.withTx(fn);
    deps.onCommitted?.();
    return result;
  }

  async function lockedIncident(tx: Sql, number: string): Promise<{ ticket: Ticket; incident: IncidentRow }> {
    const ticket = await ops.lock(tx, { number });
    const incident = await incidentOf(tx, ticket.id);
    if (!incident) throw new SpocError('not_an_incident', `${number} is not a major incident`, 404);
    return { ticket, incident };
  }

  return {
    /**
     * Intake's hook, in the contact's transaction, for a ticket it has just created: a contact the caller
     * tied to an incident (`meta.incident`) or about a service whose incident is open becomes a child; the
     * contact that completes a storm declares the incident.
     */
    async afterCreate(tx: Sql, ticket: Ticket, record: Pick<IntakeRecord, 'meta'>): Promise<void> {
      const named = record.meta?.incident;
      if (named) {
        const parentTicket = await ops.findTicket(tx, { number: named });
        const incident = parentTicket && (await incidentOf(tx, parentTicket.id));
        if (incident && OPEN_STATUSES.includes(parentTicket.status as Ticket['status'])) {
          await link(tx, incident, ticket, 'system', `the caller asked to be added to ${incident.number}`);
          return;
        }
      }
      if (!ticket.service || ticket.type !== INCIDENT_TYPE || !catalogue?.get(ticket.service)) return;
      const at = now();
      await lockStorm(tx, ticket.service, at);
      const open = await openIncidentFor(tx, ticket.service);
      if (open) {
        await link(tx, open, ticket, 'system', `about ${ticket.service} while major incident ${open.number} is open`);
        return;
      }
      const storm = catalogue.storm(ticket.service);
      const recent = await unlinkedSince(tx, ticket.service, INCIDENT_TYPE, new Date(at.getTime() - storm.minutes * 60_000));
      if (recent.length < storm.contacts) return;
      const children: Ticket[] = [];
      for (const r of recent) children.push(r.id === ticket.id ? ticket : await ops.lock(tx, { id: r.id }));
      const service = catalogue.get(ticket.service)!;
      await declareInTx(tx, { service, team: service.team, actor: 'system', reason: `storm: ${recent.length} contacts about ${service.id} within ${storm.minutes} minutes (threshold ${storm.contacts})`, children });
    },

    /** An agent declares one, about a service or on a ticket (which becomes its first child). */
    declare(input: DeclareInput, actor: Actor): Promise<Ticket> {
      return withCommit(async (tx) => {
        const on = input.ticket ? await ops.lock(tx, { number: input.ticket }) : undefined;
        if (on && (await incidentOf(tx, on.id))) throw new SpocError('invalid_link', `${on.number} is a major incident already`, 409);
        const serviceId = input.service ?? on?.service;
        if (!serviceId && !on) throw new SpocError('bad_request', 'name a service or a ticket', 400);
        const service = serviceId ? serviceNamed(serviceId) : undefined;
        if (service) {
          await lockStorm(tx, service.id, now());
          const open = await openIncidentFor(tx, service.id);
          if (open) throw new SpocError('incident_open', `${open.number} is the open major incident about ${service.id}; link tickets to it`, 409, { incident: open.number });
        }
        const reason = `declared by ${actor.id}${on ? ` on ${on.number}` : ''}`;
        return declareInTx(tx, { service, team: service?.team ?? on!.team, title: input.title, actor: actor.id, reason, children: on ? [on] : [] });
      });
    },

    link(parentNumber: string, childNumber: string, actor: Actor, reason?: string): Promise<Ticket> {
      return withCommit(async (tx) => {
        const { ticket, incident } = await lockedIncident(tx, parentNumber);
        if (!OPEN_STATUSES.includes(ticket.status)) throw new SpocError('invalid_transition', `${parentNumber} is ${ticket.status}; reopen it to link tickets`, 409);
        const child = await ops.lock(tx, { number: childNumber });
        await link(tx, incident, child, actor.id, reason ?? `linked by ${actor.id}`);
        return child;
      });
    },

    unlink(parentNumber: string, childNumber: string, actor: Actor): Promise<Ticket> {
      return withCommit(async (tx) => {
        const { ticket } = await lockedIncident(tx, parentNumber);
        const child = await ops.lock(tx, { number: childNumber });
        if (!(await deleteChild(tx, ticket.id, child.id))) throw new SpocError('not_linked', `${childNumber} is not a child of ${parentNumber}`, 404);
        await ops.recordEvent(tx, child, 'incident_unlinked', actor.id, { parent: parentNumber });
        await ops.recordEvent(tx, ticket, 'incident_unlinked', actor.id, { child: childNumber });
        return child;
      });
    },

    /** `parent` on a child, `children` on a parent (the ticket API's answer shows them). */
    relations(ticketId: string): Promise<Relations> {
      return store.read(async (q) => {
        const [parent, incident] = await Promise.all([parentOf(q, ticketId), incidentOf(q, ticketId)]);
        return {
          ...(parent ? { parent: parent.number } : {}),
          ...(incident ? { children: (await childrenOf(q, ticketId)).map((c) => c.number) } : {}),
        };
      });
    },

    open: () => store.read(openIncidents),
    /** What the incident is about, for people: the service's name in each language, else its subject. */
    serviceName(incident: Pick<IncidentRow, 'service' | 'subject'>): { zh: string; en: string } {
      const service = incident.service ? catalogue?.get(incident.service) : undefined;
      return service ? service.name : { zh: incident.subject, en: incident.subject };
    },
    incident: (ticketId: string) => store.read((q) => incidentOf(q, ticketId)),
    children: (ticketId: string) => store.read((q) => childrenOf(q, ticketId)),
    tell,
    /** The incident by its number, whatever its status; not found when the ticket is no incident. */
    async byNumber(number: string): Promise<IncidentRow> {
      const found = await store.read(async (q) => {
        const t = await ops.findTicket(q, { number });
        return t ? incidentOf(q, t.id) : undefined;
      });
      if (!found) throw notFound('major incident', number);
      return found;
    },
  };
}

export type Incidents = ReturnType<typeof createIncidents>;
