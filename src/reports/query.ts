import { DateTime } from 'luxon';
import { z } from 'zod';
import { SpocError } from '../shared/errors.js';
import type { SqlValue } from '../ticketing/db/sql.js';

/** What every report is asked: a range of creation (or rating, or call) times and the ticket dimensions to keep. */
export interface ReportQuery {
  from: Date;
  /** Exclusive. */
  to: Date;
  filter: ReportFilter;
  /** How many tickets a list shows (the counts always cover all of them). */
  limit: number;
  /** Recurring problems: requesters with more than this many tickets in the range. */
  minTickets: number;
  /** The report's "now": backlog ages and running SLA clocks are measured to it. */
  now: Date;
  /** The desk's time zone: days and hours are the desk's own. */
  timezone: string;
}

/** Ticket dimensions a report is cut by; each matches the ticket's current value. */
export interface ReportFilter {
  team?: string;
  type?: string;
  priority?: string;
  channel?: string;
}
export const FILTER_KEYS = ['team', 'type', 'priority', 'channel'] as const satisfies ReadonlyArray<keyof ReportFilter>;

const DAY_MS = 86_400_000;
const MAX_DAYS = 400;
/** A team, type or other catalogue name in a query string. */
export const name = z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits, . _ - only');

export const reportQuerySchema = z.strictObject({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  team: name.optional(),
  type: name.optional(),
  priority: name.optional(),
  channel: name.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(20),
  minTickets: z.coerce.number().int().min(1).max(1000).optional(),
  format: z.enum(['json', 'csv']).optional(),
  lang: z.enum(['zh', 'en']).optional(),
});
export type ReportQueryInput = z.input<typeof reportQuerySchema>;

/**
 * A date (`2026-03-01`, a whole day in the desk's zone; as `to` it includes that day) or an ISO instant.
 */
function instant(value: string, zone: string, field: 'from' | 'to'): Date {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const t = day ? DateTime.fromISO(value, { zone }) : DateTime.fromISO(value, { setZone: true });
  if (!t.isValid) throw new SpocError('invalid_range', `${field}: ${JSON.stringify(value)} is not a date or an ISO instant`, 400);
  return (day && field === 'to' ? t.plus({ days: 1 }) : t).toJSDate();
}

/** Reads a report's query string; bad input is a 400 naming the field. Without `from`/`to`: the 30 days to now. */
export function parseReportQuery(raw: unknown, ctx: { now: Date; timezone: string; minTickets: number }): ReportQuery & { format?: 'json' | 'csv'; lang?: 'zh' | 'en' } {
  const parsed = reportQuerySchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SpocError('invalid_request', `${issue.path.join('.') || 'query'}: ${issue.message}`, 400);
  }
  const q = parsed.data;
  const to = q.to ? instant(q.to, ctx.timezone, 'to') : ctx.now;
  const from = q.from ? instant(q.from, ctx.timezone, 'from') : new Date(to.getTime() - 30 * DAY_MS);
  if (from.getTime() >= to.getTime()) throw new SpocError('invalid_range', 'from must be before to', 400);
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS) throw new SpocError('invalid_range', `a report covers at most ${MAX_DAYS} days`, 400);
  const filter: ReportFilter = {};
  for (const key of FILTER_KEYS) if (q[key] !== undefined) filter[key] = q[key];
  return { from, to, filter, limit: q.limit, minTickets: q.minTickets ?? ctx.minTickets, now: ctx.now, timezone: ctx.timezone, format: q.format, lang: q.lang };
}

/** The filter as SQL on the tickets table aliased `t`. */
export function filterSql(filter: ReportFilter): { where: string; params: SqlValue[] } {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value === undefined) continue;
    parts.push(`t.${key} = ?`);
    params.push(value);
  }
  return { where: parts.map((p) => ` AND ${p}`).join(''), params };
}
