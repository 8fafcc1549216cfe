import type { Sql, Store } from '../ticketing/db/sql.js';
import { backlogReport, openTickets } from './backlog.js';
import { complaintsReport } from './complaints.js';
import { drillDownNumbers } from './drill-down.js';
import type { ReportTargets } from './config.js';
import { ticketFacts, type TicketFact } from './facts.js';
import { firstContactReport } from './first-contact.js';
import { callRecords, phoneReport } from './phone.js';
import type { ReportQuery } from './query.js';
import { reassignmentReport } from './reassignments.js';
import { recurringReport } from './recurring.js';
import { ratings, satisfactionReport, surveyedCount } from './satisfaction.js';
import { slaReport } from './sla.js';
import { laterContacts, volumeReport } from './volume.js';

/** What one report may read: the store's reader and the range's ticket facts, read once and shared. */
interface ReportContext {
  q: Sql;
  query: ReportQuery;
  facts(): Promise<readonly TicketFact[]>;
}

/** Report name (its route under /api/v1/reports/) → how it is computed. */
const REPORTS = {
  volume: async (c: ReportContext) => volumeReport(await c.facts(), await laterContacts(c.q, c.query), c.query),
  sla: async (c: ReportContext) => slaReport(await c.facts(), c.query),
  'first-contact': async (c: ReportContext) => firstContactReport(await c.facts(), c.query),
  reassignments: async (c: ReportContext) => reassignmentReport(await c.facts(), c.query),
  backlog: async (c: ReportContext) => backlogReport(await openTickets(c.q, c.query), c.query),
  satisfaction: async (c: ReportContext) => satisfactionReport(await ratings(c.q, c.query), await surveyedCount(c.q, c.query), c.query),
  phone: async (c: ReportContext) => phoneReport(await callRecords(c.q, c.query), c.query),
  recurring: async (c: ReportContext) => recurringReport(c.q, await c.facts(), c.query),
  complaints: async (c: ReportContext) => complaintsReport(await c.facts(), c.query),
};
export type ReportName = keyof typeof REPORTS;
export const REPORT_NAMES = Object.keys(REPORTS) as ReportName[];
export type ReportOf<N extends ReportName> = Awaited<ReturnType<(typeof REPORTS)[N]>>;

/** Where a report's figures came from, so a reader can recompute them. */
export interface ReportHeader {
  range: { from: string; to: string; timezone: string };
  filter: ReportQuery['filter'];
  generatedAt: string;
  targets: ReportTargets;
}

export type Overview = ReportHeader & {
  volumeByChannel: ReportOf<'volume'>['byChannel'];
  volume: Omit<ReportOf<'volume'>, 'byChannel'>;
  slaAttainment: ReportOf<'sla'>;
  firstContactResolution: ReportOf<'first-contact'>;
  reassignments: ReportOf<'reassignments'>;
  backlogByAge: ReportOf<'backlog'>['byAge'];
  backlogByRisk: ReportOf<'backlog'>['byRisk'];
  backlog: Omit<ReportOf<'backlog'>, 'byAge' | 'byRisk'>;
  satisfaction: ReportOf<'satisfaction'>;
  phone: ReportOf<'phone'>;
  recurring: ReportOf<'recurring'>;
  complaints: ReportOf<'complaints'>;
};

export interface Reports {
  overview(query: ReportQuery): Promise<Overview>;
  report<N extends ReportName>(name: N, query: ReportQuery): Promise<ReportHeader & { report: ReportOf<N> }>;
  targets: ReportTargets;
  /** The numbers of the tickets behind a figure, from its link's query string (drill-down.ts). */
  drillDown(raw: Readonly<Record<string, string | undefined>>, ctx: { now: Date; timezone: string }): Promise<string[]>;
}

/** The desk's reports, each computed on request from the event history in one read. */
export function createReports(deps: { store: Store; targets: ReportTargets }): Reports {
  const header = (query: ReportQuery): ReportHeader => ({
    range: { from: query.from.toISOString(), to: query.to.toISOString(), timezone: query.timezone },
    filter: query.filter,
    generatedAt: query.now.toISOString(),
    targets: deps.targets,
  });
  const withContext = <T>(query: ReportQuery, fn: (c: ReportContext) => Promise<T>) =>
    deps.store.read((q) => {
      let facts: Promise<readonly TicketFact[]> | undefined;
      return fn({ q, query, facts: () => (facts ??= ticketFacts(q, query)) });
    });

  return {
    targets: deps.targets,
    drillDown: (raw, ctx) => deps.store.read((q) => drillDownNumbers(q, raw, ctx)),
    report: (name, query) => withContext(query, async (c) => ({ ...header(query), report: (await REPORTS[name](c)) as ReportOf<typeof name> })),
    overview: (query) =>
      withContext(query, async (c) => {
        // One after another: SQLite answers on one connection anyway, and one request holds one pool client at a time.
        const { byChannel, ...volume } = await REPORTS.volume(c);
        const { byAge, byRisk, ...backlog } = await REPORTS.backlog(c);
        return {
          ...header(query),
          volumeByChannel: byChannel,
          volume,
          slaAttainment: await REPORTS.sla(c),
          firstContactResolution: await REPORTS['first-contact'](c),
          reassignments: await REPORTS.reassignments(c),
          backlogByAge: byAge,
          backlogByRisk: byRisk,
          backlog,
          satisfaction: await REPORTS.satisfaction(c),
          phone: await REPORTS.phone(c),
          recurring: await REPORTS.recurring(c),
          complaints: await REPORTS.complaints(c),
        };
      }),
  };
}

export { parseReportQuery, type ReportQuery } from './query.js';
export { isDrillDown } from './drill-down.js';
