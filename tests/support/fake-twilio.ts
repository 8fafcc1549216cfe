import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { until } from './wait.js';

/** One text as the fake accepted it. */
export interface FakeMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  at: number;
}

export interface FakeTwilio {
  /** Base URL for TWILIO_API_URL (the client keeps its `/2010-04-01/...` paths). */
  url: string;
  messages: FakeMessage[];
  /** Requests refused so far (status codes), to see that a retry really happened. */
  refused: number[];
  /** Serves a recording's audio at `/2010-04-01/Accounts/:sid/Recordings/:recordingSid.mp3`; returns its RecordingUrl. */
  addRecording(recordingSid: string, audio: Buffer): string;
  /** Answers the next `times` Messages requests with `status` (503 or 429 with Retry-After). */
  refuse(times: number, status: 503 | 429, retryAfterSec?: number): void;
  /** Waits until `count` messages were accepted and returns them. */
  waitForMessages(count: number, timeoutMs?: number): Promise<FakeMessage[]>;
  close(): Promise<void>;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * A small local stand-in for Twilio's REST API on port 0: `POST /2010-04-01/Accounts/:sid/Messages.json`
 * with HTTP Basic auth (account SID and auth token), answered like Twilio (201 and a Message resource, or
 * Twilio's error JSON), and recordings' audio. It can refuse for a while to exercise the outbox's retries.
 */
export async function startFakeTwilio(opts: { accountSid: string; authToken: string }): Promise<FakeTwilio> {
  const messages: FakeMessage[] = [];
  const refused: number[] = [];
  let refusals: { times: number; status: number; retryAfterSec: number } = { times: 0, status: 503, retryAfterSec: 1 };
  const expectedAuth = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;

  const recordings = new Map<string, Buffer>();

  const server = createServer((req, res) => {
    void (async () => {
      const rec = /^\/2010-04-01\/Accounts\/(AC\w+)\/Recordings\/(RE\w+)\.mp3$/.exec(req.url ?? '');
      if (req.method === 'GET' && rec) {
        if (req.headers.authorization !== expectedAuth) return json(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
        const audio = recordings.get(rec[2]!);
        if (!audio) return json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
        res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(audio.length) });
        return res.end(audio);
      }
      const m = /^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\.json$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !m) return json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      if (req.headers.authorization !== expectedAuth || m[1] !== opts.accountSid) {
        return json(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
      }
      const form = await readForm(req);
      if (refusals.times > 0) {
        refusals.times--;
        refused.push(refusals.status);
        const headers: Record<string, string> = refusals.status === 429 ? { 'retry-after': String(refusals.retryAfterSec) } : {};
        return json(res, refusals.status, { code: refusals.status === 429 ? 20429 : 20503, message: refusals.status === 429 ? 'Too Many Requests' : 'Service Unavailable', status: refusals.status }, headers);
      }
      const to = form.get('To') ?? '';
      const body = form.get('Body') ?? '';
      if (!/^\+[1-9]\d{4,14}$/.test(to) || !body) return json(res, 400, { code: 21211, message: "The 'To' number is not valid", status: 400 });
      const sid = `SM${randomBytes(16).toString('hex')}`;
      const msg: FakeMessage = { sid, accountSid: m[1], to, from: form.get('From') ?? '', body, at: Date.now() };
      messages.push(msg);
      json(res, 201, {
        sid,
        account_sid: m[1],
        to,
        from: msg.from,
        body,
        status: 'queued',
        num_segments: '1',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: new Date(msg.at).toUTCString(),
        uri: `/2010-04-01/Accounts/${m[1]}/Messages/${sid}.json`,
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    refused,
    addRecording(recordingSid, audio) {
      recordings.set(recordingSid, audio);
      return `http://127.0.0.1:${port}/2010-04-01/Accounts/${opts.accountSid}/Recordings/${recordingSid}`;
    },
    refuse(times, status, retryAfterSec = 1) {
      refusals = { times, status, retryAfterSec };
    },
    async waitForMessages(count, timeoutMs = 15_000) {
      await until(() => messages.length >= count, { timeoutMs, everyMs: 25, what: () => `fake Twilio messages: ${messages.length} of ${count}` });
      return messages.slice(0, count);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
