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
}

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
    async claim(mailbox: string, uidValidity: string, uids: number[], owner: string, leaseMs: number, now = Date.now()): Promise<Map<number, Claim>> {
      const keys = uids.map((uid) => claimKey(mailbox, uidValidity, uid));
      const set = await state.setEachIfAbsent(keys.map((key) => [key, { owner, at: now } satisfies MessageClaim] as const));
      const takeOver = async (key: string): Promise<Claim> => {
        const held = await state.get<MessageClaim>(key);
        if (!held) return 'busy';
        if (held.done) return 'done';
        if (held.owner === owner) return 'mine';
        if (now - held.at < leaseMs) return 'busy';
        if (!(await state.setIfAbsent(`${key}:after:${held.owner}:${held.at}`, { owner, at: now }))) return 'busy';
        await state.set(key, { owner, at: now } satisfies MessageClaim);
        return 'mine';
      };
      return new Map(await Promise.all(uids.map(async (uid, i) => [uid, set[i] ? 'mine' : await takeOver(keys[i]!)] as const)));
    },
    /** Marks claimed messages done (with the ticket each became), in one transaction. */
    finish: (mailbox: string, uidValidity: string, owner: string, done: ReadonlyArray<{ uid: number; ticket?: string }>, now = Date.now()) =>
      state.setEach(done.map(({ uid, ticket }) => [claimKey(mailbox, uidValidity, uid), { owner, at: now, done: true, ...(ticket ? { ticket } : {}) } satisfies MessageClaim] as const)),

    /** Keeps an unparseable message aside: operators find it by mailbox, UIDVALIDITY and UID. */
    quarantine: (mailbox: string, uidValidity: string, uid: number, info: { reason: string; size: number }) =>
      state.set(`email:quarantine:${mailbox}:${uidValidity}:${uid}`, { ...info, at: new Date().toISOString() }),
    getQuarantine: (mailbox: string, uidValidity: string, uid: number) =>
      state.get<{ reason: string; size: number; at: string }>(`email:quarantine:${mailbox}:${uidValidity}:${uid}`),

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
