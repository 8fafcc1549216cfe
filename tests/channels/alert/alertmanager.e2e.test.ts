import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configCopy } from '../../support/process.js';
import { startSpoc, type RunningSpoc } from '../../support/spoc.js';

const TOKEN = 'am-test-token-3f9c2a';
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('Alertmanager webhook', () => {
  let spoc: RunningSpoc;
  const post = (body: string, token: string | null = TOKEN, to: RunningSpoc = spoc) =>
    fetch(`${to.url}/alerts/alertmanager`, {
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
  type Row = { fingerprint: string; number?: string; outcome: string };
  const outcomes = (result: { tickets: Row[] }) => result.tickets.map((t) => `${t.fingerprint}:${t.outcome}`);
  const ERP = '8d2a4bd1f6cc3c9a';
  const VPN = '3b7e91c04a5d2f18';
  const ticket = async (number: string) => (await spoc.api('GET', `/api/v1/tickets/${number}`)).body;

  it('turns a firing alert into a routed incident, by severity and labels', async () => {
    const res = await post(fixture('firing.json'));
    expect(res.status).toBe(200);
    const result = await res.json();
    expect(outcomes(result)).toEqual([`${ERP}:created`]);
    erp = result.tickets[0].number;

    const { ticket: erpTicket } = await ticket(erp);
    expect(erpTicket).toMatchObject({ channel: 'alert', type: 'incident', priority: 'P1', subject: 'ERP is down' });
    expect(erpTicket.tags).toContain('alert');
    // Another group is another ticket.
    const disk = await (await post(fixture('disk.json'))).json();
    expect(disk.tickets).toEqual([{ fingerprint: 'f1c0e8a2b3d4e5f6', number: expect.not.stringMatching(erp), outcome: 'created' }]);
    expect((await ticket(disk.tickets[0].number)).ticket).toMatchObject({ subject: 'DiskWillFillIn4Hours', team: 'dba', priority: 'P3' });
  });

  it('makes no second ticket when Alertmanager sends the same notification again', async () => {
    const before = await ticketCount();
    const result = await (await post(fixture('firing.json'))).json();
    expect(result.tickets).toEqual([{ fingerprint: ERP, number: erp, outcome: 'duplicate' }]);
    expect(await ticketCount()).toBe(before);
  });

  it("joins a second alert of the group (another fingerprint) to the group's ticket", async () => {
    const before = await ticketCount();
    const result = await (await post(fixture('group-firing.json'))).json();
    expect(result.tickets).toEqual([
      { fingerprint: ERP, number: erp, outcome: 'duplicate' },
      { fingerprint: VPN, number: erp, outcome: 'joined' },
    ]);
    expect(await ticketCount()).toBe(before);
    const body = await ticket(erp);
    expect(body.messages.filter((m: { body: string }) => m.body.includes('VPN gateway health endpoint'))).toHaveLength(1);
    const joined = body.events.filter((e: { type: string }) => e.type === 'replied_in');
    expect(joined.at(-1).data.reason).toMatch(/^conversation alert-group:/);
  });

  it('only notes an alert that resolved while its group still fires, once', async () => {
    const first = await (await post(fixture('group-partly-resolved.json'))).json();
    expect(outcomes(first)).toEqual([`${ERP}:noted`, `${VPN}:duplicate`]);
    const again = await (await post(fixture('group-partly-resolved.json'))).json();
    expect(outcomes(again)).toEqual([`${ERP}:duplicate`, `${VPN}:duplicate`]);

    const body = await ticket(erp);
    const notes = body.messages.filter((m: { internal: boolean; body: string }) => m.internal && m.body.includes('ProbeFailure resolved'));
    expect(notes).toHaveLength(1);
    expect(body.ticket.status).not.toBe('resolved');
  });

  it('resolves the ticket when the whole group has resolved, through the usual resolve', async () => {
    const result = await (await post(fixture('resolved.json'))).json();
    expect(result.tickets).toEqual([
      { fingerprint: ERP, number: erp, outcome: 'resolved' },
      { fingerprint: VPN, number: erp, outcome: 'resolved' },
    ]);
    const body = await ticket(erp);
    expect(body.ticket.status).toBe('resolved');
    const resolved = body.events.filter((e: { type: string }) => e.type === 'resolved');
    expect(resolved).toHaveLength(1);
    expect(resolved[0].actor).toBe('alert:alertmanager');
    expect(JSON.stringify(resolved[0].data)).toContain('every alert of the group has resolved');
    // What the resolve set off (team card, webhooks) runs to the end: nothing is left stuck in the outbox.
    await spoc.drained(30_000);

    const again = await (await post(fixture('resolved.json'))).json();
    expect(outcomes(again)).toEqual([`${ERP}:duplicate`, `${VPN}:duplicate`]);
    expect((await ticket(erp)).events.filter((e: { type: string }) => e.type === 'resolved')).toHaveLength(1);
  });

  it('reopens the group ticket when an alert of the group fires again (a flap)', async () => {
    const before = await ticketCount();
    const refire = JSON.parse(fixture('firing.json'));
    refire.alerts[0].startsAt = '2026-03-02T01:50:00Z';
    const result = await (await post(JSON.stringify(refire))).json();
    expect(result.tickets).toEqual([{ fingerprint: ERP, number: erp, outcome: 'reopened' }]);
    expect(await ticketCount()).toBe(before);
    expect((await ticket(erp)).ticket.status).not.toBe('resolved');
  });

  it('reopens a flap within channels.alert.reopenWindowMinutes, and opens a new ticket for a firing after it', async () => {
    let clock = Date.parse('2026-03-02T02:00:00Z');
    const timed = await startSpoc({ env: { ALERTMANAGER_TOKEN: TOKEN }, now: () => new Date(clock) });
    try {
      const fire = async (startsAt: string) => {
        const body = JSON.parse(fixture('group-firing.json'));
        for (const a of body.alerts) a.startsAt = startsAt;
        return (await (await post(JSON.stringify(body), TOKEN, timed)).json()).tickets as Array<{ number: string; outcome: string }>;
      };
      const first = await fire('2026-03-02T01:59:00Z');
      const number = first[0]!.number;
      expect((await (await post(fixture('resolved.json'), TOKEN, timed)).json()).tickets[0].outcome).toBe('resolved');
      clock += 30 * 60_000;
      const flap = await fire('2026-03-02T02:29:00Z');
      expect(flap.map((t) => `${t.number}:${t.outcome}`)).toEqual([`${number}:reopened`, `${number}:joined`]);
      expect((await (await post(fixture('resolved.json'), TOKEN, timed)).json()).tickets[0].outcome).toBe('resolved');
      // The default window is 60 minutes: two hours after the resolution it is a new outage.
      clock += 2 * 3_600_000;
      const later = await fire('2026-03-02T04:29:00Z');
      expect(later[0]!.outcome).toBe('created');
      expect(later[0]!.number).not.toBe(number);
      expect((await timed.api('GET', `/api/v1/tickets/${number}`)).body.ticket.status).toBe('resolved');
    } finally {
      await timed.close();
    }
  });

  it('answers resolved alerts it never saw fire without inventing a ticket', async () => {
    const stranger = JSON.parse(fixture('resolved.json'));
    stranger.groupKey = '{}/{severity="critical"}:{job="never-seen"}';
    const result = await (await post(JSON.stringify(stranger))).json();
    expect(outcomes(result)).toEqual([`${ERP}:unknown`, `${VPN}:unknown`]);
  });

  it('only notes a resolved group when channels.alert.onGroupResolved is note', async () => {
    const configDir = await configCopy((gateway) => gateway.setIn(['channels', 'alert', 'onGroupResolved'], 'note'));
    const noting = await startSpoc({ env: { ALERTMANAGER_TOKEN: TOKEN, SPOC_CONFIG_DIR: configDir } });
    try {
      const fired = await (await post(fixture('group-firing.json'), TOKEN, noting)).json();
      const number = fired.tickets[0].number;
      const result = await (await post(fixture('resolved.json'), TOKEN, noting)).json();
      expect(result.tickets).toEqual([
        { fingerprint: ERP, number, outcome: 'noted' },
        { fingerprint: VPN, number, outcome: 'noted' },
      ]);
      const { body } = await noting.api('GET', `/api/v1/tickets/${number}`);
      expect(body.ticket.status).not.toBe('resolved');
      expect(body.messages.filter((m: { internal: boolean; body: string }) => m.internal && m.body.includes('ProbeFailure resolved'))).toHaveLength(2);
    } finally {
      await noting.close();
      rmSync(configDir, { recursive: true, force: true });
    }
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
