import { newId } from '../shared/ids.js';
import type { RequesterIdentity } from '../intake/record.js';
import { orUndefined, toTs } from './db/codec.js';
import type { Row, Sql, SqlValue } from './db/sql.js';
import type { Requester } from './types.js';

/** How a person can be recognised; one value belongs to at most one requester per kind. */
export type IdentityKind = 'email' | 'phone' | 'slack' | 'chat';

export interface Identity {
  kind: IdentityKind;
  value: string;
}

/** What an HR or LDAP sync knows of a person; it is authoritative for every field it gives. */
export interface RequesterProfileInput {
  name?: string;
  email?: string;
  phone?: string;
  slackUserId?: string;
  chatSessionId?: string;
  department?: string;
  location?: string;
  vip?: boolean;
  language?: 'zh' | 'en';
}

/** A contact's identifiers, strongest first (and in one fixed order, so concurrent links lock alike). */
export function identitiesOf(who: Pick<RequesterIdentity, 'email' | 'phone' | 'slackUserId' | 'chatSessionId'>): Identity[] {
  const ids: Identity[] = [];
  if (who.email) ids.push({ kind: 'email', value: who.email.trim().toLowerCase() });
  if (who.phone) ids.push({ kind: 'phone', value: who.phone });
  if (who.slackUserId) ids.push({ kind: 'slack', value: who.slackUserId });
  if (who.chatSessionId) ids.push({ kind: 'chat', value: who.chatSessionId });
  return ids;
}

function toRequester(r: Row): Requester {
  return {
    id: String(r.id),
    name: orUndefined(r.name as string | null),
    email: orUndefined(r.email as string | null),
    phone: orUndefined(r.phone as string | null),
    slackUserId: orUndefined(r.slack_user_id as string | null),
    department: orUndefined(r.department as string | null),
    location: orUndefined(r.location as string | null),
    vip: Number(r.vip) === 1,
    language: orUndefined(r.language as 'zh' | 'en' | null),
    externalId: orUndefined(r.external_id as string | null),
  };
}

const PROFILE_COLUMNS = {
  name: 'name',
  email: 'email',
  phone: 'phone',
  slackUserId: 'slack_user_id',
  department: 'department',
  location: 'location',
  language: 'language',
} as const;

export async function getRequester(q: Sql, id: string): Promise<Requester | undefined> {
  const row = await q.get('SELECT * FROM requesters WHERE id = ?', [id]);
  return row ? toRequester(row) : undefined;
}

/** The requester owning the first of these identities that anyone owns, and which identity that was. */
export async function findRequesterByIdentities(q: Sql, ids: readonly Identity[]): Promise<{ requester: Requester; by: Identity } | undefined> {
  for (const id of ids) {
    const row = await q.get(
      `SELECT r.* FROM requester_identities i JOIN requesters r ON r.id = i.requester_id WHERE i.kind = ? AND i.value = ?`,
      [id.kind, id.value],
    );
    if (row) return { requester: toRequester(row), by: id };
  }
  return undefined;
}

/** Links identities to a requester; `move` takes them from whoever had them (an authoritative sync). Returns how many were new. */
async function link(tx: Sql, requesterId: string, ids: readonly Identity[], at: string, move: boolean): Promise<number> {
  let linked = 0;
  for (const id of ids) {
    linked += await tx.run(
      `INSERT INTO requester_identities (kind, value, requester_id, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (kind, value) DO ${move ? 'UPDATE SET requester_id = excluded.requester_id' : 'NOTHING'}`,
      [id.kind, id.value, requesterId, at],
    );
  }
  return linked;
}

/** Writes profile fields: all given ones (`overwrite`) or only those still blank. */
async function applyProfile(tx: Sql, r: Requester, p: RequesterProfileInput, at: string, overwrite: boolean): Promise<Requester> {
  const next: Requester = { ...r };
  let changed = false;
  for (const field of Object.keys(PROFILE_COLUMNS) as (keyof typeof PROFILE_COLUMNS)[]) {
    const value = p[field];
    if (value === undefined || value === r[field] || (!overwrite && r[field] !== undefined)) continue;
    (next as unknown as Record<string, unknown>)[field] = value;
    changed = true;
  }
  if (p.vip !== undefined && overwrite && p.vip !== r.vip) {
    next.vip = p.vip;
    changed = true;
  }
  if (!changed) return r;
  const cols = Object.entries(PROFILE_COLUMNS).map(([field, col]) => [col, next[field as keyof typeof PROFILE_COLUMNS] ?? null]);
  await tx.run(`UPDATE requesters SET ${cols.map(([c]) => `${c} = ?`).join(', ')}, vip = ?, updated_at = ? WHERE id = ?`, [
    ...cols.map(([, v]) => v as SqlValue),
    next.vip ? 1 : 0,
    at,
    r.id,
  ]);
  return next;
}

async function insertRequester(tx: Sql, p: RequesterProfileInput, at: string, externalId?: string): Promise<Requester | undefined> {
  const row = await tx.get(
    `INSERT INTO requesters (id, name, email, phone, slack_user_id, department, location, vip, language, external_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
    [
      newId(),
      p.name ?? null,
      p.email ?? null,
      p.phone ?? null,
      p.slackUserId ?? null,
      p.department ?? null,
      p.location ?? null,
      p.vip ? 1 : 0,
      p.language ?? null,
      externalId ?? null,
      at,
      at,
    ],
  );
  return row ? toRequester(row) : undefined;
}

/**
 * The requester a contact comes from: found by any identifier it carries (new identifiers are then
 * linked, blank profile fields filled), or created. A racing transaction that created the same person
 * first wins: the unique identity tells, and this one adopts its requester.
 */
export async function resolveRequester(tx: Sql, who: RequesterIdentity, now: Date): Promise<Requester> {
  const at = toTs(now);
  const ids = identitiesOf(who);
  const found = await findRequesterByIdentities(tx, ids);
  if (found) {
    // The identity it was found by is linked already; most contacts carry only that one.
    await link(tx, found.requester.id, ids.filter((id) => id !== found.by), at, false);
    return applyProfile(tx, found.requester, who, at, false);
  }
  const created = (await insertRequester(tx, who, at))!;
  if (ids.length > 0 && (await link(tx, created.id, ids, at, false)) === 0) {
    await tx.run('DELETE FROM requesters WHERE id = ?', [created.id]);
    return resolveRequester(tx, who, now);
  }
  return created;
}

/**
 * An HR or LDAP record, keyed by its own id. A person who wrote in before the sync (matched by an
 * identifier and not yet tied to another record) becomes that record; identifiers move to it.
 */
export async function upsertRequester(tx: Sql, externalId: string, profile: RequesterProfileInput, now: Date): Promise<Requester> {
  const at = toTs(now);
  const ids = identitiesOf(profile);
  let r = await tx.get('SELECT * FROM requesters WHERE external_id = ?', [externalId]).then((row) => row && toRequester(row));
  if (!r) {
    const known = (await findRequesterByIdentities(tx, ids))?.requester;
    if (known && !known.externalId) {
      await tx.run('UPDATE requesters SET external_id = ? WHERE id = ?', [externalId, known.id]);
      r = { ...known, externalId };
    } else {
      r = (await insertRequester(tx, profile, at, externalId)) ?? toRequester((await tx.get('SELECT * FROM requesters WHERE external_id = ?', [externalId]))!);
    }
  }
  await link(tx, r.id, ids, at, true);
  return applyProfile(tx, r, profile, at, true);
}
