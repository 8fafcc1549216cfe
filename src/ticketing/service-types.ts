import type { Channel } from '../intake/record.js';
import type { Priority, Tier } from '../router/types.js';
import type { Message, Requester, Ticket, TicketEvent, TicketStatus } from './types.js';

/** Who acts on a ticket. `id` is namespaced by where they act: `slack:U123`, `api:<key-id>`, `email:a@b`, `system`. */
export interface Actor {
  id: string;
  name?: string;
  role: 'agent' | 'manager' | 'requester' | 'system';
  /** Set when someone acts on another's behalf (an admin key naming the agent): kept on each event as `via`. */
  via?: string;
}

export interface TicketDetail {
  ticket: Ticket;
  requester: Requester;
  events: TicketEvent[];
  messages: Message[];
}

export interface TicketFilter {
  status?: TicketStatus[];
  tier?: Tier;
  team?: string;
  /** Any of these assignees (a person's staff id and Slack id are both theirs). */
  assignee?: string | string[];
  requesterId?: string;
  /** A requester by email, E.164 phone, Slack id or requester id. */
  requester?: string;
  priority?: Priority[];
  channel?: Channel;
  /** Open tickets past a due time (`breached`), or due within `riskWithinMs` and not yet past (`at_risk`). */
  sla?: 'at_risk' | 'breached';
  /** Words in the number, subject, requester or any message (Chinese and English). */
  q?: string;
  /** `created`: newest first (the default); `due`: soonest resolve-by first. */
  sort?: 'created' | 'due';
  /** From a previous page's `nextCursor`. */
  cursor?: string;
  limit?: number;
}

/** One page of a listing; `nextCursor` fetches the next (absent on the last page). */
export interface TicketPage {
  tickets: Ticket[];
  nextCursor?: string;
}

/**
 * What agents and channels may do to a ticket. Every method validates the lifecycle transition, writes
 * the ticket, its events and the outbox jobs those events trigger in one transaction, and returns the
 * ticket as committed. An invalid transition throws SpocError('invalid_transition', 409).
 */
export interface TicketService {
  get(number: string): Promise<TicketDetail | undefined>;
  /** Job handlers know the ticket id from the outbox row. */
  getById(id: string): Promise<TicketDetail | undefined>;
  list(filter: TicketFilter): Promise<Ticket[]>;
  /** A page of a listing, with the cursor to the next. */
  page(filter: TicketFilter): Promise<TicketPage>;
  claim(number: string, actor: Actor): Promise<Ticket>;
  /** A reply to the requester (goes out on their channel) or, with internal, a note for agents only. */
  reply(number: string, actor: Actor, input: { body: string; internal?: boolean }): Promise<{ ticket: Ticket; message: Message }>;
  /** To the next tier's default team, or to a named team. */
  escalate(number: string, actor: Actor, input: { team?: string; reason?: string }): Promise<Ticket>;
  reassign(number: string, actor: Actor, input: { team?: string; assignee?: string }): Promise<Ticket>;
  /** Waiting on the requester: the resolve clock pauses until they answer or an agent resumes. */
  setPending(number: string, actor: Actor, input: { reason?: string }): Promise<Ticket>;
  resolve(number: string, actor: Actor, input: { resolution: string }): Promise<Ticket>;
  close(number: string, actor: Actor): Promise<Ticket>;
  /**
   * Closes as the system, only if it is still resolved and was resolved at or before `resolvedBefore`
   * (checked under the row lock); `data` joins the `closed` event. Undefined when it no longer applies.
   */
  autoClose(number: string, resolvedBefore: Date, data: Record<string, unknown>): Promise<Ticket | undefined>;
  reopen(number: string, actor: Actor, input: { reason?: string }): Promise<Ticket>;
  /** `channel`: where the requester answered (the survey's channel), kept on the event. */
  /** `once`: refuse (409 `already_rated`) when the ticket has a rating (the requester's survey); `channel`: where the requester answered, kept on the event. */
  rate(number: string, actor: Actor, input: { score: 1 | 2 | 3 | 4 | 5; comment?: string; once?: boolean; channel?: string }): Promise<Ticket>;
  /** Records that the satisfaction survey went out (once per ticket). */
  surveySent(number: string, data: Record<string, unknown>): Promise<void>;
}

/** How an inbound contact ended up. `joined` continues a ticket; `reopened` joined a recently resolved one. */
export type IntakeOutcome = 'created' | 'joined' | 'reopened' | 'duplicate';

export interface IntakeResult {
  outcome: IntakeOutcome;
  ticket: Ticket;
  requester: Requester;
  /** Why it joined or was linked (`subject names INC-000042`, `In-Reply-To <…>`, `conversation slack:C1/171.2`). */
  reason?: string;
  /** A new ticket opened because the named one was closed too long ago. */
  linkedTo?: string;
}

