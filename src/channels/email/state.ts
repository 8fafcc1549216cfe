import type { ChannelState } from '../types.js';

/** Where a mailbox was read up to. A new UIDVALIDITY means the UIDs below lastUid no longer name the same mail. */
export interface MailboxCursor {
  uidValidity: string;
  lastUid: number;
}

/** Whether this process may take a message: it holds the claim, another process finished it, or holds it. */
export type Claim = 'mine' | 'done' | 'busy';

/** A process's claim on one message, so two spoc processes on one mailbox announce it once. */
export interface MessageClaim {
  owner: string;
  at: number;
  done?: boolean;
  ticket?: string;
  /** Tries that failed so far (any process), and why the last one did: a mail is tried a bounded number of times. */
  failures?: number;
  lastError?: string;
}

/** A claim and the failed tries it carries. */
export interface ClaimState {
  claim: Claim;
  failures: number;
  lastError?: string;
}

/** A message kept aside, as operators see it (the admin API lists the newest). */
export interface QuarantinedMessage {
  mailbox: string;
  uidValidity: string;
  uid: number;
  reason: string;
  size: number;
  at: string;
}

/** How many kept-aside messages the list operators read holds; each message's own record stays. */
const QUARANTINE_LIST = 500;

/**
 * The email channel's keys in the shared channel state, all under `email:` so they never meet another
 * channel's. Counters are read-then-write: two processes may both send one mail past the hourly cap,
 * which is acceptable for a limit whose purpose is to break loops.
 */
export function createEmailState(state: ChannelState) {
  const cursorKey = (mailbox: string) => `email:cursor:${mailbox}`;
  const claimKey = (mailbox: string, uidValidity: string, uid: number) => `email:claim:${mailbox}:${uidValidity}:${uid}`;
  const rateKey = (address: string, hour: number) => `email:rate:${address.toLowerCase()}:${hour}`;

  return {
    getCursor: (mailbox: string) => state.get<MailboxCursor>(cursorKey(mailbox)),
    setCursor: (mailbox: string, cursor: MailboxCursor) => state.set(cursorKey(mailbox), cursor),

    /**
     * Claims messages for this process, all in one transaction: 'mine' when it now owns one. A claim older
     * than `leaseMs` and not done belongs to a process that died: exactly one taker wins it, through a
     * second key named after the stale claim.
     */
    async claim(mailbox: string, uidValidity: string, uids: number[], owner: string, leaseMs: number, now = Date.now()): Promise<Map<number, ClaimState>> {
      const keys = uids.map((uid) => claimKey(mailbox, uidValidity, uid));
      const set = await state.setEachIfAbsent(keys.map((key) => [key, { owner, at: now } satisfies MessageClaim] as const));
      const takeOver = async (key: string): Promise<ClaimState> => {
        const held = await state.get<MessageClaim>(key);
        if (!held) return { claim: 'busy', failures: 0 };
        const tried = { failures: held.failures ?? 0, ...(held.lastError ? { lastError: held.lastError } : {}) };
        if (held.done) return { claim: 'done', ...tried };
        if (held.owner === owner) return { claim: 'mine', ...tried };
        if (now - held.at < leaseMs) return { claim: 'busy', ...tried };
        if (!(await state.setIfAbsent(`${key}:after:${held.owner}:${held.at}`, { owner, at: now }))) return { claim: 'busy', ...tried };
        // The failed tries of the dead process count: a mail that kills its reader is not tried forever.
        await state.set(key, { owner, at: now, ...tried } satisfies MessageClaim);
        return { claim: 'mine', ...tried };
      };
      return new Map(await Promise.all(uids.map(async (uid, i) => [uid, set[i] ? { claim: 'mine' as const, failures: 0 } : await takeOver(keys[i]!)] as const)));
    },
    /** Counts a failed try on a message this process holds, keeping the claim (one transaction for all). */
    failed: (mailbox: string, uidValidity: string, owner: string, tries: ReadonlyArray<{ uid: number; failures: number; error: string }>, now = Date.now()) =>
      state.setEach(tries.map(({ uid, failures, error }) => [claimKey(mailbox, uidValidity, uid), { owner, at: now, failures, lastError: error.slice(0, 200) } satisfies MessageClaim] as const)),
    /** Marks claimed messages done (with the ticket each became), in one transaction. */
    finish: (mailbox: string, uidValidity: string, owner: string, done: ReadonlyArray<{ uid: number; ticket?: string }>, now = Date.now()) =>
      state.setEach(done.map(({ uid, ticket }) => [claimKey(mailbox, uidValidity, uid), { owner, at: now, done: true, ...(ticket ? { ticket } : {}) } satisfies MessageClaim] as const)),

    /**
     * Keeps a message aside (unparseable, refused, or failing every try): operators find it by mailbox,
     * UIDVALIDITY and UID, and in the list of the newest. The list is read-then-write: two processes
     * keeping mail aside at one instant may drop one entry from it, never the message's own record.
     */
    async quarantine(mailbox: string, uidValidity: string, uid: number, info: { reason: string; size: number }): Promise<void> {
      const entry: QuarantinedMessage = { mailbox, uidValidity, uid, ...info, at: new Date().toISOString() };
      const list = (await state.get<QuarantinedMessage[]>('email:quarantined')) ?? [];
      const rest = list.filter((q) => !(q.mailbox === mailbox && q.uidValidity === uidValidity && q.uid === uid));
      await state.setEach([
        [`email:quarantine:${mailbox}:${uidValidity}:${uid}`, { reason: info.reason, size: info.size, at: entry.at }],
        ['email:quarantined', [entry, ...rest].slice(0, QUARANTINE_LIST)],
      ]);
    },
    getQuarantine: (mailbox: string, uidValidity: string, uid: number) =>
      state.get<{ reason: string; size: number; at: string }>(`email:quarantine:${mailbox}:${uidValidity}:${uid}`),
    /** The newest messages kept aside, newest first. */
    quarantined: async () => (await state.get<QuarantinedMessage[]>('email:quarantined')) ?? [],

    /** An address a delivery report declared dead: no further mail goes to it. */
    markDead: (address: string, info: { status?: string; ticket?: string }) =>
      state.set(`email:dead:${address.toLowerCase()}`, { ...info, at: new Date().toISOString() }),
    isDead: async (address: string) => (await state.get(`email:dead:${address.toLowerCase()}`)) !== undefined,

    /** Our outgoing Message-IDs → ticket number: replies by headers alone and bounces find their ticket. */

    /** The Message-IDs we sent on a ticket, oldest first (References of the next mail). */
    sentIds: async (ticketId: string) => (await state.get<string[]>(`email:thread:${ticketId}`)) ?? [],
    async addSent(ticketId: string, messageId: string): Promise<void> {
      const ids = (await state.get<string[]>(`email:thread:${ticketId}`)) ?? [];
      if (!ids.includes(messageId)) await state.set(`email:thread:${ticketId}`, [...ids, messageId].slice(-20));
    },

    /**
     * A contact that is automatic mail, by its intake id (on the `created` event): written before accept(),
     * so the acknowledgement job, which may run the moment the ticket commits, already sees it.
     */
    markQuiet: (intakeId: string, reason: string) => state.set(`email:quiet:${intakeId}`, reason),
    quietReason: (intakeId: string) => state.get<string>(`email:quiet:${intakeId}`),

    /** Whether an address may get another automatic mail this hour. */
    async underAutomaticCap(address: string, perHour: number, now = Date.now()): Promise<boolean> {
      return ((await state.get<number>(rateKey(address, Math.floor(now / 3_600_000)))) ?? 0) < perHour;
    },
    /** Counts an automatic mail once it was sent (a refused attempt that is retried costs nothing). */
    async countAutomatic(address: string, now = Date.now()): Promise<void> {
      const key = rateKey(address, Math.floor(now / 3_600_000));
      await state.set(key, ((await state.get<number>(key)) ?? 0) + 1);
    },
  };
}

export type EmailState = ReturnType<typeof createEmailState>;
