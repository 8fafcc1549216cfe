import { newId } from '../shared/ids.js';
import { SpocError } from '../shared/errors.js';
import { isoOrUndefined, orUndefined, toTs } from '../ticketing/db/codec.js';
import type { Row, Sql, Store } from '../ticketing/db/sql.js';

export const STAFF_ROLES = ['agent', 'manager', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** What each role may do: a manager is also an agent, an admin everything. */
const RANK: Record<StaffRole, number> = { agent: 1, manager: 2, admin: 3 };
export const roleAllows = (held: StaffRole, needed: StaffRole): boolean => RANK[held] >= RANK[needed];

/** A person who works the desk in the browser (and whose API key acts as them). */
export interface StaffMember {
  id: string;
  /** Lower-case; the identity every sign-in method resolves to. */
  email: string;
  name: string;
  role: StaffRole;
  team?: string;
  /** Their Slack id, so "my tickets" includes what they claimed in Slack. */
  slackUserId?: string;
  language: 'zh' | 'en';
  /** `directory` (directory.yaml, re-applied at every start) or `admin` (the admin API or CLI). */
  source: 'directory' | 'admin';
  disabledAt?: string;
}

export interface StaffInput {
  email: string;
  name: string;
  role: StaffRole;
  team?: string;
  slackUserId?: string;
  language?: 'zh' | 'en';
}

/** How the ticket history names a staff member: the same id whether they act on the web or with their API key. */
export const staffActorId = (email: string): string => `staff:${email.toLowerCase()}`;

/** A `staff` row as the account it is (also for queries that join it, such as the session lookup). */
export function toStaff(r: Row): StaffMember {
  return {
    id: String(r.id),
    email: String(r.email),
    name: String(r.name),
    role: r.role as StaffRole,
    team: orUndefined(r.team as string | null),
    slackUserId: orUndefined(r.slack_user_id as string | null),
    language: r.language as 'zh' | 'en',
    source: r.source as StaffMember['source'],
    disabledAt: isoOrUndefined(r.disabled_at),
  };
}

/** Staff accounts in the store. */
export interface StaffDirectory {
  upsert(input: StaffInput, source: StaffMember['source']): Promise<StaffMember>;
  findByEmail(email: string): Promise<StaffMember | undefined>;
  findById(id: string): Promise<StaffMember | undefined>;
  /** Active accounts only: a disabled person cannot sign in, and their sessions and key stop working. */
  findActive(email: string): Promise<StaffMember | undefined>;
  list(): Promise<StaffMember[]>;
  /** Disables the account and ends its sessions. */
  disable(email: string): Promise<StaffMember>;
}

export function createStaffDirectory(store: Store, now: () => Date = () => new Date()): StaffDirectory {
  const byEmail = (q: Sql, email: string) => q.get('SELECT * FROM staff WHERE email = ?', [email.toLowerCase()]).then((r) => (r ? toStaff(r) : undefined));
  async function mustFind(q: Sql, email: string): Promise<StaffMember> {
    const found = await byEmail(q, email);
    if (!found) throw new SpocError('unknown_staff', `no staff account for ${email}`, 404);
    return found;
  }
  return {
    upsert: (input, source) =>
      store.withTx(async (tx) => {
        if (!(STAFF_ROLES as readonly string[]).includes(input.role)) throw new SpocError('bad_request', `role must be one of ${STAFF_ROLES.join(', ')}`, 400);
        const email = input.email.toLowerCase();
        const at = toTs(now());
        const values = [input.name, input.role, input.team ?? null, input.slackUserId ?? null, input.language ?? 'zh', at];
        const changed = await tx.run('UPDATE staff SET name = ?, role = ?, team = ?, slack_user_id = ?, language = ?, updated_at = ? WHERE email = ?', [...values, email]);
        if (changed === 0) {
          await tx.run(
            'INSERT INTO staff (name, role, team, slack_user_id, language, updated_at, id, email, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [...values, newId(), email, source, at],
          );
        }
        return mustFind(tx, email);
      }),
    findByEmail: (email) => store.read((q) => byEmail(q, email)),
    findById: (id) => store.read((q) => q.get('SELECT * FROM staff WHERE id = ?', [id])).then((r) => (r ? toStaff(r) : undefined)),
    findActive: async (email) => {
      const found = await store.read((q) => byEmail(q, email));
      return found && !found.disabledAt ? found : undefined;
    },
    list: () => store.read(async (q) => (await q.all('SELECT * FROM staff ORDER BY email')).map(toStaff)),
    disable: (email) =>
      store.withTx(async (tx) => {
        const found = await mustFind(tx, email);
        // A second disable keeps the first one's time.
        await tx.run('UPDATE staff SET disabled_at = COALESCE(disabled_at, ?), updated_at = ? WHERE id = ?', [toTs(now()), toTs(now()), found.id]);
        await tx.run('DELETE FROM staff_sessions WHERE staff_id = ?', [found.id]);
        return mustFind(tx, email);
      }),
  };
}
