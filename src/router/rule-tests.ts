import { z } from 'zod';
import type { ConfigSource } from '../config/yaml.js';
import { CHANNELS, type Channel } from '../intake/record.js';
import { level, priority, tier } from './config-schema.js';
import type { Router } from './route.js';
import type { RequesterProfile, RouteDecision, RouteInput } from './types.js';

const instant = z.union([z.string().datetime({ offset: true }), z.date().transform((d) => d.toISOString())]);

const ruleTestCaseSchema = z.strictObject({
  name: z.string().min(1),
  channel: z.enum(CHANNELS).default('email'),
  /** An email, E.164 phone or Slack id looked up in directory.yaml. */
  from: z.string().optional(),
  /** Attributes to use (or to override the directory's) without a directory entry. */
  requester: z
    .strictObject({ department: z.string().optional(), vip: z.boolean().optional(), location: z.string().optional(), language: z.enum(['zh', 'en']).optional() })
    .optional(),
  subject: z.string().default(''),
  body: z.string().default(''),
  meta: z.record(z.string(), z.string()).default({}),
  at: instant.optional(),
  expect: z
    .strictObject({
      type: z.string().optional(),
      category: z.string().optional(),
      service: z.string().optional(),
      impact: level.optional(),
      urgency: level.optional(),
      priority: priority.optional(),
      tier: tier.optional(),
      team: z.string().optional(),
      slaPolicy: z.string().optional(),
      /** Tags that must be present (others may be too). */
      tags: z.array(z.string()).optional(),
      respondBy: instant.optional(),
      resolveBy: instant.optional(),
    })
    .refine((e) => Object.keys(e).length > 0, 'expect at least one field'),
});

export const ruleTestsFileSchema = z.strictObject({
  /** Default time of the cases (ISO with offset); the run's clock when absent. */
  at: instant.optional(),
  cases: z.array(ruleTestCaseSchema).min(1),
});
export type RuleTestsFile = z.output<typeof ruleTestsFileSchema>;

export interface RuleTestFailure {
  name: string;
  index: number;
  line?: number;
  differences: Array<{ field: string; expected: unknown; actual: unknown }>;
  decision: RouteDecision;
}

/** A case on which the examples (rules.yaml `learning`) overruled what the rules decided. */
export interface RuleTestOverruled {
  name: string;
  line?: number;
  fields: Array<{ field: string; rules: unknown; examples: unknown }>;
}

export interface RuleTestReport {
  passed: number;
  failed: RuleTestFailure[];
  /** Passing or not: a rule change the examples contradict shows here, not as a failure. */
  overruled: RuleTestOverruled[];
}

/** The fields the learned layer changed, with the rules' value (marked on the entry it replaced). */
function overruledFields(decision: RouteDecision): RuleTestOverruled['fields'] {
  return decision.trace.flatMap((t) =>
    Object.entries(t.overriddenBy ?? {})
      .filter(([, by]) => by === '@learned')
      .map(([field]) => ({ field, rules: t.set[field], examples: decision[field as keyof RouteDecision] })),
  );
}

export interface RuleTestOptions {
  /** The directory's profile of `from` writing in on `channel`. */
  resolveRequester?: (from: string, channel: Channel) => RequesterProfile | undefined;
  source?: ConfigSource;
  now?: Date;
}

const sameInstant = (a: string, b: string) => new Date(a).getTime() === new Date(b).getTime();

/** Routes every case and compares the fields it expects; a failure lists each differing field. */
export function runRuleTests(router: Router, file: RuleTestsFile, opts: RuleTestOptions = {}): RuleTestReport {
  const failed: RuleTestFailure[] = [];
  const overruled: RuleTestOverruled[] = [];
  let passed = 0;
  file.cases.forEach((c, index) => {
    const known = c.from ? opts.resolveRequester?.(c.from, c.channel) : undefined;
    const requester = known || c.requester ? { ...known, ...c.requester } : undefined;
    const at = c.at ?? file.at;
    const input: RouteInput = { record: { channel: c.channel, subject: c.subject, body: c.body, meta: c.meta, ...(at ? { receivedAt: at } : {}) }, requester };
    const decision = router.route(input, opts.now);
    const differences: RuleTestFailure['differences'] = [];
    for (const [field, expected] of Object.entries(c.expect)) {
      const actual = decision[field as keyof RouteDecision];
      const ok =
        field === 'tags'
          ? (expected as string[]).every((t) => decision.tags.includes(t))
          : field === 'respondBy' || field === 'resolveBy'
            ? sameInstant(String(expected), String(actual))
            : expected === actual;
      if (!ok) differences.push({ field, expected, actual });
    }
    const line = opts.source?.lineOf(['cases', index]);
    if (differences.length) failed.push({ name: c.name, index, line, differences, decision });
    else passed++;
    const fields = overruledFields(decision);
    if (fields.length) overruled.push({ name: c.name, line, fields });
  });
  return { passed, failed, overruled };
}

/** A readable difference per failing case: `rules.test.yaml:12: "vpn down": team expected network, got desktop`. */
export function formatRuleTestReport(report: RuleTestReport, file = 'rules.test.yaml'): string {
  const total = report.passed + report.failed.length;
  const lines = report.failed.flatMap((f) => [
    `${file}${f.line ? `:${f.line}` : ''}: case "${f.name}" failed`,
    ...f.differences.map((d) => `    ${d.field}: expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.actual)}`),
    `    because: ${f.decision.reason}`,
  ]);
  for (const o of report.overruled) {
    const what = o.fields.map((f) => `${f.field} ${JSON.stringify(f.examples)} (the rules say ${JSON.stringify(f.rules)})`).join(', ');
    lines.push(`${file}${o.line ? `:${o.line}` : ''}: case "${o.name}": the examples overruled the rules: ${what}`);
  }
  const overruled = report.overruled.length ? `; on ${report.overruled.length} the examples overruled the rules (change the examples too, or give the rule stop: true)` : '';
  lines.push(`${report.passed}/${total} rule tests passed${overruled}`);
  return lines.join('\n');
}
