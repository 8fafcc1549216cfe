import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { startSpoc, type RunningSpoc } from '../support/spoc.js';
import { testClock } from '../ticketing/fixtures.js';
import { twilioConfigDir } from '../channels/twilio/config-dir.js';
import { postSigned } from '../channels/twilio/twiml.js';
import { dropSchemas } from '../support/postgres.js';

/** Monday 2 March 2026, 10:00 in Shanghai (the desk's zone): inside every calendar's business hours. */
export const T0 = Date.parse('2026-03-02T02:00:00.000Z');
export const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
/** The report's now: 16:00 in Shanghai, still the same business day. */
export const NOW = at(360);
export const RANGE = `from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(NOW)}`;

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const AUTH_TOKEN = 'reports-test-auth-token';
const PUBLIC = 'https://spoc.example.com';

export type StoreKind = 'sqlite' | 'postgres';

export interface Seeded {
  spoc: RunningSpoc;
  clock: ReturnType<typeof testClock>;
  /** Ticket numbers by the letter the history below gives them. */
  n: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', string>;
  close(): Promise<void>;
}

/**
 * The app on the repo's config (Twilio on, against no real Twilio), on a fresh SQLite file or a fresh
 * PostgreSQL schema, with a clock the history moves.
 */
export async function bootApp(kind: StoreKind, extraEnv: Record<string, string> = {}): Promise<{ spoc: RunningSpoc; clock: ReturnType<typeof testClock>; close(): Promise<void> }> {
  const clock = testClock(at(0));
  const config = twilioConfigDir({ onCall: ['+8613800000201'] });
  const schema = `spoc_r_${randomBytes(6).toString('hex')}`;
  const spoc = await startSpoc({
    now: clock.now,
    env: {
      SPOC_CONFIG_DIR: config.dir,
      TWILIO_ACCOUNT_SID: `AC${'0123456789abcdef'.repeat(2)}`,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: '+8610800000000',
      TWILIO_API_URL: 'http://127.0.0.1:9',
      PUBLIC_BASE_URL: PUBLIC,
      ...(kind === 'postgres' ? { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema } : {}),
      ...extraEnv,
    },
  });
  return {
    spoc,
    clock,
    async close() {
      await spoc.close();
      config.cleanup();
      if (kind === 'postgres') {
        await dropSchemas(PG_URL, schema);
      }
    },
  };
}

/**
 * A known morning at the desk, through the real API, intake, router and IVR (minutes after T0):
 *
 * | ticket | what (routed to)                    | history                                                          |
 * |--------|-------------------------------------|------------------------------------------------------------------|
 * | A      | password how-to (inquiry P4, L1)    | web +0 (ann), reply +10, resolve +30, survey +35, rated 5 +60     |
 * | B      | VPN (incident P3, L2 network)       | email +5, requester writes again +45, reply +50 (respond breached), reassigned to desktop +60 and back +70, resolve +120, survey +125, rated 2 +180 |
 * | C      | printer (incident P3, L2 desktop)   | web +10, claim +15, reply +20, escalated to L3 +30, still open    |
 * | D      | complaint (P4, L1 desk-manager)     | email +20, never answered                                         |
 * | E      | email down (incident P1, L2 network)| api +30, reply +35, resolve +120 (resolve breached), survey +125, rated 4 +150 |
 * | F      | Visio install (service_request P4)  | web +40 (ann again), reply +50, resolve +60, survey +65, reopened +90 |
 *
 * Calls: one the IVR serves (+100), one an agent answers (+110), two abandoned (+120, +130).
 */
export async function seedHistory(kind: StoreKind, extraEnv: Record<string, string> = {}): Promise<Seeded> {
  const { spoc, clock, close } = await bootApp(kind, extraEnv);
  const go = (minutes: number) => clock.set(at(minutes));
  const contact = async (minutes: number, text: string, email: string, channel: string, ticketNumber?: string) => {
    go(minutes);
    const res = await spoc.api('POST', '/api/v1/contacts', { requester: { name: email.split('@')[0], email }, subject: text, body: text, channel, ticketNumber });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body as { number: string; type: string; team: string; priority: string };
  };
  const act = async (minutes: number, number: string, action: string, body: Record<string, unknown> = {}) => {
    go(minutes);
    const res = await spoc.api('POST', `/api/v1/tickets/${number}/${action}`, { agent: 'li', ...body });
    expect(res.status, `${action} ${number}: ${JSON.stringify(res.body)}`).toBe(200);
  };
  /** No survey sender is on main yet: the event it will write, through the real event log. */
  const survey = async (minutes: number, number: string) => {
    go(minutes);
    await spoc.spoc.ticketing.store.withTx(async (tx) => {
      const ticket = await spoc.spoc.ticketing.ops.lock(tx, { number });
      await spoc.spoc.ticketing.ops.recordEvent(tx, ticket, 'survey_sent', 'system', { channel: ticket.channel });
    });
  };
  const call = async (minutes: number, sid: string, steps: Array<[string, Record<string, string>]>) => {
    for (const [i, [path, params]] of steps.entries()) {
      go(minutes + i);
      const res = await postSigned({ baseUrl: spoc.url, publicBaseUrl: PUBLIC, authToken: AUTH_TOKEN }, path, {
        AccountSid: `AC${'0123456789abcdef'.repeat(2)}`,
        CallSid: sid,
        From: '+8613900000001',
        To: '+8610800000000',
        Direction: 'inbound',
        CallStatus: 'in-progress',
        ...params,
      });
      expect(res.status, res.body).toBe(200);
    }
  };

  const A = await contact(0, 'How do I change my password', 'ann@example.com', 'web');
  const B = await contact(5, 'VPN cannot connect from home', 'bob@example.com', 'email');
  const C = await contact(10, 'Printer on floor 3 is jammed', 'cai@example.com', 'web');
  const D = await contact(20, 'I want to complain about slow service', 'dan@example.com', 'email');
  const E = await contact(30, 'Email server down for all users', 'eve@example.com', 'api');
  const F = await contact(40, 'Please install Visio on my laptop', 'ann@example.com', 'web');
  expect([A, B, C, D, E, F].map((t) => `${t.type}/${t.priority}/${t.team}`)).toEqual([
    'inquiry/P4/service-desk',
    'incident/P3/network',
    'incident/P3/desktop',
    'complaint/P4/desk-manager',
    'incident/P1/network',
    'service_request/P4/desktop',
  ]);

  await act(10, A.number, 'reply', { body: 'Settings → Password.' });
  await act(15, C.number, 'claim');
  await act(20, C.number, 'reply', { body: 'Looking at it.' });
  await act(30, A.number, 'resolve', { resolution: 'explained' });
  await act(30, C.number, 'escalate', { reason: 'fuser unit' });
  await survey(35, A.number);
  await act(35, E.number, 'reply', { body: 'We are on it.' });
  const again = await contact(45, 'Still no VPN', 'bob@example.com', 'email', B.number);
  expect(again.number).toBe(B.number);
  await act(50, B.number, 'reply', { body: 'Which client version?' });
  await act(50, F.number, 'reply', { body: 'Installing.' });
  await act(60, B.number, 'reassign', { team: 'desktop' });
  await act(60, F.number, 'resolve', { resolution: 'installed' });
  await act(60, A.number, 'rate', { score: 5 });
  await survey(65, F.number);
  await act(70, B.number, 'reassign', { team: 'network' });
  await act(90, F.number, 'reopen', { reason: 'licence missing' });
  await act(120, B.number, 'resolve', { resolution: 'new profile' });
  await act(120, E.number, 'resolve', { resolution: 'restarted' });
  await survey(125, B.number);
  await survey(125, E.number);
  await act(150, E.number, 'rate', { score: 4 });
  await act(180, B.number, 'rate', { score: 2, comment: 'passed around' });

  await call(100, 'CA0001', [['/twilio/voice', {}], ['/twilio/voice/status?lang=en', { Digits: '1' }], ['/twilio/voice/ended', { CallStatus: 'completed' }]]);
  await call(110, 'CA0002', [['/twilio/voice', {}], ['/twilio/voice/dial?lang=en&kind=urgent&i=1', { DialCallStatus: 'completed' }]]);
  await call(120, 'CA0003', [['/twilio/voice', {}], ['/twilio/voice/ended', { CallStatus: 'completed' }]]);
  await call(130, 'CA0004', [['/twilio/voice', {}], ['/twilio/voice/dial?lang=en&kind=urgent&i=1', { DialCallStatus: 'no-answer' }], ['/twilio/voice/ended', { CallStatus: 'completed' }]]);

  clock.set(NOW);
  return { spoc, clock, n: { A: A.number, B: B.number, C: C.number, D: D.number, E: E.number, F: F.number }, close };
}
