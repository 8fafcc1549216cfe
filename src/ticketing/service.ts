import type { Tier } from '../router/types.js';
import { SpocError } from '../shared/errors.js';
import type { Sql, Store } from './db/sql.js';
import type { LockedTicket, TicketOps } from './ops.js';
import { objection } from './auto-close-due.js';
import { insertMessage } from './messages.js';
import { escalateLocked, nextTierTeam, teamTier as tierOf } from './escalation.js';
import type { Actor, TicketService } from './service-types.js';
import { listTicketsPage } from './tickets-repo.js';
import { OPEN_STATUSES } from './types.js';
import type { Ticket, TicketEventType } from './types.js';

/** The slice of gateway.yaml escalation needs, injected so ticketing does not depend on the config loader. */
export interface Organisation {
  tiers: Record<Tier, { defaultTeam: string }>;
  teams: Record<string, { tier: Tier }>;
}

export interface TicketServiceDeps {
  store: Store;
  ops: TicketOps;
  org: Organisation;
  now: () => Date;
  /** What stops this SLA policy's respond clock (gateway.yaml `sla.<policy>.respondStops`); claim when absent. */
  respondStops?: (slaPolicy: string) => 'claim' | 'reply';
  /** After each committed action: its events may have written outbox jobs, so dispatch looks now. */
  onCommitted?: () => void;
}

const SYSTEM: Actor = { id: 'system', role: 'system' };

/** Agents' and channels' actions on tickets: each one transaction writing the ticket, its events and their jobs. */
export function createTicketService(deps: TicketServiceDeps): TicketService {
  const { store, ops, org } = deps;

  const teamTier = (team: string): Tier => tierOf(org, team);

  function requireOpen(ticket: Ticket, action: string): void {
    if (!OPEN_STATUSES.includes(ticket.status)) {
      throw new SpocError('invalid_transition', `${ticket.number}: cannot ${action} a ${ticket.status} ticket`, 409, { from: ticket.status, action });
    }
  }

  /** Runs one action on a locked ticket, by number, in one transaction. */
  async function act<T>(number: string, fn: (tx: Sql, ticket: LockedTicket) => Promise<T>): Promise<T> {
    const result = await store.withTx(async (tx) => fn(tx, await ops.lock(tx, { number })));
    deps.onCommitted?.();
    return result;
  }

  /** An event by `actor`, noting on whose key they acted when it was on someone's behalf. */
  function record(tx: Sql, ticket: Ticket, type: TicketEventType, actor: Actor, data: Record<string, unknown>) {
    return ops.recordEvent(tx, ticket, type, actor.id, actor.via ? { ...data, via: actor.via } : data);
  }

  async function closeLocked(tx: Sql, current: LockedTicket, actor: Actor, extra: Record<string, unknown>) {
    const { ticket, data } = await ops.move(tx, current, 'closed', { closedAt: deps.now().toISOString() });
    await record(tx, ticket, 'closed', actor, { ...data, ...extra });
    return ticket;
  }

  function detailOf(by: { id: string } | { number: string }) {
    return store.read(async (q) => {
      const ticket = await ops.findTicket(q, by);
      return ticket ? ops.detail(q, ticket) : undefined;
    });
  }

  return {
    get: (number) => detailOf({ number }),
    getById: (id) => detailOf({ id }),

    list: async (filter) => (await store.read((q) => listTicketsPage(q, filter, deps.now()))).tickets,
    page: (filter) => store.read((q) => listTicketsPage(q, filter, deps.now())),

    claim: (number, actor) =>
      act(number, async (tx, current) => {
        // Claiming is not reopening: a resolved or closed ticket must be reopened first.
        requireOpen(current, 'claim');
        if (current.status === 'in_progress') {
          if (current.assignee === actor.id) return current;
          throw new SpocError('already_claimed', `${number} is already claimed by ${current.assignee ?? 'someone'}`, 409);
        }
        // Claiming is the desk's response where the policy says so: the respond clock stops, no warning follows.
        const stopsRespond = !current.respondedAt && (deps.respondStops?.(current.slaPolicy) ?? 'claim') === 'claim';
        const patch: Partial<Ticket> = stopsRespond ? { assignee: actor.id, respondedAt: deps.now().toISOString() } : { assignee: actor.id };
        const { ticket, before, data } = await ops.move(tx, current, 'in_progress', patch);
        await record(tx, ticket, 'claimed', actor, { ...data, assignee: actor.id, previousAssignee: before.assignee });
        return ticket;
      }),

    reply: (number, actor, input) =>
      act(number, async (tx, current) => {
        const internal = input.internal === true;
        if (!internal && current.status === 'closed') {
          throw new SpocError('invalid_transition', `${number}: cannot reply on a closed ticket; reopen it first`, 409, { from: 'closed' });
        }
        let ticket = current;
        let data: Record<string, unknown> = {};
        if (!internal) {
          const patch: Partial<Ticket> = ticket.respondedAt ? {} : { respondedAt: deps.now().toISOString() };
          // Answering the requester starts the work: an unowned ticket becomes the replier's.
          if (ticket.status === 'new' || ticket.status === 'assigned') {
            ({ ticket, data } = await ops.move(tx, ticket, 'in_progress', { ...patch, assignee: ticket.assignee ?? actor.id }));
          } else if (patch.respondedAt) {
            ticket = await ops.save(tx, { ...ticket, ...patch });
          }
        }
        const message = await insertMessage(tx, {
          ticketId: ticket.id,
          direction: 'out',
          channel: ticket.channel,
          author: actor.id,
          body: input.body,
          internal,
          at: deps.now().toISOString(),
        });
        await record(tx, ticket, internal ? 'note' : 'replied_out', actor, { ...data, messageId: message.id, channel: ticket.channel });
        return { ticket, message };
      }),

    escalate: (number, actor, input) =>
      act(number, async (tx, current) => {
        requireOpen(current, 'escalate');
        const team = input.team ?? nextTierTeam(org, current);
        return escalateLocked(tx, ops, org, current, { team, actor: actor.id, data: { reason: input.reason, ...(actor.via ? { via: actor.via } : {}) } });
      }),

    reassign: (number, actor, input) =>
      act(number, async (tx, current) => {
        if (!input.team && !input.assignee) throw new SpocError('bad_request', 'reassign needs a team or an assignee', 400);
        requireOpen(current, 'reassign');
        const team = input.team ?? current.team;
        const patch: Partial<Ticket> = { team, tier: teamTier(team), assignee: input.assignee };
        const { ticket, before, data } = await ops.move(tx, current, 'assigned', patch);
        await record(tx, ticket, 'reassigned', actor, {
          ...data,
          fromTeam: before.team,
          toTeam: ticket.team,
          fromAssignee: before.assignee,
          toAssignee: ticket.assignee,
        });
        return ticket;
      }),

    setPending: (number, actor, input) =>
      act(number, async (tx, current) => {
        const { ticket, data } = await ops.move(tx, current, 'pending');
        await record(tx, ticket, 'status_changed', actor, { ...data, reason: input.reason });
        return ticket;
      }),

    resolve: (number, actor, input) =>
      act(number, async (tx, current) => {
        const { ticket, data } = await ops.move(tx, current, 'resolved', { resolvedAt: deps.now().toISOString() });
        await record(tx, ticket, 'resolved', actor, { ...data, resolution: input.resolution });
        return ticket;
      }),

    close: (number, actor) => act(number, (tx, current) => closeLocked(tx, current, actor, {})),

    autoClose: (number, resolvedBefore, data) =>
      act(number, async (tx, current) => {
        // Re-read under the lock: a reopen (or a new resolution) since the sweep listed it keeps it open,
        // and a second sweeper finds it closed already.
        const at = current.resolvedAt ? Date.parse(current.resolvedAt) : Number.POSITIVE_INFINITY;
        if (current.status !== 'resolved' || at > resolvedBefore.getTime()) return undefined;
        // A requester's reply since the sweep looked (taken under this same lock) holds it for an agent.
        if (objection((await ops.detail(tx, current)).events, current.resolvedAt!)) return undefined;
        return closeLocked(tx, current, SYSTEM, data);
      }),

    surveySent: (number, data) =>
      act(number, async (tx, ticket) => {
        // A retried send job finds its event written already.
        if ((await ops.detail(tx, ticket)).events.some((e) => e.type === 'survey_sent')) return;
        await record(tx, ticket, 'survey_sent', SYSTEM, data);
      }),

    reopen: (number, actor, input) => act(number, (tx, current) => ops.reopen(tx, current, actor.id, input.reason)),

    rate: (number, actor, input) =>
      act(number, async (tx, ticket) => {
        if (ticket.status !== 'resolved' && ticket.status !== 'closed') {
          throw new SpocError('not_resolved', `${number} is ${ticket.status}; only a resolved or closed ticket can be rated`, 409);
        }
        if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) {
          throw new SpocError('bad_request', 'score must be an integer from 1 to 5', 400);
        }
        // Under the lock, so two clicks of one survey link rate once.
        if (input.once && (await ops.detail(tx, ticket)).events.some((e) => e.type === 'rated')) {
          throw new SpocError('already_rated', `${number} has been rated already`, 409);
        }
        await record(tx, ticket, 'rated', actor, { score: input.score, comment: input.comment, ...(input.channel ? { channel: input.channel } : {}) });
        return ticket;
      }),
  };
}

