import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpoc, type RunningSpoc } from '../../support/spoc.js';

const TOKEN = 'am-test-token-3f9c2a';
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('Alertmanager webhook', () => {
  let spoc: RunningSpoc;
  const post = (body: string, token: string | null = TOKEN) =>
    fetch(`${spoc.url}/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
  const ticketCount = async () => (await spoc.api('GET', '/api/v1/tickets')).body.tickets.length as number;

  beforeAll(async () => {
    spoc = await startSpoc({ env: { ALERTMANAGER_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await spoc?.close();
  });

  it('refuses a missing or wrong token and changes nothing', async () => {
    for (const token of [null, 'wrong-token']) {
      const res = await post(fixture('firing.json'), token);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
    expect(await ticketCount()).toBe(0);
  });

  let erp = '';

  it('turns each firing alert into a routed incident, by severity and labels', async () => {
    const res = await post(fixture('firing.json'));
    expect(res.status).toBe(200);
    const result = await res.json();
    expect(result.tickets).toHaveLength(2);
    expect(result.tickets.map((t: { outcome: string }) => t.outcome)).toEqual(['created', 'created']);
    erp = result.tickets[0].number;

    const { body: erpTicket } = await spoc.api('GET', `/api/v1/tickets/${erp}`);
    expect(erpTicket.ticket).toMatchObject({ channel: 'alert', type: 'incident', priority: 'P1', subject: 'ERP is down' });
    expect(erpTicket.ticket.tags).toContain('alert');
    const { body: disk } = await spoc.api('GET', `/api/v1/tickets/${result.tickets[1].number}`);
    expect(disk.ticket).toMatchObject({ subject: 'DiskWillFillIn4Hours', team: 'dba', priority: 'P3' });
  });

  it('makes no second ticket when Alertmanager sends the same notification again', async () => {
    const before = await ticketCount();
    const result = await (await post(fixture('firing.json'))).json();
    expect(result.tickets.map((t: { outcome: string }) => t.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(result.tickets[0].number).toBe(erp);
    expect(await ticketCount()).toBe(before);
  });

  it('notes a resolved alert on its ticket, once', async () => {
    const first = await (await post(fixture('resolved.json'))).json();
    expect(first.resolved).toEqual([{ fingerprint: '8d2a4bd1f6cc3c9a', number: erp, noted: true }]);
    const again = await (await post(fixture('resolved.json'))).json();
    expect(again.resolved).toEqual([{ fingerprint: '8d2a4bd1f6cc3c9a', number: erp, noted: false }]);

    const { body } = await spoc.api('GET', `/api/v1/tickets/${erp}`);
    const notes = body.messages.filter((m: { internal: boolean; body: string }) => m.internal && m.body.includes('ProbeFailure resolved'));
    expect(notes).toHaveLength(1);
    expect(body.ticket.status).not.toBe('resolved');
  });

  it('answers a malformed payload with a JSON 400', async () => {
    const res = await post(JSON.stringify({ version: '4', status: 'firing', alerts: [{ status: 'firing' }] }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_request');
    const notJson = await post('{"version":');
    expect(notJson.status).toBe(400);
  });

  it('is off without ALERTMANAGER_TOKEN', async () => {
    const off = await startSpoc();
    try {
      const res = await fetch(`${off.url}/alerts/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: fixture('firing.json') });
      expect(res.status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
