import type { FastifyReply, FastifyRequest, onRequestHookHandler, preHandlerHookHandler } from 'fastify';
import { SpocError } from '../shared/errors.js';
import type { Actor } from '../ticketing/service-types.js';
import { sameSecret } from '../shared/same-secret.js';
import type { SessionStore, StaffSession } from './sessions.js';
import { roleAllows, staffActorId, type StaffRole } from './staff.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireStaff` on the routes it guards. */
    staffSession?: StaffSession;
  }
}

/** What the guard needs: the session store and how the cookie is named and flagged. */
export interface DeskAuth {
  sessions: SessionStore;
  /** PUBLIC_BASE_URL is https: the cookie is Secure (and then `__Host-` prefixed, so no subdomain can set it). */
  secure: boolean;
  /** How long a session lives, for the cookie's Max-Age. */
  ttlMs: number;
}

export const sessionCookieName = (auth: Pick<DeskAuth, 'secure'>): string => (auth.secure ? '__Host-spoc_desk' : 'spoc_desk');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF token a state-changing request carries: the form's `_csrf` field or the `x-csrf-token` header. */
function csrfOf(req: FastifyRequest): string | undefined {
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = req.body as Record<string, unknown> | undefined;
  return typeof body?._csrf === 'string' ? body._csrf : undefined;
}

/** Each guard's sign-in half, so the server can run it before the body is read (`signInPartOf`). */
const SIGN_IN_PARTS = new WeakMap<object, onRequestHookHandler>();

/** The half of a `requireStaff` guard that needs no body (session and role), or undefined for other hooks. */
export function signInPartOf(hook: unknown): onRequestHookHandler | undefined {
  return typeof hook === 'function' ? SIGN_IN_PARTS.get(hook) : undefined;
}

/**
 * A preHandler admitting a signed-in staff member holding `role` (agent < manager < admin); the session is
 * then `req.staffSession`. Needs @fastify/cookie on the server (the composition root registers it).
 *
 * - Not signed in: a GET is redirected (303) to `/desk/sign-in?next=<this url>`, so the person comes back
 *   here after signing in; anything else answers 401.
 * - Signed in with a weaker role: 403 `forbidden`.
 * - Every method other than GET/HEAD/OPTIONS must carry the session's CSRF token (`_csrf` form field or
 *   `x-csrf-token` header), else 403 `csrf_failed`.
 *
 * The session and role are checked at onRequest on a server with `authBeforeBody` (src/http/guard.ts), so
 * a stranger's upload is refused before it is read; the CSRF token may be in the body, so it waits for it.
 *
 * Usage (e.g. a dashboard): `app.get('/desk/dashboard', { preHandler: requireStaff(spoc.desk.auth, 'manager') }, handler)`.
 */
export function requireStaff(auth: DeskAuth, role: StaffRole = 'agent'): preHandlerHookHandler {
  const signedIn = async (req: FastifyRequest, reply: FastifyReply) => {
    const token = req.cookies?.[sessionCookieName(auth)];
    const session = token ? await auth.sessions.find(token) : undefined;
    if (!session) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        return reply.redirect(`/desk/sign-in?next=${encodeURIComponent(req.url)}`, 303);
      }
      throw new SpocError('unauthorized', 'sign in first', 401);
    }
    if (!roleAllows(session.staff.role, role)) {
      throw new SpocError('forbidden', `this needs the ${role} role (you are ${session.staff.role})`, 403);
    }
    req.staffSession = session;
  };
  const hook = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.staffSession) {
      await signedIn(req, reply);
      if (reply.sent) return reply;
    }
    if (!SAFE_METHODS.has(req.method)) {
      const sent = csrfOf(req);
      if (!sent || !sameSecret(sent, req.staffSession!.csrf)) throw new SpocError('csrf_failed', 'the form is missing its CSRF token or it does not match your session; reload the page', 403);
    }
  };
  SIGN_IN_PARTS.set(hook, signedIn);
  return hook;
}

/** The staff member as the ticket history records them, the same id as their API key acts under. */
export function staffActor(session: StaffSession): Actor {
  const s = session.staff;
  return { id: staffActorId(s.email), name: s.name, role: s.role === 'agent' ? 'agent' : 'manager' };
}

/** Sets the session cookie: HttpOnly, SameSite=Lax (a link from Slack still arrives signed in), Secure on https. */
export function setSessionCookie(reply: FastifyReply, auth: DeskAuth, token: string): void {
  reply.setCookie(sessionCookieName(auth), token, { path: '/', httpOnly: true, sameSite: 'lax', secure: auth.secure, maxAge: Math.floor(auth.ttlMs / 1000) });
}

export function clearSessionCookie(reply: FastifyReply, auth: DeskAuth): void {
  reply.clearCookie(sessionCookieName(auth), { path: '/', httpOnly: true, sameSite: 'lax', secure: auth.secure });
}
