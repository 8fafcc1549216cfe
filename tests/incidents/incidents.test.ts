import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSpoc, TEST_KEYS, type RunningSpoc } from '../support/spoc.js';

/** Major incidents through the API alone: storms, children, updates and the resolution (SQLite, in-process queue). */
describe('major incidents (API)', () => {
  let s: RunningSpoc;
  beforeAll(async () => {
    s = await startSpoc();
  });
  afterAll(async () => {
    await s?.close();
  });

  const report = (who: string, body: string) =>
    s.api('POST', '/api/v1/contacts', { requester: { name: who, phone: `+86138000${String(who.length).padStart(5, '0')}${who.charCodeAt(0) % 10}` }, subject: body, body }, { key: TEST_KEYS.intake });
  const ticket = async (number: string) => (await s.api('GET', `/api/v1/tickets/${number}`)).body;

  it('declares one P1 incident for the service team on the fifth contact about a service within ten minutes', async () => {
    const numbers: string[] = [];
    for (const [i, who] of ['Ann', 'Bo', 'Cai', 'Dee'].entries()) {
      const res = await report(who, `VPN is down, cannot connect (${i})`);
      expect(res.status).toBe(201);
      numbers.push(res.body.number);
    }
    expect((await s.api('GET', '/api/v1/incidents')).body.incidents).toEqual([]);
    const fifth = await report('Eve', 'VPN down for me too');
    numbers.push(fifth.body.number);
    const open = (await s.api('GET', '/api/v1/incidents')).body.incidents;
    expect(open).toHaveLength(1);
    expect(open[0].children).toEqual(numbers);
    expect(open[0].service).toBe('vpn');
    const parent = await ticket(open[0].number);
    expect(parent.ticket).toMatchObject({ priority: 'P1', team: 'network', type: 'incident' });
    expect(parent.children).toEqual(numbers);
    expect(parent.events.map((e: { type: string }) => e.type)).toContain('incident_declared');
    for (const n of numbers) {
      const child = await ticket(n);
      expect(child.parent).toBe(open[0].number);
      const linked = child.events.find((e: { type: string }) => e.type === 'incident_linked');
      expect(linked.data.reason).toMatch(/storm: 5 contacts about vpn within 10 minutes/);
      const ack = child.messages.filter((m: { direction: string }) => m.direction === 'out');
      expect(ack).toHaveLength(1);
      expect(ack[0].body).toContain(open[0].number);
    }
  });

  it('links a later contact about the service as a child at once, with the reason on its history', async () => {
    const [incident] = (await s.api('GET', '/api/v1/incidents')).body.incidents;
    const sixth = await report('Fay', 'the vpn keeps dropping');
    const child = await ticket(sixth.body.number);
    expect(child.parent).toBe(incident.number);
    expect(child.events.find((e: { type: string }) => e.type === 'incident_linked').data.reason).toBe(`about vpn while major incident ${incident.number} is open`);
    // A second declaration about the same service is refused, naming the open one.
    const again = await s.api('POST', '/api/v1/incidents', { service: 'vpn' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('incident_open');
  });

  it('lets agents link and unlink children, and refuses what makes no sense', async () => {
    const [incident] = (await s.api('GET', '/api/v1/incidents')).body.incidents;
    const other = await report('Gus', 'my printer jams on page two');
    expect((await ticket(other.body.number)).parent).toBeUndefined();
    const linked = await s.api('POST', `/api/v1/incidents/${incident.number}/children`, { ticket: other.body.number, reason: 'printer fails over VPN' }, { key: TEST_KEYS.agent });
    expect(linked.status).toBe(200);
    expect((await ticket(other.body.number)).parent).toBe(incident.number);
    const twice = await s.api('POST', `/api/v1/incidents/${incident.number}/children`, { ticket: other.body.number }, { key: TEST_KEYS.agent });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('already_linked');
    const self = await s.api('POST', `/api/v1/incidents/${incident.number}/children`, { ticket: incident.number }, { key: TEST_KEYS.agent });
    expect(self.status).toBe(409);
    const unlinked = await s.api('DELETE', `/api/v1/incidents/${incident.number}/children/${other.body.number}`, undefined, { key: TEST_KEYS.agent });
    expect(unlinked.status).toBe(200);
    expect((await ticket(other.body.number)).parent).toBeUndefined();
    expect((await ticket(incident.number)).children).not.toContain(other.body.number);
    const notIncident = await s.api('POST', `/api/v1/incidents/${other.body.number}/children`, { ticket: incident.number }, { key: TEST_KEYS.agent });
    expect(notIncident.status).toBe(404);
    expect(notIncident.body.error.code).toBe('not_an_incident');
    const unknown = await s.api('POST', '/api/v1/incidents', { service: 'no-such-service' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('unknown_service');
  });

  it('relays an update on the parent to every child once, and resolving it resolves them all', async () => {
    const [incident] = (await s.api('GET', '/api/v1/incidents')).body.incidents;
    const reply = await s.api('POST', `/api/v1/tickets/${incident.number}/reply`, { body: 'The VPN concentrator is being restarted.' }, { key: TEST_KEYS.agent });
    expect(reply.status).toBe(200);
    await s.drained();
    for (const n of incident.children) {
      const updates = (await ticket(n)).messages.filter((m: { body: string }) => m.body.includes('concentrator'));
      expect(updates, n).toHaveLength(1);
      expect(updates[0].body).toContain(incident.number);
    }
    const resolved = await s.api('POST', `/api/v1/tickets/${incident.number}/resolve`, { resolution: 'A failed line card was replaced.' }, { key: TEST_KEYS.agent });
    expect(resolved.status).toBe(200);
    await s.drained();
    for (const n of incident.children) {
      const child = await ticket(n);
      expect(child.ticket.status, n).toBe('resolved');
      expect(child.events.find((e: { type: string }) => e.type === 'resolved').data.resolution).toBe('A failed line card was replaced.');
    }
    expect((await s.api('GET', '/api/v1/incidents')).body.incidents).toEqual([]);
  });

  it('declares on a ticket, which becomes the first child', async () => {
    const t = await report('Hal', 'Outlook cannot reach the mail server');
    const res = await s.api('POST', '/api/v1/incidents', { ticket: t.body.number, title: 'Mail is down' }, { key: TEST_KEYS.agent });
    expect(res.status).toBe(201);
    expect(res.body.incident).toMatchObject({ subject: 'Mail is down', children: [t.body.number] });
    expect((await ticket(t.body.number)).parent).toBe(res.body.incident.number);
  });
});
