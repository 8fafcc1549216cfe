import { toTs } from '../ticketing/db/codec.js';
import type { Store } from '../ticketing/db/sql.js';
import { hashSecret, newSecret } from './secrets.js';
import type { StaffMember } from './staff.js';

/** One-time sign-in links sent by email: each token works once, and only until it expires. */
export interface SignInLinks {
  issue(staff: StaffMember, next: string): Promise<string>;
  /** The staff id and where to go, when the token is known, unused and unexpired; it is used up by this call. */
  consume(token: string): Promise<{ staffId: string; next: string } | undefined>;
}

export function createSignInLinks(deps: { store: Store; ttlMs: number; now?: () => Date }): SignInLinks {
  const now = deps.now ?? (() => new Date());
  return {
    async issue(staff, next) {
      const token = newSecret();
      const at = now();
      await deps.store.withTx(async (tx) => {
        await tx.run('DELETE FROM sign_in_links WHERE expires_at <= ?', [toTs(new Date(at.getTime() - 86_400_000))]);
        await tx.run('INSERT INTO sign_in_links (token_hash, staff_id, next, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
          hashSecret(token),
          staff.id,
          next,
          toTs(at),
          toTs(new Date(at.getTime() + deps.ttlMs)),
        ]);
      });
      return token;
    },
    consume(token) {
      const at = toTs(now());
      const hash = hashSecret(token);
      return deps.store.withTx(async (tx) => {
        // One UPDATE decides: two browsers racing with the same link cannot both win.
        const used = await tx.run('UPDATE sign_in_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?', [at, hash, at]);
        if (used !== 1) return undefined;
        const row = await tx.get<{ staff_id: string; next: string }>('SELECT staff_id, next FROM sign_in_links WHERE token_hash = ?', [hash]);
        return row && { staffId: row.staff_id, next: row.next };
      });
    },
  };
}
