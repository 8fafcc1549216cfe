import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpoc, TEST_KEYS, type RunningSpoc } from '../support/spoc.js';

const ACTIONS = ['claim', 'reply', 'escalate', 'reassign', 'pending', 'resolve', 'close', 'reopen', 'rate'];
/** Every API route that takes a body, each behind an API key. */
const BODY_ROUTES: Array<[string, string]> = [
  ['POST', '/api/v1/contacts'],
  ['POST', '/api/v1/route/explain'],
  ['PUT', '/api/v1/requesters/hr-1'],
  ['POST', '/api/v1/admin/failed-jobs/x/retry'],
  ['PUT', '/api/v1/admin/announcement'],
  ...ACTIONS.map((a): [string, string] => ['POST', `/api/v1/tickets/INC-000001/${a}`]),
];

/**
 * Sends headers announcing `declared` bytes and only the first chunk of the body, then waits for the answer:
 * a server that reads the body first would never answer. Resolves the status and body, and how much was sent.
 */
function partialUpload(url: string, path: string, headers: Record<string, string>, declared: number): Promise<{ status: number; body: any; sent: number }> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, url);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(declared), ...headers } });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString('utf8') || 'null'), sent: chunk.length });
        req.destroy();
      });
    });
    // The server may close the socket once it has answered.
    req.on('error', (err) => (err as NodeJS.ErrnoException).code === 'ECONNRESET' || err.message === 'socket hang up' ? undefined : reject(err));
    req.write(chunk);
  });
}

describe('authentication and limits before the body (real HTTP)', () => {
  let spoc: RunningSpoc;
  beforeAll(async () => {
    spoc = await startSpoc();
  });
  afterAll(async () => spoc?.close());

  it('answers 401, not 400, to every keyless request with a broken body', async () => {
    for (const [method, path] of BODY_ROUTES) {
      const res = await fetch(spoc.url + path, { method, headers: { 'content-type': 'application/json' }, body: '{"broken' });
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect((await res.json()).error.code).toBe('unauthorized');
    }
  });

  it('refuses a keyless 30 MB upload with 401 before reading it', async () => {
    const res = await partialUpload(spoc.url, '/api/v1/contacts', {}, 30 * 1024 * 1024);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('refuses a 30 MB post to a staff page without a session with 401 before reading it', async () => {
    const res = await partialUpload(spoc.url, '/desk/tickets/INC-000001/reply', {}, 30 * 1024 * 1024);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('refuses a keyed upload over the route limit with 413 before reading it', async () => {
    const res = await partialUpload(spoc.url, '/api/v1/route/explain', { authorization: `Bearer ${TEST_KEYS.admin}` }, 30 * 1024 * 1024);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('refuses invalid UTF-8 in a JSON body with 400 and makes no ticket', async () => {
    const json = Buffer.from('{"channel":"api","requester":{"email":"a@example.com"},"subject":"bad \xff bytes","body":"x"}', 'latin1');
    const res = await fetch(`${spoc.url}/api/v1/contacts`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEYS.intake}` }, body: json });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_utf8');
    expect(await spoc.ctx.tickets.list({})).toEqual([]);
  });
});
