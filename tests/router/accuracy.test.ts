import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, exampleFiles, readCases, routerWithout, rulesOnly, type EvalScore } from './eval-score.js';

/**
 * The labelled contacts are the shipped examples (config/examples): the tuned set plus every holdout
 * batch (holdout-<n>.yaml), each written before the rules saw it.
 */
const batchNumber = (f: string) => Number(/\d+/.exec(basename(f))?.[0] ?? 0);
const files = [...exampleFiles].sort((a, b) => batchNumber(a) - batchNumber(b));
const cases = files.flatMap((f) => readCases(f));

/**
 * Each holdout batch's score by the rules alone before they were tuned on it: the honest estimate of the
 * rules' accuracy on unseen text (type / tier / team / urgency, %). Later tuning raises the figures the
 * test prints.
 */
const PRE_TUNING: Record<string, { type: number; tier: number; team: number; urgency: number }> = {
  'holdout-1.yaml': { type: 80.9, tier: 89.7, team: 88.2, urgency: 98.5 },
  'holdout-2.yaml': { type: 73.9, tier: 85.5, team: 76.8, urgency: 89.9 },
  'holdout-3.yaml': { type: 67.7, tier: 81.5, team: 72.3, urgency: 93.8 },
  // as first written; with the two labels later aligned to eval-set.yaml's convention, type was 83.1%
  'holdout-4.yaml': { type: 80.0, tier: 84.6, team: 81.5, urgency: 95.4 },
  // as first written; with the two teams later aligned to eval-set.yaml's convention, tier 69.2%, team 66.2%
  'holdout-5.yaml': { type: 60.0, tier: 67.7, team: 64.6, urgency: 90.8 },
  'holdout-6.yaml': { type: 89.4, tier: 90.9, team: 90.9, urgency: 98.5 },
  'holdout-7.yaml': { type: 87.5, tier: 92.2, team: 90.6, urgency: 100 },
  'holdout-8.yaml': { type: 85.5, tier: 85.5, team: 83.9, urgency: 95.2 },
  'holdout-9.yaml': { type: 90.0, tier: 96.7, team: 93.3, urgency: 93.3 },
  // as first written; with the one label later aligned to eval-set.yaml's convention, type was 86.7%
  'holdout-10.yaml': { type: 85.0, tier: 83.3, team: 81.7, urgency: 98.3 },
  'holdout-11.yaml': { type: 71.7, tier: 78.3, team: 75.0, urgency: 95.0 },
  'holdout-12.yaml': { type: 93.3, tier: 96.7, team: 95.0, urgency: 98.3 },
  // intent stress set (62 contacts): requests worded as problems, how-tos naming systems, data asks vs data faults
  'holdout-13.yaml': { type: 83.9, tier: 93.5, team: 93.5, urgency: 100 },
  // written after the intent rework tuned on holdout-13 and scored once, untuned (the old rules: type 90.0%)
  'holdout-14.yaml': { type: 92.5, tier: 95.0, team: 95.0, urgency: 95.0 },
  // an ordinary week, written by someone who had not seen the rules (scored untuned)
  'holdout-15.yaml': { type: 90.0, tier: 88.3, team: 85.0, urgency: 93.3 },
  // deliberately indirect: requests worded as questions, vague reports, two domains (scored untuned)
  'holdout-16.yaml': { type: 61.7, tier: 78.3, team: 75.0, urgency: 91.7 },
  // an ordinary week, never tuned on: the same score before and after the tuning on holdout-15 and 16
  'holdout-17.yaml': { type: 71.7, tier: 80.0, team: 78.3, urgency: 88.3 },
  // an ordinary week, written after the last rule change and scored once, never tuned on
  'holdout-18.yaml': { type: 83.3, tier: 83.3, team: 76.7, urgency: 93.3 },
  // written by a helper who read only eval-set.yaml, scored once by the whole router (rules and the learned
  // layer taught by the 1,763 examples then shipped): type 95.0%, tier 96.7%, team 93.3%, urgency 91.7%
  'holdout-19.yaml': { type: 75.0, tier: 76.7, team: 70.0, urgency: 90.0 },
};

/**
 * Batches the rules were never tuned on: 17 (a tuning round on 15 and 16 left its score as it was), 18
 * and 19 (written after the last rule change), and extra-<n> (training material written by helpers who
 * had not seen the rules, added with no rule change). On these the rules alone show what new traffic gets.
 */
const neverTuned = (f: string) => /^(holdout-1[789]|extra-\d+)\.yaml$/.test(basename(f));
const tuned = files.filter((f) => !neverTuned(f));
const fresh = files.filter(neverTuned);

const pooled = (scores: EvalScore[]) => {
  const n = scores.reduce((s, x) => s + x.n, 0);
  const mean = (k: 'type' | 'tier' | 'team' | 'urgency') => Math.round((10 * scores.reduce((s, x) => s + x[k] * x.n, 0)) / n) / 10;
  return { n, type: mean('type'), tier: mean('tier'), team: mean('team'), urgency: mean('urgency') };
};
const line = (s: Pick<EvalScore, 'type' | 'tier' | 'team' | 'urgency'>) => `type ${s.type}%, tier ${s.tier}%, team ${s.team}%, urgency ${s.urgency}%`;

describe('routing accuracy on the labelled examples', () => {
  it('has at least 150 contacts in both languages', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => /[\u4e00-\u9fff]/.test(c.subject + c.body)).length).toBeGreaterThan(60);
    expect(cases.filter((c) => !/[\u4e00-\u9fff]/.test(c.subject + c.body)).length).toBeGreaterThan(60);
  });

  it('the rules alone, on the contacts they were tuned on, get type ≥95%, tier and team ≥90%, urgent vs everyday ≥90%', () => {
    for (const f of files) {
      const s = evaluate(readCases(f), rulesOnly);
      const pre = PRE_TUNING[basename(f)];
      const before = pre ? ` (before tuning on it: ${line(pre)})` : '';
      console.info(`rules alone, ${basename(f)}: ${s.n} contacts: ${line(s)}${before}`);
    }
    const r = evaluate(tuned.flatMap((f) => readCases(f)), rulesOnly);
    console.info(`rules alone on the ${r.n} contacts they were tuned on: ${line(r)}`);
    if (r.misses.length) console.info(`misses:\n${r.misses.join('\n')}`);
    expect(r.type).toBeGreaterThanOrEqual(95);
    expect(r.tier).toBeGreaterThanOrEqual(90);
    expect(r.team).toBeGreaterThanOrEqual(90);
    expect(r.urgency).toBeGreaterThanOrEqual(90);
    // routing ~3,000 contacts twice takes 20-40 s on the shared 2-core machine
  }, 180_000);

  // Each batch scored by a router that learned from every other batch, never from it: text it never saw.
  it('with the examples, each batch scored leave-one-out: as good where the rules were tuned, far better where they never were', () => {
    const scores = new Map(files.map((f) => [basename(f), evaluate(readCases(f), routerWithout(f))] as const));
    for (const [f, s] of scores) console.info(`with examples (leave-one-out), ${f}: ${s.n} contacts: ${line(s)}`);
    const all = pooled([...scores.values()]);
    console.info(`with examples (leave-one-out) on all ${all.n} contacts: ${line(all)}`);
    const onTuned = pooled(tuned.map((f) => scores.get(basename(f))!));
    console.info(`with examples (leave-one-out) on the ${onTuned.n} contacts the rules were tuned on: ${line(onTuned)}`);
    expect(onTuned.type).toBeGreaterThanOrEqual(95);
    expect(onTuned.tier).toBeGreaterThanOrEqual(90);
    expect(onTuned.team).toBeGreaterThanOrEqual(90);
    expect(onTuned.urgency).toBeGreaterThanOrEqual(90);
    const learned = pooled(fresh.map((f) => scores.get(basename(f))!));
    const rules = pooled(fresh.map((f) => evaluate(readCases(f), rulesOnly)));
    console.info(`the ${rules.n} contacts the rules were never tuned on: rules alone ${line(rules)}; with examples ${line(learned)}`);
    expect(learned.type).toBeGreaterThanOrEqual(rules.type + 10);
    expect(learned.team).toBeGreaterThanOrEqual(rules.team + 10);
    expect(learned.urgency).toBeGreaterThanOrEqual(rules.urgency);
    // One model trained per batch (about 40 of them): CPU-bound, and minutes on a busy two-core machine.
  }, 600_000);
});
