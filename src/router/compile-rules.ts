import type { ConfigPath, ConfigSource } from '../config/yaml.js';
import type { BusinessCalendar } from './calendar.js';
import type { CompiledGateway } from './compile-gateway.js';
import type { RuleConfig, RulesFileConfig } from './config-schema.js';
import { buildMatcher, parseKeyword, type KeywordMatcher, type KeywordSpec } from './matcher.js';

/** One keyword as the automaton knows it, and how a rule author wrote it (for the trace). */
export interface KeywordRegistry {
  /** Registers a keyword; `at` is the file an empty keyword is reported in (the rules file by default). */
  add(raw: string, path: ConfigPath, at?: ConfigSource): number;
  display(id: number): string;
  build(): KeywordMatcher;
}

function createKeywordRegistry(source: ConfigSource): KeywordRegistry {
  const specs: KeywordSpec[] = [];
  const shown: string[] = [];
  const ids = new Map<string, number>();
  return {
    add(raw, path, at = source) {
      const spec = parseKeyword(raw);
      if (!spec.text) throw at.error(path, `keyword "${raw}" is empty once normalised`);
      const key = `${spec.boundaryLeft ? '|' : '*'}${spec.text}${spec.boundaryRight ? '|' : '*'}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = specs.length;
        specs.push(spec);
        shown.push(raw);
        ids.set(key, id);
      }
      return id;
    },
    display: (id) => shown[id] ?? String(id),
    build: () => buildMatcher(specs),
  };
}

/** A rule ready to evaluate: keywords are automaton ids, lists are sets, regexes are compiled. */
export interface CompiledRule {
  index: number;
  id: string;
  description: string;
  set: RuleConfig['set'];
  stop: boolean;
  channels?: ReadonlySet<string>;
  /** Keyword groups (automaton ids); every group must hold. */
  keywords: KeywordGroupIds[];
  regex?: RegExp[];
  department?: ReadonlySet<string>;
  location?: ReadonlySet<string>;
  vip?: boolean;
  language?: string;
  /** Metadata key → accepted values (lower-cased); `null` accepts any value that is present. */
  meta?: Array<[string, ReadonlySet<string> | null]>;
  time?: { calendar: BusinessCalendar; inside: boolean };
}

export interface KeywordGroupIds {
  any?: number[];
  all?: number[];
  none?: number[];
}

/** A keyword used outside rules: a priority raise or a fault word of the fallback. */
export interface KeywordGroup<T> {
  ids: number[];
  /** Keywords whose presence cancels the group. */
  unless: number[];
  value: T;
}

export interface CompiledRules {
  rules: CompiledRule[];
  matcher: KeywordMatcher;
  keywordText(id: number): string;
  /** Keyword id → indexes of rules that need it (their `any` list, or the first of `all`). */
  byKeyword: ReadonlyMap<number, number[]>;
  /** Rules with no positive keyword condition: candidates for every contact. */
  unconditional: number[];
  priorityWords: Array<KeywordGroup<{ signal?: string; impact?: string; urgency?: string; types?: ReadonlySet<string>; onlyWithImpact?: string; patterns: RegExp[] }>>;
  faultWords: number[];
  fallback: RulesFileConfig['fallback'];
}

const lowerSet = (values: string[] | undefined) => (values ? new Set(values.map((v) => v.toLowerCase())) : undefined);

function checkReferences(rule: RuleConfig, path: ConfigPath, gw: CompiledGateway, source: ConfigSource): void {
  const { set } = rule;
  if (set.type && !gw.types.has(set.type)) throw source.error([...path, 'set', 'type'], `unknown type "${set.type}" (known: ${[...gw.types.keys()].join(', ')})`);
  if (set.team && !gw.teams.has(set.team)) throw source.error([...path, 'set', 'team'], `unknown team "${set.team}" (known: ${[...gw.teams.keys()].join(', ')})`);
  if (set.slaPolicy && !gw.sla.has(set.slaPolicy)) throw source.error([...path, 'set', 'slaPolicy'], `unknown SLA policy "${set.slaPolicy}"`);
  const teamTier = set.team ? gw.teams.get(set.team)?.tier : undefined;
  if (set.tier && teamTier && set.tier !== teamTier) throw source.error([...path, 'set', 'tier'], `team "${set.team}" is ${teamTier}, not ${set.tier}`);
}

function compileRule(rule: RuleConfig, index: number, gw: CompiledGateway, keywords: KeywordRegistry, source: ConfigSource): CompiledRule {
  const path = ['rules', index];
  checkReferences(rule, path, gw, source);
  const { when } = rule;
  const groups = when.keywords === undefined ? [] : Array.isArray(when.keywords) ? when.keywords : [when.keywords];
  const groupPath = (g: number): ConfigPath => [...path, 'when', 'keywords', ...(Array.isArray(when.keywords) ? [g] : [])];
  const keywordGroups = groups.map((group, g) => {
    const ids = (list: string[] | undefined, name: string) => list?.map((w, j) => keywords.add(w, [...groupPath(g), name, j]));
    return { any: ids(group.any, 'any'), all: ids(group.all, 'all'), none: ids(group.none, 'none') };
  });
  const regex = when.regex?.map((r, j) =>
    compileRegex(r, 'imu', (msg) => source.error([...path, 'when', 'regex', ...(when.regex!.length > 1 ? [j] : [])], msg)),
  );
  let time: CompiledRule['time'];
  if (when.time) {
    const { inside, outside } = when.time;
    if ((inside === undefined) === (outside === undefined)) throw source.error([...path, 'when', 'time'], 'expected exactly one of inside, outside');
    const name = (inside ?? outside)!;
    const calendar = gw.calendars.get(name);
    if (!calendar) throw source.error([...path, 'when', 'time', inside ? 'inside' : 'outside'], `unknown calendar "${name}"`);
    time = { calendar, inside: inside !== undefined };
  }
  return {
    index,
    id: rule.id,
    description: rule.description,
    set: rule.set,
    stop: rule.stop,
    channels: when.channel ? new Set(when.channel) : undefined,
    keywords: keywordGroups,
    regex,
    department: lowerSet(when.requester?.department),
    location: lowerSet(when.requester?.location),
    vip: when.requester?.vip,
    language: when.requester?.language,
    meta: when.meta ? Object.entries(when.meta).map(([k, v]) => [k, v.includes('*') ? null : new Set(v.map((x) => x.toLowerCase()))]) : undefined,
    time,
  };
}

/**
 * Compiles rules.yaml against the compiled gateway: checks every reference, puts every keyword (rules,
 * priority raises, fault words) in one automaton and indexes rules by the keywords that gate them.
 */
export function compileRules(file: RulesFileConfig, gw: CompiledGateway, source: ConfigSource, gatewaySource: ConfigSource): CompiledRules {
  const keywords = createKeywordRegistry(source);
  const seen = new Map<string, number>();
  const rules = file.rules.map((rule, i) => {
    const first = seen.get(rule.id);
    if (first !== undefined) throw source.error(['rules', i, 'id'], `duplicate rule id "${rule.id}" (first at rules[${first}])`);
    seen.set(rule.id, i);
    return compileRule(rule, i, gw, keywords, source);
  });

  const byKeyword = new Map<number, number[]>();
  const unconditional: number[] = [];
  for (const rule of rules) {
    // One positive group is enough to gate on: the rule cannot match unless one of its keywords was hit.
    const group = rule.keywords.find((g) => g.any || g.all);
    const gate = group?.any ?? group?.all?.slice(0, 1);
    if (!gate) {
      unconditional.push(rule.index);
      continue;
    }
    for (const id of new Set(gate)) {
      const list = byKeyword.get(id);
      if (list) list.push(rule.index);
      else byKeyword.set(id, [rule.index]);
    }
  }

  for (const [key, type] of [['type', file.fallback.type], ['faultType', file.fallback.faultType]] as const) {
    if (!gw.types.has(type)) throw source.error(['fallback', key], `unknown type "${type}"`);
  }
  const priorityWords = gw.config.priority.words.map((raise, i) => {
    return {
      ids: raise.words.map((w, j) => keywords.add(w, ['priority', 'words', i, 'words', j], gatewaySource)),
      unless: raise.unless.map((w, j) => keywords.add(w, ['priority', 'words', i, 'unless', j], gatewaySource)),
      value: {
        signal: raise.signal,
        impact: raise.impact,
        urgency: raise.urgency,
        types: raise.types ? new Set(raise.types) : undefined,
        onlyWithImpact: raise.onlyWithImpact,
        patterns: raise.patterns.map((r, j) => compileRegex(r, 'iu', (msg) => gatewaySource.error(['priority', 'words', i, 'patterns', j], msg))),
      },
    };
  });
  const faultWords = file.fallback.faultWords.map((w, j) => keywords.add(w, ['fallback', 'faultWords', j]));

  return {
    rules,
    matcher: keywords.build(),
    keywordText: keywords.display,
    byKeyword,
    unconditional,
    priorityWords,
    faultWords,
    fallback: file.fallback,
  };
}

/** A configured regular expression, or the config error (file, line) that names why it does not compile. */
function compileRegex(pattern: string, flags: string, fail: (message: string) => Error): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    throw fail(`bad regular expression: ${(err as Error).message}`);
  }
}
