import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { parseReportQuery, type Reports } from '../../reports/index.js';
import { requireStaff, type DeskAuth } from '../guard.js';
import { layout, type Lang } from '../pages.js';
import { dashboardAssets, serveAssets } from './assets.js';
import { dashboardLabels } from './labels.js';
import { dashboardBody } from './page.js';

export interface DashboardDeps {
  auth: DeskAuth;
  reports: Reports;
  timezone: string;
  refreshSeconds: number;
  recurringMinTickets: number;
  /** gateway.yaml's teams (the filter's choices) and types, for their names. */
  teams: Record<string, { name: string }>;
  types: ReadonlyArray<{ id: string; name: { zh: string; en: string } }>;
  now: () => Date;
}

/** Scripts and styles from this site only; the figures are fetched from it. Nothing inline runs. */
const dashboardCsp = (nonce: string) =>
  `default-src 'none'; script-src 'self'; style-src 'self' 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

type DashboardQuery = { from?: string; to?: string; team?: string; lang?: string };

/**
 * `GET /desk/dashboard` for managers: the overview of a range and team as charts and numbers, each opening
 * the queue at the tickets it counts. The page fetches `GET /desk/dashboard/data` (the overview, with the
 * staff session instead of an API key) and again every `refreshSeconds`.
 */
export function dashboardRoutes(deps: DashboardDeps) {
  const assets = dashboardAssets();
  const managers = requireStaff(deps.auth, 'manager');
  const langOf = (req: FastifyRequest<{ Querystring: DashboardQuery }>): Lang =>
    req.query.lang === 'zh' || req.query.lang === 'en' ? req.query.lang : (req.staffSession?.staff.language ?? 'en');
  const parse = (query: unknown) => parseReportQuery(query, { now: deps.now(), timezone: deps.timezone, minTickets: deps.recurringMinTickets });

  return async (app: FastifyInstance) => {
    serveAssets(app, Object.values(assets));

    app.get<{ Querystring: DashboardQuery }>('/desk/dashboard/data', { preHandler: managers, schema: { hide: true } }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return deps.reports.overview(parse(req.query));
    });

    app.get<{ Querystring: DashboardQuery }>('/desk/dashboard', { preHandler: managers, schema: { hide: true } }, async (req, reply) => {
      const lang = langOf(req);
      const today = DateTime.fromJSDate(deps.now(), { zone: deps.timezone });
      const form = { from: req.query.from || today.minus({ days: 29 }).toISODate()!, to: req.query.to || today.toISODate()!, team: req.query.team ?? '' };
      parse({ from: form.from, to: form.to, team: form.team || undefined }); // a bad range is a 400 here, not an empty page
      const { text, keys } = dashboardLabels(lang, { teams: Object.fromEntries(Object.entries(deps.teams).map(([id, t]) => [id, t.name])), types: Object.fromEntries(deps.types.map((t) => [t.id, t.name])) });
      const data = new URLSearchParams({ from: form.from, to: form.to, ...(form.team ? { team: form.team } : {}) });
      const other: Lang = lang === 'zh' ? 'en' : 'zh';
      const body = dashboardBody({
        lang,
        text,
        targets: deps.reports.targets,
        form,
        teams: Object.keys(deps.teams).map((id) => ({ id, label: keys[id] ?? id })),
        otherLang: { href: `/desk/dashboard?${new URLSearchParams({ ...Object.fromEntries(data), lang: other })}`, label: other === 'zh' ? '中文' : 'English' },
        assets: { echarts: assets.echarts.path, script: assets.script.path, css: assets.css.path },
        config: { lang, scope: `${form.from} – ${form.to} · ${form.team ? (keys[form.team] ?? form.team) : text.allTeams}`, timezone: deps.timezone, dataUrl: `/desk/dashboard/data?${data}`, refreshSeconds: deps.refreshSeconds, targets: deps.reports.targets, text, keys },
      });
      const nonce = randomBytes(16).toString('base64');
      const s = req.staffSession!;
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', dashboardCsp(nonce))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(layout({ lang, title: text.title, nonce, body, csrf: s.csrf, who: `${s.staff.name} (${s.staff.role})` }));
    });
  };
}
