import { z } from 'zod';

/**
 * gateway.yaml `staff.oidc`: the identity provider and this desk's client there. The client secret is not
 * kept in the file: it is read from the environment variable `clientSecretEnv` names (unset = a public
 * client, which PKCE alone protects).
 */
export const oidcConfigSchema = z.strictObject({
  /** The issuer identifier; its /.well-known/openid-configuration is read at the first sign-in. */
  issuer: z.url({ protocol: /^https?$/ }),
  clientId: z.string().min(1),
  clientSecretEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).default('SPOC_OIDC_CLIENT_SECRET'),
  scopes: z.array(z.string().min(1)).min(1).default(['openid', 'email', 'profile']),
  /** The claim that holds the staff member's email (Azure AD without the email claim: `preferred_username`). */
  emailClaim: z.string().min(1).default('email'),
  /** The sign-in button's words. */
  label: z.strictObject({ zh: z.string().min(1), en: z.string().min(1) }).default({ zh: '使用单点登录 (SSO)', en: 'Sign in with SSO' }),
  /** How long a browser may take at the provider before its sign-in attempt is forgotten. */
  loginMinutes: z.number().positive().max(60).default(10),
});
export type OidcConfig = z.output<typeof oidcConfigSchema>;

/** gateway.yaml `staff:`: the staff web's sessions and sign-in. Every field has a default. */
export const deskConfigSchema = z.strictObject({
  /** How long a browser stays signed in. */
  sessionHours: z.number().positive().max(24 * 30).default(12),
  /** How long an emailed sign-in link works (once). */
  signInLinkMinutes: z.number().positive().max(24 * 60).default(15),
  /** Failed sign-ins allowed per client address and per email address in the window, then 429 until it passes. */
  failedSignIns: z.strictObject({ max: z.number().int().positive().default(5), windowMinutes: z.number().positive().default(15) }).prefault({}),
  /** Tickets per page in the queue. */
  pageSize: z.number().int().min(5).max(200).default(50),
  /** Sign-in with any OpenID Connect provider (Keycloak, Azure AD, Slack, Feishu …); absent = email links only. */
  oidc: oidcConfigSchema.optional(),
});
export type DeskConfig = z.output<typeof deskConfigSchema>;
