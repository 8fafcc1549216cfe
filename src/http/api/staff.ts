import type { FastifyInstance } from 'fastify';
import type { StaffDirectory } from '../../desk/staff.js';
import { addStaff, checkStaffInput, STAFF_INPUT_SCHEMA, STAFF_SCHEMA } from '../../desk/staff-input.js';
import type { ApiKey } from '../auth.js';
import { guard } from '../guard.js';
import { errorResponses } from './schemas.js';

const one = { type: 'object', required: ['staff'], properties: { staff: STAFF_SCHEMA } } as const;
const emailParam = { type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } } } as const;

/**
 * `GET /api/v1/admin/staff`, `POST /api/v1/admin/staff` (add), `POST /api/v1/admin/staff/:email/disable`,
 * admin keys only. Disabling ends the person's sessions at once and stops their agent key acting. Each
 * change is logged with the admin key that made it.
 */
export function staffAdminRoutes(deps: { keys: ApiKey[]; staff: StaffDirectory; teams: readonly string[] }) {
  return async (app: FastifyInstance) => {
    const preHandler = guard(deps.keys, 'admin');
    const doc = (summary: string, response: Record<number, unknown>, extra: Record<string, unknown> = {}) => ({ tags: ['admin'], summary, response, ...extra });

    app.get('/api/v1/admin/staff', { preHandler, schema: doc('Staff accounts, disabled ones included', { 200: { type: 'object', required: ['staff'], properties: { staff: { type: 'array', items: STAFF_SCHEMA } } }, ...errorResponses(401, 403) }) }, async () => ({
      staff: await deps.staff.list(),
    }));

    app.post('/api/v1/admin/staff', { preHandler, schema: doc('Add a staff account', { 201: one, ...errorResponses(400, 401, 403, 409) }, { body: STAFF_INPUT_SCHEMA }) }, async (req, reply) => {
      const added = await addStaff(deps.staff, checkStaffInput(req.body, deps.teams));
      req.log.info({ by: req.apiKey!.id, staffId: added.id, role: added.role }, 'admin: staff account added');
      return reply.status(201).send({ staff: added });
    });

    app.post<{ Params: { email: string } }>(
      '/api/v1/admin/staff/:email/disable',
      { preHandler, schema: doc('Disable a staff account and end its sessions', { 200: one, ...errorResponses(400, 401, 403, 404) }, { params: emailParam }) },
      async (req) => {
        const disabled = await deps.staff.disable(req.params.email);
        req.log.info({ by: req.apiKey!.id, staffId: disabled.id }, 'admin: staff account disabled');
        return { staff: disabled };
      },
    );
  };
}
