import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { SpocError } from '../shared/errors.js';
import { STAFF_ROLES, type StaffInput, type StaffMember } from './staff.js';

/** A staff account to add, as the admin API takes it and `spoc staff add` builds it: one schema for both. */
export const STAFF_INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'name', 'role'],
  properties: {
    email: { type: 'string', format: 'email', maxLength: 320 },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    role: { type: 'string', enum: [...STAFF_ROLES] },
    team: { type: 'string', minLength: 1, maxLength: 64 },
    slackUserId: { type: 'string', pattern: '^[UW][A-Z0-9]{2,}$' },
    language: { type: 'string', enum: ['zh', 'en'] },
  },
} as const;

/** A staff account as the admin API answers it. */
export const STAFF_SCHEMA = {
  type: 'object',
  required: ['id', 'email', 'name', 'role', 'language', 'source'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: [...STAFF_ROLES] },
    team: { type: 'string' },
    slackUserId: { type: 'string' },
    language: { type: 'string', enum: ['zh', 'en'] },
    source: { type: 'string', enum: ['directory', 'admin'] },
    disabledAt: { type: 'string', format: 'date-time' },
  },
  additionalProperties: true,
} as const;

const ajv = new Ajv({ allErrors: false, strict: false });
addFormats.default(ajv);
const validate = ajv.compile<StaffInput>(STAFF_INPUT_SCHEMA);

/**
 * Checks a staff account to add: its shape (the CLI's input; the API's body is checked by the same schema
 * before it arrives) and that its team is one gateway.yaml knows. Errors name the field.
 */
export function checkStaffInput(input: unknown, teams: readonly string[]): StaffInput {
  if (!validate(input)) {
    const e = validate.errors![0]!;
    const field = e.instancePath.slice(1) || (e.params as { missingProperty?: string }).missingProperty || 'input';
    throw new SpocError('invalid_request', `${field}: ${e.message}`, 400);
  }
  if (input.team && !teams.includes(input.team)) throw new SpocError('invalid_request', `team: unknown team "${input.team}" (gateway.yaml teams: ${teams.join(', ')})`, 400);
  return input;
}

/** Adds a staff account; an address that has one already (active or disabled) is a 409, never silently changed. */
export async function addStaff(staff: { findByEmail(email: string): Promise<StaffMember | undefined>; upsert(input: StaffInput, source: 'admin'): Promise<StaffMember> }, input: StaffInput): Promise<StaffMember> {
  const existing = await staff.findByEmail(input.email);
  if (existing) throw new SpocError('staff_exists', `${input.email} has a staff account already${existing.disabledAt ? ' (disabled)' : ''}`, 409);
  return staff.upsert(input, 'admin');
}
