import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookieName } from '../../src/desk/guard.js';
import { RANGE, seedHistory, type Seeded, type StoreKind } from './history.js';

/**
 * Every figure of the overview that counts tickets links to the staff queue; opened there by a signed-in
 * manager, the link lists exactly the tickets the figure counts (the history of history.ts).
 */
describe.each<StoreKind>(['sqlite', 'postgres'])('drill-down from the overview to the queue on %s', (kind) => {
  let h: Seeded;
  let cookie: string;
  beforeAll(async () => {
    h = await seedHistory(kind);
    const { desk } = h.spoc.spoc;
    const { token } = await desk.sessions.create((await desk.staff.findActive('zhou.min@example.com'))!, 'link');
    cookie = `${sessionCookieName(desk.auth)}=${token}`;
  }, 120_000);
  afterAll(() => h?.close());

  /** The ticket numbers the queue lists for a link, in its order. */
  const queue = async (link: string): Promise<string[]> => {
    const res = await fetch(h.spoc.url + link, { headers: { cookie }, redirect: 'manual' });
    const html = await res.text();
    expect(res.status, `${link}: ${html.slice(0, 300)}`).toBe(200);
    return [...html.matchAll(/<td><a href="\/desk\/tickets\/([^"]+)">/g)].map((m) => m[1]!);
  };

  it('lists the tickets behind every count', async () => {
    const { body: o } = await h.spoc.api('GET', `/api/v1/reports/overview?${RANGE}&minTickets=1`);
    const { A, B, C, D, E, F } = h.n;
    const counts: Array<[string, number, string]> = [];
    const add = (what: string, rows: Array<{ key: string; tickets: number; link: string }>) => rows.forEach((r) => counts.push([`${what}[${r.key}]`, r.tickets, r.link]));
    add('channel', o.volumeByChannel);
    add('type', o.volume.byType);
    add('team', o.volume.byTeam);
    add('priority', o.volume.byPriority);
    add('day', o.volume.byDay);
    add('hour', o.volume.byHour.filter((b: { tickets: number }, i: number) => b.tickets > 0 || i === 3));
    for (const clock of ['respond', 'resolve'] as const) for (const out of ['met', 'breached', 'running'] as const) counts.push([`${clock}.${out}`, o.slaAttainment[clock][out], o.slaAttainment[clock].links[out]]);
    counts.push(['fcr.resolved', o.firstContactResolution.resolved, o.firstContactResolution.links.resolved]);
    counts.push(['fcr.firstContact', o.firstContactResolution.firstContact, o.firstContactResolution.links.firstContact]);
    add('reassigned', o.reassignments.distribution);
    counts.push(['backlog', o.backlog.open, o.backlog.link]);
    add('age', o.backlogByAge);
    add('risk', o.backlogByRisk);
    add('teamPriority', o.backlog.byTeamPriority);
    add('score', o.satisfaction.distribution);
    counts.push(['rated', o.satisfaction.rated, o.satisfaction.link]);
    counts.push(['complaints', o.complaints.count, o.complaints.link]);
    add('category', o.recurring.topCategories);
    add('requester', o.recurring.requesters.map((r: { id: string; tickets: number; link: string }) => ({ key: r.id, tickets: r.tickets, link: r.link })));
    expect(counts.length).toBeGreaterThan(40);
    for (const [what, n, link] of counts) expect((await queue(link)).length, `${what} ${link}`).toBe(n);

    // And they are the right tickets.
    const sorted = async (link: string) => (await queue(link)).sort();
    expect(await sorted(o.slaAttainment.respond.links.breached)).toEqual([B, D].sort());
    expect(await sorted(o.slaAttainment.breachesLink)).toEqual([B, C, D, E].sort());
    expect(await sorted(o.firstContactResolution.links.firstContact)).toEqual([A]);
    expect(await sorted(o.reassignments.distribution[2].link)).toEqual([B]);
    expect(await sorted(o.backlogByRisk[3].link)).toEqual([C, D].sort());
    expect(await sorted(o.backlog.link)).toEqual([C, D, F].sort());
    expect(await sorted(o.satisfaction.distribution[1].link)).toEqual([B]);
    expect(await sorted(o.recurring.requesters[0].link)).toEqual([A, F].sort());
    // Newest first, as the queue sorts.
    expect(await queue(o.volume.byDay[0].link)).toEqual([F, E, D, C, B, A]);
  });

  it('still answers the queue’s own sla filter, and 400 for a bad selector', async () => {
    const { C, D } = h.n;
    // Open and past a due time now: C (resolve) and D (respond).
    expect((await queue('/desk?sla=breached')).sort()).toEqual([C, D].sort());
    const bad = await fetch(`${h.spoc.url}/desk?risk=high`, { headers: { cookie } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
  });
});
