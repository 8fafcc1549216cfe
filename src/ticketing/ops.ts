import { newId } from '../shared/ids.js';
import type { Attachment, Channel, RequesterIdentity } from '../intake/record.js';
import type { BusinessCalendar } from '../router/calendar.js';
import type { RouteDecision } from '../router/types.js';
import { notFound } from '../shared/errors.js';
import { toTs } from './db/codec.js';
import type { Sql } from './db/sql.js';
import type { EventLog } from './events.js';
import { findMessageByNativeId, insertMessage, listMessages, setMessageNativeId } from './messages.js';
import { nextNumber, prefixFor } from './numbers.js';
import { getRequester, resolveRequester, upsertRequester, type RequesterProfileInput } from './requesters.js';
import type { TicketDetail } from './service-types.js';
import { findTicket, insertTicket, updateTicket } from './tickets-repo.js';
import { transition } from './transition.js';
import { indexTicketText } from './search.js';
import type { Message, Requester, Ticket, TicketStatus } from './types.js';

/** The router's decision as a new ticket needs it (the trace goes into the `routed` event). */
export type RouteDecisionLike = Omit<RouteDecision, 'trace'> & Partial<Pick<RouteDecision, 'trace'>>;

export interface NewTicketInput {
  decision: RouteDecisionLike;
  subject: string;
  /** The channel the requester used: replies go back there. */
  channel: Channel;
  requester: Requester;
  language?: 'zh' | 'en';
  /** Who created it: `system`, or the channel actor (`email:a@b`, `api:<key-id>`). */
  actor: string;
  /** Kept on the `created` event so a ticket leads back to its contact. */
  intakeId?: string;
  dedupeKey?: string;
  /** The contact itself, stored as the ticket's first inbound message. */
  firstMessage?: InboundMessageInput;
}

export interface InboundMessageInput {
  channel: Channel;
  body: string;
  /** The requester's address on that channel; defaults to the actor. */
  author?: string;
  nativeId?: string;
  attachments?: Attachment[];
}

declare const lockedBrand: unique symbol;
/**
 * A ticket read under its row lock (PostgreSQL FOR UPDATE) in the transaction at hand: no other
 * transaction can change it until this one ends, so operations given one write it without reading it again.
 */
export type LockedTicket = Ticket & { readonly [lockedBrand]: true };

/**
 * Ticket operations inside a caller's transaction: what intake needs to write `accept()` as one
 * `store.withTx` block, and what the TicketService is built from. Operations that change a ticket take
 * it locked (`lock`), so a stale copy in the caller never overwrites a concurrent change. Intake's order:
 *
 * 1. `claimDedupeKey` — first, so a racing transaction with the same key waits and then sees the ticket;
 * 2. `resolveRequester`;
 * 3. find a thread: `findTicket({ number })`, `findTicketByThreadKey`, `findTicketByMessageNativeId`;
 * 4. `lock` the thread's ticket, then `addInboundMessage` (joined) or `reopen` then `addInboundMessage`;
 *    or `createTicket`;
 * 5. `bindDedupeKey` and `linkThreadKeys` to the ticket it landed on.
 */
export interface TicketOps {
  recordEvent: EventLog['record'];
  findTicket(tx: Sql, by: { id: string } | { number: string }, opts?: { forUpdate?: boolean }): Promise<Ticket | undefined>;
  /** The ticket a dedupe key already led to, if any. */
  findTicketByDedupeKey(tx: Sql, key: string): Promise<Ticket | undefined>;
  /** Claims a channel-native id for this transaction; when it was claimed before, returns that contact's ticket. */
  claimDedupeKey(tx: Sql, key: string): Promise<{ claimed: true } | { claimed: false; ticket: Ticket | undefined }>;
  /** Ties a claimed key to the ticket the contact landed on (created or joined). */
  bindDedupeKey(tx: Sql, key: string, ticketId: string): Promise<void>;
  /** A conversation id or Message-ID seen before on a ticket. */
  findTicketByThreadKey(tx: Sql, key: string): Promise<Ticket | undefined>;
  /** Keys already tied to another ticket stay with it (the first ticket of a conversation keeps it). */
  linkThreadKeys(tx: Sql, ticketId: string, keys: readonly string[]): Promise<void>;
  /** Points a key at this ticket even if another had it: a conversation (an SMS sender) follows its newest ticket. */
  moveThreadKey(tx: Sql, key: string, ticketId: string): Promise<void>;
  findTicketByMessageNativeId(tx: Sql, channel: Channel, nativeId: string): Promise<Ticket | undefined>;
  getRequester(q: Sql, id: string): Promise<Requester | undefined>;
  /** Finds the requester by any identifier (linking new ones) or creates one. */
  resolveRequester(tx: Sql, who: RequesterIdentity): Promise<Requester>;
  /** An HR/LDAP record by its external id (`PUT /api/v1/requesters/:id`). */
  upsertRequester(tx: Sql, externalId: string, profile: RequesterProfileInput): Promise<Requester>;
  /**
   * The provider's id of a message we sent (an email Message-ID, a Slack ts), known once the channel
   * delivered it, so a reply quoting it threads back (`findTicketByMessageNativeId`). False when
   * another message already has that id.
   */
  setMessageNativeId(tx: Sql, messageId: string, nativeId: string): Promise<boolean>;
  /** The next human number for a ticket type (`INC-000042`); unique and gapless per prefix. */
  nextNumber(tx: Sql, type: string): Promise<string>;
  /** A new ticket from a route decision, with its `created` and `routed` events (and their jobs). */
  createTicket(tx: Sql, input: NewTicketInput): Promise<{ ticket: Ticket; message?: Message }>;
  /** The requester wrote again: a `replied_in` event; a pending ticket resumes (its resolve clock runs again). */
  /** `extra` joins the `replied_in` event (intake keeps the intent it read there). */
  addInboundMessage(tx: Sql, ticket: LockedTicket, input: InboundMessageInput, actor: string, reason?: string, extra?: Record<string, unknown>): Promise<{ ticket: LockedTicket; message: Message }>;
  /** Resolved or closed back to work: `in_progress` when it has an owner, else `assigned`. */
  reopen(tx: Sql, ticket: LockedTicket, actor: string, reason?: string): Promise<LockedTicket>;
  /** Moves the ticket to `to` (validated, with SLA clock effects) and applies `patch`; the caller records the event. */
  move(tx: Sql, ticket: LockedTicket, to: TicketStatus, patch?: Partial<Ticket>): Promise<{ ticket: LockedTicket; before: LockedTicket; data: Record<string, unknown> }>;
  /** Writes changes to a locked ticket. */
  save(tx: Sql, ticket: LockedTicket): Promise<LockedTicket>;
  /** Reads the ticket under its row lock, for the rest of the transaction. */
  lock(tx: Sql, by: { id: string } | { number: string }): Promise<LockedTicket>;
  detail(q: Sql, ticket: Ticket): Promise<TicketDetail>;
}

export interface TicketOpsDeps {
  events: EventLog;
  calendars: ReadonlyMap<string, BusinessCalendar>;
  /** Ticket type → number prefix (gateway.yaml `types[].prefix`). */
  prefixes: Readonly<Record<string, string>>;
  now: () => Date;
}

export function createTicketOps(deps: TicketOpsDeps): TicketOps {
  const { events, now } = deps;
  const at = () => toTs(now());

  const ops: TicketOps = {
    recordEvent: events.record,
    findTicket,
    async findTicketByDedupeKey(tx, key) {
      const row = await tx.get<{ ticket_id: string | null }>('SELECT ticket_id FROM intake_keys WHERE key = ?', [key]);
      return row?.ticket_id ? findTicket(tx, { id: row.ticket_id }) : undefined;
    },
    async claimDedupeKey(tx, key) {
      const inserted = await tx.run('INSERT INTO intake_keys (key, created_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, at()]);
      if (inserted === 1) return { claimed: true };
      return { claimed: false, ticket: await ops.findTicketByDedupeKey(tx, key) };
    },
    async bindDedupeKey(tx, key, ticketId) {
      await tx.run('UPDATE intake_keys SET ticket_id = ? WHERE key = ?', [ticketId, key]);
    },
    async findTicketByThreadKey(tx, key) {
      const row = await tx.get<{ ticket_id: string }>('SELECT ticket_id FROM thread_keys WHERE key = ?', [key]);
      return row ? findTicket(tx, { id: row.ticket_id }) : undefined;
    },
    async linkThreadKeys(tx, ticketId, keys) {
      for (const key of new Set(keys)) {
        await tx.run('INSERT INTO thread_keys (key, ticket_id, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING', [key, ticketId, at()]);
      }
    },
    async moveThreadKey(tx, key, ticketId) {
      await tx.run('INSERT INTO thread_keys (key, ticket_id, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET ticket_id = excluded.ticket_id', [key, ticketId, at()]);
    },
    async findTicketByMessageNativeId(tx, channel, nativeId) {
      const message = await findMessageByNativeId(tx, channel, nativeId);
      return message ? findTicket(tx, { id: message.ticketId }) : undefined;
    },
    getRequester,
    setMessageNativeId,
    resolveRequester: (tx, who) => resolveRequester(tx, who, now()),
    upsertRequester: (tx, externalId, profile) => upsertRequester(tx, externalId, profile, now()),
    nextNumber: (tx, type) => nextNumber(tx, prefixFor(type, deps.prefixes)),

    async createTicket(tx, input) {
      const { decision: d } = input;
      const created = at();
      const ticket: Ticket = {
        id: newId(),
        number: await ops.nextNumber(tx, d.type),
        type: d.type,
        category: d.category,
        service: d.service,
        impact: d.impact,
        urgency: d.urgency,
        priority: d.priority,
        tier: d.tier,
        team: d.team,
        status: 'new',
        subject: input.subject,
        channel: input.channel,
        requesterId: input.requester.id,
        slaPolicy: d.slaPolicy,
        calendar: d.calendar,
        respondBy: toTs(d.respondBy),
        resolveBy: toTs(d.resolveBy),
        tags: d.tags,
        language: input.language ?? input.requester.language,
        reason: d.reason,
        createdAt: created,
        updatedAt: created,
      };
      await insertTicket(tx, ticket);
      const who = input.requester;
      await indexTicketText(tx, ticket.id, [ticket.number, ticket.subject, who.name, who.email, who.phone].filter(Boolean).join(' '));
      const first = input.firstMessage;
      const message = first
        ? await insertMessage(tx, { ...first, ticketId: ticket.id, direction: 'in', internal: false, author: first.author ?? input.actor, at: created })
        : undefined;
      await events.record(tx, ticket, 'created', input.actor, {
        channel: ticket.channel,
        requesterId: ticket.requesterId,
        intakeId: input.intakeId,
        dedupeKey: input.dedupeKey,
        messageId: message?.id,
      });
      await events.record(tx, ticket, 'routed', 'system', {
        type: d.type,
        category: d.category,
        priority: d.priority,
        tier: d.tier,
        team: d.team,
        slaPolicy: d.slaPolicy,
        respondBy: ticket.respondBy,
        resolveBy: ticket.resolveBy,
        reason: d.reason,
        trace: d.trace ?? [],
      });
      return { ticket, message };
    },

    async addInboundMessage(tx, locked, input, actor, reason, extra = {}) {
      let ticket = locked;
      const message = await insertMessage(tx, {
        ...input,
        ticketId: ticket.id,
        direction: 'in',
        internal: false,
        author: input.author ?? actor,
        at: at(),
      });
      let data: Record<string, unknown> = {};
      if (ticket.status === 'pending') {
        ({ ticket, data } = await ops.move(tx, ticket, ticket.assignee ? 'in_progress' : 'assigned'));
      }
      await events.record(tx, ticket, 'replied_in', actor, { messageId: message.id, channel: input.channel, ...(reason ? { reason } : {}), ...extra, ...data });
      return { ticket, message };
    },

    async reopen(tx, current, actor, reason) {
      const to = current.assignee ? 'in_progress' : 'assigned';
      const { ticket, data } = await ops.move(tx, current, to, { resolvedAt: undefined, closedAt: undefined });
      await events.record(tx, ticket, 'reopened', actor, { ...data, reason });
      return ticket;
    },

    async move(tx, before, to, patch = {}) {
      const moved = transition(before, to, now(), deps.calendars.get(before.calendar));
      const ticket = await ops.save(tx, { ...moved.ticket, ...patch } as LockedTicket);
      return { ticket, before, data: moved.data };
    },

    async save(tx, ticket) {
      const next: LockedTicket = { ...ticket, updatedAt: at() };
      await updateTicket(tx, next);
      return next;
    },

    async lock(tx, by) {
      const ticket = await findTicket(tx, by, { forUpdate: true });
      if (!ticket) throw notFound('ticket', 'number' in by ? by.number : by.id);
      return ticket as LockedTicket;
    },

    async detail(q, ticket) {
      const requester = await getRequester(q, ticket.requesterId);
      if (!requester) throw notFound('requester', ticket.requesterId);
      return { ticket, requester, events: await events.list(q, ticket.id), messages: await listMessages(q, ticket.id) };
    },
  };
  return ops;
}
