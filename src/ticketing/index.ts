import type { ChannelState } from '../channels/types.js';
import type { OutboxPort } from '../dispatch/outbox-port.js';
import type { Subscription } from '../dispatch/types.js';
import type { BusinessCalendar } from '../router/calendar.js';
import { createChannelState } from './channel-state.js';
import type { Store } from './db/sql.js';
import { createDirectory, type StoreDirectory } from './directory.js';
import { createEventLog } from './events.js';
import { createTicketOps, type TicketOps } from './ops.js';
import { createOutbox } from './outbox.js';
import { createTicketService, type Organisation } from './service.js';
import type { TicketService } from './service-types.js';
import { createSlaWatch, type SlaWatch } from './sla-watch.js';
import type { SlaLadder } from './sla-plan.js';
import { slaLadder } from './sla-ladder.js';
import type { Ticket } from './types.js';

export { createStore, type StoreOptions } from './db/create-store.js';
export type { Sql, Store } from './db/sql.js';
export type { TicketOps, NewTicketInput, InboundMessageInput, RouteDecisionLike } from './ops.js';
export type { Organisation } from './service.js';
export type { SlaWatch, SlaPass } from './sla-watch.js';
export type { SlaLadder } from './sla-plan.js';
export type { StoreDirectory } from './directory.js';

export interface TicketingDeps {
  store: Store;
  /** Read at every event: the dispatch registry's list may be passed before channels have subscribed. */
  subscriptions: readonly Subscription[];
  org: Organisation;
  /** Business calendars by id, for pausing and resuming the resolve clock. */
  calendars: ReadonlyMap<string, BusinessCalendar>;
  /** Ticket type → number prefix (gateway.yaml `types[].prefix`). */
  prefixes: Readonly<Record<string, string>>;
  now?: () => Date;
  /** A policy's SLA steps and escalation settings (gateway.yaml `sla.<policy>`); a 75% warning and an escalating breach when absent. */
  slaLadder?: (slaPolicy: string) => SlaLadder;
  /** A ticket whose SLA steps failed in a pass (tried again on the next). */
  onSlaError?: (err: unknown, ticket: Ticket) => void;
  /** What stops a policy's respond clock (gateway.yaml `sla.<policy>.respondStops`). */
  respondStops?: (slaPolicy: string) => 'claim' | 'reply';
  /** Called after each committed ticket action (the dispatcher's kick). */
  onCommitted?: () => void;
}

/** Everything built on the store, wired once by the composition root. */
export interface Ticketing {
  store: Store;
  /** Operations inside a caller's `store.withTx` (intake's accept). */
  ops: TicketOps;
  service: TicketService;
  outbox: OutboxPort;
  channelState: ChannelState;
  directory: StoreDirectory;
  sla: SlaWatch;
}

export function createTicketing(deps: TicketingDeps): Ticketing {
  const now = deps.now ?? (() => new Date());
  const events = createEventLog({ subscriptions: deps.subscriptions, now });
  const ops = createTicketOps({ events, calendars: deps.calendars, prefixes: deps.prefixes, now });
  return {
    store: deps.store,
    ops,
    service: createTicketService({ store: deps.store, ops, org: deps.org, now, respondStops: deps.respondStops, onCommitted: deps.onCommitted }),
    outbox: createOutbox(deps.store, now),
    channelState: createChannelState(deps.store, now),
    directory: createDirectory({ store: deps.store, ops }),
    sla: createSlaWatch({ store: deps.store, ops, org: deps.org, ladder: deps.slaLadder ?? (() => slaLadder(undefined)), onError: deps.onSlaError }),
  };
}
