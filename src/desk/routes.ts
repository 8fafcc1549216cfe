import { escapeHtml } from '../shared/html.js';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import nodemailer from 'nodemailer';
import type { AttachmentStore, IncidentPort } from '../channels/types.js';
import type { Channel } from '../intake/record.js';
import type { Priority } from '../router/types.js';
import { notFound, SpocError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { TicketService } from '../ticketing/service-types.js';
import { isDrillDown, type Reports } from '../reports/index.js';
import { OPEN_STATUSES, type TicketStatus } from '../ticketing/types.js';
import type { DeskConfig } from './config.js';
import { createFailureLimiter } from './failures.js';
import { clearSessionCookie, requireStaff, sessionCookieName, setSessionCookie, staffActor } from './guard.js';
import type { Desk } from './index.js';
import { queueTable, text, ticketBody } from './pages.js';
import { langOf, sendPage as page } from './send-page.js';
import { oidcRoutes } from './oidc-routes.js';

export interface DeskRouteDeps {
  /** Major incidents: the ticket page shows a parent or children and can declare one on a fault ticket. */
  incidents?: Pick<IncidentPort, 'declare'> & { relations(ticketId: string): Promise<{ parent?: string; children?: string[] }> };
  desk: Desk;
  tickets: TicketService;
  attachments: AttachmentStore;
  config: DeskConfig;
  /** The desk's IANA time zone: every time on the pages is shown in it. */
  timezone: string;
  publicBaseUrl: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** The dashboard's figures link to the queue; the queue asks the reports which tickets a figure counts. */
  reports: Reports;
  now: () => Date;
}

/** Only a path on this site: a sign-in never redirects elsewhere. */
const safeNext = (next: unknown): string => (typeof next === 'string' && /^\/desk(\/|\?|$)/.test(next) ? next : '/desk');

/** The staff web: sign-in by emailed link, the queue, the ticket page and its actions, attachments. */
export function deskRoutes(deps: DeskRouteDeps) {
  const { desk } = deps;
  const mail = deps.env.SMTP_URL && deps.env.MAIL_FROM ? nodemailer.createTransport(deps.env.SMTP_URL) : undefined;
  const failures = createFailureLimiter({ max: deps.config.failedSignIns.max, windowMs: deps.config.failedSignIns.windowMinutes * 60_000 });
  const staffOnly = requireStaff(desk.auth);
  // A link, not a form: the browser goes on to the provider, which the pages' CSP form-action would stop.
  const sso = (lang: 'zh' | 'en', next: unknown) =>
    desk.oidc ? `<p>${text(lang, 'or')}</p><p><a id="sso" href="/desk/sign-in/oidc?next=${encodeURIComponent(safeNext(next))}">${escapeHtml(desk.oidc.label[lang])}</a></p>` : '';

  return async (app: FastifyInstance) => {
    await app.register(formbody);
    if (desk.oidc) await oidcRoutes(app, { oidc: desk.oidc, staff: desk.staff, sessions: desk.sessions, auth: desk.auth, failures, safeNext, publicBaseUrl: deps.publicBaseUrl });

    app.get<{ Querystring: { next?: string } }>('/desk/sign-in', { schema: { hide: true } }, async (req, reply) => {
      const lang = langOf(req);
      return page(reply, lang, text(lang, 'signIn'), `<h1>${text(lang, 'signIn')}</h1><form method="post" action="/desk/sign-in/link">
<input type="hidden" name="next" value="${escapeHtml(safeNext(req.query.next))}"><label for="email">${text(lang, 'email')}</label><br>
<input id="email" name="email" type="email" autocomplete="email" required><br><button>${text(lang, 'sendLink')}</button></form>${sso(lang, req.query.next)}`);
    });

    app.post<{ Body: { email?: string; next?: string } }>('/desk/sign-in/link', { schema: { hide: true } }, async (req, reply) => {
      const lang = langOf(req);
      const email = String(req.body?.email ?? '').trim().toLowerCase();
      const wait = Math.max(failures.blockedFor(`ip:${req.ip}`), failures.blockedFor(`email:${email}`));
      if (wait > 0) throw new SpocError('rate_limited', `too many sign-in attempts; retry in ${Math.ceil(wait / 1000)} s`, 429);
      const staff = email ? await desk.staff.findActive(email) : undefined;
      if (!staff) {
        failures.fail(`ip:${req.ip}`);
      } else if (mail) {
        const token = await desk.links.issue(staff, safeNext(req.body?.next));
        const url = `${deps.publicBaseUrl}/desk/sign-in/link/${token}`;
        await mail.sendMail({ from: deps.env.MAIL_FROM, to: staff.email, subject: staff.language === 'zh' ? '服务台登录链接' : 'Your service desk sign-in link', text: `${url}\n` });
      } else {
        req.log.warn('desk: SMTP_URL or MAIL_FROM not set, no sign-in link sent');
      }
      // The same answer for every address, so the form does not tell who has an account.
      return page(reply, lang, text(lang, 'signIn'), `<p role="status">${text(lang, 'sent')}</p>`);
    });

    // A GET only shows a button: mail scanners that open links do not use up the one-time token.
    app.get<{ Params: { token: string } }>('/desk/sign-in/link/:token', { schema: { hide: true } }, async (req, reply) => {
      const lang = langOf(req);
      return page(reply, lang, text(lang, 'signIn'), `<form method="post"><button autofocus>${text(lang, 'confirm')}</button></form>`);
    });

    app.post<{ Params: { token: string } }>('/desk/sign-in/link/:token', { schema: { hide: true } }, async (req, reply) => {
      const lang = langOf(req);
      const key = `ip:${req.ip}`;
      if (failures.blockedFor(key) > 0) throw new SpocError('rate_limited', 'too many failed sign-ins; retry later', 429);
      const used = await desk.links.consume(req.params.token);
      // One row by id: a sign-in never reads the whole staff list.
      const found = used && (await desk.staff.findById(used.staffId));
      const staff = found && !found.disabledAt ? found : undefined;
      if (!used || !staff) {
        failures.fail(key);
        return page(reply, lang, text(lang, 'signIn'), `<p role="alert">${text(lang, 'bad')}</p><p><a href="/desk/sign-in">${text(lang, 'signIn')}</a></p>`, undefined, 400);
      }
      failures.clear(key);
      const { token } = await desk.sessions.create(staff, 'link');
      setSessionCookie(reply, desk.auth, token);
      return reply.redirect(safeNext(used.next), 303);
    });

    app.post('/desk/sign-out', { preHandler: staffOnly, schema: { hide: true } }, async (req, reply) => {
      const token = req.cookies[sessionCookieName(desk.auth)];
      if (token) await desk.sessions.destroy(token);
      clearSessionCookie(reply, desk.auth);
      return reply.redirect('/desk/sign-in', 303);
    });

    app.get<{ Querystring: Record<string, string | undefined> }>('/desk', { preHandler: staffOnly, schema: { hide: true } }, async (req, reply) => {
      const lang = langOf(req);
      const q = req.query;
      const me = req.staffSession!.staff;
      const mine = q.view === 'mine' ? [`staff:${me.email}`, ...(me.slackUserId ? [`slack:${me.slackUserId}`] : [])] : undefined;
      // A figure's link (a report's range and selectors) names its tickets; the filters below then apply as well.
      const drill = isDrillDown(q);
      const numbers = drill ? await deps.reports.drillDown(q, { now: deps.now(), timezone: deps.timezone }) : undefined;
      const result = await deps.tickets.page({
        status: q.status ? (q.status.split(',').flatMap((st): readonly string[] => (st === 'open' ? OPEN_STATUSES : [st])) as TicketStatus[]) : q.view ? [...OPEN_STATUSES] : undefined,
        team: q.view === 'team-risk' ? me.team : q.team || undefined,
        assignee: mine ?? (q.assignee || undefined),
        sla: q.view === 'team-risk' ? 'at_risk' : !drill && (q.sla === 'at_risk' || q.sla === 'breached') ? q.sla : undefined,
        priority: q.priority ? (q.priority.split(',') as Priority[]) : undefined,
        channel: (q.channel || undefined) as Channel | undefined,
        numbers,
        q: q.q || undefined,
        requester: q.requester || undefined,
        sort: q.sort === 'due' ? 'due' : 'created',
        cursor: q.cursor || undefined,
        limit: deps.config.pageSize,
      });
      const keep = new URLSearchParams(Object.entries(q).filter(([k, v]) => k !== 'cursor' && v) as Array<[string, string]>);
      const next = result.nextCursor ? `<p><a href="/desk?${keep}&cursor=${result.nextCursor}">${text(lang, 'next')}</a></p>` : '';
      const v = (name: string) => escapeHtml(q[name] ?? '');
      const form = `<form method="get" action="/desk" role="search"><label for="q">${text(lang, 'search')}</label> <input id="q" name="q" value="${v('q')}">
<label for="team">${text(lang, 'team')}</label> <input id="team" name="team" value="${v('team')}"> <label for="status">${text(lang, 'status')}</label> <input id="status" name="status" value="${v('status')}">
<select name="sort" aria-label="${text(lang, 'sort')}"><option value="created">${text(lang, 'byCreated')}</option><option value="due"${q.sort === 'due' ? ' selected' : ''}>${text(lang, 'byDue')}</option></select> <button>${text(lang, 'filter')}</button></form>
<p><a href="/desk?view=mine">${text(lang, 'mine')}</a> · <a href="/desk?view=team-risk">${text(lang, 'teamRisk')}</a></p>`;
      return page(reply, lang, text(lang, 'queue'), `<h1>${text(lang, 'queue')}</h1>${form}${queueTable(lang, result.tickets, deps.timezone)}${next}`, req);
    });

    app.get<{ Params: { number: string } }>('/desk/tickets/:number', { preHandler: staffOnly, schema: { hide: true } }, async (req, reply) => {
      const detail = await deps.tickets.get(req.params.number.toUpperCase());
      if (!detail) throw notFound('ticket', req.params.number);
      const lang = langOf(req);
      const rel = (await deps.incidents?.relations(detail.ticket.id)) ?? {};
      return page(reply, lang, detail.ticket.number, ticketBody(lang, detail, req.staffSession!.csrf, deps.timezone, rel), req);
    });

    app.post<{ Params: { number: string; action: string }; Body: Record<string, string | undefined> }>(
      '/desk/tickets/:number/:action',
      { preHandler: staffOnly, schema: { hide: true } },
      async (req, reply) => {
        const n = req.params.number.toUpperCase();
        const actor = staffActor(req.staffSession!);
        const b = req.body ?? {};
        // The same service calls the Slack buttons and the API make.
        const run: Record<string, () => Promise<unknown>> = {
          claim: () => deps.tickets.claim(n, actor),
          reply: () => deps.tickets.reply(n, actor, { body: String(b.body ?? '').trim() || fail('body'), internal: b.internal === 'true' }),
          pending: () => deps.tickets.setPending(n, actor, { reason: b.reason }),
          escalate: () => deps.tickets.escalate(n, actor, { team: b.team || undefined, reason: b.reason }),
          reassign: () => deps.tickets.reassign(n, actor, { team: b.team || undefined, assignee: b.assignee || undefined }),
          resolve: () => deps.tickets.resolve(n, actor, { resolution: String(b.resolution ?? '').trim() || fail('resolution') }),
          ...(deps.incidents ? { declare: () => deps.incidents!.declare({ ticket: n }, actor) } : {}),
        };
        const fn = Object.hasOwn(run, req.params.action) ? run[req.params.action] : undefined;
        if (!fn) throw notFound('action', req.params.action);
        await fn();
        return reply.redirect(`/desk/tickets/${n}`, 303);
      },
    );

    app.get<{ Params: { number: string; message: string; position: string } }>(
      '/desk/tickets/:number/attachments/:message/:position',
      { preHandler: staffOnly, schema: { hide: true } },
      async (req, reply) => {
        const detail = await deps.tickets.get(req.params.number.toUpperCase());
        const file = detail?.messages.find((m) => m.id === req.params.message)?.attachments[Number(req.params.position)];
        if (!file) throw notFound('attachment', req.params.position);
        const bytes = await deps.attachments.read(file);
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          .send(bytes);
      },
    );
  };
}

function fail(field: string): never {
  throw new SpocError('invalid_request', `${field} is required`, 400);
}
