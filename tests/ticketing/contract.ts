import { afterEach, describe, expect, it } from 'vitest';
import type { Subscription } from '../../src/dispatch/types.js';
import { addBusinessMinutes } from '../../src/router/calendar.js';
import type { Sql, Store } from '../../src/ticketing/index.js';
import { SpocError } from '../../src/shared/errors.js';
import { MIGRATIONS } from '../../src/ticketing/db/migrations.js';
import { acceptOnce, agent, calendars, decision, org, prefixes, testClock, ticketing } from './fixtures.js';
import { createTicketing } from '../../src/ticketing/index.js';

/** Opens a fresh, empty store; `again` opens a second handle on the same data (another process's pool). */
export interface StoreHarness {
  open(): Promise<{ store: Store; again(): Promise<Store> }>;
}

async function rejection(p: Promise<unknown>): Promise<SpocError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SpocError);
  return err as SpocError;
}

async function acceptInTx(t: ReturnType<typeof ticketing>, tx: Sql, i: number) {
  const requester = await t.ops.resolveRequester(tx, { email: `p${i}@example.com` });
  return (await t.ops.createTicket(tx, { decision: decision(), subject: `contact ${i}`, channel: 'web', requester, actor: 'system' })).ticket;
}

/** The one suite every store implementation must pass. */
export function storeContract(name: string, harness: StoreHarness): void {
  describe(`ticket store contract: ${name}`, () => {
    const open: Store[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });
    async function fresh() {
      const h = await harness.open();
      open.push(h.store);
      return {
        store: h.store,
        again: async () => {
          const s = await h.again();
          open.push(s);
          return s;
        },
      };
    }

    it('answers ping and re-opening an up-to-date schema changes nothing', async () => {
      const { store, again } = await fresh();
      await store.ping();
      const second = await again();
      await second.ping();
      const rows = await second.read((q) => q.all<{ version: number }>('SELECT version FROM schema_migrations'));
      expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    });

    it('rolls back only the failing one of many concurrent transactions', async () => {
      const { store } = await fresh();
      const t = ticketing(store);
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          store.withTx(async (tx) => {
            await t.ops.linkThreadKeys(tx, (await acceptInTx(t, tx, i)).id, [`conv-${i}`]);
            if (i === 5) throw new Error('refused');
            return i;
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      const tickets = await t.service.list({});
      expect(tickets).toHaveLength(11);
      expect(await store.read((q) => t.ops.findTicketByThreadKey(q, 'conv-5'))).toBeUndefined();
      expect((await store.read((q) => t.ops.findTicketByThreadKey(q, 'conv-6')))?.subject).toBe('contact 6');
    });

    it('numbers tickets per prefix, unique under concurrency (and gapless on SQLite)', async () => {
      const { store } = await fresh();
      const t = ticketing(store);
      const inc = await Promise.all(Array.from({ length: 12 }, (_, i) => acceptOnce(t, `api:inc-${i}`)));
      const req = await Promise.all(
        Array.from({ length: 3 }, (_, i) => acceptOnce(t, `api:req-${i}`, 'bob@example.com', decision({ type: 'service_request' }))),
      );
      const incNumbers = inc.map((r) => r.ticket.number).sort();
      expect(new Set(incNumbers).size).toBe(12);
      expect(incNumbers.every((n) => /^INC-\d{6}$/.test(n))).toBe(true);
      expect(req.map((r) => r.ticket.number).sort()).toEqual(['REQ-000001', 'REQ-000002', 'REQ-000003']);
      // PostgreSQL numbers come from a sequence: a transaction retried after a deadlock leaves a gap.
      if (store.dialect === 'sqlite') {
        expect(incNumbers).toEqual(Array.from({ length: 12 }, (_, i) => `INC-${String(i + 1).padStart(6, '0')}`));
      }
    });

    it('turns many concurrent contacts with one dedupe key into one ticket', async () => {
      const t = ticketing((await fresh()).store);
      const results = await Promise.all(Array.from({ length: 20 }, () => acceptOnce(t, 'email:<m1@example.com>')));
      expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
      expect(new Set(results.map((r) => r.ticket.id)).size).toBe(1);
      expect(await t.service.list({})).toHaveLength(1);
      const found = await t.store.read((q) => t.ops.findTicketByDedupeKey(q, 'email:<m1@example.com>'));
      expect(found?.number).toBe('INC-000001');
    });

    it('links identities: unknown people become requesters, matched later by any identifier', async () => {
      const t = ticketing((await fresh()).store);
      const tx = <T>(fn: (q: Sql) => Promise<T>) => t.store.withTx(fn);
      const ann = await tx((q) => t.ops.resolveRequester(q, { email: 'Ann@Example.com', name: 'Ann' }));
      const phoneOnly = await tx((q) => t.ops.resolveRequester(q, { phone: '+8613800000001' }));
      expect(phoneOnly.id).not.toBe(ann.id);
      const again = await tx((q) => t.ops.resolveRequester(q, { email: 'ann@example.com', slackUserId: 'U42' }));
      expect(again.id).toBe(ann.id);
      expect(again.slackUserId).toBe('U42');
      expect((await t.directory.find({ slackUserId: 'U42' }))?.id).toBe(ann.id);
      // The HR record adopts the person who wrote in before, and the phone moves to it.
      const hr = await t.directory.upsert('E1001', { email: 'ann@example.com', phone: '+8613800000001', name: 'Ann Li', vip: true });
      expect(hr).toMatchObject({ id: ann.id, externalId: 'E1001', name: 'Ann Li', vip: true });
      expect((await t.directory.find({ phone: '+8613800000001' }))?.id).toBe(ann.id);
      const renamed = await t.directory.upsert('E1001', { name: 'Ann Li-Wang', department: 'Finance' });
      expect(renamed).toMatchObject({ id: ann.id, name: 'Ann Li-Wang', department: 'Finance', email: 'ann@example.com' });
      expect((await t.directory.get(ann.id))?.department).toBe('Finance');
    });

    it('follows the lifecycle and refuses invalid transitions naming both states', async () => {
      const t = ticketing((await fresh()).store);
      const { ticket } = await acceptOnce(t, 'api:k1');
      expect(ticket.status).toBe('new');
      const claimed = await t.service.claim(ticket.number, agent('slack:U1'));
      expect(claimed).toMatchObject({ status: 'in_progress', assignee: 'slack:U1' });
      expect((await t.service.claim(ticket.number, agent('slack:U1'))).updatedAt).toBe(claimed.updatedAt);
      expect((await rejection(t.service.claim(ticket.number, agent('slack:U2')))).code).toBe('already_claimed');
      const closing = await rejection(t.service.close(ticket.number, agent()));
      expect(closing).toMatchObject({ code: 'invalid_transition', status: 409 });
      expect(closing.message).toContain('in_progress');
      expect(closing.message).toContain('closed');
      expect((await rejection(t.service.rate(ticket.number, agent(), { score: 5 }))).code).toBe('not_resolved');
      expect((await t.service.setPending(ticket.number, agent(), { reason: 'asked for a screenshot' })).status).toBe('pending');
      const resolved = await t.service.resolve(ticket.number, agent(), { resolution: 'reset the VPN profile' });
      expect(resolved.status).toBe('resolved');
      expect(resolved.resolvedAt).toBeDefined();
      expect(resolved.slaPausedAt).toBeUndefined();
      await t.service.rate(ticket.number, { id: 'email:ann@example.com', role: 'requester' }, { score: 4 });
      expect((await rejection(t.service.claim(ticket.number, agent('slack:U2')))).code).toBe('invalid_transition');
      expect((await t.service.close(ticket.number, agent())).status).toBe('closed');
      const reopened = await t.service.reopen(ticket.number, agent(), { reason: 'still broken' });
      expect(reopened).toMatchObject({ status: 'in_progress', assignee: 'slack:U1', resolvedAt: undefined, closedAt: undefined });
      const detail = await t.service.get(ticket.number);
      expect(detail?.events.map((e) => e.type)).toEqual([
        'created', 'routed', 'claimed', 'status_changed', 'resolved', 'rated', 'closed', 'reopened',
      ]);
      expect(detail?.messages).toHaveLength(1);
      expect(detail?.requester.email).toBe('ann@example.com');
      expect((await t.service.getById(ticket.id))?.ticket.number).toBe(ticket.number);
      expect(await t.service.get('INC-999999')).toBeUndefined();
    });

    it('pauses the resolve clock while pending and adds the paused business minutes back', async () => {
      const clock = testClock('2026-03-02T10:00:00.000Z');
      const t = ticketing((await fresh()).store, { now: clock.now });
      const resolveBy = '2026-03-03T12:00:00.000Z';
      const { ticket } = await acceptOnce(t, 'api:sla', 'ann@example.com', decision({ calendar: '7x8', resolveBy }));
      clock.set('2026-03-02T16:00:00.000Z');
      const pending = await t.service.setPending(ticket.number, agent(), {});
      expect(pending.slaPausedAt).toBe('2026-03-02T16:00:00.000Z');
      // The requester answers at 10:00 next day: 16–17 and 09–10 are the business minutes paused.
      clock.set('2026-03-03T10:00:00.000Z');
      const { ticket: resumed } = await t.store.withTx(async (tx) =>
        t.ops.addInboundMessage(tx, await t.ops.lock(tx, ticket), { channel: 'api', body: 'here it is' }, 'email:ann@example.com'),
      );
      const expected = addBusinessMinutes(calendars.get('7x8')!, new Date(resolveBy), 120).toISOString();
      expect(resumed).toMatchObject({ status: 'assigned', slaPausedAt: undefined, resolveBy: expected });
      expect(expected).toBe('2026-03-03T14:00:00.000Z');
      const last = (await t.service.get(ticket.number))!.events.at(-1)!;
      expect(last).toMatchObject({ type: 'replied_in', data: { from: 'pending', to: 'assigned', pausedMinutes: 120, resolveBy: expected } });
    });

    it('escalates to the next tier default team, or a named team', async () => {
      const t = ticketing((await fresh()).store);
      const { ticket } = await acceptOnce(t, 'api:esc');
      await t.service.claim(ticket.number, agent());
      const l2 = await t.service.escalate(ticket.number, agent(), { reason: 'needs on-site' });
      expect(l2).toMatchObject({ tier: 'L2', team: 'desktop', status: 'assigned', assignee: undefined });
      const l3 = await t.service.escalate(ticket.number, agent(), { team: 'security' });
      expect(l3).toMatchObject({ tier: 'L3', team: 'security' });
      expect((await rejection(t.service.escalate(ticket.number, agent(), {}))).code).toBe('no_higher_tier');
      expect((await rejection(t.service.escalate(ticket.number, agent(), { team: 'nope' }))).code).toBe('unknown_team');
      const moved = await t.service.reassign(ticket.number, agent(), { team: 'network', assignee: 'slack:U9' });
      expect(moved).toMatchObject({ tier: 'L2', team: 'network', assignee: 'slack:U9', status: 'assigned' });
      expect(await t.service.list({ team: 'network', status: ['assigned'] })).toHaveLength(1);
      expect(await t.service.list({ assignee: 'slack:U9' })).toHaveLength(1);
      expect(await t.service.list({ tier: 'L1' })).toHaveLength(0);
    });

    it('records replies and notes; the first reply to the requester sets respondedAt', async () => {
      const clock = testClock();
      const t = ticketing((await fresh()).store, { now: clock.now });
      const { ticket } = await acceptOnce(t, 'api:reply');
      const note = await t.service.reply(ticket.number, agent(), { body: 'looking', internal: true });
      expect(note.ticket.respondedAt).toBeUndefined();
      expect(note.message).toMatchObject({ direction: 'out', internal: true });
      clock.set('2026-03-02T10:05:00.000Z');
      const first = await t.service.reply(ticket.number, agent('slack:U7'), { body: 'try again now' });
      expect(first.ticket).toMatchObject({ respondedAt: '2026-03-02T10:05:00.000Z', status: 'in_progress', assignee: 'slack:U7' });
      clock.set('2026-03-02T10:09:00.000Z');
      const second = await t.service.reply(ticket.number, agent('slack:U7'), { body: 'and now?' });
      expect(second.ticket.respondedAt).toBe('2026-03-02T10:05:00.000Z');
      const types = (await t.service.get(ticket.number))!.events.map((e) => e.type);
      expect(types.slice(2)).toEqual(['note', 'replied_out', 'replied_out']);
    });

    it('enqueues one outbox job per matching subscription in the event transaction', async () => {
      const subscriptions: Subscription[] = [
        { jobType: 'notify.team', events: ['routed', 'escalated'] },
        { jobType: 'email.ack', events: ['created'], channels: ['email'] },
      ];
      const t = ticketing((await fresh()).store, { subscriptions });
      const { ticket } = await acceptOnce(t, 'api:jobs');
      // The registry may subscribe after the store was built: the list is read at every event.
      subscriptions.push({ jobType: 'webhook', events: ['escalated'] });
      await t.service.escalate(ticket.number, agent(), {});
      const jobs = await t.outbox.claimDue(10, 60_000);
      const events = (await t.service.get(ticket.number))!.events;
      const routed = events.find((e) => e.type === 'routed')!;
      const escalated = events.find((e) => e.type === 'escalated')!;
      expect(jobs.map((j) => j.key).sort()).toEqual(
        [`notify.team:${escalated.id}`, `notify.team:${routed.id}`, `webhook:${escalated.id}`].sort(),
      );
      expect(jobs[0]).toMatchObject({ type: 'notify.team', ticketId: ticket.id, attempt: 1, status: 'pending' });
      expect(jobs.find((j) => j.eventId === routed.id)?.payload).toMatchObject({ event: 'routed', number: ticket.number });
      // A failing transaction leaves neither the event nor its job behind.
      await expect(
        t.store.withTx(async (tx) => {
          await t.ops.recordEvent(tx, ticket, 'escalated', 'system', {});
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect((await t.outbox.countByStatus()).pending).toBe(3);
    });

    it('enqueues a status subscription only for moves to the statuses it names', async () => {
      const t = ticketing((await fresh()).store, {
        subscriptions: [{ jobType: 'tell.requester', events: ['claimed', 'status_changed', 'closed'], statuses: ['pending', 'closed'] }],
      });
      const { ticket } = await acceptOnce(t, 'api:statuses');
      await t.service.claim(ticket.number, agent());
      await t.service.setPending(ticket.number, agent(), {});
      await t.service.resolve(ticket.number, agent(), { resolution: 'done' });
      await t.service.close(ticket.number, agent());
      const events = (await t.service.get(ticket.number))!.events;
      const jobs = await t.outbox.claimDue(10, 60_000);
      // The claim (to in_progress) made no job to be skipped later; the move to pending and the close did.
      expect(jobs.map((j) => events.find((e) => e.id === j.eventId)?.type).sort()).toEqual(['closed', 'status_changed']);
    });

    it('leases, retries, fails and retries failed outbox jobs', async () => {
      const clock = testClock();
      const t = ticketing((await fresh()).store, { now: clock.now, subscriptions: [{ jobType: 'hook', events: ['created'] }] });
      await acceptOnce(t, 'api:o1');
      await acceptOnce(t, 'api:o2');
      const now = clock.now();
      const [a, b] = await t.outbox.claimDue(10, 30_000, now);
      expect(a && b).toBeTruthy();
      expect(await t.outbox.claimDue(10, 30_000, now)).toHaveLength(0);
      // A runner that died: the lease runs out and the job comes back.
      const later = new Date(now.getTime() + 31_000);
      expect((await t.outbox.claimDue(10, 30_000, later)).map((j) => j.id).sort()).toEqual([a!.id, b!.id].sort());
      await t.outbox.markRetry(a!.id, 'HTTP 503', new Date(later.getTime() + 60_000));
      await t.outbox.markFailed(b!.id, 'HTTP 410 gone');
      expect(await t.outbox.countByStatus()).toEqual({ pending: 1, relayed: 0, done: 0, failed: 1 });
      expect(await t.outbox.claimDue(10, 30_000, new Date(later.getTime() + 59_000))).toHaveLength(0);
      const retried = await t.outbox.claimDue(10, 30_000, new Date(later.getTime() + 60_000));
      expect(retried).toMatchObject([{ id: a!.id, attempts: 1, attempt: 2, lastError: 'HTTP 503' }]);
      await t.outbox.markRelayed([a!.id]);
      expect(await t.outbox.claimDue(10, 30_000, new Date(later.getTime() + 61_000))).toHaveLength(0);
      await t.outbox.markDone(a!.id);
      const failed = await t.outbox.listFailed();
      expect(failed).toMatchObject([{ id: b!.id, status: 'failed', attempts: 1, lastError: 'HTTP 410 gone' }]);
      expect(await t.outbox.retryFailed(b!.id)).toBe(true);
      expect(await t.outbox.retryFailed(b!.id)).toBe(false);
      expect(await t.outbox.countByStatus()).toEqual({ pending: 1, relayed: 0, done: 1, failed: 0 });
      expect(await t.outbox.claimDue(10, 30_000, new Date(later.getTime() + 120_000))).toMatchObject([{ id: b!.id, attempts: 0 }]);
    });

    it('records an effect once, even when recorded concurrently', async () => {
      const t = ticketing((await fresh()).store);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => t.outbox.recordEffect('email.ack:7', { messageId: `<m${i}>` })));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(await t.outbox.getEffect('email.ack:7')).toEqual({ messageId: `<m${winner}>` });
      expect(await t.outbox.getEffect('email.ack:8')).toBeUndefined();
    });

    it('keeps channel state and lets exactly one caller set an absent key', async () => {
      const t = ticketing((await fresh()).store);
      expect(await t.channelState.get('imap:INBOX')).toBeUndefined();
      await t.channelState.set('imap:INBOX', { uidValidity: 7, lastUid: 42 });
      await t.channelState.set('imap:INBOX', { uidValidity: 7, lastUid: 43 });
      expect(await t.channelState.get('imap:INBOX')).toEqual({ uidValidity: 7, lastUid: 43 });
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => t.channelState.setIfAbsent('claim:uid-5', { owner: i })));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await t.channelState.get('claim:uid-5')).toEqual({ owner: claims.indexOf(true) });
    });

    it('sets many channel-state keys in one call, and of those absent, exactly one caller each', async () => {
      const t = ticketing((await fresh()).store);
      await t.channelState.set('claim:uid-2', { owner: 'earlier' });
      const keys = ['claim:uid-1', 'claim:uid-2', 'claim:uid-3'];
      const calls = await Promise.all(['a', 'b', 'c'].map((owner) => t.channelState.setEachIfAbsent(keys.map((k) => [k, { owner }] as const))));
      expect(calls.map((set) => set[1])).toEqual([false, false, false]);
      for (const i of [0, 2]) expect(calls.filter((set) => set[i])).toHaveLength(1);
      expect(await t.channelState.get('claim:uid-2')).toEqual({ owner: 'earlier' });
      await t.channelState.setEach(keys.map((k, i) => [k, { done: i }] as const));
      expect(await Promise.all(keys.map((k) => t.channelState.get(k)))).toEqual([{ done: 0 }, { done: 1 }, { done: 2 }]);
      expect(await t.channelState.setEachIfAbsent([])).toEqual([]);
    });

    it('threads by thread key and by message native id', async () => {
      const t = ticketing((await fresh()).store);
      const { ticket } = await acceptOnce(t, 'api:thr');
      await t.store.withTx(async (tx) => {
        await t.ops.linkThreadKeys(tx, ticket.id, ['slack:C1/171.2', 'slack:C1/171.2']);
        await t.ops.addInboundMessage(tx, await t.ops.lock(tx, ticket), { channel: 'email', body: 'more', nativeId: '<r1@example.com>' }, 'email:ann@example.com');
      });
      const byKey = await t.store.read((q) => t.ops.findTicketByThreadKey(q, 'slack:C1/171.2'));
      const byNative = await t.store.read((q) => t.ops.findTicketByMessageNativeId(q, 'email', '<r1@example.com>'));
      expect(byKey?.id).toBe(ticket.id);
      expect(byNative?.id).toBe(ticket.id);
      expect(await t.store.read((q) => t.ops.findTicketByThreadKey(q, 'slack:C9/1.1'))).toBeUndefined();
      // Our own reply, once delivered, carries the provider's id, so an answer quoting it threads back.
      const { message } = await t.service.reply(ticket.number, agent(), { body: 'fixed?' });
      expect(await t.store.withTx((tx) => t.ops.setMessageNativeId(tx, message.id, 'api:out-1'))).toBe(true);
      expect(await t.store.withTx((tx) => t.ops.setMessageNativeId(tx, message.id, 'api:out-1'))).toBe(true);
      expect((await t.store.read((q) => t.ops.findTicketByMessageNativeId(q, 'api', 'api:out-1')))?.id).toBe(ticket.id);
      expect((await t.directory.openTickets(ticket.requesterId)).map((x) => x.number)).toEqual([ticket.number]);
      // linkThreadKeys keeps a key with its first ticket; moveThreadKey hands it to the newest one.
      const { ticket: next } = await acceptOnce(t, 'api:thr2');
      await t.store.withTx((tx) => t.ops.linkThreadKeys(tx, next.id, ['slack:C1/171.2']));
      expect((await t.store.read((q) => t.ops.findTicketByThreadKey(q, 'slack:C1/171.2')))?.id).toBe(ticket.id);
      await t.store.withTx((tx) => t.ops.moveThreadKey(tx, 'slack:C1/171.2', next.id));
      expect((await t.store.read((q) => t.ops.findTicketByThreadKey(q, 'slack:C1/171.2')))?.id).toBe(next.id);
    });

    it('takes each SLA step once: a warning at 75%, then a breach that escalates to the next tier', async () => {
      const t = ticketing((await fresh()).store, { now: testClock().now });
      const { ticket } = await acceptOnce(t, 'api:sla2', 'ann@example.com', decision({ respondBy: '2026-03-02T10:30:00.000Z' }));
      const at = (iso: string) => new Date(iso);
      expect((await t.sla.pass(at('2026-03-02T10:10:00.000Z'))).events).toEqual([]);
      const soon = await t.sla.pass(at('2026-03-02T10:25:00.000Z'));
      expect(soon.events).toMatchObject([{ type: 'sla_warning', data: { clock: 'respond', due: '2026-03-02T10:30:00.000Z', step: 'warning', share: 0.75 } }]);
      expect((await t.sla.pass(at('2026-03-02T10:26:00.000Z'))).events).toEqual([]);
      const late = await t.sla.pass(at('2026-03-02T10:31:00.000Z'));
      expect(late.events).toMatchObject([{ type: 'sla_breach', ticketId: ticket.id, data: { clock: 'respond', step: 'breach', actions: ['notify', 'card', 'escalate', 'manager'] } }]);
      expect((await t.sla.pass(at('2026-03-02T10:32:00.000Z'))).events).toEqual([]);
      const detail = (await t.service.get(ticket.number))!;
      expect(detail.ticket).toMatchObject({ tier: 'L2', team: 'desktop', status: 'assigned' });
      expect(detail.events.filter((e) => e.type === 'escalated')).toMatchObject([{ actor: 'system', data: { reason: 'sla', clock: 'respond', step: 'breach', fromTier: 'L1', toTier: 'L2', toTeam: 'desktop' } }]);
      await t.service.reply(ticket.number, agent(), { body: 'on it' });
      expect((await t.sla.pass(at('2026-03-02T10:40:00.000Z'))).events).toEqual([]);
      // A pass with nothing due reads nothing: the ticket sits in the index at its next step's instant.
      expect((await t.sla.pass(at('2026-03-02T10:41:00.000Z'))).looked).toBe(0);
    });

    it('stops the respond clock on claim, so a claimed ticket neither warns nor breaches on responding', async () => {
      const clock = testClock('2026-03-02T10:00:00.000Z');
      const t = ticketing((await fresh()).store, { now: clock.now });
      const { ticket } = await acceptOnce(t, 'api:sla4', 'ann@example.com', decision({ respondBy: '2026-03-02T10:30:00.000Z' }));
      const claimed = await t.service.claim(ticket.number, agent());
      expect(claimed.respondedAt).toBe('2026-03-02T10:00:00.000Z');
      const later = await t.sla.pass(new Date('2026-03-02T10:31:00.000Z'));
      expect(later.events.filter((e) => e.data.clock === 'respond')).toEqual([]);
    });

    it('warns at the policy share of the target, so a 1-minute target warns 45 s in, not at 0%', async () => {
      const t = ticketing((await fresh()).store, { now: testClock().now });
      await acceptOnce(t, 'api:sla3', 'ann@example.com', decision({ respondBy: '2026-03-02T10:01:00.000Z' }));
      expect((await t.sla.pass(new Date('2026-03-02T10:00:40.000Z'))).events).toEqual([]);
      expect((await t.sla.pass(new Date('2026-03-02T10:00:46.000Z'))).events).toMatchObject([{ type: 'sla_warning', data: { clock: 'respond' } }]);
    });

    it('warns once per clock when a sweeper dies in the middle of a pass and another store handle sweeps after it', async () => {
      const h = await fresh();
      const { now } = testClock();
      const t = ticketing(h.store, { now });
      for (let i = 0; i < 12; i++) await acceptOnce(t, `api:crash-${i}`, `p${i}@example.com`, decision({ respondBy: '2026-03-02T10:30:00.000Z' }));
      // The process "dies" at the fourth step it claims: the transaction in flight never commits, and
      // nothing it would have done after that runs.
      let claims = 0;
      let dead = false;
      const kill = (tx: Sql): Sql => ({
        ...tx,
        dialect: tx.dialect,
        all: (sql, params) => tx.all(sql, params),
        get: (sql, params) => tx.get(sql, params),
        nextval: (name) => tx.nextval(name),
        run: (sql, params) => {
          if (sql.startsWith('INSERT INTO sla_steps') && ++claims === 4) dead = true;
          return dead ? Promise.reject(new Error('process killed')) : tx.run(sql, params);
        },
      });
      const dying: Store = { ...h.store, dialect: h.store.dialect, withTx: (fn) => (dead ? Promise.reject(new Error('process killed')) : h.store.withTx((tx) => fn(kill(tx)))) };
      const failed: unknown[] = [];
      const first = createTicketing({ store: dying, subscriptions: [], org, calendars, prefixes, now, onSlaError: (err) => failed.push(err) });
      const warnAt = new Date('2026-03-02T10:25:00.000Z');
      expect((await first.sla.pass(warnAt)).events).toEqual([]);
      expect(failed).toHaveLength(12);
      const restarted = ticketing(await h.again(), { now });
      const events = (await Promise.all([restarted.sla.pass(warnAt), t.sla.pass(warnAt)])).flatMap((p) => p.events);
      expect(events).toHaveLength(12);
      const warnings = await h.store.read((q) => q.all<{ ticket_id: string; n: number }>(`SELECT ticket_id, COUNT(*) AS n FROM events WHERE type = 'sla_warning' GROUP BY ticket_id`));
      expect(warnings).toHaveLength(12);
      expect(warnings.every((w) => Number(w.n) === 1)).toBe(true);
    });
  });
}
