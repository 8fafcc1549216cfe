import type { Subscription } from '../../src/dispatch/types.js';
import type { BusinessCalendar } from '../../src/router/calendar.js';
import { createTicketing, type RouteDecisionLike, type Store, type Ticketing } from '../../src/ticketing/index.js';
import type { Actor } from '../../src/ticketing/service-types.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Calendars in UTC, built directly so the tests need no gateway.yaml: always open, and 09:00–17:00 every day. */
function utcCalendar(id: string, open: (day: number) => Array<readonly [number, number]>): BusinessCalendar {
  return {
    id,
    timezone: 'UTC',
    intervals: open,
    dayOf: (ms) => Math.floor(ms / DAY),
    isOpen(at) {
      const ms = at.getTime();
      return open(Math.floor(ms / DAY)).some(([a, b]) => ms >= a && ms < b);
    },
  };
}

export const calendars = new Map<string, BusinessCalendar>([
  ['7x24', utcCalendar('7x24', (d) => [[d * DAY, (d + 1) * DAY]])],
  ['7x8', utcCalendar('7x8', (d) => [[d * DAY + 9 * HOUR, d * DAY + 17 * HOUR]])],
]);

export const org = {
  tiers: { L1: { defaultTeam: 'service-desk' }, L2: { defaultTeam: 'desktop' }, L3: { defaultTeam: 'apps' } },
  teams: {
    'service-desk': { tier: 'L1' as const },
    desktop: { tier: 'L2' as const },
    network: { tier: 'L2' as const },
    apps: { tier: 'L3' as const },
    security: { tier: 'L3' as const },
  },
};

export const prefixes = { incident: 'INC', service_request: 'REQ', inquiry: 'INQ' };

export const agent = (id = 'slack:U1'): Actor => ({ id, role: 'agent' });

export function decision(over: Partial<RouteDecisionLike> = {}): RouteDecisionLike {
  return {
    type: 'incident',
    category: 'network.vpn',
    impact: 'medium',
    urgency: 'medium',
    priority: 'P3',
    tier: 'L1',
    team: 'service-desk',
    slaPolicy: 'incident',
    calendar: '7x24',
    respondBy: '2026-03-02T10:30:00.000Z',
    resolveBy: '2026-03-02T14:00:00.000Z',
    tags: ['vpn'],
    reason: 'rule vpn',
    trace: [],
    ...over,
  };
}

/** A settable clock shared by everything the test builds. */
export function testClock(start = '2026-03-02T10:00:00.000Z') {
  let t = new Date(start);
  return {
    now: () => new Date(t),
    set(iso: string) {
      t = new Date(iso);
    },
  };
}

export function ticketing(store: Store, opts: { subscriptions?: Subscription[]; now?: () => Date } = {}): Ticketing {
  return createTicketing({ store, subscriptions: opts.subscriptions ?? [], org, calendars, prefixes, now: opts.now });
}

/** A contact through the ops the way intake uses them: dedupe first, then requester, then a new ticket. */
export async function acceptOnce(t: Ticketing, key: string, email = 'ann@example.com', d = decision()) {
  return t.store.withTx(async (tx) => {
    const claim = await t.ops.claimDedupeKey(tx, key);
    if (!claim.claimed) return { outcome: 'duplicate' as const, ticket: claim.ticket! };
    const requester = await t.ops.resolveRequester(tx, { email });
    const { ticket } = await t.ops.createTicket(tx, {
      decision: d,
      subject: 'VPN down',
      channel: 'api',
      requester,
      actor: 'api:test',
      dedupeKey: key,
      firstMessage: { channel: 'api', body: 'it does not connect' },
    });
    await t.ops.bindDedupeKey(tx, key, ticket.id);
    return { outcome: 'created' as const, ticket };
  });
}
