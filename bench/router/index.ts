/**
 * Router benchmark: spoc's compiled router against json-rules-engine on the same generated rule sets
 * (10 … 10,000 rules with keyword and department conditions) over the same contacts, in one run.
 * Run with `npx tsx bench/router/index.ts`.
 */
import { fileURLToPath } from 'node:url';
import { Engine } from 'json-rules-engine';
import { createRouter, loadRouterConfig } from '../../src/router/index.js';
import { generateContacts, generateRules, toSpocRules, type BenchContact, type BenchRule } from './generate.js';

const SIZES = [10, 100, 1_000, 10_000];
const CONTACTS = 1_000;
/** json-rules-engine evaluates every rule per contact; these caps keep the whole run near a minute. */
const JRE_ITERATIONS: Record<number, number> = { 10: 2_000, 100: 1_000, 1_000: 200, 10_000: 25 };
const SPOC_ITERATIONS = 20_000;
const NOW = new Date('2026-03-04T02:00:00Z');

const shipped = loadRouterConfig(fileURLToPath(new URL('../../config', import.meta.url)));
const { gateway } = shipped;

interface Result {
  perSecond: number;
  p99us: number;
  matched: number[];
}

function summarize(durations: number[], matched: number[]): Result {
  const total = durations.reduce((a, b) => a + b, 0);
  const sorted = durations.slice().sort((a, b) => a - b);
  return { perSecond: durations.length / (total / 1e9), p99us: sorted[Math.floor(sorted.length * 0.99)]! / 1e3, matched };
}

/** Nanoseconds of each of SPOC_ITERATIONS calls of `route`, over the contacts in turn, after a warm-up. */
function timeEach<C>(contacts: readonly C[], route: (c: C) => unknown): number[] {
  for (let i = 0; i < 2_000; i++) route(contacts[i % contacts.length]!);
  const durations: number[] = [];
  for (let i = 0; i < SPOC_ITERATIONS; i++) {
    const c = contacts[i % contacts.length]!;
    const t0 = process.hrtime.bigint();
    route(c);
    durations.push(Number(process.hrtime.bigint() - t0));
  }
  return durations;
}

function benchSpoc(rules: BenchRule[], contacts: BenchContact[]): Result {
  const router = createRouter({ gateway, rules: toSpocRules(rules), ...(shipped.services ? { services: shipped.services } : {}) });
  const route = (c: BenchContact) => router.route({ record: { channel: 'email', subject: '', body: c.text, meta: {} }, requester: { department: c.department } }, NOW);
  const matched = contacts.map((c) => route(c).tags.length);
  return summarize(timeEach(contacts, route), matched);
}

async function benchJre(rules: BenchRule[], contacts: BenchContact[], iterations: number): Promise<Result> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator('containsAny', (text: string, words: string[]) => words.some((w) => text.includes(w)));
  for (const r of rules) {
    const all: Array<{ fact: string; operator: string; value: unknown }> = [{ fact: 'text', operator: 'containsAny', value: r.keywords }];
    if (r.department) all.push({ fact: 'department', operator: 'equal', value: r.department });
    engine.addRule({ name: r.id, conditions: { all }, event: { type: r.id } });
  }
  const run = (c: BenchContact) => engine.run({ text: c.text.toLowerCase(), department: c.department });
  const matched: number[] = [];
  for (const c of contacts.slice(0, Math.min(contacts.length, iterations))) matched.push((await run(c)).events.length);
  const durations: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const c = contacts[i % contacts.length]!;
    const t0 = process.hrtime.bigint();
    await run(c);
    durations.push(Number(process.hrtime.bigint() - t0));
  }
  return summarize(durations, matched);
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * The shipped rules over the text of the shipped labelled examples, alone and with the learned layer those
 * examples teach: what learning costs per contact.
 */
function benchShipped(): { rulesAlone: Result; learned: Result } {
  const contacts = (shipped.examples ?? []).flatMap((f) => f.value.cases);
  const time = (router: ReturnType<typeof createRouter>): Result =>
    summarize(
      timeEach(contacts, (c) => router.route({ record: { channel: c.channel, subject: c.subject, body: c.body, meta: c.meta } }, NOW)),
      [],
    );
  return { rulesAlone: time(createRouter({ ...shipped, examples: [] })), learned: time(createRouter(shipped)) };
}

async function main() {
  const started = Date.now();
  const rows: string[] = [];
  const spocCost: Record<number, number> = {};
  let ratioAt1000 = 0;
  for (const size of SIZES) {
    const rules = generateRules(size);
    const contacts = generateContacts(rules, CONTACTS);
    const spoc = benchSpoc(rules, contacts);
    const jre = await benchJre(rules, contacts, JRE_ITERATIONS[size]!);
    // Both engines must agree on how many rules each contact matched, or the comparison means nothing.
    const disagreements = jre.matched.filter((n, i) => n !== spoc.matched[i]).length;
    if (disagreements) throw new Error(`${size} rules: the engines disagree on ${disagreements} contacts`);
    const ratio = spoc.perSecond / jre.perSecond;
    if (size === 1_000) ratioAt1000 = ratio;
    spocCost[size] = 1 / spoc.perSecond;
    rows.push(`| ${fmt(size).padStart(6)} | ${fmt(spoc.perSecond).padStart(12)} | ${fmt(spoc.p99us, 1).padStart(10)} | ${fmt(jre.perSecond).padStart(12)} | ${fmt(jre.p99us, 1).padStart(12)} | ${fmt(ratio, 1).padStart(8)}× |`);
  }
  console.log(`router benchmark: ${CONTACTS} generated contacts (EN/ZH), same rules and contacts for both engines; spoc = full route() incl. priority, SLA due times and trace`);
  console.log('| rules  | spoc cont./s | spoc p99 µs | json-rules-engine cont./s | jre p99 µs | spoc ÷ jre |'.replace('json-rules-engine cont./s', '  jre cont./s'));
  console.log('|-------:|-------------:|------------:|-------------:|-------------:|----------:|');
  for (const row of rows) console.log(row);
  const growth = spocCost[10_000]! / spocCost[10]!;
  console.log(`goal 1: at 1,000 rules spoc is ${fmt(ratioAt1000, 1)}× json-rules-engine (goal ≥ 200×): ${ratioAt1000 >= 200 ? 'met' : 'NOT met'}`);
  console.log(`goal 2: spoc's cost per contact at 10,000 rules is ${fmt(growth, 2)}× its cost at 10 rules (goal ≤ 3×): ${growth <= 3 ? 'met' : 'NOT met'}`);
  const { rulesAlone, learned } = benchShipped();
  const us = (r: Result) => fmt(1e6 / r.perSecond, 1);
  console.log(
    `shipped config (${shipped.rules.rules.length} rules) on the ${fmt((shipped.examples ?? []).reduce((n, f) => n + f.value.cases.length, 0))} labelled examples' text: ` +
      `rules alone ${us(rulesAlone)} µs/contact (p99 ${fmt(rulesAlone.p99us, 1)}), with the learned layer ${us(learned)} µs/contact (p99 ${fmt(learned.p99us, 1)})`,
  );
  console.log(`node ${process.version}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

await main();
