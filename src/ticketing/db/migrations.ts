import type { Dialect } from './sql.js';

/**
 * The schema, as ordered migrations written once for both dialects. Column types that differ are
 * tokens: `{{serial}}` (an auto-numbered key), `{{ts}}` (a UTC instant: ISO text in SQLite, timestamptz
 * in PostgreSQL) and `{{json}}` (text in SQLite, jsonb in PostgreSQL). A migration never changes once
 * released; the next change is a new entry.
 */
export interface Migration {
  version: number;
  name: string;
  /** One text for both dialects, or one per dialect where they cannot share it (full-text search). */
  sql: string | Record<Dialect, string>;
}

const TYPES: Record<Dialect, Record<string, string>> = {
  sqlite: { serial: 'INTEGER PRIMARY KEY AUTOINCREMENT', ts: 'TEXT', json: 'TEXT' },
  postgres: { serial: 'BIGSERIAL PRIMARY KEY', ts: 'TIMESTAMPTZ', json: 'JSONB' },
};

export function renderMigration(sql: Migration['sql'], dialect: Dialect): string {
  return (typeof sql === 'string' ? sql : sql[dialect]).replace(/\{\{(\w+)\}\}/g, (_, token: string) => {
    const type = TYPES[dialect][token];
    if (!type) throw new Error(`unknown migration token ${token}`);
    return type;
  });
}

/** Splits a rendered migration into statements (none of ours has `;` inside a literal). */
export function statements(sql: string): string[] {
  return sql.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Migration 15's tables, the same on both dialects; only the back-fill of old warnings differs. */
const SLA_STEPS_TABLE = `ALTER TABLE tickets ADD COLUMN sla_next_at {{ts}};
CREATE INDEX tickets_sla_next ON tickets (sla_next_at) WHERE sla_next_at IS NOT NULL;
CREATE TABLE sla_steps (
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  clock TEXT NOT NULL,
  due {{ts}} NOT NULL,
  step TEXT NOT NULL,
  at {{ts}} NOT NULL,
  PRIMARY KEY (ticket_id, clock, due, step)
);
UPDATE tickets SET sla_next_at = '1970-01-01T00:00:00.000Z' WHERE status IN ('new', 'assigned', 'in_progress', 'pending');
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tickets, requesters, messages, events, outbox',
    sql: `
CREATE TABLE requesters (
  id TEXT PRIMARY KEY,
  name TEXT, email TEXT, phone TEXT, slack_user_id TEXT, department TEXT, location TEXT,
  vip INTEGER NOT NULL DEFAULT 0,
  language TEXT,
  external_id TEXT UNIQUE,
  created_at {{ts}} NOT NULL,
  updated_at {{ts}} NOT NULL
);
CREATE TABLE requester_identities (
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  requester_id TEXT NOT NULL REFERENCES requesters(id),
  created_at {{ts}} NOT NULL,
  PRIMARY KEY (kind, value)
);
CREATE INDEX requester_identities_requester ON requester_identities (requester_id);
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
CREATE TABLE tickets (
  id TEXT PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL, category TEXT NOT NULL, service TEXT,
  impact TEXT NOT NULL, urgency TEXT NOT NULL, priority TEXT NOT NULL,
  tier TEXT NOT NULL, team TEXT NOT NULL,
  status TEXT NOT NULL,
  subject TEXT NOT NULL,
  channel TEXT NOT NULL,
  requester_id TEXT NOT NULL REFERENCES requesters(id),
  assignee TEXT,
  sla_policy TEXT NOT NULL, calendar TEXT NOT NULL,
  respond_by {{ts}} NOT NULL, resolve_by {{ts}} NOT NULL,
  responded_at {{ts}}, resolved_at {{ts}}, closed_at {{ts}}, sla_paused_at {{ts}},
  tags {{json}} NOT NULL,
  language TEXT,
  reason TEXT NOT NULL,
  created_at {{ts}} NOT NULL,
  updated_at {{ts}} NOT NULL
);
CREATE INDEX tickets_status ON tickets (status, tier, team);
CREATE INDEX tickets_requester ON tickets (requester_id, status);
CREATE INDEX tickets_assignee ON tickets (assignee, status);
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  direction TEXT NOT NULL,
  channel TEXT NOT NULL,
  native_id TEXT,
  author TEXT NOT NULL,
  body TEXT NOT NULL,
  internal INTEGER NOT NULL DEFAULT 0,
  attachments {{json}} NOT NULL,
  at {{ts}} NOT NULL
);
CREATE INDEX messages_ticket ON messages (ticket_id, at);
CREATE UNIQUE INDEX messages_native ON messages (channel, native_id);
CREATE TABLE attachments (
  message_id TEXT NOT NULL REFERENCES messages(id),
  position INTEGER NOT NULL,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  ref TEXT NOT NULL,
  PRIMARY KEY (message_id, position)
);
CREATE INDEX attachments_sha256 ON attachments (sha256);
CREATE TABLE events (
  id {{serial}},
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  type TEXT NOT NULL,
  at {{ts}} NOT NULL,
  actor TEXT NOT NULL,
  data {{json}} NOT NULL
);
CREATE INDEX events_ticket ON events (ticket_id, id);
CREATE INDEX events_type ON events (type, at);
CREATE TABLE intake_keys (
  key TEXT PRIMARY KEY,
  ticket_id TEXT REFERENCES tickets(id),
  created_at {{ts}} NOT NULL
);
CREATE TABLE thread_keys (
  key TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  created_at {{ts}} NOT NULL
);
CREATE INDEX thread_keys_ticket ON thread_keys (ticket_id);
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  key TEXT NOT NULL UNIQUE,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  event_id BIGINT NOT NULL,
  payload {{json}} NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  run_at {{ts}} NOT NULL,
  lease_until {{ts}},
  last_error TEXT,
  created_at {{ts}} NOT NULL,
  updated_at {{ts}} NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, run_at);
CREATE TABLE effects (
  key TEXT PRIMARY KEY,
  data {{json}} NOT NULL,
  created_at {{ts}} NOT NULL
);
CREATE TABLE channel_state (
  key TEXT PRIMARY KEY,
  value {{json}} NOT NULL,
  updated_at {{ts}} NOT NULL
)`,
  },
  {
    version: 2,
    name: 'no events index by type',
    // Nothing reads events by type across tickets, and the index cost every event a second B-tree insert.
    sql: 'DROP INDEX IF EXISTS events_type',
  },
  {
    version: 7,
    name: 'staff accounts, sessions, sign-in links; ticket list indexes',
    sql: `
CREATE TABLE staff (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  team TEXT,
  slack_user_id TEXT,
  language TEXT NOT NULL,
  source TEXT NOT NULL,
  password_hash TEXT,
  disabled_at {{ts}},
  created_at {{ts}} NOT NULL,
  updated_at {{ts}} NOT NULL
);
CREATE TABLE staff_sessions (
  id_hash TEXT PRIMARY KEY,
  staff_id TEXT NOT NULL REFERENCES staff(id),
  csrf TEXT NOT NULL,
  method TEXT NOT NULL,
  created_at {{ts}} NOT NULL,
  expires_at {{ts}} NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_at);
CREATE TABLE sign_in_links (
  token_hash TEXT PRIMARY KEY,
  staff_id TEXT NOT NULL REFERENCES staff(id),
  next TEXT NOT NULL,
  created_at {{ts}} NOT NULL,
  expires_at {{ts}} NOT NULL,
  used_at {{ts}}
);
CREATE TABLE oidc_logins (
  state_hash TEXT PRIMARY KEY,
  verifier TEXT NOT NULL,
  nonce TEXT NOT NULL,
  next TEXT NOT NULL,
  created_at {{ts}} NOT NULL,
  expires_at {{ts}} NOT NULL
);
CREATE INDEX tickets_status_team_created ON tickets (status, team, created_at, id);
CREATE INDEX tickets_team_status_due ON tickets (team, status, resolve_by, id);
CREATE INDEX tickets_status_created ON tickets (status, created_at, id);
CREATE INDEX tickets_status_due ON tickets (status, resolve_by, id);
CREATE INDEX tickets_created ON tickets (created_at, id)`,
  },
  {
    version: 8,
    name: 'full-text search over tickets: number, subject, requester, messages',
    // The text is segmented by spoc (jieba for Chinese) before it is stored, so each dialect indexes
    // ready-made words: SQLite in FTS5, PostgreSQL as a word array under a GIN index.
    sql: {
      sqlite: `CREATE VIRTUAL TABLE ticket_search USING fts5(ticket_id UNINDEXED, terms, tokenize = 'unicode61')`,
      postgres: `
CREATE TABLE ticket_search (
  id BIGSERIAL PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  terms TEXT[] NOT NULL
);
CREATE INDEX ticket_search_terms ON ticket_search USING GIN (terms);
CREATE INDEX ticket_search_ticket ON ticket_search (ticket_id)`,
    },
  },
  {
    version: 10,
    name: 'knowledge base deflections',
    // One row per "this solved it": the contact that never became a ticket (issue 20).
    sql: `
CREATE TABLE kb_deflections (
  id {{serial}},
  article_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  language TEXT NOT NULL,
  at {{ts}} NOT NULL
);
CREATE INDEX kb_deflections_at ON kb_deflections (at)`,
  },
  {
    version: 11,
    name: 'reports: events of the types reports read by time',
    // Partial, so only these few event types pay for the index: a report's range starts from them.
    sql: `
CREATE INDEX events_created_at ON events (at) WHERE type = 'created';
CREATE INDEX events_replied_in_at ON events (at) WHERE type = 'replied_in';
CREATE INDEX events_rated_at ON events (at) WHERE type = 'rated';
CREATE INDEX events_survey_sent_at ON events (at) WHERE type = 'survey_sent'`,
  },
  {
    version: 13,
    name: 'knowledge base articles written through the admin API',
    // The whole article as JSON: it is read back whole into the search index, never queried by field (issue 20).
    sql: `
CREATE TABLE kb_articles (
  id TEXT PRIMARY KEY,
  data TEXT NOT NULL,
  updated_at {{ts}} NOT NULL
)`,
  },
  {
    version: 14,
    name: 'assignment: offers waiting for an agent, round-robin turns, open tickets per assignee',
    // One offer row per ticket that an automatic policy is placing: its agent (or none: nobody was
    // available) and when to look again. The sweep reads them by due time (issue 15).
    sql: `
CREATE TABLE assignment_offers (
  ticket_id TEXT PRIMARY KEY REFERENCES tickets(id),
  team TEXT NOT NULL,
  assignee TEXT,
  event_id BIGINT,
  passed {{json}} NOT NULL,
  due_at {{ts}} NOT NULL
);
CREATE INDEX assignment_offers_due ON assignment_offers (due_at);
CREATE TABLE assignment_turns (
  team TEXT PRIMARY KEY,
  last_member TEXT
);
CREATE INDEX tickets_assignee_status ON tickets (assignee, status)`,
  },
  {
    version: 15,
    name: 'SLA steps: one claim row per clock, due time and step; the instant of the next step on the ticket',
    // The primary key is what makes a step happen once, whichever process and sweep gets there first.
    // sla_next_at is the sweeper's index: every ticket write sets it to the epoch ("look again"), the
    // sweeper to the next step's instant, or NULL when nothing is left. Open tickets are looked at
    // again at once; warnings and breaches recorded before steps existed keep their claim.
    sql: {
      sqlite: `
${SLA_STEPS_TABLE}INSERT INTO sla_steps (ticket_id, clock, due, step, at)
  SELECT ticket_id, json_extract(data, '$.clock'), json_extract(data, '$.due'), CASE type WHEN 'sla_warning' THEN 'warning' ELSE 'breach' END, MIN(at)
  FROM events WHERE type IN ('sla_warning', 'sla_breach') AND json_extract(data, '$.clock') IS NOT NULL AND json_extract(data, '$.due') IS NOT NULL
  GROUP BY 1, 2, 3, 4`,
      postgres: `
${SLA_STEPS_TABLE}INSERT INTO sla_steps (ticket_id, clock, due, step, at)
  SELECT ticket_id, data->>'clock', (data->>'due')::timestamptz, CASE type WHEN 'sla_warning' THEN 'warning' ELSE 'breach' END, MIN(at)
  FROM events WHERE type IN ('sla_warning', 'sla_breach') AND data->>'clock' IS NOT NULL AND data->>'due' IS NOT NULL
  GROUP BY 1, 2, 3, 4`,
    },
  },
  {
    version: 16,
    name: 'auto-close: resolved tickets by resolution time',
    // Partial: the sweep lists only resolved tickets, a small share of the table, every minute in every process.
    sql: `CREATE INDEX tickets_resolved_at ON tickets (resolved_at) WHERE status = 'resolved'`,
  },
  {
    version: 19,
    name: 'major incidents: parents, their children, and the per-service storm lock',
    // A parent is an ordinary ticket with an incidents row; a child has at most one parent (issue 19).
    // incident_storms has one row per service that intake locks, so two contacts about a service at once
    // count each other and declare one incident, not two.
    sql: `
CREATE TABLE incidents (
  ticket_id TEXT PRIMARY KEY REFERENCES tickets(id),
  service TEXT,
  declared_by TEXT NOT NULL,
  reason TEXT NOT NULL,
  declared_at {{ts}} NOT NULL
);
CREATE INDEX incidents_service ON incidents (service);
CREATE TABLE incident_children (
  child_id TEXT PRIMARY KEY REFERENCES tickets(id),
  parent_id TEXT NOT NULL REFERENCES tickets(id),
  reason TEXT NOT NULL,
  linked_by TEXT NOT NULL,
  linked_at {{ts}} NOT NULL
);
CREATE INDEX incident_children_parent ON incident_children (parent_id, linked_at);
CREATE TABLE incident_storms (
  service TEXT PRIMARY KEY,
  touched_at {{ts}} NOT NULL
);
CREATE INDEX tickets_service_created ON tickets (service, created_at)`,
  },
];
