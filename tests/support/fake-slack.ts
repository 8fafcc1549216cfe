import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call as the fake received it, with JSON-encoded fields (blocks, view …) decoded. */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  at: number;
  /** What the fake answered (ts of a posted message …); absent for a 429. */
  response?: Record<string, unknown>;
}

export interface FakeSlackUser {
  id: string;
  name: string;
  realName?: string;
  email?: string;
}

export interface FakeSlack {
  /** Base URL for WebClient's `slackApiUrl` (ends with `/api/`). */
  apiUrl: string;
  calls: SlackCall[];
  callsOf(method: string): SlackCall[];
  /** Waits until `count` calls of `method` have arrived (default 1) and returns them. */
  waitFor(method: string, count?: number, timeoutMs?: number): Promise<SlackCall[]>;
  /** Answers the next `times` calls of `method` (or of any method with '*') with 429 and Retry-After. */
  rateLimit(method: string, times: number, retryAfterSec?: number): void;
  addUser(user: FakeSlackUser): void;
  /** What users.getPresence answers for a user (default `active`). */
  setPresence(userId: string, presence: 'active' | 'away'): void;
  /** Every answer from now on waits this long (0: at once), like a slow Web API. */
  delay(ms: number): void;
  close(): Promise<void>;
}

const BOT = { userId: 'UBOT', botId: 'BBOT', team: 'T0001' };
export const FAKE_BOT_USER_ID = BOT.userId;
export const FAKE_BOT_ID = BOT.botId;

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    // WebClient form-encodes objects and arrays as JSON strings.
    args[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return args;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/**
 * A small local stand-in for Slack's Web API on port 0. It answers the methods spoc calls, records every
 * call so tests can assert on them, and can answer 429 with Retry-After to exercise the backoff.
 */
export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const users = new Map<string, FakeSlackUser>();
  const presence = new Map<string, 'active' | 'away'>();
  const limits = new Map<string, { times: number; retryAfter: number }>();
  const waiters = new Set<() => void>();
  let seq = 0;
  let delayMs = 0;
  const record = (call: SlackCall) => {
    calls.push(call);
    for (const w of [...waiters]) w();
  };
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;

  const handlers: Record<string, (a: Record<string, unknown>) => Record<string, unknown>> = {
    'auth.test': () => ({ user_id: BOT.userId, bot_id: BOT.botId, team_id: BOT.team, user: 'spoc', team: 'Test' }),
    'chat.postMessage': (a) => {
      const ts = nextTs();
      const channel = String(a.channel).replace(/^#/, 'C_');
      return { channel, ts, message: { ts, text: a.text, bot_id: BOT.botId, user: BOT.userId } };
    },
    'chat.update': (a) => ({ channel: a.channel, ts: a.ts, text: a.text }),
    'chat.postEphemeral': () => ({ message_ts: nextTs() }),
    'views.open': (a) => ({ view: { id: `V${++seq}`, ...(a.view as object) } }),
    'views.publish': (a) => ({ view: { id: `V${++seq}`, ...(a.view as object) } }),
    'conversations.open': (a) => ({ channel: { id: `D_${String(a.users)}` } }),
    'users.getPresence': (a) => ({ presence: presence.get(String(a.user)) ?? 'active' }),
    'users.info': (a) => {
      const u = users.get(String(a.user));
      if (!u) return { ok: false, error: 'user_not_found' };
      return { user: { id: u.id, name: u.name, real_name: u.realName ?? u.name, profile: { real_name: u.realName ?? u.name, email: u.email } } };
    },
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const args = await readBody(req);
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const auth = req.headers.authorization;
      const call: SlackCall = { method, args, token: auth?.replace(/^Bearer /, '') ?? (args.token as string | undefined), at: Date.now() };
      const limit = limits.get(method) ?? limits.get('*');
      if (limit && limit.times > 0) {
        limit.times -= 1;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(limit.retryAfter) });
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        record(call);
        return;
      }
      const handler = handlers[method];
      call.response = { ok: true, ...(handler ? handler(args) : { ok: false, error: 'unknown_method' }) };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(call.response));
      record(call);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const callsOf = (method: string) => calls.filter((c) => c.method === method);
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    callsOf,
    waitFor(method, count = 1, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (callsOf(method).length < count) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(callsOf(method));
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake Slack: expected ${count} ${method} call(s), got ${callsOf(method).length}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    rateLimit(method, times, retryAfterSec = 1) {
      limits.set(method, { times, retryAfter: retryAfterSec });
    },
    addUser(user) {
      users.set(user.id, user);
    },
    setPresence(userId, value) {
      presence.set(userId, value);
    },
    delay(ms) {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
