import { join } from 'node:path';
import { z } from 'zod';
import type { Channel } from '../intake/record.js';
import { requesterProfile } from '../router/index.js';
import type { RequesterProfile } from '../router/types.js';
import { inlineSource, readYamlFile, type ConfigSource } from './yaml.js';

export const personSchema = z.strictObject({
  name: z.string().min(1),
  email: z.string().email(),
  /** E.164. */
  phone: z.string().regex(/^\+[1-9]\d{4,14}$/, 'expected an E.164 number like +8613800000000').optional(),
  slackUserId: z.string().optional(),
  department: z.string().optional(),
  vip: z.boolean().default(false),
  location: z.string().optional(),
  language: z.enum(['zh', 'en']).default('zh'),
  /** A staff role makes the person a staff account of the desk's web (signed in by an emailed link). */
  role: z.enum(['agent', 'manager', 'admin']).optional(),
  /** The team a staff member works in (gateway.yaml `teams`): their queue's default. */
  team: z.string().optional(),
});
export type Person = z.output<typeof personSchema>;

export const directoryFileSchema = z.strictObject({ people: z.array(personSchema) });

/** Who may contact the desk, found by any of the identifiers a channel knows. */
export interface Directory {
  people: readonly Person[];
  /** By email (case-insensitive), E.164 phone or Slack user id. */
  find(identity: { email?: string; phone?: string; slackUserId?: string }): Person | undefined;
  /** The attributes rules match on, or undefined for a stranger. */
  /** What the router may match on of the person with this identity writing in on `channel`. */
  profile(identity: { email?: string; phone?: string; slackUserId?: string }, channel: Channel): RequesterProfile | undefined;
}

/** Indexes the people; two people sharing an email, phone or Slack id is a configuration mistake. */
export function createDirectory(people: readonly Person[], source: ConfigSource = inlineSource('directory.yaml')): Directory {
  const index = new Map<string, Person>();
  people.forEach((p, i) => {
    const keys: Array<[string, string | undefined]> = [
      ['email', p.email.toLowerCase()],
      ['phone', p.phone],
      ['slackUserId', p.slackUserId],
    ];
    for (const [field, value] of keys) {
      if (value === undefined) continue;
      const key = `${field}:${value}`;
      if (index.has(key)) throw source.error(['people', i, field], `${field} ${value} is already used by ${index.get(key)!.name}`);
      index.set(key, p);
    }
  });
  const find: Directory['find'] = (identity) =>
    (identity.email && index.get(`email:${identity.email.toLowerCase()}`)) ||
    (identity.phone && index.get(`phone:${identity.phone}`)) ||
    (identity.slackUserId && index.get(`slackUserId:${identity.slackUserId}`)) ||
    undefined;
  return {
    people,
    find,
    profile(identity, channel) {
      const p = find(identity);
      return p && requesterProfile({ ...p, id: p.email }, channel);
    },
  };
}

/** Reads `<configDir>/directory.yaml`. */
export function loadDirectory(configDir: string): Directory {
  const { value, source } = readYamlFile(join(configDir, 'directory.yaml'), directoryFileSchema);
  return createDirectory(value.people, source);
}
