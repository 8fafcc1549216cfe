import type { Sql } from '../ticketing/db/sql.js';
import { iso } from '../ticketing/db/codec.js';
import { LOW_SCORE_UP_TO, REPORT_EVENTS, SATISFIED_FROM } from './event-names.js';
import { queueLink, ticketLink } from './links.js';
import { filterSql, type ReportQuery } from './query.js';
import { jsonText, num, typeIn } from './sql.js';
import { mean, percent } from './stats.js';

export interface Rating {
  number: string;
  team: string;
  score: number;
  comment: string | null;
  at: string;
}

export interface SatisfactionReport {
  /** Tickets rated in the range (a ticket rated twice counts once, with its last score). */
  rated: number;
  meanScore: number | null;
  satisfied: number;
  /** Scores of 4–5 as a share of the rated. */
  satisfiedPercent: number | null;
  /** Tickets sent a survey in the range; the response rate is rated over surveyed (null before any survey was sent). */
  surveyed: number;
  responseRate: number | null;
  distribution: Array<{ key: string; tickets: number; link: string }>;
  lowScoreCount: number;
  lowScores: Array<Rating & { link: string }>;
  link: string;
}

/** The last rating of each ticket rated in the range. */
export async function ratings(q: Sql, query: ReportQuery): Promise<Rating[]> {
  const f = filterSql(query.filter);
  const rows = await q.all(
    `SELECT t.number, t.team, ${jsonText(q.dialect, 'e.data', 'score')} AS score, ${jsonText(q.dialect, 'e.data', 'comment')} AS comment, e.at
       FROM events e JOIN tickets t ON t.id = e.ticket_id
      WHERE e.type ${typeIn(REPORT_EVENTS.rated)} AND e.at >= ? AND e.at < ?${f.where} ORDER BY e.id`,
    [query.from.toISOString(), query.to.toISOString(), ...f.params],
  );
  const last = new Map<string, Rating>();
  for (const r of rows) {
    const number = String(r.number);
    last.set(number, { number, team: String(r.team), score: num(r.score), comment: r.comment === null ? null : String(r.comment), at: iso(r.at) });
  }
  return [...last.values()];
}

export async function surveyedCount(q: Sql, query: ReportQuery): Promise<number> {
  const f = filterSql(query.filter);
  const row = await q.get<{ n: unknown }>(
    `SELECT COUNT(DISTINCT e.ticket_id) AS n FROM events e JOIN tickets t ON t.id = e.ticket_id
      WHERE e.type ${typeIn(REPORT_EVENTS.surveyed)} AND e.at >= ? AND e.at < ?${f.where}`,
    [query.from.toISOString(), query.to.toISOString(), ...f.params],
  );
  return num(row?.n);
}

export function satisfactionReport(rated: readonly Rating[], surveyed: number, query: ReportQuery): SatisfactionReport {
  // Ratings are placed by when they were given, not when their tickets were opened.
  const link = (extra: Record<string, string | number> = {}) =>
    queueLink(query, { ratedFrom: query.from.toISOString(), ratedTo: query.to.toISOString(), ...extra }, { range: false });
  const satisfied = rated.filter((r) => r.score >= SATISFIED_FROM).length;
  const low = rated.filter((r) => r.score <= LOW_SCORE_UP_TO).sort((a, b) => a.score - b.score || a.at.localeCompare(b.at));
  return {
    rated: rated.length,
    meanScore: mean(rated.map((r) => r.score)),
    satisfied,
    satisfiedPercent: percent(satisfied, rated.length),
    surveyed,
    responseRate: surveyed > 0 ? percent(rated.length, surveyed) : null,
    distribution: [1, 2, 3, 4, 5].map((score) => ({ key: String(score), tickets: rated.filter((r) => r.score === score).length, link: link({ score }) })),
    lowScoreCount: low.length,
    lowScores: low.slice(0, query.limit).map((r) => ({ ...r, link: ticketLink(r.number) })),
    link: link(),
  };
}
