import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteInput } from '../../src/router/index.js';
import { countsForVolume, createVolumeWindow } from '../../src/router/volume.js';
import { defaultRouter } from './helpers.js';
import { startSpoc, type RunningSpoc } from '../support/spoc.js';

const AT = new Date('2026-03-04T10:00:00+08:00');
const minutes = (n: number) => new Date(AT.getTime() + n * 60_000);

describe('volume as a signal', () => {
  it('raises once enough different people report one service within the window', () => {
    const window = createVolumeWindow({ windowMinutes: 10, contacts: 3 });
    expect(window.observe('vpn', 'amy', AT)).toBeUndefined();
    // the same person writing again is not more people
    expect(window.observe('vpn', 'amy', minutes(1))).toBeUndefined();
    expect(window.observe('vpn', 'bob', minutes(2))).toBeUndefined();
    expect(window.observe('erp', 'cy', minutes(3))).toBeUndefined();
    const entry = window.observe('vpn', 'dan', minutes(4));
    expect(entry).toMatchObject({ rule: '@volume', set: { urgency: 'high' }, matched: ['3 requesters reported vpn within 10 minutes'] });
  });

  it('forgets contacts older than the window', () => {
    const window = createVolumeWindow({ windowMinutes: 10, contacts: 2 });
    expect(window.observe('wifi', 'amy', AT)).toBeUndefined();
    expect(window.observe('wifi', 'bob', minutes(11))).toBeUndefined();
    expect(window.observe('wifi', 'cy', minutes(12))).toBeDefined();
  });

  it('raises the decision’s priority and SLA through the router, with the reason in the trace', () => {
    const router = defaultRouter();
    const input: RouteInput = { record: { channel: 'chat', subject: '', body: 'vpn连不上了，一直提示超时', meta: {} } };
    const first = router.route(input, AT);
    expect(countsForVolume(first)).toBe(true);
    expect(['P3', 'P4']).toContain(first.priority);
    const window = createVolumeWindow({ windowMinutes: 10, contacts: 3 });
    let decision = first;
    for (const [i, who] of ['amy', 'bob', 'cy'].entries()) {
      const d = router.route(input, minutes(i));
      const surge = window.observe(d.service!, who, minutes(i));
      decision = surge ? router.raise(d, surge, minutes(i)) : d;
    }
    expect(decision.priority).toBe('P2');
    expect(decision.urgency).toBe('high');
    expect(Date.parse(decision.respondBy)).toBeLessThan(Date.parse(first.respondBy) + 2 * 60_000);
    expect(decision.trace.at(-1)?.rule).toBe('@volume');
    expect(decision.reason).toMatch(/raised by 3 requesters reported/);
  });
});

describe('volume through intake', () => {
  let s: RunningSpoc;
  beforeAll(async () => {
    s = await startSpoc();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('raises the fifth person’s VPN fault within ten minutes (gateway.yaml priority.volume), not the first four', async () => {
    const priorities: string[] = [];
    for (const who of ['a', 'b', 'c', 'd', 'e']) {
      const r = await s.api('POST', '/api/v1/contacts', { requester: { email: `vpn-${who}@corp.example` }, channel: 'chat', body: 'vpn连不上了，一直提示超时' });
      expect(r.status).toBe(201);
      priorities.push(r.body.priority);
    }
    expect(priorities.slice(0, 4).every((p) => p === 'P3' || p === 'P4')).toBe(true);
    expect(priorities[4]).toBe('P2');
  });
});
