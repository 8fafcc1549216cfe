import type { Sql } from '../ticketing/db/sql.js';
import { iso } from '../ticketing/db/codec.js';
import { OPEN_STATUSES } from '../ticketing/types.js';
import { queueLink } from './links.js';
import { filterSql, type ReportQuery } from './query.js';
import { isoOrNull, marks } from './sql.js';

const HOUR = 3_600_000;
export const AGE_BUCKETS = [
  { key: 'lt4h', under: 4 * HOUR },
  { key: 'lt1d', under: 24 * HOUR },
  { key: 'lt3d', under: 72 * HOUR },
  { key: 'lt7d', under: 168 * HOUR },
  { key: 'older', under: Infinity },
] as const;
/** Bands of the running clock's elapsed share of its allowed time; below 50% is not at risk. */
export const RISK_BANDS = ['ok', '50-75', '75-100', 'breached'] as const;
export type RiskBand = (typeof RISK_BANDS)[number];

export interface OpenTicket {
  number: string;
  team: string;
  priority: string;
  status: string;
  createdAt: string;
  respondBy: string;
  resolveBy: string;
  respondedAt: string | null;
  pausedAt: string | null;
}

export interface BacklogReport {
  /** Open now (the report's now), whatever the range: a backlog is a state, not a period. */
  open: number;
  link: string;
  byAge: Array<{ key: (typeof AGE_BUCKETS)[number]['key']; tickets: number; link: string }>;
  byRisk: Array<{ key: RiskBand; tickets: number; link: string }>;
  /** Open tickets by team and priority (what the Prometheus gauge exports). */
  byTeamPriority: Array<{ key: string; team: string; priority: string; tickets: number; link: string }>;
}

/** The open tickets matching the filter, from the status index. */
export async function openTickets(q: Sql, query: Pick<ReportQuery, 'filter'>): Promise<OpenTicket[]> {
  const f = filterSql(query.filter);
  const rows = await q.all(
    `SELECT t.number, t.team, t.priority, t.status, t.created_at, t.respond_by, t.resolve_by, t.responded_at, t.sla_paused_at
       FROM tickets t WHERE t.status IN (${marks(OPEN_STATUSES)})${f.where}`,
    [...OPEN_STATUSES, ...f.params],
  );
  return rows.map((r) => ({
    number: String(r.number),
    team: String(r.team),
    priority: String(r.priority),
    status: String(r.status),
    createdAt: iso(r.created_at),
    respondBy: iso(r.respond_by),
    resolveBy: iso(r.resolve_by),
    respondedAt: isoOrNull(r.responded_at),
    pausedAt: isoOrNull(r.sla_paused_at),
  }));
}

/**
 * The band of the clock that is running: respond until the first answer, then resolve. A paused resolve
 * clock (pending) stands where it stopped.
 */
export function riskBand(t: OpenTicket, now: Date): RiskBand {
  const due = Date.parse(t.respondedAt ? t.resolveBy : t.respondBy);
  const at = t.respondedAt && t.pausedAt ? Date.parse(t.pausedAt) : now.getTime();
  const start = Date.parse(t.createdAt);
  if (at > due) return 'breached';
  const share = due > start ? (at - start) / (due - start) : 1;
  return share >= 0.75 ? '75-100' : share >= 0.5 ? '50-75' : 'ok';
}

export function ageBucket(t: OpenTicket, now: Date): BacklogReport['byAge'][number]['key'] {
  const age = now.getTime() - Date.parse(t.createdAt);
  return AGE_BUCKETS.find((b) => age < b.under)!.key;
}

export function backlogReport(open: readonly OpenTicket[], query: Pick<ReportQuery, 'filter' | 'now' | 'from' | 'to'>): BacklogReport {
  const link = (extra: Record<string, string>) => queueLink(query, { status: 'open', ...extra }, { range: false });
  const teamPriority = new Map<string, { team: string; priority: string; tickets: number }>();
  for (const t of open) {
    const key = `${t.team}\u0000${t.priority}`;
    const row = teamPriority.get(key) ?? { team: t.team, priority: t.priority, tickets: 0 };
    row.tickets++;
    teamPriority.set(key, row);
  }
  return {
    open: open.length,
    link: link({}),
    byAge: AGE_BUCKETS.map(({ key }) => ({ key, tickets: open.filter((t) => ageBucket(t, query.now) === key).length, link: link({ age: key }) })),
    byRisk: RISK_BANDS.map((key) => ({ key, tickets: open.filter((t) => riskBand(t, query.now) === key).length, link: link({ risk: key }) })),
    byTeamPriority: [...teamPriority.values()]
      .sort((a, b) => a.team.localeCompare(b.team) || a.priority.localeCompare(b.priority))
      .map((r) => ({ key: `${r.team}/${r.priority}`, ...r, link: link({ team: r.team, priority: r.priority }) })),
  };
}
