import { resolve } from 'node:path';
import type { SpocConfig } from '../config/schema.js';
import { createStaffDirectory, type StaffDirectory, type StaffMember } from '../desk/staff.js';
import { addStaff, checkStaffInput } from '../desk/staff-input.js';
import { createStore } from '../ticketing/db/create-store.js';
import { storeOptionsFromEnv } from '../ticketing/db/store-options.js';

/**
 * `spoc staff add|disable|list`: the same accounts as the admin API, straight in the store the environment
 * names (DATABASE_URL, else SQLite in SPOC_DATA_DIR), so an admin can let the first person in before any
 * key exists. A disable ends the person's sessions at once, also in a running `spoc serve`.
 */
export async function withStaff<T>(env: NodeJS.ProcessEnv, fn: (staff: StaffDirectory) => Promise<T>): Promise<T> {
  const store = await createStore(storeOptionsFromEnv(env, resolve(env.SPOC_DATA_DIR ?? './data')));
  try {
    return await fn(createStaffDirectory(store));
  } finally {
    await store.close();
  }
}

const line = (s: StaffMember) => [s.email, s.role, s.team ?? '-', s.language, s.source, s.disabledAt ? `disabled ${s.disabledAt}` : 'active', s.name].join('\t');

export async function staffList(staff: StaffDirectory): Promise<string> {
  const all = await staff.list();
  return all.length ? ['email\trole\tteam\tlanguage\tsource\tstate\tname', ...all.map(line)].join('\n') : 'no staff accounts yet: add one with "spoc staff add EMAIL --name NAME --role admin"';
}

export async function staffAdd(staff: StaffDirectory, config: SpocConfig, opts: { email: string; name: string; role: string; team?: string; slack?: string; language?: string }): Promise<string> {
  const input = checkStaffInput(
    { email: opts.email, name: opts.name, role: opts.role, ...(opts.team ? { team: opts.team } : {}), ...(opts.slack ? { slackUserId: opts.slack } : {}), ...(opts.language ? { language: opts.language } : {}) },
    Object.keys(config.gateway.teams),
  );
  return `added ${line(await addStaff(staff, input))}`;
}

export async function staffDisable(staff: StaffDirectory, email: string): Promise<string> {
  return `disabled ${line(await staff.disable(email))}; their sessions have ended`;
}
