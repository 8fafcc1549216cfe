import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SpocError } from '../shared/errors.js';
import { escapeHtml } from '../shared/html.js';
import type { FailureLimiter } from './failures.js';
import { setSessionCookie, type DeskAuth } from './guard.js';
import type { OidcSignIn } from './oidc.js';
import { text } from './pages.js';
import { langOf, sendPage } from './send-page.js';
import type { SessionStore } from './sessions.js';
import type { StaffDirectory } from './staff.js';

/** Where the provider sends the browser back; register this exact URL (under PUBLIC_BASE_URL) at the provider. */
export const OIDC_CALLBACK_PATH = '/desk/sign-in/oidc/callback';

/** Holds the state between leaving for the provider and coming back; `__Host-` on https like the session cookie. */
const stateCookie = (auth: Pick<DeskAuth, 'secure'>) => (auth.secure ? '__Host-spoc_oidc' : 'spoc_oidc');

export interface OidcRouteDeps {
  oidc: OidcSignIn;
  staff: StaffDirectory;
  sessions: SessionStore;
  auth: DeskAuth;
  failures: FailureLimiter;
  /** Only a path on this site: see routes.ts. */
  safeNext(next: unknown): string;
  /** PUBLIC_BASE_URL: the callback URL is rebuilt on it, as the provider was told it. */
  publicBaseUrl: string;
}

/**
 * `GET /desk/sign-in/oidc` sends the browser to the provider; `GET /desk/sign-in/oidc/callback` takes it
 * back, maps the provider's verified email to an active staff account and starts a session. Every refusal
 * (provider error, unknown or disabled account) is a page saying why, and counts as a failed sign-in.
 */
export async function oidcRoutes(app: FastifyInstance, deps: OidcRouteDeps): Promise<void> {
  const ipKey = (req: FastifyRequest) => `ip:${req.ip}`;
  function refuse(req: FastifyRequest, reply: FastifyReply, status: number, why: string) {
    deps.failures.fail(ipKey(req));
    const lang = langOf(req);
    return sendPage(reply, lang, text(lang, 'signIn'), `<h1>${text(lang, 'ssoRefused')}</h1><p role="alert">${escapeHtml(why)}</p><p><a href="/desk/sign-in">${text(lang, 'signIn')}</a></p>`, undefined, status);
  }
  function blocked(req: FastifyRequest) {
    const wait = deps.failures.blockedFor(ipKey(req));
    if (wait > 0) throw new SpocError('rate_limited', `too many failed sign-ins; retry in ${Math.ceil(wait / 1000)} s`, 429);
  }

  app.get<{ Querystring: { next?: string } }>('/desk/sign-in/oidc', { schema: { hide: true } }, async (req, reply) => {
    blocked(req);
    const { url, state } = await deps.oidc.begin(deps.safeNext(req.query.next));
    reply.setCookie(stateCookie(deps.auth), state, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.auth.secure, maxAge: 3600 });
    return reply.redirect(url, 303);
  });

  app.get(OIDC_CALLBACK_PATH, { schema: { hide: true } }, async (req, reply) => {
    blocked(req);
    const lang = langOf(req);
    const cookieState = req.cookies[stateCookie(deps.auth)];
    reply.clearCookie(stateCookie(deps.auth), { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.auth.secure });
    let verified: { email: string; next: string };
    try {
      verified = await deps.oidc.complete(new URL(req.url, deps.publicBaseUrl), cookieState);
    } catch (err) {
      if (!(err instanceof SpocError) || err.status >= 500) throw err;
      return refuse(req, reply, err.status, err.message);
    }
    const staff = await deps.staff.findByEmail(verified.email);
    if (!staff) return refuse(req, reply, 403, text(lang, 'noAccount').replace('{email}', verified.email));
    if (staff.disabledAt) return refuse(req, reply, 403, text(lang, 'accountDisabled').replace('{email}', verified.email));
    deps.failures.clear(ipKey(req));
    const { token } = await deps.sessions.create(staff, 'oidc');
    setSessionCookie(reply, deps.auth, token);
    req.log.info({ staffId: staff.id, method: 'oidc' }, 'desk: signed in');
    return reply.redirect(verified.next, 303);
  });
}
