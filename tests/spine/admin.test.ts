import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configCopy } from '../support/process.js';
import { startSpoc, TEST_KEYS, type RunningSpoc } from '../support/spoc.js';

describe('admin and directory sync', () => {
  let s: RunningSpoc;
  let hook: Server;
  let answer = 410;
  const received: string[] = [];

  beforeAll(async () => {
    // The network team's webhook refuses for good (410) until the test says otherwise.
    hook = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(String(req.headers['x-spoc-delivery']));
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    const configDir = await configCopy((doc) => doc.setIn(['teams', 'network', 'webhook'], { url, secretEnv: 'NETWORK_HOOK_SECRET' }));
    s = await startSpoc({ env: { SPOC_CONFIG_DIR: configDir, NETWORK_HOOK_SECRET: 'n3t' } });
  });
  afterAll(async () => {
    await s?.close();
    await new Promise((r) => hook.close(r));
  });

  it('keeps a job that failed for good, lists it, and runs it again on retry', async () => {
    const c = await s.api('POST', '/api/v1/contacts', { requester: { email: 'net@example.com' }, subject: 'Wi-Fi down', body: 'The office Wi-Fi keeps dropping' });
    expect(c.body.team).toBe('network');
    let failed: Array<{ id: string; type: string; lastError?: string }> = [];
    for (let i = 0; i < 100 && failed.length === 0; i++) {
      failed = (await s.api('GET', '/api/v1/admin/failed-jobs')).body.jobs;
      if (failed.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(failed).toHaveLength(1);
    expect(failed[0]!.type).toBe('team.webhook');
    expect(failed[0]!.lastError).toContain('410');
    expect((await s.api('GET', '/api/v1/admin/failed-jobs', undefined, { key: TEST_KEYS.agent })).status).toBe(403);

    answer = 200;
    const retry = await s.api('POST', `/api/v1/admin/failed-jobs/${failed[0]!.id}/retry`);
    expect(retry.status).toBe(202);
    await s.drained();
    expect((await s.api('GET', '/api/v1/admin/failed-jobs')).body.jobs).toEqual([]);
    expect(received).toHaveLength(2);
    expect(new Set(received).size).toBe(1);
    expect((await s.api('POST', '/api/v1/admin/failed-jobs/nope/retry')).status).toBe(404);
  });

  it('takes directory updates from an HR sync and routes with them', async () => {
    const put = await s.api('PUT', '/api/v1/requesters/hr-4711', { name: 'Chen Jing', email: 'chen.jing@example.com', department: 'Finance', vip: true, language: 'zh' });
    expect(put.status).toBe(200);
    expect(put.body.requester).toMatchObject({ name: 'Chen Jing', vip: true, department: 'Finance' });
    expect((await s.api('PUT', '/api/v1/requesters/hr-4711', { vip: 'yes' })).status).toBe(400);
    expect((await s.api('PUT', '/api/v1/requesters/hr-4711', { vip: false }, { key: TEST_KEYS.agent })).status).toBe(403);

    const plain = await s.api('POST', '/api/v1/route/explain', { body: 'My monitor flickers' }, { key: TEST_KEYS.agent });
    const vip = await s.api('POST', '/api/v1/route/explain', { body: 'My monitor flickers', requester: { email: 'chen.jing@example.com' } }, { key: TEST_KEYS.agent });
    expect(Number(vip.body.decision.priority.slice(1))).toBeLessThan(Number(plain.body.decision.priority.slice(1)));

    const c = await s.api('POST', '/api/v1/contacts', { requester: { email: 'chen.jing@example.com' }, body: 'My monitor flickers' });
    const detail = await s.api('GET', `/api/v1/tickets/${c.body.number}`);
    expect(detail.body.requester).toMatchObject({ name: 'Chen Jing', vip: true });
  });
});
