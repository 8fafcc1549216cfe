import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpoc, TEST_KEY_OWNERS, TEST_KEYS, type RunningSpoc } from '../support/spoc.js';

describe('REST API on the embedded defaults', () => {
  let s: RunningSpoc;
  beforeAll(async () => {
    s = await startSpoc();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('routes a contact into a typed, numbered ticket visible with its events', async () => {
    const created = await s.api('POST', '/api/v1/contacts', {
      requester: { name: 'Wang Fang', email: 'wang.fang@corp.example' },
      subject: 'VPN 连不上',
      body: '今天早上开始 VPN 一直连不上，提示认证失败',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ outcome: 'created', status: 'new', team: 'network', tier: 'L2' });
    expect(created.body.number).toMatch(/^INC-\d{6}$/);

    const got = await s.api('GET', `/api/v1/tickets/${created.body.number}`, undefined, { key: TEST_KEYS.agent });
    expect(got.status).toBe(200);
    expect(got.body.ticket.number).toBe(created.body.number);
    expect(got.body.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['created', 'routed']));
    expect(got.body.messages[0].body).toContain('VPN');
  });

  it("gives a directory VIP's priority raise only where the channel vouches for who wrote", async () => {
    const contact = (channel: string) =>
      s.api('POST', '/api/v1/contacts', {
        requester: { email: 'james.miller@example.com' },
        channel,
        subject: 'Monitor',
        body: 'The second monitor on my desk flickers now and then.',
      });
    const fromMail = await contact('email');
    const fromPortal = await contact('web');
    const level = (r: { body: { priority: string } }) => Number(r.body.priority.slice(1));
    // Anyone can type an executive's address into the portal form: the ticket is his, the raise is not.
    expect(fromPortal.body.type).toBe(fromMail.body.type);
    expect(level(fromMail)).toBe(level(fromPortal) - 1);
  });

  it('answers a repeated Idempotency-Key with the same ticket and 200', async () => {
    const body = { requester: { email: 'li.lei@corp.example' }, subject: 'Printer jam', body: 'The 3rd floor printer is jammed' };
    const first = await s.api('POST', '/api/v1/contacts', body, { headers: { 'idempotency-key': 'form-123' } });
    const again = await s.api('POST', '/api/v1/contacts', body, { headers: { 'idempotency-key': 'form-123' } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.number).toBe(first.body.number);
    expect(again.body.outcome).toBe('duplicate');
  });

  it('continues a ticket named by number instead of opening a new one', async () => {
    const first = await s.api('POST', '/api/v1/contacts', { requester: { email: 'zhao@corp.example' }, subject: 'Excel crashes', body: 'Excel crashes on open' });
    const next = await s.api('POST', '/api/v1/contacts', { requester: { email: 'zhao@corp.example' }, body: 'It also happens with Word', ticketNumber: first.body.number });
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ number: first.body.number, outcome: 'joined' });
    const events = (await s.api('GET', `/api/v1/tickets/${first.body.number}`)).body.events as Array<{ type: string; data: { reason?: string } }>;
    expect(events.find((e) => e.type === 'replied_in')?.data.reason).toBe(`names ${first.body.number}`);
  });

  it('reopens a resolved ticket the requester writes to again, but not for an out-of-office answer', async () => {
    const c = await s.api('POST', '/api/v1/contacts', { requester: { email: 'oof@corp.example' }, subject: 'Teams crashes', body: 'Teams crashes at start' });
    const n = c.body.number;
    await s.api('POST', `/api/v1/tickets/${n}/resolve`, { resolution: 'Reinstalled Teams' }, { key: TEST_KEYS.agent });
    const oof = await s.api('POST', '/api/v1/contacts', { requester: { email: 'oof@corp.example' }, body: 'I am out of office until Monday', ticketNumber: n, meta: { auto_reply: 'true' } });
    expect(oof.body).toMatchObject({ number: n, outcome: 'joined', status: 'resolved' });
    const again = await s.api('POST', '/api/v1/contacts', { requester: { email: 'oof@corp.example' }, body: 'It crashes again after the reinstall', ticketNumber: n });
    expect(again.body.outcome).toBe('reopened');
    expect(again.body.status).not.toBe('resolved');
  });

  it('refuses bad input with a JSON error code and no ticket', async () => {
    const before = (await s.api('GET', '/api/v1/tickets?limit=500')).body.tickets.length;
    const noRequester = await s.api('POST', '/api/v1/contacts', { body: 'hello' });
    expect(noRequester.status).toBe(400);
    expect(noRequester.body.error.code).toBe('invalid_request');
    const badJson = await fetch(`${s.url}/api/v1/contacts`, { method: 'POST', headers: { authorization: `Bearer ${TEST_KEYS.admin}`, 'content-type': 'application/json' }, body: '{"requester":' });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).error.code).toBeTruthy();
    const after = (await s.api('GET', '/api/v1/tickets?limit=500')).body.tickets.length;
    expect(after).toBe(before);
  });

  it('enforces API keys and roles', async () => {
    expect((await s.api('GET', '/api/v1/tickets', undefined, { key: 'nope' })).status).toBe(401);
    const intakeOnly = await s.api('GET', '/api/v1/tickets', undefined, { key: TEST_KEYS.intake });
    expect(intakeOnly.status).toBe(403);
    expect(intakeOnly.body.error.code).toBe('forbidden');
    const created = await s.api('POST', '/api/v1/contacts', { requester: { email: 'a@corp.example' }, body: 'How do I share my calendar?' }, { key: TEST_KEYS.intake });
    expect(created.status).toBe(201);
  });

  it('walks the lifecycle and refuses an invalid transition', async () => {
    const c = await s.api('POST', '/api/v1/contacts', { requester: { email: 'b@corp.example' }, subject: 'Password reset', body: 'I forgot my password' });
    const n = c.body.number;
    expect((await s.api('POST', `/api/v1/tickets/${n}/claim`, {}, { key: TEST_KEYS.agent })).body.ticket).toMatchObject({ status: 'in_progress', assignee: `staff:${TEST_KEY_OWNERS.agent}` });
    expect((await s.api('POST', `/api/v1/tickets/${n}/reply`, { body: 'Reset link sent' }, { key: TEST_KEYS.agent })).status).toBe(200);
    expect((await s.api('POST', `/api/v1/tickets/${n}/resolve`, { agent: TEST_KEY_OWNERS.agent, resolution: 'Password reset' }, { key: TEST_KEYS.agent })).body.ticket.status).toBe('resolved');
    const bad = await s.api('POST', `/api/v1/tickets/${n}/claim`, {}, { key: TEST_KEYS.otherAgent });
    expect(bad.status).toBe(409);
    expect(bad.body.error.code).toBe('invalid_transition');
    expect((await s.api('POST', `/api/v1/tickets/${n}/close`, {}, { key: TEST_KEYS.agent })).body.ticket.status).toBe('closed');
  });

  it('explains a routing decision without storing it', async () => {
    const before = (await s.api('GET', '/api/v1/tickets?limit=500')).body.tickets.length;
    const r = await s.api('POST', '/api/v1/route/explain', { subject: 'ERP 宕机', body: '全部无法登录 ERP' }, { key: TEST_KEYS.agent });
    expect(r.status).toBe(200);
    expect(r.body.decision.priority).toMatch(/^P[12]$/);
    expect(r.body.decision.trace.length).toBeGreaterThan(0);
    expect(r.body.explanation).toContain('ERP');
    expect((await s.api('GET', '/api/v1/tickets?limit=500')).body.tickets.length).toBe(before);
  });

  it('serves health, readiness, metrics and OpenAPI', async () => {
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/spoc_contacts_total\{channel="api",outcome="created"\} \d+/);
    expect(metrics).toContain('spoc_outbox_jobs');
    const docs = await (await fetch(`${s.url}/docs/json`)).json();
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/api/v1/contacts', '/api/v1/tickets/{number}', '/api/v1/route/explain']));
  });
});
