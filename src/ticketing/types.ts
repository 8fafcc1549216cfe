import type { Attachment, Channel } from '../intake/record.js';
import type { Level, Priority, Tier } from '../router/types.js';

export const TICKET_STATUSES = ['new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** Still being worked on: the requester's channel continues it, SLA clocks run (pending pauses resolve). */
export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'assigned', 'in_progress', 'pending'];

export interface Requester {
  id: string;
  name?: string;
  email?: string;
  phone?: string;
  slackUserId?: string;
  department?: string;
  location?: string;
  vip: boolean;
  language?: 'zh' | 'en';
  /** The HR or LDAP record this requester is kept in sync with (`PUT /api/v1/requesters/:id`). */
  externalId?: string;
}

export interface Ticket {
  id: string;
  /** Typed and human: INC-000042, REQ-000043 (one sequence per prefix). */
  number: string;
  type: string;
  category: string;
  service?: string;
  impact: Level;
  urgency: Level;
  priority: Priority;
  tier: Tier;
  team: string;
  status: TicketStatus;
  subject: string;
  /** The channel the requester used first: replies go back there. */
  channel: Channel;
  requesterId: string;
  assignee?: string;
  slaPolicy: string;
  calendar: string;
  respondBy: string;
  resolveBy: string;
  respondedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  /** Set while pending (waiting on the requester): the resolve clock is paused. */
  slaPausedAt?: string;
  tags: string[];
  language?: 'zh' | 'en';
  reason: string;
  createdAt: string;
  updatedAt: string;
}

export const EVENT_TYPES = [
  'created', 'routed', 'dispatched', 'acknowledged', 'claimed', 'replied_in', 'replied_out', 'note',
  'reassigned', 'escalated', 'status_changed', 'sla_warning', 'sla_breach', 'resolved', 'survey_sent',
  'rated', 'closed', 'reopened', 'linked', 'delivery_failed', 'joined', 'assigned',
  // Major incidents (src/incidents): the parent declared, a child linked to it or taken off it.
  'incident_declared', 'incident_linked', 'incident_unlinked',
] as const;
export type TicketEventType = (typeof EVENT_TYPES)[number];

/** Append-only history; reports are computed from events. */
export interface TicketEvent {
  id: number;
  ticketId: string;
  type: TicketEventType;
  at: string;
  actor: string;
  data: Record<string, unknown>;
}

export interface Message {
  id: string;
  ticketId: string;
  direction: 'in' | 'out';
  channel: Channel;
  /** The provider's own id (Message-ID, Slack ts, MessageSid): an echo of our own reply is recognised by it. */
  nativeId?: string;
  author: string;
  body: string;
  /** Internal notes never reach the requester. */
  internal: boolean;
  attachments: Attachment[];
  at: string;
}
