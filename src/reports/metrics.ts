import type { Metrics } from '../shared/metrics.js';
import type { Store } from '../ticketing/db/sql.js';
import { backlogReport, openTickets, riskBand } from './backlog.js';
import { ratings, satisfactionReport } from './satisfaction.js';

const WEEK_MS = 7 * 86_400_000;

/**
 * Prometheus gauges for Grafana alerts: open backlog by team and priority, tickets at SLA risk and
 * breached, satisfaction over the last 7 days. One computation serves every gauge and is reused for
 * `cacheSeconds`, so a scrape costs no query most of the time and never a scan of the events.
 */
export function registerReportGauges(metrics: Metrics, deps: { store: Store; now: () => Date; cacheSeconds: number; timezone: string }): void {
  let cached: { at: number; value: Promise<Snapshot> } | undefined;
  const snapshot = () => {
    const now = deps.now();
    if (!cached || now.getTime() - cached.at > deps.cacheSeconds * 1000) cached = { at: now.getTime(), value: compute(now) };
    return cached.value;
  };
  type Snapshot = Awaited<ReturnType<typeof compute>>;
  function compute(now: Date) {
    return deps.store.read(async (q) => {
      const open = await openTickets(q, { filter: {} });
      const week = { from: new Date(now.getTime() - WEEK_MS), to: now, filter: {}, now, limit: 0, minTickets: 1, timezone: deps.timezone };
      const rated = await ratings(q, week);
      return { open, backlog: backlogReport(open, week), satisfaction: satisfactionReport(rated, 0, week), now };
    });
  }
  metrics.gauge('spoc_backlog_open', 'Open tickets by team and priority', ['team', 'priority'], async (g) => {
    g.reset();
    for (const r of (await snapshot()).backlog.byTeamPriority) g.set({ team: r.team, priority: r.priority }, r.tickets);
  });
  metrics.gauge('spoc_sla_tickets', 'Open tickets by SLA risk band of their running clock (50-75, 75-100, breached) and team', ['band', 'team'], async (g) => {
    g.reset();
    const s = await snapshot();
    const counts = new Map<string, number>();
    for (const t of s.open) {
      const band = riskBand(t, s.now);
      if (band !== 'ok') counts.set(`${band}\u0000${t.team}`, (counts.get(`${band}\u0000${t.team}`) ?? 0) + 1);
    }
    for (const [key, n] of counts) {
      const [band, team] = key.split('\u0000') as [string, string];
      g.set({ band, team }, n);
    }
  });
  metrics.gauge('spoc_satisfaction_7d', 'Ratings of the last 7 days: mean score, satisfied percent (4-5) and count', ['figure'], async (g) => {
    const { satisfaction } = await snapshot();
    g.set({ figure: 'rated' }, satisfaction.rated);
    if (satisfaction.meanScore !== null) g.set({ figure: 'mean' }, satisfaction.meanScore);
    if (satisfaction.satisfiedPercent !== null) g.set({ figure: 'satisfied_percent' }, satisfaction.satisfiedPercent);
  });
}
