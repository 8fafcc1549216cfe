import { iso, toTs } from '../ticketing/db/codec.js';
import type { Store } from '../ticketing/db/sql.js';
import { hashSecret, newSecret } from './secrets.js';
import { toStaff, type StaffMember } from './staff.js';

export type SignInMethod = 'link' | 'oidc' | 'password';

/** A signed-in browser: the cookie holds `token`; the store holds only its hash. */
export interface StaffSession {
  staff: StaffMember;
  /** The synchronizer token every state-changing form must send back (`_csrf`). */
  csrf: string;
  method: SignInMethod;
  expiresAt: string;
}

export interface SessionStore {
  /** Starts a session; the token goes into the cookie and nowhere else. */
  create(staff: StaffMember, method: SignInMethod): Promise<{ token: string; session: StaffSession }>;
  /** The live session of a cookie's token: unknown, expired or of a disabled account is undefined. */
  find(token: string): Promise<StaffSession | undefined>;
  destroy(token: string): Promise<void>;
}

export function createSessionStore(deps: { store: Store; ttlMs: number; now?: () => Date }): SessionStore {
  const now = deps.now ?? (() => new Date());
  return {
    async create(staff, method) {
      const token = newSecret();
      const csrf = newSecret();
      const at = now();
      const expiresAt = toTs(new Date(at.getTime() + deps.ttlMs));
      await deps.store.withTx(async (tx) => {
        // Expired sessions go as new ones come, so the table holds only live ones and a few stragglers.
        await tx.run('DELETE FROM staff_sessions WHERE expires_at <= ?', [toTs(at)]);
        await tx.run('INSERT INTO staff_sessions (id_hash, staff_id, csrf, method, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)', [
          hashSecret(token),
          staff.id,
          csrf,
          method,
          toTs(at),
          expiresAt,
        ]);
      });
      return { token, session: { staff, csrf, method, expiresAt } };
    },
    async find(token) {
      // One read per request: the session and its active account in one join, not a second lookup.
      const row = await deps.store.read((q) =>
        q.get(
          'SELECT s.*, x.csrf, x.method, x.expires_at FROM staff_sessions x JOIN staff s ON s.id = x.staff_id WHERE x.id_hash = ? AND x.expires_at > ? AND s.disabled_at IS NULL',
          [hashSecret(token), toTs(now())],
        ),
      );
      return row && { staff: toStaff(row), csrf: String(row.csrf), method: row.method as SignInMethod, expiresAt: iso(row.expires_at) };
    },
    async destroy(token) {
      await deps.store.withTx((tx) => tx.run('DELETE FROM staff_sessions WHERE id_hash = ?', [hashSecret(token)]));
    },
  };
}
