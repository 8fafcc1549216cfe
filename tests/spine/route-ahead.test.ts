import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startRouteAhead, type RouteAhead } from '../../src/intake/route-ahead.js';
import type { IntakeRecord } from '../../src/intake/record.js';
import { requesterProfile } from '../../src/router/index.js';
import { startSpoc, type RunningSpoc } from '../support/spoc.js';

const CONFIG = new URL('../../config', import.meta.url).pathname;

function record(over: Partial<IntakeRecord> = {}): IntakeRecord {
  return {
    id: randomUUID(),
    channel: 'email',
    receivedAt: '2026-11-18T02:00:00.000Z',
    dedupeKey: `test:${randomUUID()}`,
    requester: { email: 'someone@corp.example', name: 'Someone', department: 'Finance' },
    subject: 'VPN 连不上',
    body: '从今天早上开始在家里连不上公司 VPN，客户端一直提示认证失败。',
    attachments: [],
    thread: {},
    meta: {},
    ...over,
  };
}

describe('routing ahead on a thread', () => {
  let ahead: RouteAhead;
  const { router } = loadConfig(CONFIG);
  beforeAll(async () => {
    ahead = startRouteAhead({ configDir: CONFIG });
    await ahead.ready;
  });
  afterAll(async () => {
    await ahead?.close();
  });

  it('decides exactly as the router in this thread does, trace included', async () => {
    for (const r of [
      record(),
      record({ channel: 'web', subject: 'Monitor flickering', body: 'The second monitor on my desk flickers and sometimes goes black.' }),
      record({ channel: 'sms', subject: '', body: '打印机卡纸了，三楼财务部' }),
    ]) {
      const routed = await ahead.route(r);
      expect(routed).toBeDefined();
      expect(routed!.decision).toEqual(router.route({ record: r, requester: routed!.profile }));
    }
  });

  it('assumes what the contact says of someone new, then what the transaction last resolved for them', async () => {
    const r = record({ requester: { email: 'New.Person@corp.example', name: 'New Person', department: 'Legal' } });
    const first = await ahead.route(r);
    expect(first!.profile).toMatchObject({ name: 'New Person', department: 'Legal', vip: false });

    const resolved = requesterProfile({ name: 'New Person', department: 'Executive', vip: true }, 'email');
    expect(ahead.holds(first, resolved)).toBe(false);
    ahead.remember(r, resolved);

    const next = await ahead.route(record({ requester: { email: 'new.person@corp.example' } }));
    expect(next!.profile).toEqual(resolved);
    expect(ahead.holds(next, resolved)).toBe(true);
    expect(next!.decision.trace.some((t) => t.rule === '@priority' && t.matched.some((m) => m.startsWith('requester is VIP')))).toBe(true);
  });
});

describe('intake with routing ahead', () => {
  let s: RunningSpoc;
  beforeAll(async () => {
    s = await startSpoc();
    await s.spoc.routeAhead!.ready;
  });
  afterAll(async () => {
    await s?.close();
  });

  const routed = async () => {
    const text = await (await fetch(`${s.url}/metrics`)).text();
    const count = (where: string) => Number(/\d+$/.exec(text.split('\n').find((l) => l.startsWith(`spoc_routing_total{where="${where}"}`)) ?? '0')![0]);
    return { ahead: count('ahead'), transaction: count('transaction') };
  };
  const post = (email: string, channel: string) =>
    s.api('POST', '/api/v1/contacts', { requester: { email }, channel, subject: 'Monitor', body: 'The second monitor on my desk flickers now and then.' });

  it('routes again in the transaction when the requester is not who the thread assumed, and uses its decision when they are', async () => {
    // A directory VIP's first contact: the thread assumed someone ordinary, so the transaction routes again.
    const first = await post('james.miller@example.com', 'email');
    expect(await routed()).toEqual({ ahead: 0, transaction: 1 });
    // Now his profile is known, and the thread's decision holds.
    const second = await post('james.miller@example.com', 'email');
    expect(await routed()).toEqual({ ahead: 1, transaction: 1 });
    expect(second.body.priority).toBe(first.body.priority);
    // Anyone can type his address into the portal: no VIP raise there, so the thread's guess fails again.
    const portal = await post('james.miller@example.com', 'web');
    expect(await routed()).toEqual({ ahead: 1, transaction: 2 });
    expect(Number(portal.body.priority.slice(1))).toBe(Number(first.body.priority.slice(1)) + 1);
  });
});
