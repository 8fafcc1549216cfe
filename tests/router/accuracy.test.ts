import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src/intake/record.js';
import { defaultDirectory, defaultRouter } from './helpers.js';

interface EvalCase {
  channel: Channel;
  from?: string;
  subject: string;
  body: string;
  meta?: Record<string, string>;
  expect: { type: string; team: string; urgent: boolean };
}

const cases: EvalCase[] = parse(readFileSync(new URL('./fixtures/eval-set.yaml', import.meta.url), 'utf8')).cases;

/** Routes the held-out set once; the figures are printed so a rule change shows its effect. */
function evaluate() {
  const router = defaultRouter();
  const directory = defaultDirectory();
  const now = new Date('2026-03-04T03:00:00Z');
  const misses: string[] = [];
  const score = { type: 0, tier: 0, team: 0, urgency: 0 };
  for (const c of cases) {
    const requester = c.from ? directory.profile(c.from.startsWith('+') ? { phone: c.from } : { email: c.from }) : undefined;
    const d = router.route({ record: { channel: c.channel, subject: c.subject, body: c.body, meta: c.meta ?? {} }, requester }, now);
    const expectedTier = router.gateway.teams.get(c.expect.team)?.tier;
    const urgent = d.priority === 'P1' || d.priority === 'P2';
    score.type += Number(d.type === c.expect.type);
    score.team += Number(d.team === c.expect.team);
    score.tier += Number(d.tier === expectedTier);
    score.urgency += Number(urgent === c.expect.urgent);
    if (d.type !== c.expect.type || d.team !== c.expect.team || urgent !== c.expect.urgent) {
      misses.push(`${(c.subject || c.body).slice(0, 50)} | want ${c.expect.type}/${c.expect.team}/${c.expect.urgent ? 'urgent' : 'everyday'} got ${d.type}/${d.team}/${d.priority} | ${d.reason}`);
    }
  }
  const pct = (n: number) => Math.round((1000 * n) / cases.length) / 10;
  return { n: cases.length, type: pct(score.type), tier: pct(score.tier), team: pct(score.team), urgency: pct(score.urgency), misses };
}

describe('default rules on the held-out evaluation set', () => {
  it('has at least 150 contacts in both languages', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => /[\u4e00-\u9fff]/.test(c.subject + c.body)).length).toBeGreaterThan(60);
    expect(cases.filter((c) => !/[\u4e00-\u9fff]/.test(c.subject + c.body)).length).toBeGreaterThan(60);
  });

  it('gets type ≥95%, tier and team ≥90%, urgent vs everyday ≥90%', () => {
    const r = evaluate();
    console.info(`accuracy on ${r.n} contacts: type ${r.type}%, tier ${r.tier}%, team ${r.team}%, urgency ${r.urgency}%`);
    if (r.misses.length) console.info(`misses:\n${r.misses.join('\n')}`);
    expect(r.type).toBeGreaterThanOrEqual(95);
    expect(r.tier).toBeGreaterThanOrEqual(90);
    expect(r.team).toBeGreaterThanOrEqual(90);
    expect(r.urgency).toBeGreaterThanOrEqual(90);
  });
});
