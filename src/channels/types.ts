import type { FastifyInstance } from 'fastify';
import type { Logger } from '../shared/logger.js';
import type { Attachment, IntakeRecordInput } from '../intake/record.js';
import type { DispatchRegistry } from '../dispatch/types.js';
import type { Actor, IntakeResult, TicketService } from '../ticketing/service-types.js';
import type { Requester, Ticket } from '../ticketing/types.js';
import type { SpocConfig } from '../config/schema.js';
import type { Survey } from '../survey/survey.js';

/** Turns a normalised contact into a ticket (new, joined or a duplicate of one already accepted). */
export interface IntakePort {
  accept(record: IntakeRecordInput): Promise<IntakeResult>;
}

export interface RequesterDirectory {
  get(id: string): Promise<Requester | undefined>;
  find(identity: { email?: string; phone?: string; slackUserId?: string }): Promise<Requester | undefined>;
  openTickets(requesterId: string): Promise<Ticket[]>;
  /** Fills the blank profile fields (and links new identifiers) of the requester these identifiers find; never overwrites. */
  complete(who: { slackUserId?: string; email?: string; phone?: string; name?: string }): Promise<Requester>;
}

/** Small durable key/value state a channel keeps across restarts (IMAP UIDs, Slack message ts of a card …). */
export interface ChannelState {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  /** Sets only when the key is absent; true if this call set it. Two processes use it to claim work once. */
  setIfAbsent(key: string, value: unknown): Promise<boolean>;
  /** `set` for many keys in one transaction. */
  setEach(entries: ReadonlyArray<readonly [string, unknown]>): Promise<void>;
  /** `setIfAbsent` for many keys in one transaction: whether this call set each, in order. */
  setEachIfAbsent(entries: ReadonlyArray<readonly [string, unknown]>): Promise<boolean[]>;
}

/**
 * Message ids a ticket's conversation is known by: an outbound channel links the ids it sends (an
 * email's Message-ID), so a reply that references one, or a bounce of it, finds the ticket.
 */
export interface ThreadIndex {
  link(ticketId: string, messageId: string): Promise<void>;
  find(messageId: string): Promise<Ticket | undefined>;
}

/** Content-addressed file storage under the data directory. */
export interface AttachmentStore {
  /** Where and how big: enough to open the same store in a worker thread. */
  readonly options: { dir: string; maxBytes: number };
  put(bytes: Buffer, meta: { name: string; contentType: string }): Promise<Attachment>;
  read(attachment: Pick<Attachment, 'ref'>): Promise<Buffer>;
}

/** Everything a channel adapter may use; built once by the composition root (src/app.ts). */
export interface ChannelContext {
  config: SpocConfig;
  /** Secrets and endpoints come from the environment only. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  intake: IntakePort;
  tickets: TicketService;
  directory: RequesterDirectory;
  state: ChannelState;
  attachments: AttachmentStore;
  threads: ThreadIndex;
  /** Records a job's effect under its idempotency key (OutboxPort.recordEffect), so a re-run sends nothing twice. */
  effects: {
    record(key: string, data: Record<string, unknown>): Promise<boolean>;
    get(key: string): Promise<Record<string, unknown> | undefined>;
  };
  /** How the outside world reaches spoc (links, Twilio signatures). */
  publicBaseUrl: string;
  /** This process alone uses the store (SQLite): work another process claimed is a dead run's, free at once. */
  soleProcess?: boolean;
  /** The knowledge base (src/kb): up to three published articles for an acknowledgement, each with its signed "solved it" link. */
  kb?: {
    forAck(text: string, lang: 'zh' | 'en', ticketNumber: string): AckArticle[];
    /** Up to three published articles offered before a ticket opens (the chat), and "this solved it" counted for one. */
    suggest(text: string, lang: 'zh' | 'en'): Array<{ id: string; title: string; summary: string; url: string }>;
    deflect(articleId: string, lang: 'zh' | 'en'): Promise<void>;
  };
  /** The satisfaction survey sent on close (src/survey): its settings, signed link, `survey_sent` record and the rating. */
  survey?: Survey;
  /** Major incidents (src/incidents): declared from a Slack card, shown on the portal, joined from the IVR. */
  incidents?: IncidentPort;
  /** The app's clock (tests set it); channels default to the wall clock. */
  now?: () => Date;
}

/** What channels see of major incidents. */
export interface IncidentPort {
  /** Declares one on a ticket (its first child) or about a service. */
  declare(input: { ticket?: string; service?: string; title?: string }, actor: Actor): Promise<Ticket>;
  /** The open ones, newest first. */
  open(): Promise<Array<{ number: string; subject: string; service?: string; declaredAt: string }>>;
  /** What one is about, for people: the service's name in each language, else its subject. */
  serviceName(incident: { service?: string; subject: string }): { zh: string; en: string };
}

export interface AckArticle {
  title: string;
  url: string;
  solvedUrl: string;
}

/**
 * One channel. Job handlers are registered in every process (serve and worker) so any worker can send;
 * routes and connections belong to `spoc serve` only.
 */
export interface ChannelAdapter {
  readonly name: string;
  registerJobs(dispatch: DispatchRegistry): void;
  /** Registers the channel's HTTP routes as one encapsulated plugin (own body parser, own signature hook). */
  routes?(app: FastifyInstance): Promise<void> | void;
  /** Opens long-lived connections (IMAP, Socket Mode). Called after the HTTP server is listening. */
  start?(): Promise<void>;
  /** Stops taking contacts and closes connections; in-flight work finishes first. */
  stop?(): Promise<void>;
  /** Whether a team member is at their desk (Slack's users.getPresence): automatic assignment skips the away. */
  presence?(member: string): Promise<'active' | 'away' | 'unknown'>;
}

/** A channel whose settings are absent is off and says why at start-up. */
export type ChannelFactory = (ctx: ChannelContext) => ChannelAdapter | { off: string };
