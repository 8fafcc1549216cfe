import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figuresOf } from '../../src/reports/csv.js';
import { at, NOW, RANGE, seedHistory, type Seeded, type StoreKind } from './history.js';

/**
 * Every figure of the overview for the history in history.ts, worked out by hand from its table, on
 * both stores. Minutes are wall-clock minutes from creation.
 */
describe.each<StoreKind>(['sqlite', 'postgres'])('reports on %s', (kind) => {
  let h: Seeded;
  beforeAll(async () => {
    h = await seedHistory(kind);
  }, 120_000);
  afterAll(() => h?.close());

  it('gives the overview of the seeded history', async () => {
    const { status, body: o } = await h.spoc.api('GET', `/api/v1/reports/overview?${RANGE}&minTickets=1`);
    expect(status).toBe(200);
    const { A, B, C, D, E, F } = h.n;
    expect(o.range).toEqual({ from: at(-60), to: NOW, timezone: 'Asia/Shanghai' });

    // Tickets by the channel they came on; contacts add B's second message (email).
    expect(o.volumeByChannel.map((c: any) => [c.key, c.tickets, c.contacts])).toEqual([
      ['email', 2, 3],
      ['web', 3, 3],
      ['api', 1, 1],
    ]);
    expect(o.volume.tickets).toBe(6);
    expect(o.volume.contacts).toBe(7);
    expect(o.volume.byType.map((b: any) => [b.key, b.tickets])).toEqual([['incident', 3], ['complaint', 1], ['inquiry', 1], ['service_request', 1]]);
    // By the team each is with now: C went up to apps.
    expect(o.volume.byTeam.map((b: any) => [b.key, b.tickets])).toEqual([['network', 2], ['apps', 1], ['desk-manager', 1], ['desktop', 1], ['service-desk', 1]]);
    // 09:00–16:00 in Shanghai is one day; all six came in between 10:00 and 10:40.
    expect(o.volume.byDay.map((b: any) => [b.key, b.tickets])).toEqual([['2026-03-02', 6]]);
    expect(o.volume.byHour.filter((b: any) => b.tickets > 0).map((b: any) => [b.key, b.tickets])).toEqual([['10', 6]]);

    // Respond: met A 10, C 10, E 5, F 10; breached B (45 > 30) and D (never, due +35).
    const respond = o.slaAttainment.respond;
    expect([respond.met, respond.breached, respond.running, respond.attainment]).toEqual([4, 2, 0, 66.7]);
    // Taken: 10, 45, 10, 5, 10. Allowed: 15, 30, 30, 15, 10, 30.
    expect([respond.meanMinutes, respond.medianMinutes, respond.targetMeanMinutes, respond.targetMedianMinutes]).toEqual([16, 10, 21.7, 22.5]);
    // Resolve: met A (30) and B (115); breached C (open past +250) and E (90 > 60); D and F (reopened) running.
    const resolve = o.slaAttainment.resolve;
    expect([resolve.met, resolve.breached, resolve.running, resolve.attainment]).toEqual([2, 2, 2, 50]);
    expect([resolve.meanMinutes, resolve.medianMinutes]).toEqual([78.3, 90]);
    // Allowed: A 1440 (8 business hours on 7x8), B 240, C 240, D 2880 and F 2880 (960 business minutes), E 60.
    expect([resolve.targetMeanMinutes, resolve.targetMedianMinutes]).toEqual([1290, 840]);
    expect(o.slaAttainment.breachCount).toBe(4);
    expect(o.slaAttainment.breaches.map((b: any) => [b.number, b.clock, b.overMinutes, b.stoppedAt])).toEqual([
      [D, 'respond', 325, null],
      [C, 'resolve', 110, null],
      [E, 'resolve', 30, at(120)],
      [B, 'respond', 15, at(50)],
    ]);
    expect(o.slaAttainment.breaches[0].link).toBe(`/desk/tickets/${D}`);

    // Resolved and not reopened: A, B, E; only A by the first line without a hand-off.
    expect(o.firstContactResolution).toMatchObject({ resolved: 3, firstContact: 1, percent: 33.3 });

    expect(o.reassignments).toMatchObject({ tickets: 6, total: 2, perTicket: 0.3 });
    expect(o.reassignments.distribution.map((d: any) => [d.key, d.tickets])).toEqual([['0', 5], ['1', 0], ['2', 1], ['3+', 0]]);
    expect(o.reassignments.bounced.map((b: any) => [b.number, b.reassignments, b.escalations])).toEqual([[B, 2, 0]]);

    // Open at +360: C (350 min old), D (340), F (320).
    expect(o.backlog.open).toBe(3);
    expect(o.backlogByAge.map((b: any) => [b.key, b.tickets])).toEqual([['lt4h', 0], ['lt1d', 3], ['lt3d', 0], ['lt7d', 0], ['older', 0]]);
    // C past its resolve due, D past its respond due, F at 11% of its resolve time.
    expect(o.backlogByRisk.map((b: any) => [b.key, b.tickets])).toEqual([['ok', 1], ['50-75', 0], ['75-100', 0], ['breached', 2]]);

    // Ratings 5, 2, 4 of four tickets surveyed.
    expect(o.satisfaction).toMatchObject({ rated: 3, meanScore: 3.7, satisfied: 2, satisfiedPercent: 66.7, surveyed: 4, responseRate: 75, lowScoreCount: 1 });
    expect(o.satisfaction.lowScores.map((r: any) => [r.number, r.score, r.comment])).toEqual([[B, 2, 'passed around']]);

    expect(o.phone).toMatchObject({ calls: 4, answeredByIvr: 1, answeredByAgent: 1, abandoned: 2, inProgress: 0, answerRate: 50 });

    expect(o.complaints).toMatchObject({ count: 1, open: 1 });
    expect(o.complaints.complaints.map((c: any) => c.number)).toEqual([D]);
    expect(o.recurring.requesters.map((r: any) => [r.email, r.tickets])).toEqual([['ann@example.com', 2]]);
    expect(o.recurring.topCategories).toHaveLength(6);

    expect(o.targets).toMatchObject({ respondMinutes: 15, phoneAnswerRatePercent: 98, satisfactionPercent: 90 });
    expect([A, F].every((n) => typeof n === 'string')).toBe(true);
  });

  it('links every figure to the tickets behind it', async () => {
    const { body: o } = await h.spoc.api('GET', `/api/v1/reports/overview?${RANGE}&team=network`);
    const email = o.volumeByChannel.find((c: any) => c.key === 'email');
    const link = new URL(email.link, 'http://x');
    expect(link.pathname).toBe('/desk');
    expect(Object.fromEntries(link.searchParams)).toEqual({ from: at(-60), to: NOW, team: 'network', channel: 'email' });
    expect(new URL(o.slaAttainment.respond.links.breached, 'http://x').searchParams.get('sla')).toBe('respond_breached');
    expect(new URL(o.backlogByAge[1].link, 'http://x').searchParams.get('age')).toBe('lt1d');
    // The team's own figures: B and E only.
    expect(o.volume.tickets).toBe(2);
    expect(o.reassignments.total).toBe(2);
    expect(o.backlog.open).toBe(0);
  });

  it('gives the same figures as CSV, by Accept or by ?format=csv', async () => {
    const { body: json } = await h.spoc.api('GET', `/api/v1/reports/overview?${RANGE}`);
    for (const how of [{ path: `/api/v1/reports/overview?${RANGE}`, accept: 'text/csv' }, { path: `/api/v1/reports/overview?${RANGE}&format=csv`, accept: '*/*' }]) {
      const res = await fetch(h.spoc.url + how.path, { headers: { authorization: 'Bearer test-admin-key', accept: how.accept } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = (await res.text()).trim().split('\n');
      expect(lines[0]).toBe('report,path,value,link');
      const rows = new Map(lines.slice(1).map((l) => {
        const [, path, value, link] = /^overview,([^,]+),("(?:[^"]|"")*"|[^,]*),(.*)$/.exec(l)!;
        return [path!, { value: value!.replace(/^"|"$/g, '').replace(/""/g, '"'), link: link! }];
      }));
      const expected = figuresOf('overview', json);
      expect(rows.size).toBe(expected.length);
      for (const f of expected) expect(rows.get(f.path), f.path).toEqual({ value: f.value === null ? '' : String(f.value), link: f.link });
      expect(rows.get('slaAttainment.respond.attainment')?.value).toBe('66.7');
      expect(rows.get('volumeByChannel[email].contacts')).toEqual({ value: '3', link: json.volumeByChannel[0].link });
    }
  });

  it('exports the backlog, SLA risk and the last week of satisfaction to Prometheus', async () => {
    const text = await (await fetch(`${h.spoc.url}/metrics`)).text();
    const lines = text.split('\n');
    for (const line of [
      'spoc_backlog_open{team="apps",priority="P3"} 1',
      'spoc_backlog_open{team="desktop",priority="P4"} 1',
      'spoc_sla_tickets{band="breached",team="desk-manager"} 1',
      'spoc_sla_tickets{band="breached",team="apps"} 1',
      'spoc_satisfaction_7d{figure="rated"} 3',
      'spoc_satisfaction_7d{figure="satisfied_percent"} 66.7',
    ]) {
      expect(lines, line).toContain(line);
    }
  });

  it('answers one route per report, and 400 for a bad range', async () => {
    for (const name of ['volume', 'sla', 'first-contact', 'reassignments', 'backlog', 'satisfaction', 'phone', 'recurring', 'complaints']) {
      const res = await h.spoc.api('GET', `/api/v1/reports/${name}?${RANGE}`);
      expect(res.status, name).toBe(200);
      expect(res.body.report, name).toBeTypeOf('object');
    }
    expect((await h.spoc.api('GET', `/api/v1/reports/sla?${RANGE}&limit=1`)).body.report.breaches).toHaveLength(1);
    const bad = await h.spoc.api('GET', '/api/v1/reports/overview?from=2026-03-05&to=2026-03-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_range');
    expect((await h.spoc.api('GET', '/api/v1/reports/overview?from=yesterday')).body.error.code).toBe('invalid_range');
    expect((await h.spoc.api('GET', '/api/v1/reports/overview?team=a%20b')).status).toBe(400);
    expect((await h.spoc.api('GET', '/api/v1/reports/overview', undefined, { key: 'test-intake-key' })).status).toBe(403);
  });
});
