import { FILTER_KEYS, type ReportQuery } from './query.js';

/**
 * The staff queue's query string for the tickets behind a figure: the report's range (of creation) and
 * filter, plus what the figure selects (`status`, `sla`, `age`, `risk` …). The queue (`/desk`) reads
 * the same names, so a number on the dashboard opens the tickets it counts.
 */
export type LinkParams = Record<string, string | number | undefined>;

export function queueLink(q: Pick<ReportQuery, 'from' | 'to' | 'filter'>, extra: LinkParams = {}, opts: { range?: boolean } = {}): string {
  const params = new URLSearchParams();
  if (opts.range !== false) {
    params.set('from', q.from.toISOString());
    params.set('to', q.to.toISOString());
  }
  for (const key of FILTER_KEYS) {
    const value = q.filter[key];
    if (value !== undefined && extra[key] === undefined) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) params.set(key, String(value));
  return `/desk?${params.toString()}`;
}

export const ticketLink = (number: string): string => `/desk/tickets/${encodeURIComponent(number)}`;
