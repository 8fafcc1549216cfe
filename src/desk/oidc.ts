import * as oidc from 'openid-client';
import { SpocError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { sameSecret } from '../shared/same-secret.js';
import { toTs } from '../ticketing/db/codec.js';
import type { Store } from '../ticketing/db/sql.js';
import type { OidcConfig } from './config.js';
import { hashSecret } from './secrets.js';

/**
 * Sign-in through an OpenID Connect provider: the authorization code flow with PKCE (S256), a state bound
 * to the browser by a cookie, and a nonce checked in the ID token. What comes out is the provider's
 * verified email; which staff account that is (and whether it may sign in) is the caller's decision.
 */
export interface OidcSignIn {
  readonly label: OidcConfig['label'];
  /**
   * Starts a sign-in: the provider's authorization URL to send the browser to, and the state the browser
   * must keep in a cookie; the PKCE verifier and the nonce stay in the store (table `oidc_logins`).
   */
  begin(next: string): Promise<{ url: string; state: string }>;
  /**
   * Completes it from the callback URL as the browser reached it and the state from the browser's cookie.
   * Each started sign-in completes once. Refusals are SpocErrors: `oidc_state` (not started in this
   * browser, expired or replayed), `oidc_failed` (the provider refused, or its answer did not verify),
   * `oidc_no_email`, `oidc_email_unverified`, `oidc_unavailable` (discovery failed).
   */
  complete(callbackUrl: URL, cookieState: string | undefined): Promise<{ email: string; next: string }>;
}

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/;

export function createOidcSignIn(deps: { config: OidcConfig; store: Store; redirectUri: string; env: NodeJS.ProcessEnv; logger: Logger; now?: () => Date }): OidcSignIn {
  const { config } = deps;
  const now = deps.now ?? (() => new Date());
  const secret = deps.env[config.clientSecretEnv];
  const issuer = new URL(config.issuer);
  let discovered: Promise<oidc.Configuration> | undefined;

  /** Read once and kept; a failure is not kept, so the next sign-in tries the provider again. */
  function provider(): Promise<oidc.Configuration> {
    discovered ??= oidc
      .discovery(issuer, config.clientId, secret ? { client_secret: secret } : undefined, secret ? oidc.ClientSecretBasic(secret) : oidc.None(), {
        // Plain http only to a provider on this machine (a test's, a developer's); anywhere else https.
        execute: issuer.protocol === 'http:' && LOOPBACK.test(issuer.hostname) ? [oidc.allowInsecureRequests] : [],
      })
      .catch((err: unknown) => {
        discovered = undefined;
        deps.logger.warn({ err, issuer: config.issuer }, 'desk: OpenID provider discovery failed');
        throw new SpocError('oidc_unavailable', `the sign-in provider ${config.issuer} could not be reached; try again shortly or use an email link`, 502);
      });
    return discovered;
  }

  /** The started sign-in of `state`, removed as it is read: a callback replayed finds nothing. */
  const consume = (state: string) =>
    deps.store.withTx(async (tx) => {
      const hash = hashSecret(state);
      const row = await tx.get<{ verifier: string; nonce: string; next: string }>('SELECT verifier, nonce, next FROM oidc_logins WHERE state_hash = ? AND expires_at > ?', [hash, toTs(now())]);
      await tx.run('DELETE FROM oidc_logins WHERE state_hash = ?', [hash]);
      return row;
    });

  return {
    label: config.label,
    async begin(next) {
      const as = await provider();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const verifier = oidc.randomPKCECodeVerifier();
      const at = now();
      await deps.store.withTx(async (tx) => {
        // Abandoned attempts go as new ones come.
        await tx.run('DELETE FROM oidc_logins WHERE expires_at <= ?', [toTs(at)]);
        await tx.run('INSERT INTO oidc_logins (state_hash, verifier, nonce, next, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)', [
          hashSecret(state),
          verifier,
          nonce,
          next,
          toTs(at),
          toTs(new Date(at.getTime() + config.loginMinutes * 60_000)),
        ]);
      });
      const url = oidc.buildAuthorizationUrl(as, {
        redirect_uri: deps.redirectUri,
        scope: config.scopes.join(' '),
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, state };
    },

    async complete(callbackUrl, cookieState) {
      const state = callbackUrl.searchParams.get('state');
      // The state must come back to the browser that started the sign-in: a callback link sent to someone
      // else (to sign them in as the sender) has no matching cookie.
      if (!state || !cookieState || !sameSecret(state, cookieState)) throw new SpocError('oidc_state', 'this sign-in was not started in this browser; start again', 400);
      const started = await consume(state);
      if (!started) throw new SpocError('oidc_state', 'this sign-in expired or was used already; start again', 400);
      const as = await provider();
      let claims: Record<string, unknown>;
      try {
        const tokens = await oidc.authorizationCodeGrant(as, callbackUrl, {
          pkceCodeVerifier: started.verifier,
          expectedState: state,
          expectedNonce: started.nonce,
          idTokenExpected: true,
        });
        const idToken = tokens.claims()!;
        claims = idToken;
        // Many providers put the email only in the UserInfo answer to a code flow.
        if (typeof idToken[config.emailClaim] !== 'string') claims = { ...idToken, ...(await oidc.fetchUserInfo(as, tokens.access_token, idToken.sub)) };
      } catch (err) {
        const reason = err instanceof oidc.AuthorizationResponseError ? err.error : err instanceof Error ? err.message : String(err);
        deps.logger.warn({ issuer: config.issuer, reason }, 'desk: OpenID sign-in refused');
        throw new SpocError('oidc_failed', `the sign-in provider did not confirm who you are (${reason})`, 400);
      }
      const email = claims[config.emailClaim];
      if (typeof email !== 'string' || !email.includes('@')) throw new SpocError('oidc_no_email', `the sign-in provider sent no email (claim "${config.emailClaim}")`, 403);
      if (claims.email_verified === false) throw new SpocError('oidc_email_unverified', `the sign-in provider has not verified ${email}`, 403);
      return { email: email.toLowerCase(), next: started.next };
    },
  };
}
