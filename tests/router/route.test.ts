import { describe, expect, it } from 'vitest';
import { formatTrace, type RouteInput } from '../../src/router/index.js';
import { defaultRouter, miniRouter } from './helpers.js';

const WED_10 = new Date('2026-03-04T10:00:00+08:00');
const input = (body: string, extra: Partial<RouteInput['record']> = {}, requester?: RouteInput['requester']): RouteInput => ({
  record: { channel: 'email', subject: '', body, meta: {}, ...extra },
  requester,
});

const rules = `fallback:
  type: inquiry
  faultType: incident
  faultWords: [broken, 坏了]
rules:
  - id: network
    description: network words
    when: { keywords: { any: [vpn, wifi, 网络] } }
    set: { type: incident, category: network, team: network }
  - id: app
    when: { keywords: { any: [erp] } }
    set: { category: erp, team: apps, tags: [erp] }
  - id: finance-vip
    when: { requester: { department: [Finance], vip: true } }
    set: { tags: [finance-vip] }
  - id: plant
    when: { requester: { location: Suzhou Plant } }
    set: { tags: [plant] }
  - id: mailbox
    when: { channel: email, meta: { mailbox: [noc@example.com] } }
    set: { type: incident, urgency: high, tags: [noc] }
  - id: labelled
    when: { channel: alert, meta: { label.team: "*" } }
    set: { tags: [labelled] }
  - id: ticket-number
    when: { regex: 'INC-\\d{6}' }
    set: { tags: [mentions-ticket] }
  - id: after-hours
    when: { time: { outside: 5x8 } }
    set: { tags: [after-hours] }
  - id: complaint
    when: { keywords: { any: [complain, 投诉], none: [customer] } }
    set: { type: complaint }
    stop: true
  - id: after-stop
    when: { keywords: { any: [complain] } }
    set: { tags: [never] }
`;
const router = miniRouter(rules);

describe('matching', () => {
  it('matches keywords in both languages and says which words', () => {
    const zh = router.route(input('公司网络好慢'), WED_10);
    expect(zh).toMatchObject({ type: 'incident', team: 'network', tier: 'L2' });
    expect(zh.trace[0]).toMatchObject({ rule: 'network', matched: ['keywords any: "网络"'] });
    const en = router.route(input('', { subject: 'VPN and WiFi flaky' }), WED_10);
    expect(en.trace[0]!.matched).toEqual(['keywords any: "vpn", "wifi"']);
  });

  it('a later rule overrides an earlier one, and the trace records it', () => {
    const d = router.route(input('ERP over VPN is slow'), WED_10);
    expect(d).toMatchObject({ type: 'incident', category: 'erp', team: 'apps', tier: 'L3', tags: ['erp'] });
    expect(d.trace[0]).toMatchObject({ rule: 'network', overriddenBy: { category: 'app', team: 'app' } });
    expect(d.reason).toBe('network + app → incident P3 L3/apps');
  });

  it('matches requester attributes case-insensitively', () => {
    const d = router.route(input('hello', {}, { department: 'finance', vip: true, location: 'suzhou plant' }), WED_10);
    expect(d.tags).toEqual(['finance-vip', 'plant']);
    expect(router.route(input('hello', {}, { department: 'Finance' }), WED_10).tags).toEqual([]);
  });

  it('matches channel metadata, "*" meaning present', () => {
    expect(router.route(input('x', { meta: { mailbox: 'NOC@example.com' } }), WED_10)).toMatchObject({ type: 'incident', urgency: 'high', priority: 'P2', tags: ['noc'] });
    expect(router.route(input('x', { channel: 'sms', meta: { mailbox: 'noc@example.com' } }), WED_10).tags).toEqual([]);
    expect(router.route(input('x', { channel: 'alert', meta: { 'label.team': 'db' } }), WED_10).tags).toEqual(['labelled']);
  });

  it('matches regular expressions and time windows', () => {
    expect(router.route(input('about INC-000042'), WED_10).trace[0]!.matched[0]).toBe('regex /INC-\\d{6}/: "INC-000042"');
    const night = router.route(input('hello'), new Date('2026-03-04T22:00:00+08:00'));
    expect(night.tags).toEqual(['after-hours']);
    expect(night.trace[0]!.matched).toEqual(['time outside 5x8 hours']);
    expect(router.route(input('hello', { receivedAt: '2026-03-07T10:00:00+08:00' }), WED_10).tags).toEqual(['after-hours']);
  });

  it('stop ends evaluation; none excludes', () => {
    const d = router.route(input('I want to complain'), WED_10);
    expect(d).toMatchObject({ type: 'complaint', team: 'manager', tier: 'L1', tags: [] });
    expect(d.trace.at(0)).toMatchObject({ rule: 'complaint', stopped: true });
    expect(router.route(input('a customer wants to complain'), WED_10).type).toBe('inquiry');
  });
});

describe('fallback and assignment', () => {
  it('nothing matched → inquiry at L1, explained', () => {
    const d = router.route(input('hello there'), WED_10);
    expect(d).toMatchObject({ type: 'inquiry', tier: 'L1', team: 'desk' });
    expect(d.trace.map((t) => t.rule)).toEqual(['@fallback', '@assign']);
    expect(d.trace[0]!.matched).toEqual(['no rule set a type and no fault words']);
    expect(d.reason).toBe('no rule matched → inquiry (fallback type) P4 L1/desk');
  });

  it('nothing matched but a fault word → incident', () => {
    const d = router.route(input('my chair is 坏了'), WED_10);
    expect(d.type).toBe('incident');
    expect(d.trace[0]!.matched).toEqual(['fault words: "坏了"']);
  });

  it('a tier alone means its default team; a type may name its team', () => {
    const tiered = miniRouter(`rules:\n  - { id: l3, when: { keywords: { any: [x] } }, set: { tier: L3 } }\n`);
    expect(tiered.route(input('x'), WED_10)).toMatchObject({ tier: 'L3', team: 'apps' });
    expect(router.route(input('投诉'), WED_10).team).toBe('manager');
  });
});

describe('priority', () => {
  const prio = miniRouter(`fallback: { faultWords: [broken] }
rules:
  - { id: hi, when: { keywords: { any: [payroll] } }, set: { type: incident, impact: high } }
  - { id: q, when: { keywords: { any: [question] } }, set: { type: inquiry } }
`);
  it('follows the impact × urgency matrix', () => {
    expect(prio.route(input('printer broken'), WED_10)).toMatchObject({ impact: 'medium', urgency: 'medium', priority: 'P3' });
    expect(prio.route(input('payroll run'), WED_10)).toMatchObject({ impact: 'high', urgency: 'medium', priority: 'P2' });
  });

  it('critical words raise impact and urgency, in both languages, for the types they name', () => {
    const d = prio.route(input('printer broken, down for all users'), WED_10);
    expect(d).toMatchObject({ impact: 'high', urgency: 'high', priority: 'P1' });
    expect(d.trace.filter((t) => t.rule === '@priority').map((t) => t.matched[0])).toEqual(['critical words: "all users"', 'critical words: "down"']);
    expect(prio.route(input('系统宕机 broken'), WED_10).priority).toBe('P2');
    expect(prio.route(input('question: is the server down?'), WED_10)).toMatchObject({ type: 'inquiry', priority: 'P4' });
  });

  it('"unless" phrases cancel a raise: a laptop that shuts down is not an outage', () => {
    expect(prio.route(input('my laptop is broken, it will shut down randomly'), WED_10).priority).toBe('P3');
  });

  it('VIP raises by one step, never past P2', () => {
    expect(prio.route(input('printer broken', {}, { vip: true, name: 'Li' }), WED_10).priority).toBe('P2');
    expect(prio.route(input('question', {}, { vip: true }), WED_10).priority).toBe('P3');
    expect(prio.route(input('broken: all users down', {}, { vip: true }), WED_10).priority).toBe('P1');
  });

  it('alert severity sets a floor', () => {
    expect(prio.route(input('disk', { channel: 'alert', meta: { severity: 'CRITICAL' } }), WED_10).priority).toBe('P1');
    expect(prio.route(input('payroll', { channel: 'alert', meta: { severity: 'warning' } }), WED_10).priority).toBe('P2');
  });
});

describe('SLA due times', () => {
  const sla = miniRouter('fallback: { faultWords: [broken] }\nrules: []\n');
  it('P1 incidents count on 7x24, P3 on 5x8 business hours', () => {
    const p1 = sla.route(input('broken for all users, down'), new Date('2026-03-06T16:55:00+08:00'));
    expect(p1).toMatchObject({ priority: 'P1', calendar: '7x24', respondBy: '2026-03-06T09:05:00.000Z', resolveBy: '2026-03-06T09:55:00.000Z' });
    const p3 = sla.route(input('broken'), new Date('2026-03-06T16:55:00+08:00'));
    expect(p3).toMatchObject({ priority: 'P3', calendar: '5x8', respondBy: new Date('2026-03-09T09:25:00+08:00').toISOString() });
  });
});

describe('explain', () => {
  it('formats the decision and every step of the trace', () => {
    const text = formatTrace(router.route(input('ERP over VPN is slow'), WED_10));
    expect(text).toContain('priority  P3  (impact medium, urgency medium)');
    expect(text).toContain('assigned  L3 apps');
    expect(text).toContain('1. network — network words');
    expect(text).toContain('matched  keywords any: "vpn"');
    expect(text).toContain('overridden category by app, team by app');
    expect(text).toContain('reason    network + app → incident P3 L3/apps');
  });

  it('the default rules explain a bilingual outage', () => {
    const d = defaultRouter().route(input('ERP宕机了，所有人都无法下单', { channel: 'voice' }), WED_10);
    expect(d).toMatchObject({ type: 'incident', team: 'apps', tier: 'L3', priority: 'P1' });
    expect(d.reason).toMatch(/^business-apps → incident P1 L3\/apps; raised by scope: .*"所有人".*work stopped: "宕机"/);
  });
});
