import type { Tier } from '../router/types.js';
import type { Message, Requester, Ticket, TicketEvent, TicketStatus } from './types.js';

/** Who acts on a ticket. `id` is namespaced by where they act: `slack:U123`, `api:<key-id>`, `email:a@b`, `system`. */
export interface Actor {
  id: string;
  name?: string;
  role: 'agent' | 'manager' | 'requester' | 'system';
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
  assignee?: string;
  requesterId?: string;
  limit?: number;
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
  reopen(number: string, actor: Actor, input: { reason?: string }): Promise<Ticket>;
  rate(number: string, actor: Actor, input: { score: 1 | 2 | 3 | 4 | 5; comment?: string }): Promise<Ticket>;
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

