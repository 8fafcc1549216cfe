import { inlineSource, type ConfigSource } from '../config/yaml.js';
import { addBusinessMinutes } from './calendar.js';
import { compileGateway, type CompiledGateway } from './compile-gateway.js';
import { compileRules, type CompiledRules } from './compile-rules.js';
import type { ExamplesFileConfig, RouterGatewayConfig, RulesFileConfig } from './config-schema.js';
import { applyRules } from './evaluate.js';
import { normalizeText } from './matcher.js';
import { foldTraditional } from './traditional.js';
import { computePriority } from './priority.js';
import { contactFeatures, trainModel, type FeatureKey, type LearnedModel, type RulesView } from './learned.js';
import { SpocError } from '../shared/errors.js';
import { foreignLanguage } from './language.js';
import { newText } from './new-text.js';
import { compileServices, serviceDecision, type ServiceCatalogue, type ServiceConfig, type ServicesFileConfig } from './services.js';
import type { Level, Priority, RouteDecision, RouteInput, Tier, TraceEntry } from './types.js';

/** Parsed configuration, with the sources that locate later errors (file and line) when it came from files. */
export interface RouterConfig {
  gateway: RouterGatewayConfig;
  rules: RulesFileConfig;
  sources?: { gateway?: ConfigSource; rules?: ConfigSource };
  /** Labelled contacts that teach the learned layer (rules.yaml `learning`); none means rules alone. */
  examples?: ReadonlyArray<{ value: ExamplesFileConfig; source: ConfigSource }>;
  /** The service catalogue (services.yaml); none means no service routing. */
  services?: { value: ServicesFileConfig; source: ConfigSource };
}

/** A compiled router. `route` is pure: the same input and `now` always give the same decision. */
export interface Router {
  /** `now` is the contact's time when the record has no `receivedAt`. */
  route(input: RouteInput, now?: Date): RouteDecision;
  gateway: CompiledGateway;
  rules: CompiledRules;
  /** The service catalogue (services.yaml), when there is one. */
  services?: ServiceCatalogue;
  /**
   * The decision with the impact or urgency `entry` sets raised after routing (volume), its priority and
   * SLA due times recomputed from `at`, and `entry` on its trace; the same decision when that raises nothing.
   */
  raise(decision: RouteDecision, entry: TraceEntry, at: Date): RouteDecision;
  /** How many labelled examples taught the learned layer, and how many features it knows; absent when off. */
  learned?: { examples: number; features: number };
}

/**
 * Examples carry no time: they are routed as on a working morning (Wednesday 4 March 2026, 11:00 in
 * Shanghai), so rules with time conditions teach the same thing on every start.
 */
const EXAMPLE_TIME = new Date('2026-03-04T03:00:00Z');

function summarize(d: Omit<RouteDecision, 'reason'>): string {
  const rules = d.trace.filter((t) => !t.rule.startsWith('@')).map((t) => t.rule);
  const raises = d.trace.filter((t) => (t.rule === '@priority' || t.rule === '@volume') && Object.keys(t.set).length).map((t) => t.matched.join('; '));
  const head = rules.length ? rules.join(' + ') : 'no rule matched';
  const fallback = d.trace.some((t) => t.rule === '@fallback') ? ' (fallback type)' : '';
  const learned = d.trace.find((t) => t.rule === '@learned');
  const taught = learned ? `; ${Object.keys(learned.set).join(' and ')} from the examples` : '';
  return `${head} → ${d.type}${fallback} ${d.priority} ${d.tier}/${d.team}${taught}${raises.length ? `; raised by ${raises.join('; ')}` : ''}`;
}

/** Compiles the configuration once (throws ConfigError with file and line) and returns the router. */
export function createRouter(config: RouterConfig): Router {
  const gatewaySource = config.sources?.gateway ?? inlineSource('gateway.yaml');
  const rulesSource = config.sources?.rules ?? inlineSource('rules.yaml');
  const gw = compileGateway(config.gateway, gatewaySource);
  const compiled = compileRules(config.rules, gw, rulesSource, gatewaySource);
  const { tiers } = gw.config;
  const catalogue = config.services ? compileServices(config.services.value, gw, config.services.source) : undefined;

  /** Type and team as the rules (and their fallbacks) decide them, with what the rest of routing needs. */
  function byRules(input: RouteInput, at: Date) {
    const { record } = input;
    // Regular expressions see the script-folded text too, so a rule's Chinese matches in either script.
    const fresh = newText(record.body ?? '');
    const raw = foldTraditional(`${record.subject ?? ''}\n${fresh.text}`);
    const norm = normalizeText(raw);
    const hits = compiled.matcher.scan(norm);
    const { state, tags, trace } = applyRules(compiled, { input, raw, hits, at });
    if (fresh.removed.length) trace.unshift({ rule: '@new-text', description: 'routed on the new text of the contact', matched: [`left out: ${fresh.removed.join(', ')}`], set: {} });

    let type = state.type;
    if (!type) {
      const faults = compiled.faultWords.filter((id) => hits.has(id));
      type = faults.length ? compiled.fallback.faultType : compiled.fallback.type;
      const why = faults.length ? `fault words: ${faults.map((id) => `"${compiled.keywordText(id)}"`).join(', ')}` : 'no rule set a type and no fault words';
      trace.push({ rule: '@fallback', description: 'type when no rule sets one', matched: [why], set: { type } });
    }

    let team = state.team;
    if (!team) {
      const tier = state.tier as Tier | undefined;
      const typeTeam = gw.types.get(type)!.team;
      team = tier ? tiers[tier].defaultTeam : (typeTeam ?? tiers.L1.defaultTeam);
      const why = tier ? `default team of ${tier}` : typeTeam ? `default team of type ${type}` : 'default team of L1';
      trace.push({ rule: '@assign', description: 'team when no rule names one', matched: [why], set: { team } });
    }
    return { raw, norm, hits, state, tags, trace, type, team };
  }

  /** What the learned layer sees of the rules' decision. */
  function viewOf({ state, trace, type, team }: ReturnType<typeof byRules>): RulesView {
    return { rules: trace.filter((t) => !t.rule.startsWith('@')).map((t) => t.rule), type, typeFallback: !state.type, team, teamDefault: !state.team };
  }

  const learned = config.rules.learning && config.examples?.length ? learn(config.examples, config.rules.learning.smoothing) : undefined;

  /** Trains the type and team models on the examples, each seen through the rules as a contact would be. */
  function learn(files: NonNullable<RouterConfig['examples']>, smoothing: number): LearnedModel | undefined {
    const rows: Array<{ features: Set<FeatureKey>; labels: { type: string; team: string } }> = [];
    for (const { value, source } of files) {
      value.cases.forEach((c, i) => {
        if (!gw.types.has(c.expect.type)) throw source.error(['cases', i, 'expect', 'type'], `unknown type "${c.expect.type}"`);
        if (!gw.teams.has(c.expect.team)) throw source.error(['cases', i, 'expect', 'team'], `unknown team "${c.expect.team}"`);
        const decided = byRules({ record: { channel: c.channel, subject: c.subject, body: c.body, meta: c.meta } }, EXAMPLE_TIME);
        rows.push({ features: contactFeatures(decided.raw, viewOf(decided)), labels: { type: c.expect.type, team: c.expect.team } });
      });
    }
    return rows.length ? trainModel(rows, smoothing) : undefined;
  }

  /**
   * Where the examples disagree with the rules, the examples win, unless a rule that stops evaluation
   * decided (such a rule wins outright). The trace says what the examples changed and which words weighed.
   */
  function reconsider(decided: ReturnType<typeof byRules>): { type: string; team: string } {
    const { trace } = decided;
    if (!learned || trace.some((t) => t.stopped)) return decided;
    const view = viewOf(decided);
    const verdicts = learned.judge(decided.raw, view);
    const set: Record<string, string> = {};
    const matched: string[] = [];
    for (const field of ['type', 'team'] as const) {
      const { label, probability, evidence } = verdicts[field];
      if (label === view[field]) continue;
      set[field] = label;
      // Shown as any later rule's override is: on the entry whose value it replaced.
      const decided = [...trace].reverse().find((t) => field in t.set && !t.overriddenBy?.[field]);
      if (decided) decided.overriddenBy = { ...decided.overriddenBy, [field]: '@learned' };
      const words = evidence.length ? `: ${evidence.map((w) => `"${w}"`).join(', ')}` : '';
      matched.push(`${field} ${label} rather than ${view[field]} (${Math.round(100 * probability)}%)${words}`);
    }
    if (matched.length) trace.push({ rule: '@learned', description: `what ${learned.examples} labelled examples say`, matched, set });
    return { type: set.type ?? view.type, team: set.team ?? view.team };
  }

  /** Records `team` as the new decider of the team on the trace entry whose team it replaces. */
  function override(trace: TraceEntry[], by: string): void {
    const earlier = [...trace].reverse().find((t) => 'team' in t.set && !t.overriddenBy?.team);
    if (earlier) earlier.overriddenBy = { ...earlier.overriddenBy, team: by };
  }

  /**
   * The team after the service catalogue and the language check: a contact in a language the rules do not
   * know goes to the first line; a fault or change of a catalogued service goes to its owner (unless a rule
   * that wins outright decided).
   */
  function ownerOf(decided: ReturnType<typeof byRules>, type: string, team: string): { team: string; service?: ServiceConfig } {
    const { raw, norm, trace, tags, state } = decided;
    const language = foreignLanguage(raw);
    if (language) {
      const l1 = tiers.L1.defaultTeam;
      tags.add(`language:${language}`);
      if (team !== l1) override(trace, '@language');
      trace.push({ rule: '@language', description: 'a language the rules do not know goes to the first line', matched: [`written in ${language}`], set: { team: l1 } });
      return { team: l1 };
    }
    const services = catalogue?.resolve(norm) ?? [];
    if (!catalogue || !services.length) return { team };
    const service = services[0]!;
    const { team: owner, entry } = serviceDecision(services, type, catalogue);
    state.service ??= services[0]!.id;
    if (trace.some((t) => t.stopped) || !owner) {
      if (owner) entry.matched.push('a rule that wins outright decided the team');
      delete entry.set.team;
      trace.push(entry);
      return { team, service };
    }
    if (owner !== team) override(trace, '@service');
    trace.push(entry);
    return { team: owner, service };
  }

  function route(input: RouteInput, now: Date = new Date()): RouteDecision {
    const { record } = input;
    const at = record.receivedAt ? new Date(record.receivedAt) : now;
    if (Number.isNaN(at.getTime())) throw new SpocError('invalid_time', `cannot read the contact's time "${record.receivedAt ?? String(now)}"`);
    const decided = byRules(input, at);
    const { hits, state, tags, trace } = decided;
    const reconsidered = reconsider(decided);
    const { type } = reconsidered;
    const { team, service } = ownerOf(decided, type, reconsidered.team);
    const typeCfg = gw.types.get(type)!;
    const tier = gw.teams.get(team)!.tier;

    const prio = computePriority(
      { type, impact: (state.impact as Level) ?? typeCfg.impact, urgency: (state.urgency as Level) ?? typeCfg.urgency, hits, text: decided.raw, severity: record.meta?.severity, requester: input.requester, ...(service ? { service: { id: service.id, criticality: service.criticality } } : {}) },
      gw,
      compiled,
    );
    trace.push(...prio.trace);

    const slaPolicy = state.slaPolicy ?? typeCfg.sla;

    const decision: Omit<RouteDecision, 'reason'> = {
      type,
      category: state.category ?? 'general',
      ...(state.service ? { service: state.service } : {}),
      impact: prio.impact,
      urgency: prio.urgency,
      priority: prio.priority,
      tier,
      team,
      slaPolicy,
      ...dueTimes(slaPolicy, prio.priority, at),
      tags: [...tags],
      trace,
    };
    return { ...decision, reason: summarize(decision) };
  }

  /** The SLA calendar and due times of a priority under a policy, counted from `at`. */
  function dueTimes(slaPolicy: string, priority: Priority, at: Date): Pick<RouteDecision, 'calendar' | 'respondBy' | 'resolveBy'> {
    const policy = gw.sla.get(slaPolicy)!;
    const target = policy.byPriority?.[priority];
    const calendarId = target?.calendar ?? policy.calendar;
    const calendar = gw.calendars.get(calendarId)!;
    return {
      calendar: calendarId,
      respondBy: addBusinessMinutes(calendar, at, target?.respond ?? policy.respond).toISOString(),
      resolveBy: addBusinessMinutes(calendar, at, target?.resolve ?? policy.resolve).toISOString(),
    };
  }

  function raise(decision: RouteDecision, entry: TraceEntry, at: Date): RouteDecision {
    const higher = (now: Level, want: unknown): Level => (want === 'high' || (want === 'medium' && now === 'low') ? want : now);
    const impact = higher(decision.impact, entry.set.impact);
    const urgency = higher(decision.urgency, entry.set.urgency);
    const byMatrix = gw.config.priority.matrix[impact][urgency];
    // A floor set after the matrix (alert severity, VIP) is never lowered.
    const priority = byMatrix < decision.priority ? byMatrix : decision.priority;
    if (priority === decision.priority && impact === decision.impact && urgency === decision.urgency) return decision;
    const raised = { ...decision, impact, urgency, priority, ...dueTimes(decision.slaPolicy, priority, at), trace: [...decision.trace, entry] };
    return { ...raised, reason: summarize(raised) };
  }

  return { route, raise, gateway: gw, rules: compiled, ...(catalogue ? { services: catalogue } : {}), ...(learned ? { learned: { examples: learned.examples, features: learned.features } } : {}) };
}
