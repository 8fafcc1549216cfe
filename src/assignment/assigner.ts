import type { DispatchRegistry } from '../dispatch/types.js';
import type { BusinessCalendar } from '../router/calendar.js';
import type { TeamConfig } from '../router/config-schema.js';
import type { Logger } from '../shared/logger.js';
import type { Sql, Store } from '../ticketing/db/sql.js';
import type { LockedTicket, TicketOps } from '../ticketing/ops.js';
import { every, type Periodic } from '../ticketing/periodic.js';
import { choose, describe, type MemberState } from './choose.js';
import { dropOffer, dueOffers, getOffer, lastInTurn, movedSince, openLoads, putOffer, setLastInTurn, type Offer } from './offers.js';

/** What a member's presence is, as the chat tool (Slack's users.getPresence) says; `unknown` never blocks. */
export type Presence = (member: string) => Promise<'active' | 'away' | 'unknown'>;

/** Members are Slack user ids; tickets name their assignee as the actor who would claim it. */
export const assigneeOf = (member: string) => `slack:${member}`;
const memberOf = (assignee: string) => (assignee.startsWith('slack:') ? assignee.slice(6) : assignee);

/** The `assigned` event's `cause` when an offer lapsed and the ticket passed on: reports count it as a reassignment. */
export const LAPSED_CAUSE = 'reservation_lapsed';

/** How soon a ticket that found nobody is tried again: a shift may begin, someone may come back. */
const NOBODY_RETRY_MS = 60_000;

/** Events after which a ticket may need an agent: a new ticket, a move to another team, a reopen. */
export const PLACING_EVENTS = ['created', 'escalated', 'reassigned', 'reopened'] as const;

export interface AssignerDeps {
  store: Store;
  ops: TicketOps;
  /** The teams with their members (gateway.yaml and directory staff: `staffedTeams`). */
  teams: Record<string, Pick<TeamConfig, 'members' | 'assignment'>>;
  calendars: ReadonlyMap<string, BusinessCalendar>;
  /** Present when Slack is on: away members are skipped. */
  presence?: Presence;
  now: () => Date;
  logger: Logger;
  onCommitted?: () => void;
  intervalMs?: number;
}

export interface Assigner extends Periodic {
  /**
   * Places the ticket with an agent if its team's policy is automatic and nobody holds it: `fresh` after
   * an event that brought it to the team; otherwise (the sweep) only when its offer is due. Returns the
   * member offered the ticket, null when nobody was available, undefined when there was nothing to do.
   */
  place(ticketId: string, opts?: { fresh?: boolean }): Promise<string | null | undefined>;
  /** One pass over due offers; returns how many tickets it placed or found nobody for. */
  sweep(): Promise<number>;
  registerJobs(dispatch: DispatchRegistry): void;
}

/**
 * Assignment (分配): offers each new ticket of a `round_robin` or `least_loaded` team to one on-shift,
 * present member, as a reservation that lapses after `reservationMinutes` (Twilio TaskRouter's model):
 * a claim within it keeps the ticket, silence passes it to the next member. Offers live in the store,
 * so a restart, or a second process, picks up where the first left off; each decision re-reads the
 * ticket and its offer under the ticket's row lock, so two processes place a ticket once.
 */
export function createAssigner(deps: AssignerDeps): Assigner {
  const log = deps.logger.child({ component: 'assignment' });

  function onShift(team: Pick<TeamConfig, 'assignment'>, member: string, at: Date): boolean {
    const shift = team.assignment.agents[member]?.shift ?? team.assignment.shift;
    const calendar = shift ? deps.calendars.get(shift) : undefined;
    return !calendar || calendar.isOpen(at);
  }

  /** Shift and presence, read before the transaction: a Web API call never runs inside one. */
  async function availability(team: Pick<TeamConfig, 'members' | 'assignment'>, passed: readonly string[], at: Date) {
    const out = new Map<string, MemberState['unavailable']>();
    await Promise.all(
      team.members.map(async (m) => {
        if (passed.includes(m)) return void out.set(m, 'let_lapse');
        if (!onShift(team, m, at)) return void out.set(m, 'off_shift');
        if (deps.presence && (await deps.presence(m).catch(() => 'unknown' as const)) === 'away') out.set(m, 'away');
      }),
    );
    return out;
  }

  async function place(ticketId: string, opts: { fresh?: boolean } = {}): Promise<string | null | undefined> {
    const at = deps.now();
    const before = await deps.store.read(async (q) => ({ ticket: await deps.ops.findTicket(q, { id: ticketId }), offer: await getOffer(q, ticketId) }));
    const team = before.ticket ? deps.teams[before.ticket.team] : undefined;
    const automatic = team && team.assignment.policy !== 'claim' && team.members.length > 0;
    const sameTeam = before.offer && before.ticket && before.offer.team === before.ticket.team;
    const passed = !opts.fresh && sameTeam ? [...before.offer!.passed, ...(before.offer!.assignee ? [memberOf(before.offer!.assignee)] : [])] : [];
    // Most tickets go to `claim` teams: with no offer to clear, they cost one read and no write transaction.
    if (!automatic && !before.offer) return undefined;
    const unavailable = automatic ? await availability(team, passed, at) : new Map();

    const outcome = await deps.store.withTx(async (tx) => {
      const ticket = await deps.ops.lock(tx, { id: ticketId });
      const offer = await getOffer(tx, ticketId);
      const waiting = ticket.status === 'new' || ticket.status === 'assigned';
      const policy = deps.teams[ticket.team]?.assignment.policy;
      if (!automatic || !waiting || policy === 'claim' || ticket.team !== before.ticket?.team) {
        if (offer) await dropOffer(tx, ticketId);
        return undefined;
      }
      const ownOffer = offer && offer.team === ticket.team ? offer : undefined;
      if (ticket.assignee) {
        // Someone holds it: only their own offer, lapsed and untouched since, passes it on.
        if (ownOffer?.assignee !== ticket.assignee) {
          if (offer) await dropOffer(tx, ticketId);
          return undefined;
        }
        if (opts.fresh || Date.parse(ownOffer.dueAt) > at.getTime()) return undefined;
        if (ownOffer.eventId !== undefined && (await movedSince(tx, ticketId, ownOffer.eventId))) {
          await dropOffer(tx, ticketId);
          return undefined;
        }
      } else if (!opts.fresh && ownOffer && Date.parse(ownOffer.dueAt) > at.getTime()) {
        return undefined;
      }
      return decide(tx, ticket, team, ownOffer, passed, unavailable, at);
    });
    if (outcome !== undefined) deps.onCommitted?.();
    return outcome;
  }

  async function decide(
    tx: Sql,
    ticket: LockedTicket,
    team: Pick<TeamConfig, 'members' | 'assignment'>,
    offer: Offer | undefined,
    passed: string[],
    unavailable: Map<string, MemberState['unavailable']>,
    at: Date,
  ): Promise<string | null> {
    const cfg = team.assignment;
    const policy = cfg.policy as 'round_robin' | 'least_loaded';
    const last = await lastInTurn(tx, ticket.team);
    const loads = policy === 'least_loaded' ? await openLoads(tx, team.members.map(assigneeOf)) : new Map<string, number>();
    const states: MemberState[] = team.members.map((member) => {
      const why = unavailable.get(member);
      return { member, ...(why ? { unavailable: why } : {}), load: loads.get(assigneeOf(member)) ?? 0, capacity: cfg.agents[member]?.capacity ?? cfg.capacity };
    });
    const choice = choose(policy, states, last);
    const dueAt = new Date(at.getTime() + cfg.reservationMinutes * 60_000).toISOString();
    const lapsed = ticket.assignee !== undefined;
    const base = { policy, reason: describe(policy, choice), skipped: choice.skipped, previousAssignee: ticket.assignee, cause: lapsed ? LAPSED_CAUSE : 'routed' };

    if (!choice.member) {
      const retryAt = new Date(at.getTime() + NOBODY_RETRY_MS).toISOString();
      let current = ticket;
      let data: Record<string, unknown> = {};
      if (lapsed) ({ ticket: current, data } = await deps.ops.move(tx, ticket, 'assigned', { assignee: undefined }));
      // One "nobody available" event per stretch of waiting, not one per retry.
      const event =
        lapsed || offer?.assignee !== undefined || !offer
          ? await deps.ops.recordEvent(tx, current, 'assigned', 'system', { ...data, ...base, assignee: null, retryAt })
          : undefined;
      await putOffer(tx, { ticketId: ticket.id, team: ticket.team, ...(event ? { eventId: event.id } : offer?.eventId ? { eventId: offer.eventId } : {}), passed: [], dueAt: retryAt });
      log.info({ ticket: ticket.number, team: ticket.team, policy, skipped: choice.skipped.length }, 'nobody available; the ticket waits with the team');
      return null;
    }
    const assignee = assigneeOf(choice.member);
    const { ticket: moved, data } = await deps.ops.move(tx, ticket, 'assigned', { assignee });
    const event = await deps.ops.recordEvent(tx, moved, 'assigned', 'system', {
      ...data,
      ...base,
      assignee,
      reservationMinutes: cfg.reservationMinutes,
      expiresAt: dueAt,
      ...(policy === 'least_loaded' ? { load: loads.get(assignee) ?? 0 } : {}),
    });
    await putOffer(tx, { ticketId: ticket.id, team: ticket.team, assignee, eventId: event.id, passed, dueAt });
    await setLastInTurn(tx, ticket.team, choice.member);
    log.info({ ticket: ticket.number, team: ticket.team, policy, member: choice.member, cause: base.cause }, 'ticket offered');
    return choice.member;
  }

  async function sweep(): Promise<number> {
    let placed = 0;
    for (const id of await deps.store.read((q) => dueOffers(q, deps.now(), 200))) {
      // One ticket's failure must not hold up the rest; its offer stays due, so the next pass retries it.
      const outcome = await place(id).catch((err: unknown) => {
        log.warn({ err, ticketId: id }, 'assignment failed; next pass retries');
        return undefined;
      });
      if (outcome !== undefined) placed += 1;
    }
    return placed;
  }

  const periodic = every(deps.intervalMs ?? 15_000, sweep, log, 'assignment sweep');
  return {
    place,
    sweep,
    ...periodic,
    registerJobs(dispatch) {
      dispatch.register('assign.place', async (job) => void (await place(job.ticketId, { fresh: true })));
      dispatch.subscribe({ jobType: 'assign.place', events: [...PLACING_EVENTS] });
    },
  };
}
