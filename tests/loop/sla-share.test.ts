import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { warnPoint } from '../../src/ticketing/sla-watch.js';

describe('SLA warning at a share of the target', () => {
  it('puts the warning at the share of the span from creation to due', () => {
    const created = '2026-03-02T10:00:00.000Z';
    expect(new Date(warnPoint(created, '2026-03-02T11:00:00.000Z', 0.75)).toISOString()).toBe('2026-03-02T10:45:00.000Z');
    expect(new Date(warnPoint(created, '2026-03-02T10:01:00.000Z', 0.5)).toISOString()).toBe('2026-03-02T10:00:30.000Z');
  });

  it('ships a 75% warning share on every SLA policy of the shipped config', () => {
    const { config } = loadConfig('config');
    const shares = Object.values(config.gateway.sla).map((p) => p.warnAt);
    expect(shares.length).toBeGreaterThan(0);
    expect(new Set(shares)).toEqual(new Set([0.75]));
  });
});
