import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { Channel } from '../../src/intake/record.js';
import { createRouter, loadRouterConfig, type Router } from '../../src/router/index.js';
import { CONFIG_DIR, defaultDirectory } from './helpers.js';

/** One labelled contact of an evaluation fixture (eval-set.yaml, holdout-*.yaml). */
export interface EvalCase {
  channel: Channel;
  from?: string;
  subject: string;
  body: string;
  meta?: Record<string, string>;
  expect: { type: string; team: string; urgent: boolean };
}

/** Percentages (one decimal) over `n` contacts, plus one line per contact that missed anything. */
export interface EvalScore {
  n: number;
  type: number;
  tier: number;
  team: number;
  urgency: number;
  /** Of the contacts labelled urgent, how many were raised to P1/P2 (null when none is labelled urgent). */
  urgentRaised: number | null;
  /** Of the everyday contacts, how many were kept below P2 (null when every contact is urgent). */
  everydayKept: number | null;
  /** How many contacts are labelled urgent. */
  urgentN: number;
  misses: string[];
}

export function readCases(file: string): EvalCase[] {
  return parse(readFileSync(file, 'utf8')).cases;
}

const config = loadRouterConfig(CONFIG_DIR);
/** The shipped rules without the learned layer. */
export const rulesOnly: Router = createRouter({ ...config, examples: [] });

/**
 * Example files one person wrote together (extra-<n>, by the helpers who wrote them): a batch is scored by
 * a model that saw none of its writer's other batches, so it does not learn a writer's habits and then
 * meet them again.
 */
const SAME_WRITER = [
  ...[[1, 2, 3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13, 14], [15, 16]].map((g) => g.map((n) => `extra-${n}.yaml`)),
  // the desk lead's real-traffic batches (issue 18)
  [1, 2, 3, 4].map((n) => `realtraffic-${n}.yaml`),
];
const writtenWith = (file: string) => SAME_WRITER.find((g) => g.includes(basename(file))) ?? [basename(file)];

/**
 * The shipped configuration with the learned layer taught by every example file but `file` and the other
 * files its writer wrote: how it does on a batch it never saw. Rules alone when `file` is not an example.
 */
export function routerWithout(file: string): Router {
  const left = writtenWith(file);
  return createRouter({ ...config, examples: (config.examples ?? []).filter((e) => !left.includes(basename(e.source.file))) });
}

/** The example files the shipped configuration learns from. */
export const exampleFiles: string[] = (config.examples ?? []).map((e) => e.source.file);

/** Routes the contacts with `router` and scores type, tier, team and urgency. */
export function evaluate(cases: EvalCase[], router: Router): EvalScore {
  const directory = defaultDirectory();
  const now = new Date('2026-03-04T03:00:00Z');
  const misses: string[] = [];
  const score = { type: 0, tier: 0, team: 0, urgency: 0, urgentRaised: 0, everydayKept: 0, urgentN: 0 };
  for (const c of cases) {
    const requester = c.from ? directory.profile(c.from.startsWith('+') ? { phone: c.from } : { email: c.from }, c.channel) : undefined;
    const d = router.route({ record: { channel: c.channel, subject: c.subject, body: c.body, meta: c.meta ?? {} }, requester }, now);
    const expectedTier = router.gateway.teams.get(c.expect.team)?.tier;
    const urgent = d.priority === 'P1' || d.priority === 'P2';
    score.type += Number(d.type === c.expect.type);
    score.team += Number(d.team === c.expect.team);
    score.tier += Number(d.tier === expectedTier);
    score.urgency += Number(urgent === c.expect.urgent);
    score.urgentN += Number(c.expect.urgent);
    score.urgentRaised += Number(c.expect.urgent && urgent);
    score.everydayKept += Number(!c.expect.urgent && !urgent);
    if (d.type !== c.expect.type || d.team !== c.expect.team || urgent !== c.expect.urgent) {
      const text = `${c.subject} ${c.body}`.replace(/\s+/g, ' ').trim().slice(0, 70);
      misses.push(`${text} | want ${c.expect.type}/${c.expect.team}/${c.expect.urgent ? 'urgent' : 'everyday'} got ${d.type}/${d.team}/${d.priority} | ${d.reason}`);
    }
  }
  const pct = (n: number, of = cases.length) => Math.round((1000 * n) / of) / 10;
  const everydayN = cases.length - score.urgentN;
  return {
    n: cases.length,
    type: pct(score.type),
    tier: pct(score.tier),
    team: pct(score.team),
    urgency: pct(score.urgency),
    urgentRaised: score.urgentN ? pct(score.urgentRaised, score.urgentN) : null,
    everydayKept: everydayN ? pct(score.everydayKept, everydayN) : null,
    urgentN: score.urgentN,
    misses,
  };
}

// `npx tsx tests/router/eval-score.ts <cases.yaml>…` prints each file's score and misses, by the rules alone
// and with the learned layer taught by every other example file.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of process.argv.slice(2)) {
    for (const [name, router] of [['rules alone', rulesOnly], ['with examples', routerWithout(file)]] as const) {
      const r = evaluate(readCases(file), router);
      console.log(
        `${file}, ${name}: ${r.n} contacts: type ${r.type}%, tier ${r.tier}%, team ${r.team}%, urgency ${r.urgency}%, ` +
          `urgent raised ${r.urgentRaised ?? '-'}% of ${r.urgentN}, everyday kept ${r.everydayKept ?? '-'}%`,
      );
      for (const m of r.misses) console.log(`  ${m}`);
    }
  }
}
