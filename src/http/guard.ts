import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { authenticate, requireRole, type ApiKey, type Role } from './auth.js';
import type { Actor } from '../ticketing/service-types.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKey;
  }
}

/** A preHandler that admits a bearer key holding `role`; 401 without a known key, 403 with a weaker one. */
export function guard(keys: ApiKey[], role: Role): preHandlerHookHandler {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    const key = authenticate(keys, req);
    requireRole(key, role);
    req.apiKey = key;
  };
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
