import { z } from 'zod';
import { SpocError } from '../shared/errors.js';
import type { Sql } from '../ticketing/db/sql.js';
import { AGE_BUCKETS, ageBucket, openTickets, RISK_BANDS, riskBand } from './backlog.js';
import { ticketFacts, type TicketFact } from './facts.js';
import { isFirstContact } from './first-contact.js';
import { localDayHour } from './local-hour.js';
import { name, parseReportQuery, reportQuerySchema } from './query.js';
import { BUCKETS, bucketOf } from './reassignments.js';
import { ratings } from './satisfaction.js';
import { outcome } from './sla.js';

/**
 * The tickets behind one figure of a report, for the staff queue. A figure's link (links.ts) carries the
 * report's range and filter and what the figure selects; the queue's own filters (status, team,
 * requester …) it reads itself. The selection is made by the same code that counted the figure, so the
 * list opened from a number holds exactly the tickets that number counts.
 */
const CLOCK_SLA = ['respond_met', 'respond_breached', 'respond_running', 'resolve_met', 'resolve_breached', 'resolve_running'] as const;

// The report's range and filters, read as the report reads them, and what a figure selects within them.
const drillSchema = z.object({
  ...reportQuerySchema.pick({ from: true, to: true, team: true, type: true, priority: true, channel: true }).shape,
  category: name.optional(),
  service: name.optional(),
  hour: z.string().regex(/^([01]\d|2[0-3])$/, 'two digits, 00–23').optional(),
  sla: z.enum([...CLOCK_SLA, 'breached', 'at_risk']).optional(),
  fcr: z.literal('1').optional(),
  reassigned: z.enum(BUCKETS).optional(),
  age: z.enum(AGE_BUCKETS.map((b) => b.key) as [string, ...string[]]).optional(),
  risk: z.enum(RISK_BANDS).optional(),
  ratedFrom: z.string().max(40).optional(),
  ratedTo: z.string().max(40).optional(),
  score: z.enum(['1', '2', '3', '4', '5']).optional(),
});
type Drill = z.output<typeof drillSchema>;

/** Names only a figure's link uses; any of them makes a queue request a drill-down. */
const DRILL_KEYS = ['from', 'to', 'type', 'category', 'service', 'hour', 'fcr', 'reassigned', 'age', 'risk', 'ratedFrom', 'ratedTo', 'score'] as const;

/**
 * A drill-down, or the queue's own listing? `sla=breached` alone is the queue's (open and past due now);
 * with a range, or as one clock's outcome (`respond_met` …), it is the SLA report's.
 */
export function isDrillDown(raw: Readonly<Record<string, string | undefined>>): boolean {
  return DRILL_KEYS.some((k) => raw[k]) || (raw.sla !== undefined && (CLOCK_SLA as readonly string[]).includes(raw.sla));
}

function parse(raw: Readonly<Record<string, string | undefined>>): Drill {
  const present = Object.fromEntries(Object.entries(raw).filter(([k, v]) => v && k in drillSchema.shape));
  const parsed = drillSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SpocError('invalid_request', `${issue.path.join('.')}: ${issue.message}`, 400);
  }
  if (parsed.data.sla === 'at_risk' && isDrillDown(present)) {
    throw new SpocError('invalid_request', 'sla: at_risk is the open queue’s filter; a report’s figure uses risk=50-75|75-100|breached', 400);
  }
  return parsed.data;
}

/** The tickets created in the range (default: the 30 days to now) that the figure's selectors keep. */
function factSelector(d: Drill, timezone: string): ((f: TicketFact) => boolean) | undefined {
  const tests: Array<(f: TicketFact) => boolean> = [];
  if (d.category) tests.push((f) => f.category === d.category);
  if (d.service) tests.push((f) => f.service === d.service);
  const toLocal = localDayHour(timezone);
  if (d.hour) tests.push((f) => toLocal(f.createdAt).hour === d.hour);
  if (d.fcr) tests.push(isFirstContact);
  if (d.reassigned) tests.push((f) => bucketOf(f.reassignments) === d.reassigned);
  return tests.length ? (f) => tests.every((t) => t(f)) : undefined;
}

/**
 * The numbers of the tickets a figure's link selects, in no particular order (the queue sorts and pages
 * them). Each source the link names (created in a range, rated in a range, open now) gives a set; the
 * answer is their intersection.
 */
export async function drillDownNumbers(q: Sql, raw: Readonly<Record<string, string | undefined>>, ctx: { now: Date; timezone: string }): Promise<string[]> {
  const d = parse(raw);
  const base = { team: d.team, type: d.type, priority: d.priority, channel: d.channel };
  const reportQuery = (from?: string, to?: string) => parseReportQuery({ from, to, ...base }, { ...ctx, minTickets: 1 });
  const sets: Array<Set<string>> = [];

  const rated = d.ratedFrom || d.ratedTo || d.score;
  const open = d.age || d.risk;
  if (rated) {
    const scored = (await ratings(q, reportQuery(d.ratedFrom, d.ratedTo))).filter((r) => !d.score || r.score === Number(d.score));
    sets.push(new Set(scored.map((r) => r.number)));
  }
  if (open) {
    const tickets = (await openTickets(q, reportQuery())).filter((t) => (!d.age || ageBucket(t, ctx.now) === d.age) && (!d.risk || riskBand(t, ctx.now) === d.risk));
    sets.push(new Set(tickets.map((t) => t.number)));
  }
  if (d.from || d.to || (!rated && !open)) {
    const select = factSelector(d, ctx.timezone);
    const sla = d.sla === 'breached' || d.sla?.includes('_') ? d.sla : undefined;
    const now = ctx.now;
    const facts = (await ticketFacts(q, reportQuery(d.from, d.to))).filter((f) => {
      if (select && !select(f)) return false;
      if (sla === 'breached') return outcome(f, 'respond', now) === 'breached' || outcome(f, 'resolve', now) === 'breached';
      if (sla) {
        const [clock, result] = sla.split('_') as ['respond' | 'resolve', ReturnType<typeof outcome>];
        return outcome(f, clock, now) === result;
      }
      return true;
    });
    sets.push(new Set(facts.map((f) => f.number)));
  }
  const [first, ...rest] = sets;
  return [...first!].filter((n) => rest.every((s) => s.has(n)));
}
