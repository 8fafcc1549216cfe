import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpoc, TEST_KEY_OWNERS, TEST_KEYS, type RunningSpoc } from '../support/spoc.js';

const OWNERLESS = 'ownerless-agent-key';

/**
 * Every answer of the API checked against what /docs/json says for its route, method and status: an
 * undocumented status or a body off its schema fails the test. The last test checks every documented
 * /api/v1 operation was exercised here.
 */
describe('REST API contract (OpenAPI), strict types, who acts, search and paging', () => {
  let s: RunningSpoc;
  let doc: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>> };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validators = new Map<string, ValidateFunction>();
  const exercised = new Set<string>();

  beforeAll(async () => {
    s = await startSpoc({
      env: {
        SPOC_API_KEYS: `${TEST_KEYS.admin}:admin,${TEST_KEYS.agent}:agent:${TEST_KEY_OWNERS.agent},${TEST_KEYS.otherAgent}:agent:${TEST_KEY_OWNERS.otherAgent},${TEST_KEYS.intake}:intake,${OWNERLESS}:agent`,
      },
    });
    doc = await (await fetch(`${s.url}/docs/json`)).json();
    const components = (doc as unknown as { components: { schemas: Record<string, object> } }).components.schemas;
    for (const [name, schema] of Object.entries(components)) ajv.addSchema({ ...schema, $id: `#/components/schemas/${name}` });
  });
  afterAll(async () => {
    await s?.close();
  });

  /** Calls the API and checks the answer against the documented schema of `template`. */
  async function call(method: string, template: string, path: string, body?: unknown, key: string = TEST_KEYS.admin) {
    const res = await s.api(method, path, body, { key });
    const op = doc.paths[template]?.[method.toLowerCase()];
    expect(op, `${method} ${template} is documented`).toBeDefined();
    const documented = op!.responses[String(res.status)];
    expect(documented, `${method} ${template} documents ${res.status} (${JSON.stringify(res.body)})`).toBeDefined();
    const schema = documented!.content?.['application/json']?.schema;
    if (schema) {
      const id = `${method} ${template} ${res.status}`;
      let validate = validators.get(id);
      if (!validate) validators.set(id, (validate = ajv.compile(schema as object)));
      expect(validate(res.body), `${id}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    exercised.add(`${method.toUpperCase()} ${template}`);
    return res;
  }
  const contact = (body: unknown, key: string = TEST_KEYS.intake) => call('POST', '/api/v1/contacts', '/api/v1/contacts', body, key);

  it('refuses wrong types instead of coercing them, and attachments that are not base64', async () => {
    const wrongType = await contact({ requester: { email: 'typed@corp.example' }, body: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.code).toBe('invalid_request');
    const notBase64 = await contact({ requester: { email: 'typed@corp.example' }, body: 'see the log', attachments: [{ name: 'log.txt', contentBase64: 'this is not base64!' }] });
    expect(notBase64.status).toBe(400);
    const ok = await contact({ requester: { email: 'typed@corp.example' }, body: 'see the log', attachments: [{ name: 'log.txt', contentBase64: Buffer.from('line 1\n').toString('base64') }] });
    expect(ok.status).toBe(201);
    expect((await call('GET', '/api/v1/tickets', '/api/v1/tickets?limit=ten')).status).toBe(400);
    expect((await call('GET', '/api/v1/tickets', '/api/v1/tickets', undefined, 'nobody')).status).toBe(401);
    expect((await call('GET', '/api/v1/tickets', '/api/v1/tickets', undefined, TEST_KEYS.intake)).status).toBe(403);
  });

  it('records the key owner as the actor and never lets an agent key act as someone else', async () => {
    const c = await contact({ requester: { email: 'who@corp.example' }, subject: 'Outlook', body: 'Outlook keeps asking for my password' });
    const n = c.body.number as string;
    const t = `/api/v1/tickets/{number}`;
    const asOther = await call('POST', `${t}/claim`, `/api/v1/tickets/${n}/claim`, { agent: TEST_KEY_OWNERS.otherAgent }, TEST_KEYS.agent);
    expect(asOther.status).toBe(403);
    expect(asOther.body.error.code).toBe('cannot_act_as_other');
    const anonymous = await call('POST', `${t}/claim`, `/api/v1/tickets/${n}/claim`, {}, OWNERLESS);
    expect(anonymous.status).toBe(403);
    expect(anonymous.body.error.code).toBe('key_has_no_person');
    const claimed = await call('POST', `${t}/claim`, `/api/v1/tickets/${n}/claim`, {}, TEST_KEYS.agent);
    expect(claimed.status).toBe(200);
    expect(claimed.body.ticket.assignee).toBe(`staff:${TEST_KEY_OWNERS.agent}`);
    // An admin key acting for a named person: recorded as that person, with the key it came through.
    const onBehalf = await call('POST', `${t}/reply`, `/api/v1/tickets/${n}/reply`, { agent: TEST_KEY_OWNERS.otherAgent, body: 'Please re-enter it once in the web client.' });
    expect(onBehalf.status).toBe(200);
    const detail = await call('GET', t, `/api/v1/tickets/${n}`, undefined, TEST_KEYS.agent);
    const replied = detail.body.events.find((e: { type: string }) => e.type === 'replied_out');
    expect(replied.actor).toBe(`staff:${TEST_KEY_OWNERS.otherAgent}`);
    expect(replied.data.via).toMatch(/^api:[0-9a-f]{8}$/);
    expect(detail.body.events.find((e: { type: string }) => e.type === 'claimed').data.via).toBeUndefined();
  });

  it('walks every action and answers 404, 409 and 400 where they apply', async () => {
    const t = `/api/v1/tickets/{number}`;
    const n = (await contact({ requester: { email: 'walk@corp.example' }, subject: 'Printer', body: 'The printer on floor 3 is jammed' })).body.number as string;
    const act = (name: string, body: unknown = {}) => call('POST', `${t}/${name}`, `/api/v1/tickets/${n}/${name}`, body, TEST_KEYS.agent);
    expect((await act('reassign', { team: 'desktop' })).status).toBe(200);
    expect((await act('escalate', { reason: 'needs on-site' })).status).toBe(200);
    expect((await act('reassign', {})).status).toBe(400);
    expect((await act('pending', { reason: 'waiting for the user' })).status).toBe(200);
    expect((await act('resolve', { resolution: 'Cleared the jam' })).status).toBe(200);
    expect((await act('claim')).status).toBe(409);
    expect((await act('rate', { score: 5 })).status).toBe(200);
    expect((await act('close')).status).toBe(200);
    expect((await act('reopen', { reason: 'jammed again' })).status).toBe(200);
    expect((await act('reply', { body: 42 })).status).toBe(400);
    expect((await call('POST', `${t}/claim`, '/api/v1/tickets/INC-999999/claim', {}, TEST_KEYS.agent)).status).toBe(404);
    expect((await call('GET', t, '/api/v1/tickets/INC-999999')).status).toBe(404);
    expect((await call('GET', t, '/api/v1/tickets/nonsense')).status).toBe(400);
  });

  it('searches Chinese and English words and a requester, and pages by cursor', async () => {
    await contact({ requester: { email: 'search.zh@corp.example' }, subject: '财务系统报表', body: '月底的财务报表导出失败，提示服务器超时' });
    await contact({ requester: { email: 'search.en@corp.example' }, subject: 'Projector', body: 'The boardroom projector shows no signal from my laptop' });
    const list = (query: string) => call('GET', '/api/v1/tickets', `/api/v1/tickets?${query}`, undefined, TEST_KEYS.agent);
    const zh = await list(`q=${encodeURIComponent('服务器')}`);
    expect(zh.body.tickets.map((x: { subject: string }) => x.subject)).toEqual(['财务系统报表']);
    expect((await list(`q=${encodeURIComponent('报表 超时')}`)).body.tickets).toHaveLength(1);
    expect((await list('q=PROJECTOR')).body.tickets.map((x: { subject: string }) => x.subject)).toEqual(['Projector']);
    expect((await list('q=nosuchword')).body.tickets).toEqual([]);
    const byRequester = await list(`requester=${encodeURIComponent('Search.En@corp.example')}`);
    expect(byRequester.body.tickets.map((x: { subject: string }) => x.subject)).toEqual(['Projector']);

    for (let i = 0; i < 5; i++) await contact({ requester: { email: 'pager@corp.example' }, subject: `Paging ${i}`, body: 'Keyboard keys stick' });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const res = await list(`requester=pager@corp.example&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.tickets.map((x: { subject: string }) => x.subject));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['Paging 4', 'Paging 3', 'Paging 2', 'Paging 1', 'Paging 0']);
    const due = await list('requester=pager@corp.example&sort=due&limit=500&status=new');
    const dues = due.body.tickets.map((x: { resolveBy: string }) => x.resolveBy);
    expect(dues).toEqual([...dues].sort());
    expect((await list('cursor=garbage')).status).toBe(400);
    expect((await list('priority=P9')).status).toBe(400);
  });

  it('documents and answers the remaining routes', async () => {
    expect((await call('POST', '/api/v1/route/explain', '/api/v1/route/explain', { body: 'VPN 连不上' }, TEST_KEYS.agent)).status).toBe(200);
    expect((await call('POST', '/api/v1/route/explain', '/api/v1/route/explain', { body: 7 }, TEST_KEYS.agent)).status).toBe(400);
    expect((await call('PUT', '/api/v1/requesters/{id}', '/api/v1/requesters/hr-1', { name: 'Hu', email: 'hu@corp.example' })).status).toBe(200);
    expect((await call('PUT', '/api/v1/requesters/{id}', '/api/v1/requesters/hr-1', { vip: 'yes' })).status).toBe(400);
    expect((await call('GET', '/api/v1/admin/failed-jobs', '/api/v1/admin/failed-jobs')).status).toBe(200);
    expect((await call('POST', '/api/v1/admin/failed-jobs/{id}/retry', '/api/v1/admin/failed-jobs/none/retry')).status).toBe(404);
    const a = '/api/v1/admin/announcement';
    expect((await call('PUT', a, a, { zh: '系统维护', en: 'Maintenance', expiresAt: new Date(Date.now() + 3_600_000).toISOString() })).status).toBe(200);
    expect((await call('GET', a, a)).body.announcement.en).toBe('Maintenance');
    expect((await call('DELETE', a, a)).status).toBe(204);
    expect((await call('GET', a, a, undefined, TEST_KEYS.agent)).status).toBe(403);
    const quarantine = '/api/v1/admin/email/quarantine';
    expect((await call('GET', quarantine, quarantine)).status).toBe(200);
  });

  it('documents the knowledge base and the reports, their figures and their errors', async () => {
    const c = await contact({ requester: { email: 'kb@corp.example' }, subject: 'Mailbox full', body: 'Outlook says my mailbox is full' });
    const n = c.body.number as string;
    expect((await call('GET', '/api/v1/kb/search', '/api/v1/kb/search?q=mailbox%20full', undefined, TEST_KEYS.intake)).body.results.length).toBeGreaterThan(0);
    expect((await call('GET', '/api/v1/kb/search', '/api/v1/kb/search?q=', undefined, TEST_KEYS.intake)).status).toBe(400);
    expect((await call('GET', '/api/v1/kb/stats', '/api/v1/kb/stats', undefined, TEST_KEYS.agent)).status).toBe(200);
    expect((await call('GET', '/api/v1/kb/stats', '/api/v1/kb/stats', undefined, TEST_KEYS.intake)).status).toBe(403);
    const sug = '/api/v1/kb/tickets/{number}/suggestions';
    expect((await call('GET', sug, `/api/v1/kb/tickets/${n}/suggestions`, undefined, TEST_KEYS.agent)).status).toBe(200);
    expect((await call('GET', sug, '/api/v1/kb/tickets/INC-999999/suggestions', undefined, TEST_KEYS.agent)).status).toBe(404);
    const send = '/api/v1/kb/tickets/{number}/send';
    expect((await call('POST', send, `/api/v1/kb/tickets/${n}/send`, { articleId: 'mailbox-full' }, TEST_KEYS.agent)).status).toBe(201);
    expect((await call('POST', send, `/api/v1/kb/tickets/${n}/send`, { articleId: 'mailbox-full' }, OWNERLESS)).status).toBe(403);
    const articles = '/api/v1/admin/kb/articles';
    const one = '/api/v1/admin/kb/articles/{id}';
    const draft = { title: { zh: '合同模板', en: 'Contract templates' }, status: 'draft', body: { zh: '在共享盘的模板文件夹里。', en: 'In the templates folder of the shared drive.' } };
    expect((await call('POST', articles, articles, { id: 'contract-templates', ...draft })).status).toBe(201);
    expect((await call('POST', articles, articles, { id: 'contract-templates', ...draft })).status).toBe(409);
    expect((await call('POST', articles, articles, { id: 'x', ...draft }, TEST_KEYS.agent)).status).toBe(403);
    expect((await call('POST', articles, articles, { id: 'no-body' })).status).toBe(400);
    expect((await call('PUT', one, `${articles}/contract-templates`, { ...draft, status: 'published' })).body.status).toBe('published');
    expect((await call('PUT', one, `${articles}/none`, draft)).status).toBe(404);
    expect((await call('DELETE', one, `${articles}/mailbox-full`)).status).toBe(409);
    expect((await call('DELETE', one, `${articles}/contract-templates`)).status).toBe(204);
    for (const path of Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/reports/'))) {
      expect((await call('GET', path, `${path}?from=2026-01-01&to=2026-12-31`, undefined, TEST_KEYS.agent)).status, path).toBe(200);
      expect((await call('GET', path, `${path}?from=yesterday`, undefined, TEST_KEYS.agent)).status, path).toBe(400);
      expect((await call('GET', path, path, undefined, TEST_KEYS.intake)).status, path).toBe(403);
    }
  });

  it('documents major incidents: declare, list, link and unlink children, and parent/children on tickets', async () => {
    const fault = (await contact({ requester: { email: 'mi.contract@corp.example' }, subject: 'Wi-Fi is down on floor 3', body: 'no wifi at all' })).body.number;
    const other = (await contact({ requester: { email: 'mi.contract2@corp.example' }, subject: 'wifi drops', body: 'the wireless keeps dropping' })).body.number;
    const declared = await call('POST', '/api/v1/incidents', '/api/v1/incidents', { ticket: fault, title: 'Wi-Fi outage' }, TEST_KEYS.agent);
    expect(declared.status).toBe(201);
    const parent = declared.body.incident.number;
    expect((await call('POST', '/api/v1/incidents', '/api/v1/incidents', { service: 'no-such-service' })).status).toBe(400);
    expect((await call('POST', '/api/v1/incidents', '/api/v1/incidents', { ticket: parent })).status).toBe(409);
    expect((await call('GET', '/api/v1/incidents', '/api/v1/incidents')).body.incidents.map((i: { number: string }) => i.number)).toContain(parent);
    expect((await call('POST', '/api/v1/incidents/{number}/children', `/api/v1/incidents/${parent}/children`, { ticket: other }, TEST_KEYS.agent)).status).toBe(200);
    expect((await call('POST', '/api/v1/incidents/{number}/children', `/api/v1/incidents/${parent}/children`, { ticket: other }, TEST_KEYS.agent)).status).toBe(409);
    expect((await call('POST', '/api/v1/incidents/{number}/children', `/api/v1/incidents/${other}/children`, { ticket: fault }, TEST_KEYS.agent)).status).toBe(404);
    expect((await call('GET', '/api/v1/tickets/{number}', `/api/v1/tickets/${parent}`)).body.children).toEqual([fault, other]);
    expect((await call('GET', '/api/v1/tickets/{number}', `/api/v1/tickets/${other}`)).body.parent).toBe(parent);
    expect((await call('DELETE', '/api/v1/incidents/{number}/children/{child}', `/api/v1/incidents/${parent}/children/${other}`, undefined, TEST_KEYS.agent)).status).toBe(200);
    expect((await call('DELETE', '/api/v1/incidents/{number}/children/{child}', `/api/v1/incidents/${parent}/children/${other}`, undefined, TEST_KEYS.agent)).status).toBe(404);
    expect((await call('GET', '/api/v1/incidents', '/api/v1/incidents', undefined, TEST_KEYS.intake)).status).toBe(403);
  });

  it('adds, lists and disables staff accounts, admins only', async () => {
    const staff = '/api/v1/admin/staff';
    const disable = '/api/v1/admin/staff/{email}/disable';
    const person = { email: 'New.Agent@corp.example', name: 'New Agent', role: 'agent', team: 'network', language: 'en' };
    const added = await call('POST', staff, staff, person);
    expect(added.status).toBe(201);
    expect(added.body.staff).toMatchObject({ email: 'new.agent@corp.example', source: 'admin', role: 'agent' });
    expect((await call('POST', staff, staff, person)).body.error.code).toBe('staff_exists');
    expect((await call('POST', staff, staff, { ...person, email: 'other@corp.example', team: 'nope' })).status).toBe(400);
    expect((await call('POST', staff, staff, { ...person, email: 'other@corp.example', role: 'boss' })).status).toBe(400);
    expect((await call('POST', staff, staff, { ...person, email: 'other@corp.example', extra: 1 })).status).toBe(400);
    expect((await call('POST', staff, staff, person, TEST_KEYS.agent)).status).toBe(403);
    const listed = await call('GET', staff, staff);
    expect(listed.body.staff.map((p: { email: string }) => p.email)).toContain('new.agent@corp.example');
    expect((await call('GET', staff, staff, undefined, 'nobody')).status).toBe(401);
    const off = await call('POST', disable, `${staff}/new.agent@corp.example/disable`);
    expect(off.status).toBe(200);
    expect(off.body.staff.disabledAt).toBeDefined();
    expect((await call('POST', disable, `${staff}/nobody@corp.example/disable`)).status).toBe(404);
    expect((await call('POST', disable, `${staff}/not-an-email/disable`)).status).toBe(400);
    expect((await call('POST', disable, `${staff}/new.agent@corp.example/disable`, undefined, TEST_KEYS.agent)).status).toBe(403);
  });

  it('exercised every documented /api/v1 operation, each documenting its errors', () => {
    const documented = Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/api/v1/'))
      .flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => ({ id: `${m.toUpperCase()} ${p}`, codes: Object.keys(op.responses) })));
    expect(documented.length).toBeGreaterThan(15);
    for (const op of documented) {
      expect(op.codes.some((c) => c.startsWith('4')), `${op.id} documents its 4xx answers`).toBe(true);
    }
    expect(documented.map((o) => o.id).filter((id) => !exercised.has(id))).toEqual([]);
  });
});
