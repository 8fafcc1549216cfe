import { SpocError } from '../shared/errors.js';
import { iso, toTs } from './db/codec.js';
import type { Sql, Store } from './db/sql.js';
import { escalateLocked, nextTierTeam } from './escalation.js';
import type { LockedTicket, TicketOps } from './ops.js';
import type { Organisation } from './service.js';
import { planSteps, type OwedStep, type SlaClock, type SlaLadder, type StepTaken } from './sla-plan.js';
import { setSlaNextAt, ticketsWithSlaDue } from './tickets-repo.js';
import type { Ticket, TicketEvent } from './types.js';

export type { SlaClock, SlaEventType } from './sla-plan.js';
export { warnPoint } from './sla-plan.js';

/** The default share of a target at which a clock warns, for policies (and tests) that name none. */
export const DEFAULT_WARN_SHARE = 0.75;

/** What one pass did: the step events it wrote, and the tickets it looked at. */
export interface SlaPass {
  events: TicketEvent[];
  looked: number;
}

/**
 * Turns SLA clocks into steps. Every ticket write marks the ticket "look again" (`sla_next_at`), and the
 * sweeper keeps there the instant of its next step, so a pass reads only the tickets due now through
 * one index, however many are open. A step is taken under the ticket's row lock and claimed by its
 * primary key in `sla_steps`, in the transaction that writes its event and escalation: once per clock,
 * due time and step, whichever process, and whether or not a process died half-way through a pass.
 */
export interface SlaWatch {
  pass(now: Date): Promise<SlaPass>;
}

const BATCH = 500;

export interface SlaWatchDeps {
  store: Store;
  ops: TicketOps;
  org: Organisation;
  /** A policy's steps and escalation settings (gateway.yaml `sla.<policy>.steps`, `.escalation`). */
  ladder: (slaPolicy: string) => SlaLadder;
  /** A ticket whose steps could not be taken this pass (it is tried again on the next). */
  onError?: (err: unknown, ticket: Ticket) => void;
}

export function createSlaWatch(deps: SlaWatchDeps): SlaWatch {
  const { store, ops, org } = deps;

  async function taken(q: Sql, ticketIds: readonly string[]): Promise<Map<string, StepTaken[]>> {
    const byTicket = new Map<string, StepTaken[]>();
    for (let i = 0; i < ticketIds.length; i += BATCH) {
      const ids = ticketIds.slice(i, i + BATCH);
      const rows = await q.all<{ ticket_id: string; clock: string; due: unknown; step: string }>(
        `SELECT ticket_id, clock, due, step FROM sla_steps WHERE ticket_id IN (${ids.map(() => '?').join(', ')})`,
        ids,
      );
      for (const r of rows) byTicket.set(r.ticket_id, [...(byTicket.get(r.ticket_id) ?? []), { clock: r.clock as SlaClock, due: iso(r.due), step: r.step }]);
    }
    return byTicket;
  }

  /** Looks at up to a batch of due tickets: those owing nothing get their next instant now; the owing ones are returned. */
  async function scan(now: Date, skip: ReadonlySet<string>): Promise<{ owing: Ticket[]; looked: Ticket[] }> {
    // Most passes find nothing due: a plain read says so without opening a write transaction.
    const any = await store.read((q) => q.get('SELECT id FROM tickets WHERE sla_next_at <= ? LIMIT 1', [toTs(now)]));
    if (!any) return { owing: [], looked: [] };
    return store.withTx(async (tx) => {
      const looked = await ticketsWithSlaDue(tx, now, BATCH);
      const done = await taken(tx, looked.map((t) => t.id));
      const owing: Ticket[] = [];
      const nextAt = new Map<string | undefined, string[]>();
      for (const ticket of looked) {
        if (skip.has(ticket.id)) continue;
        const plan = planSteps(ticket, deps.ladder(ticket.slaPolicy), done.get(ticket.id) ?? [], now);
        if (plan.owed.length > 0) owing.push(ticket);
        else nextAt.set(plan.nextAt, [...(nextAt.get(plan.nextAt) ?? []), ticket.id]);
      }
      for (const [at, ids] of nextAt) await setSlaNextAt(tx, ids, at);
      return { owing, looked };
    });
  }

  /** The functional escalation of a step: to the next tier's team, or nowhere when the ticket is at the top. */
  async function escalate(tx: Sql, ticket: LockedTicket, owed: OwedStep, ladder: SlaLadder, stepEvent: TicketEvent): Promise<LockedTicket> {
    let team: string;
    try {
      team = nextTierTeam(org, ticket, ladder.escalation.teams);
    } catch (err) {
      if (err instanceof SpocError && err.code === 'no_higher_tier') return ticket;
      throw err;
    }
    return escalateLocked(tx, ops, org, ticket, {
      team,
      actor: 'system',
      data: { reason: 'sla', clock: owed.clock, due: owed.due, step: owed.step.name, stepEventId: stepEvent.id },
    });
  }

  /** Takes a ticket's owed steps, re-planned under its lock. */
  async function take(tx: Sql, ticketId: string, now: Date): Promise<TicketEvent[]> {
    let ticket = await ops.lock(tx, { id: ticketId });
    const ladder = deps.ladder(ticket.slaPolicy);
    const done = (await taken(tx, [ticket.id])).get(ticket.id) ?? [];
    const written: TicketEvent[] = [];
    for (const owed of planSteps(ticket, ladder, done, now).owed) {
      const claimed = await tx.run('INSERT INTO sla_steps (ticket_id, clock, due, step, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [
        ticket.id,
        owed.clock,
        toTs(owed.due),
        owed.step.name,
        toTs(now),
      ]);
      if (claimed !== 1) continue;
      done.push({ clock: owed.clock, due: owed.due, step: owed.step.name });
      const event = await ops.recordEvent(tx, ticket, owed.kind, 'system', {
        clock: owed.clock,
        due: owed.due,
        step: owed.step.name,
        share: owed.step.at,
        actions: owed.step.do,
        // Who held it when the step fell due: the escalation below leaves it unassigned.
        ...(ticket.assignee ? { assignee: ticket.assignee } : {}),
        ...(owed.step.do.includes('manager') ? { managerVia: ladder.escalation.manager } : {}),
      });
      written.push(event);
      if (owed.step.do.includes('escalate')) ticket = await escalate(tx, ticket, owed, ladder, event);
    }
    const after = planSteps(ticket, ladder, done, now);
    // An escalation wrote the ticket (marking it "look again"); with nothing owed, its next instant stands.
    if (after.owed.length === 0) await setSlaNextAt(tx, [ticket.id], after.nextAt);
    return written;
  }

  /**
   * The owing tickets of a batch in one transaction (one commit for a storm of warnings); when that
   * fails, one transaction each, so one bad ticket never holds up the ones behind it.
   */
  async function takeAll(owing: readonly Ticket[], now: Date, failed: Set<string>): Promise<TicketEvent[]> {
    try {
      return await store.withTx(async (tx) => {
        const written: TicketEvent[] = [];
        for (const ticket of owing) written.push(...(await take(tx, ticket.id, now)));
        return written;
      });
    } catch {
      const written: TicketEvent[] = [];
      for (const ticket of owing) {
        try {
          written.push(...(await store.withTx((tx) => take(tx, ticket.id, now))));
        } catch (err) {
          failed.add(ticket.id);
          deps.onError?.(err, ticket);
        }
      }
      return written;
    }
  }

  return {
    async pass(now) {
      const events: TicketEvent[] = [];
      // A ticket whose steps failed this pass stays due; it is not looked at again until the next pass.
      const failed = new Set<string>();
      let looked = 0;
      for (;;) {
        const batch = await scan(now, failed);
        looked += batch.looked.length;
        if (batch.owing.length > 0) events.push(...(await takeAll(batch.owing, now, failed)));
        if (batch.looked.length < BATCH || batch.looked.every((t) => failed.has(t.id))) break;
      }
      return { events, looked };
    },
  };
}
