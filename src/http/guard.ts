import type { FastifyReply, FastifyRequest, onRequestHookHandler, preHandlerHookHandler, RouteOptions } from 'fastify';
import { authenticate, requireRole, type ApiKey, type Role } from './auth.js';
import type { Actor } from '../ticketing/service-types.js';
import { SpocError } from '../shared/errors.js';
import { staffActorId } from '../desk/staff.js';
import { signInPartOf } from '../desk/guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKey;
  }
}

/** Guards made by `guard`, so the server can run them before the body is read (see `authBeforeBody`). */
const GUARDS = new WeakSet<object>();

/**
 * A hook that admits a bearer key holding `role`; 401 without a known key, 403 with a weaker one. Routes
 * pass it as `preHandler` (or `onRequest`); either way it runs at onRequest, before the body is read.
 */
export function guard(keys: ApiKey[], role: Role): preHandlerHookHandler & onRequestHookHandler {
  const hook = async (req: FastifyRequest, _reply: FastifyReply) => {
    const key = authenticate(keys, req);
    requireRole(key, role);
    req.apiKey = key;
  };
  GUARDS.add(hook);
  return hook;
}

type Hooks = RouteOptions['preHandler'];
const asList = (h: Hooks) => (h === undefined ? [] : Array.isArray(h) ? [...h] : [h]);

/**
 * An onRoute hook: moves each route's API-key guard from preHandler to onRequest, and runs a staff guard's
 * sign-in half there too, so a request without a key or a session is refused with 401 at once, before its
 * body (broken or 30 MB) is read or parsed.
 */
export function authBeforeBody(route: RouteOptions): void {
  const pre = asList(route.preHandler);
  const guards = pre.filter((h) => GUARDS.has(h));
  const signIns = pre.map(signInPartOf).filter((h) => h !== undefined);
  if (!guards.length && !signIns.length) return;
  route.preHandler = pre.filter((h) => !GUARDS.has(h));
  route.onRequest = [...guards, ...signIns, ...asList(route.onRequest as Hooks)] as RouteOptions['onRequest'];
}

/** Finds an active staff account by email: the desk's StaffDirectory satisfies it. */
export interface StaffLookup {
  findActive(email: string): Promise<{ email: string; name: string; role: 'agent' | 'manager' | 'admin' } | undefined>;
}

/**
 * Who acts through the API, as the ticket history records them:
 * - an agent key acts as its owner (`key:agent:owner@email`), and only as them: naming another agent is 403,
 *   a key without an owner or whose owner is disabled may read but not act;
 * - an admin key may name the agent it acts for (`agent`: a staff email, or a name) — recorded as that
 *   person with `via` the admin key — or acts as its owner, or as itself (`api:<key id>`).
 */
export async function apiActor(req: FastifyRequest, staff: StaffLookup, agent?: string): Promise<Actor> {
  const key = req.apiKey!;
  const asStaff = async (email: string, via?: string): Promise<Actor | undefined> => {
    const person = await staff.findActive(email);
    return person && { id: staffActorId(person.email), name: person.name, role: person.role === 'agent' ? 'agent' : 'manager', ...(via ? { via } : {}) };
  };
  if (key.role === 'admin') {
    const via = `api:${key.id}`;
    if (agent) return (await asStaff(agent, via)) ?? { id: `agent:${agent}`, name: agent, role: 'agent', via };
    return (key.owner && (await asStaff(key.owner))) || { id: via, role: 'manager' };
  }
  if (!key.owner) throw new SpocError('key_has_no_person', 'this agent key belongs to no one, so it cannot act: give it an owner (SPOC_API_KEYS key:agent:owner@email)', 403);
  if (agent && agent.toLowerCase() !== key.owner) throw new SpocError('cannot_act_as_other', `this key belongs to ${key.owner} and cannot act as ${agent}`, 403);
  const actor = await asStaff(key.owner);
  if (!actor) throw new SpocError('staff_disabled', `${key.owner} has no active staff account`, 403);
  return actor;
}
