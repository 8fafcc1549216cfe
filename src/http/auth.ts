import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { SpocError } from '../shared/errors.js';

export const ROLES = ['intake', 'agent', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a role may do; admin implies everything. */
const GRANTS: Record<Role, Role[]> = { intake: ['intake'], agent: ['agent', 'intake'], admin: ['admin', 'agent', 'intake'] };

export interface ApiKey {
  /** A short, non-secret id for logs and actor ids: the first 8 hex digits of the key's SHA-256. */
  id: string;
  role: Role;
  digest: Buffer;
  /** The staff member (email, lower-case) the key belongs to: what it does is recorded as theirs. */
  owner?: string;
}

const digestOf = (key: string) => createHash('sha256').update(key).digest();

/**
 * `key:role` or `key:role:owner@email`, comma-separated. An agent key acts only as its owner, so an
 * agent key without one may read but not act.
 */
export function parseApiKeys(spec: string): ApiKey[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const parts = entry.split(':');
      const owner = parts.length >= 3 && parts.at(-1)!.includes('@') ? parts.pop()!.toLowerCase() : undefined;
      const role = parts.pop() as Role;
      const key = parts.join(':');
      if (!key || !ROLES.includes(role)) {
        throw new SpocError('config_invalid', `SPOC_API_KEYS: entry ${JSON.stringify(entry.slice(0, 4) + '…')} must be key:role or key:role:owner@email with role one of ${ROLES.join(', ')}`);
      }
      const digest = digestOf(key);
      return { id: digest.toString('hex').slice(0, 8), role, digest, ...(owner ? { owner } : {}) };
    });
}

/**
 * Keys from SPOC_API_KEYS; when unset, one admin key made on first start and kept in the data directory,
 * so a fresh install is usable and still never open.
 */
export async function loadApiKeys(env: NodeJS.ProcessEnv, dataDir: string): Promise<{ keys: ApiKey[]; generated?: string }> {
  if (env.SPOC_API_KEYS) return { keys: parseApiKeys(env.SPOC_API_KEYS) };
  const file = join(dataDir, 'admin-api-key');
  const existing = await readFile(file, 'utf8').then((s) => s.trim(), () => undefined);
  if (existing) return { keys: parseApiKeys(`${existing}:admin`) };
  const key = `spoc_${randomBytes(24).toString('base64url')}`;
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' }).catch(async (err: NodeJS.ErrnoException) => {
    // Another process made it first: use theirs.
    if (err.code !== 'EEXIST') throw err;
  });
  const stored = (await readFile(file, 'utf8')).trim();
  return { keys: parseApiKeys(`${stored}:admin`), generated: stored === key ? key : undefined };
}

export function authenticate(keys: ApiKey[], req: FastifyRequest): ApiKey {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!m?.[1]) throw new SpocError('unauthorized', 'missing bearer API key', 401);
  const digest = digestOf(m[1]);
  const found = keys.find((k) => timingSafeEqual(k.digest, digest));
  if (!found) throw new SpocError('unauthorized', 'unknown API key', 401);
  return found;
}

export function requireRole(key: ApiKey, role: Role): void {
  if (!GRANTS[key.role].includes(role)) throw new SpocError('forbidden', `this key's role (${key.role}) may not do this (needs ${role})`, 403);
}
