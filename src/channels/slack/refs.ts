/** Where the ticket's card sits; `team` tells a reassignment (new team, new channel) from an update. */
export interface CardRef {
  channel: string;
  ts: string;
  team: string;
}

/**
 * Where the employee talks to us about a ticket: a thread in a DM or channel, or, for a ticket opened
 * by `/spoc new`, just the user (the first answer opens a DM and becomes the thread).
 */
export type ThreadRef = { channel: string; threadTs: string } | { user: string };

/** Keys in the channel's durable state (ctx.state); namespaced because the store may be shared. */
export const keys = {
  card: (ticketId: string) => `slack:card:${ticketId}`,
  /** Who may post a card for this ticket to this team next; the previous card's ts keeps A→B→A moves apart. */
  cardLock: (ticketId: string, team: string, previousTs = 'none') => `slack:card-lock:${ticketId}:${team}:${previousTs}`,
  /** Card message → ticket number, so a thread reply under a card finds its ticket. */
  cardThread: (channel: string, ts: string) => `slack:card-thread:${channel}:${ts}`,
  /** Where a contact came from, written before intake so the first answer never waits for the ticket id. */
  origin: (dedupeKey: string) => `slack:origin:${dedupeKey}`,
  /** A thread opened later for the ticket (the DM answering `/spoc new`). */
  thread: (ticketId: string) => `slack:thread:${ticketId}`,
  /** Employee thread → ticket number, so later messages in it join the ticket. */
  conversation: (channel: string, threadTs: string) => `slack:conv:${channel}:${threadTs}`,
  /** A Slack event already turned into an agent action (retries of it change nothing). */
  event: (eventId: string) => `slack:event:${eventId}`,
};

export const conversationId = (channel: string, threadTs: string) => `slack:${channel}:${threadTs}`;
