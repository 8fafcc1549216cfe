import type { CompiledRule, CompiledRules } from './compile-rules.js';
import type { RouteInput, TraceEntry } from './types.js';

/** What one contact offers the rules: its text once scanned, its metadata, its requester, its time. */
export interface RuleContext {
  input: RouteInput;
  /** Subject and body as written, for regular expressions. */
  raw: string;
  hits: ReadonlySet<number>;
  at: Date;
}

/** Indexes of the rules worth evaluating, in file order: those gated by a keyword that was hit, and those without keyword gates. */
function candidateRules(compiled: CompiledRules, hits: ReadonlySet<number>): number[] {
  const out = compiled.unconditional.slice();
  for (const id of hits) {
    const gated = compiled.byKeyword.get(id);
    if (gated) for (let i = 0; i < gated.length; i++) out.push(gated[i]!);
  }
  out.sort((a, b) => a - b);
  // A rule gated by several keywords that were all hit appears once per keyword: keep one.
  let n = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[i - 1]) out[n++] = out[i]!;
  out.length = n;
  return out;
}

const quoted = (compiled: CompiledRules, ids: number[]) => ids.map((id) => `"${compiled.keywordText(id)}"`).join(', ');

/**
 * Evaluates one rule. Returns why it matched (one line per condition) or undefined; the cheapest and
 * most selective conditions are checked first.
 */
function evaluateRule(rule: CompiledRule, ctx: RuleContext, compiled: CompiledRules): string[] | undefined {
  const why: string[] = [];
  const { record, requester } = ctx.input;
  if (rule.channels) {
    if (!rule.channels.has(record.channel)) return undefined;
    why.push(`channel: ${record.channel}`);
  }
  for (const group of rule.keywords) {
    if (group.any) {
      const found = group.any.filter((id) => ctx.hits.has(id));
      if (!found.length) return undefined;
      why.push(`keywords any: ${quoted(compiled, found)}`);
    }
    if (group.all) {
      if (!group.all.every((id) => ctx.hits.has(id))) return undefined;
      why.push(`keywords all: ${quoted(compiled, group.all)}`);
    }
    if (group.none?.some((id) => ctx.hits.has(id))) return undefined;
  }
  if (rule.department) {
    const dept = requester?.department?.toLowerCase();
    if (!dept || !rule.department.has(dept)) return undefined;
    why.push(`requester department: ${requester?.department}`);
  }
  if (rule.location) {
    const loc = requester?.location?.toLowerCase();
    if (!loc || !rule.location.has(loc)) return undefined;
    why.push(`requester location: ${requester?.location}`);
  }
  if (rule.vip !== undefined) {
    if ((requester?.vip ?? false) !== rule.vip) return undefined;
    why.push(rule.vip ? 'requester is VIP' : 'requester is not VIP');
  }
  if (rule.language) {
    if (requester?.language !== rule.language) return undefined;
    why.push(`requester language: ${rule.language}`);
  }
  if (rule.meta) {
    for (const [key, accepted] of rule.meta) {
      const value = record.meta?.[key];
      if (value === undefined || (accepted && !accepted.has(value.toLowerCase()))) return undefined;
      why.push(`meta ${key}: ${value}`);
    }
  }
  if (rule.regex) {
    for (const re of rule.regex) {
      const m = re.exec(ctx.raw);
      if (!m) return undefined;
      why.push(`regex /${re.source}/: "${m[0].slice(0, 60)}"`);
    }
  }
  if (rule.time) {
    if (rule.time.calendar.isOpen(ctx.at) !== rule.time.inside) return undefined;
    why.push(`time ${rule.time.inside ? 'inside' : 'outside'} ${rule.time.calendar.id} hours`);
  }
  return why;
}

const FIELDS = ['type', 'category', 'service', 'impact', 'urgency', 'tier', 'team', 'slaPolicy'] as const;
export type RuleField = (typeof FIELDS)[number];

/** What the rules decided before defaults: the fields they set, their tags, and one trace entry per matching rule. */
export interface RuleOutcome {
  state: Partial<Record<RuleField, string>>;
  tags: Set<string>;
  trace: TraceEntry[];
}

/**
 * Runs the candidate rules in file order: each match applies its `set`, a later rule overrides an
 * earlier one (recorded on the earlier entry), `stop` ends the run.
 */
export function applyRules(compiled: CompiledRules, ctx: RuleContext): RuleOutcome {
  const state: Partial<Record<RuleField, string>> = {};
  const setBy: Partial<Record<RuleField, TraceEntry>> = {};
  const tags = new Set<string>();
  const trace: TraceEntry[] = [];
  for (const index of candidateRules(compiled, ctx.hits)) {
    const rule = compiled.rules[index]!;
    const matched = evaluateRule(rule, ctx, compiled);
    if (!matched) continue;
    const entry: TraceEntry = { rule: rule.id, description: rule.description, matched, set: {} };
    for (const field of FIELDS) {
      const value = rule.set[field];
      if (value === undefined) continue;
      entry.set[field] = value;
      if (state[field] === value) continue;
      // Only a different value overrides: a later rule agreeing with an earlier one leaves the credit where it was.
      const earlier = setBy[field];
      if (earlier) (earlier.overriddenBy ??= {})[field] = rule.id;
      state[field] = value;
      setBy[field] = entry;
    }
    if (rule.set.tags?.length) {
      entry.set.tags = rule.set.tags;
      for (const t of rule.set.tags) tags.add(t);
    }
    trace.push(entry);
    if (rule.stop) {
      entry.stopped = true;
      break;
    }
  }
  return { state, tags, trace };
}
