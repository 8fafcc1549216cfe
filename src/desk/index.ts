import type { Person } from '../config/directory.js';
import type { Store } from '../ticketing/db/sql.js';
import type { DeskConfig } from './config.js';
import type { DeskAuth } from './guard.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { createOidcSignIn, type OidcSignIn } from './oidc.js';
import { OIDC_CALLBACK_PATH } from './oidc-routes.js';
import { createSessionStore, type SessionStore } from './sessions.js';
import { createSignInLinks, type SignInLinks } from './sign-in-links.js';
import { createStaffDirectory, type StaffDirectory } from './staff.js';

export { requireStaff, staffActor, type DeskAuth } from './guard.js';
export type { StaffMember, StaffRole } from './staff.js';
export type { StaffSession } from './sessions.js';

/** The staff side of spoc: accounts, sessions and sign-in links, built once by the composition root. */
export interface Desk {
  staff: StaffDirectory;
  sessions: SessionStore;
  links: SignInLinks;
  /** Pass to `requireStaff(desk.auth, role)` to guard a route for signed-in staff. */
  auth: DeskAuth;
  /** Sign-in through the OpenID provider of gateway.yaml `staff.oidc`, when there is one. */
  oidc?: OidcSignIn;
}

export function createDesk(deps: { store: Store; config: DeskConfig; publicBaseUrl: string; env?: NodeJS.ProcessEnv; logger?: Logger; now?: () => Date }): Desk {
  const staff = createStaffDirectory(deps.store, deps.now);
  const ttlMs = deps.config.sessionHours * 3_600_000;
  const sessions = createSessionStore({ store: deps.store, ttlMs, now: deps.now });
  return {
    staff,
    sessions,
    links: createSignInLinks({ store: deps.store, ttlMs: deps.config.signInLinkMinutes * 60_000, now: deps.now }),
    auth: { sessions, secure: deps.publicBaseUrl.startsWith('https:'), ttlMs },
    oidc: deps.config.oidc && createOidcSignIn({ config: deps.config.oidc, store: deps.store, redirectUri: `${deps.publicBaseUrl}${OIDC_CALLBACK_PATH}`, env: deps.env ?? process.env, logger: deps.logger ?? createLogger(), now: deps.now }),
  };
}

/** directory.yaml's people with a `role` become staff accounts (re-applied at each start; a disabled one stays disabled). */
export async function seedStaff(staff: StaffDirectory, people: readonly Person[]): Promise<number> {
  let n = 0;
  for (const p of people) {
    if (!p.role) continue;
    await staff.upsert({ email: p.email, name: p.name, role: p.role, team: p.team, slackUserId: p.slackUserId, language: p.language }, 'directory');
    n++;
  }
  return n;
}
