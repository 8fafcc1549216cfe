import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKey } from '../http/auth.js';
import { guard } from '../http/guard.js';
import { errorResponses } from '../http/api/schemas.js';
import { toCsv } from './csv.js';
import { REPORT_NAMES, type ReportName, type Reports } from './index.js';
import { parseReportQuery } from './query.js';

export interface ReportRoutesDeps {
  keys: ApiKey[];
  reports: Reports;
  timezone: string;
  recurringMinTickets: number;
  now: () => Date;
}

const querystring = {
  type: 'object',
  properties: {
    from: { type: 'string', description: 'a date (a whole day in the desk zone) or an ISO instant; default: 30 days before to' },
    to: { type: 'string', description: 'a date (included) or an ISO instant (excluded); default: now' },
    team: { type: 'string' },
    type: { type: 'string' },
    priority: { type: 'string' },
    channel: { type: 'string' },
    limit: { type: 'integer', description: 'rows per list (counts cover everything)' },
    minTickets: { type: 'integer', description: 'recurring: requesters with more tickets than this' },
    format: { type: 'string', enum: ['json', 'csv'] },
  },
} as const;

/** CSV when asked by `?format=csv` or by an Accept header preferring text/csv. */
function wantsCsv(req: FastifyRequest, format: string | undefined): boolean {
  if (format) return format === 'csv';
  const accept = req.headers.accept ?? '';
  return /(^|,)\s*text\/csv/i.test(accept);
}

/**
 * `GET /api/v1/reports/overview` and one route per report (`/api/v1/reports/sla` …), JSON or CSV, for any
 * agent key: the figures are the desk's own and every one names the tickets behind it.
 */
/** A report is an object of figures (or CSV); a bad range or filter is 400. */
const reportResponses = { 200: { type: 'object', additionalProperties: true }, ...errorResponses(400, 401, 403) };

export async function reportRoutes(app: FastifyInstance, deps: ReportRoutesDeps): Promise<void> {
  const readers = guard(deps.keys, 'agent');
  const parse = (req: FastifyRequest) => parseReportQuery(req.query, { now: deps.now(), timezone: deps.timezone, minTickets: deps.recurringMinTickets });
  const send = (req: FastifyRequest, reply: FastifyReply, name: string, format: string | undefined, body: unknown) => {
    if (!wantsCsv(req, format)) return body;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="spoc-${name}.csv"`)
      .send(toCsv(name, body));
  };

  app.get('/api/v1/reports/overview', { preHandler: readers, schema: { tags: ['reports'], summary: 'Every report of the range in one object (CSV with Accept: text/csv or ?format=csv)', querystring, response: reportResponses } }, async (req, reply) => {
    const query = parse(req);
    return send(req, reply, 'overview', query.format, await deps.reports.overview(query));
  });
  for (const name of REPORT_NAMES) {
    app.get(`/api/v1/reports/${name}`, { preHandler: readers, schema: { tags: ['reports'], summary: `The ${name} report (CSV with Accept: text/csv or ?format=csv)`, querystring, response: reportResponses } }, async (req, reply) => {
      const query = parse(req);
      return send(req, reply, name, query.format, await deps.reports.report(name as ReportName, query));
    });
  }
}
