import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { startFakeSlack, type FakeSlack, type SlackCall } from '../support/fake-slack.js';
import { startSpoc, type RunningSpoc } from '../support/spoc.js';
import { until } from '../support/wait.js';
import { testClock } from '../ticketing/fixtures.js';
import { slackSender } from '../channels/slack/signing.js';
import type { TicketEvent } from '../../src/ticketing/types.js';

const SECRET = 'assignment-signing-secret';
// service-desk, round robin: UA2 is away in Slack, UA4 works nights (off shift at 10:00 Shanghai).
const DESK = ['UA1', 'UA2', 'UA3', 'UA4'];
// desktop, least loaded: UB1 holds at most one ticket, UB2 two.
const DESKTOP = ['UB1', 'UB2'];

function assignmentConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spoc-assign-config-'));
  cpSync(new URL('../../config', import.meta.url), dir, { recursive: true });
  const file = join(dir, 'gateway.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.setIn(['calendars', 'night'], { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], hours: ['22:00-24:00'], observeHolidays: false });
  doc.setIn(['teams', 'service-desk', 'members'], DESK);
  doc.setIn(['teams', 'service-desk', 'assignment'], { policy: 'round_robin', reservationMinutes: 5, agents: { UA4: { shift: 'night' } } });
  doc.setIn(['teams', 'desktop', 'members'], DESKTOP);
  doc.setIn(['teams', 'desktop', 'assignment'], { policy: 'least_loaded', reservationMinutes: 30, capacity: 2, agents: { UB1: { capacity: 1 } } });
  doc.setIn(['teams', 'desk-manager', 'members'], ['UMGR']);
  writeFileSync(file, doc.toString());
  return dir;
}

const text = (c: SlackCall) => `${String(c.args.text ?? '')} ${JSON.stringify(c.args.blocks ?? '')}`;

describe('assignment end to end: real Bolt app, fake Slack Web API, controlled clock', () => {
  let slack: FakeSlack;
  let spoc: RunningSpoc;
  let configDir: string;
  const clock = testClock('2026-03-02T02:00:00.000Z'); // Monday 10:00 in Asia/Shanghai

  beforeAll(async () => {
    slack = await startFakeSlack();
    slack.setPresence('UA2', 'away');
    configDir = assignmentConfig();
    spoc = await startSpoc({
      now: clock.now,
      env: { SPOC_CONFIG_DIR: configDir, PUBLIC_BASE_URL: 'https://desk.example.com', SLACK_BOT_TOKEN: 'xoxb-assign', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl },
    });
  });
  afterAll(async () => {
    await spoc?.close();
    await slack?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  const { click } = slackSender(() => spoc.url, SECRET);
  const contact = async (subject: string, body = subject) =>
    (
      await spoc.ctx.intake.accept({
        id: randomUUID(), channel: 'api', receivedAt: clock.now().toISOString(), dedupeKey: `api:${randomUUID()}`,
        requester: { email: 'li.lei@example.com', name: 'Li Lei' }, subject, body,
      })
    ).ticket;
  const assignedEvents = async (number: string) => (await spoc.ctx.tickets.get(number))!.events.filter((e) => e.type === 'assigned');
  /** Waits for the ticket's `count`-th `assigned` event (the assignment job runs after the commit). */
  const nthAssigned = (number: string, count: number) =>
    until(async () => {
      const events = await assignedEvents(number);
      return events.length >= count ? events[count - 1] : undefined;
    }, { what: `assigned event #${count} of ${number}` });
  const offerDm = (member: string, number: string) =>
    until(() => slack.callsOf('chat.postMessage').find((c) => c.args.channel === `D_${member}` && text(c).includes(number) && text(c).includes('spoc_accept')), { what: `the offer DM of ${number} to ${member}` });

  let first = '';

  it('round robin offers tickets in turn to on-shift members, skipping the one whose Slack presence is away', async () => {
    const events: TicketEvent[] = [];
    for (const n of [1, 2, 3]) {
      const ticket = await contact(`How do I book a meeting room? (${n})`);
      expect(ticket.team).toBe('service-desk');
      events.push(await nthAssigned(ticket.number, 1));
      if (n === 1) first = ticket.number;
    }
    expect(events.map((e) => e.data.assignee)).toEqual(['slack:UA1', 'slack:UA3', 'slack:UA1']);
    // After UA1 comes UA2 (away), then UA3; after UA3 comes UA4 (off shift), then UA1 again.
    expect(events[1]!.data).toMatchObject({ policy: 'round_robin', cause: 'routed', reservationMinutes: 5, skipped: [{ member: 'UA2', why: 'away' }] });
    expect(String(events[1]!.data.reason)).toBe('round_robin: UA3; skipped UA2 away');
    expect(events[2]!.data.skipped).toEqual([{ member: 'UA4', why: 'off_shift' }]);
    expect(slack.callsOf('users.getPresence').map((c) => c.args.user)).toContain('UA2');

    // The assignee hears of it by DM, and the card shows the offer.
    const dm = await offerDm('UA1', first);
    expect(text(dm)).toContain('Accept within 5 min');
    const detail = (await spoc.ctx.tickets.get(first))!;
    expect(detail.ticket).toMatchObject({ status: 'assigned', assignee: 'slack:UA1' });
    await until(() => slack.callsOf('chat.update').find((c) => text(c).includes(first) && text(c).includes('offered, until')), { what: 'the card showing the offer' });
  });

  it('a reservation not accepted in time passes the ticket to the next agent, once, and reports count it', async () => {
    clock.set('2026-03-02T02:04:59.000Z');
    await spoc.spoc.assignment.sweep();
    expect(await assignedEvents(first)).toHaveLength(1);

    clock.set('2026-03-02T02:05:00.000Z');
    // Two sweeps at once (two processes, or a restart mid-pass): the ticket passes on once.
    await Promise.all([spoc.spoc.assignment.sweep(), spoc.spoc.assignment.sweep()]);
    const passed = await nthAssigned(first, 2);
    expect(passed.data).toMatchObject({ assignee: 'slack:UA3', previousAssignee: 'slack:UA1', cause: 'reservation_lapsed' });
    expect(passed.data.skipped).toEqual([{ member: 'UA2', why: 'away' }]);
    await spoc.spoc.assignment.sweep();
    expect(await assignedEvents(first)).toHaveLength(2);
    expect((await spoc.ctx.tickets.get(first))!.ticket.assignee).toBe('slack:UA3');

    // UA3 accepts from the DM: the ticket is theirs and no longer lapses.
    const dm = await offerDm('UA3', first);
    await click('spoc_accept', first, 'UA3', String(dm.response!.channel), String(dm.response!.ts));
    await until(async () => (await spoc.ctx.tickets.get(first))!.ticket.status === 'in_progress', { what: 'the accepted offer' });
    await until(() => slack.callsOf('chat.update').find((c) => c.args.ts === dm.response!.ts && text(c).includes('You took')), { what: 'the DM settled' });
    clock.set('2026-03-02T02:30:00.000Z');
    await spoc.spoc.assignment.sweep();
    expect((await spoc.ctx.tickets.get(first))!.ticket).toMatchObject({ status: 'in_progress', assignee: 'slack:UA3' });
    expect(await assignedEvents(first)).toHaveLength(2);

    const report = await spoc.api('GET', '/api/v1/reports/reassignments?team=service-desk');
    expect(report.status).toBe(200);
    // The other two offers lapsed too (nobody accepted them): every lapse is counted, none twice.
    let lapses = 0;
    for (const t of await spoc.ctx.tickets.list({ team: 'service-desk' })) lapses += (await assignedEvents(t.number)).filter((e) => e.data.cause === 'reservation_lapsed').length;
    expect(lapses).toBeGreaterThan(1);
    expect(report.body.report.total).toBe(lapses);
    expect(report.body.report.bounced).toContainEqual(expect.objectContaining({ number: first, reassignments: 1 }));
  });

  it('least_loaded respects each agent\'s capacity, and with everyone full the ticket waits with the team and the card says so', async () => {
    const holders: Array<string | null> = [];
    const numbers: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      const ticket = await contact(`The printer on ${n}F is jammed again`);
      expect(ticket.team).toBe('desktop');
      numbers.push(ticket.number);
      holders.push((await nthAssigned(ticket.number, 1)).data.assignee as string | null);
    }
    // UB1 (capacity 1) takes the first; then UB2 until its capacity of 2; then nobody.
    expect(holders).toEqual(['slack:UB1', 'slack:UB2', 'slack:UB2', null]);
    const last = numbers[3]!;
    const waiting = (await assignedEvents(last))[0]!;
    expect(waiting.data.skipped).toEqual(expect.arrayContaining([{ member: 'UB1', why: 'at_capacity' }, { member: 'UB2', why: 'at_capacity' }]));
    expect((await spoc.ctx.tickets.get(last))!.ticket.assignee).toBeUndefined();
    await until(() => slack.callsOf('chat.update').concat(slack.callsOf('chat.postMessage')).find((c) => text(c).includes(last) && text(c).includes('nobody available')), { what: 'the card saying nobody is available' });

    // A retry while everyone is still full writes no second "nobody" event; freeing UB1 places it.
    clock.set('2026-03-02T02:31:30.000Z');
    await spoc.spoc.assignment.sweep();
    expect(await assignedEvents(last)).toHaveLength(1);
    await spoc.ctx.tickets.resolve(numbers[0]!, { id: 'slack:UB1', role: 'agent' }, { resolution: 'cleared the jam' });
    clock.set('2026-03-02T02:33:00.000Z');
    await spoc.spoc.assignment.sweep();
    const placed = await nthAssigned(last, 2);
    expect(placed.data).toMatchObject({ assignee: 'slack:UB1', policy: 'least_loaded', load: 0 });
  });
});
