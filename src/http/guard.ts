import type { FastifyReply, FastifyRequest, onRequestHookHandler, preHandlerHookHandler, RouteOptions } from 'fastify';
import { authenticate, requireRole, type ApiKey, type Role } from './auth.js';
import type { Actor } from '../ticketing/service-types.js';

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
 * An onRoute hook: moves each route's API-key guard from preHandler to onRequest, so a request without a
 * key is refused with 401 at once, before its body (broken or 30 MB) is read or parsed.
 */
export function authBeforeBody(route: RouteOptions): void {
  const pre = asList(route.preHandler);
  const guards = pre.filter((h) => GUARDS.has(h));
  if (!guards.length) return;
  route.preHandler = pre.filter((h) => !GUARDS.has(h));
  route.onRequest = [...guards, ...asList(route.onRequest as Hooks)] as RouteOptions['onRequest'];
}

/**
 * Who acts through the API: the key, or the agent an agent tool names (`agent` in the body), so the
 * ticket history says who did it. Admin keys act as the desk manager.
 */
export function apiActor(req: FastifyRequest, agent?: string): Actor {
  const key = req.apiKey!;
  const role = key.role === 'admin' ? 'manager' : 'agent';
  return agent ? { id: `agent:${agent}`, name: agent, role } : { id: `api:${key.id}`, role };
}
