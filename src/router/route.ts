import { inlineSource, type ConfigSource } from '../config/yaml.js';
import { addBusinessMinutes } from './calendar.js';
import { compileGateway, type CompiledGateway } from './compile-gateway.js';
import { compileRules, type CompiledRules } from './compile-rules.js';
import type { RouterGatewayConfig, RulesFileConfig } from './config-schema.js';
import { applyRules } from './evaluate.js';
import { normalizeText } from './matcher.js';
import { foldTraditional } from './traditional.js';
import { computePriority } from './priority.js';
import { SpocError } from '../shared/errors.js';
import type { Level, RouteDecision, RouteInput, Tier } from './types.js';

/** Parsed configuration, with the sources that locate later errors (file and line) when it came from files. */
export interface RouterConfig {
  gateway: RouterGatewayConfig;
  rules: RulesFileConfig;
  sources?: { gateway?: ConfigSource; rules?: ConfigSource };
}

/** A compiled router. `route` is pure: the same input and `now` always give the same decision. */
export interface Router {
  /** `now` is the contact's time when the record has no `receivedAt`. */
  route(input: RouteInput, now?: Date): RouteDecision;
  gateway: CompiledGateway;
  rules: CompiledRules;
}

function summarize(d: Omit<RouteDecision, 'reason'>): string {
  const rules = d.trace.filter((t) => !t.rule.startsWith('@')).map((t) => t.rule);
  const raises = d.trace.filter((t) => t.rule === '@priority').map((t) => t.matched.join('; '));
  const head = rules.length ? rules.join(' + ') : 'no rule matched';
  const fallback = d.trace.some((t) => t.rule === '@fallback') ? ' (fallback type)' : '';
  return `${head} → ${d.type}${fallback} ${d.priority} ${d.tier}/${d.team}${raises.length ? `; raised by ${raises.join('; ')}` : ''}`;
}

/** Compiles the configuration once (throws ConfigError with file and line) and returns the router. */
export function createRouter(config: RouterConfig): Router {
  const gatewaySource = config.sources?.gateway ?? inlineSource('gateway.yaml');
  const rulesSource = config.sources?.rules ?? inlineSource('rules.yaml');
  const gw = compileGateway(config.gateway, gatewaySource);
  const compiled = compileRules(config.rules, gw, rulesSource, gatewaySource);
  const { tiers } = gw.config;

  function route(input: RouteInput, now: Date = new Date()): RouteDecision {
    const { record } = input;
    const at = record.receivedAt ? new Date(record.receivedAt) : now;
    if (Number.isNaN(at.getTime())) throw new SpocError('invalid_time', `cannot read the contact's time "${record.receivedAt ?? String(now)}"`);
    // Regular expressions see the script-folded text too, so a rule's Chinese matches in either script.
    const raw = foldTraditional(`${record.subject ?? ''}\n${record.body ?? ''}`);
    const hits = compiled.matcher.scan(normalizeText(raw));
    const { state, tags, trace } = applyRules(compiled, { input, raw, hits, at });

    let type = state.type;
    if (!type) {
      const faults = compiled.faultWords.filter((id) => hits.has(id));
      type = faults.length ? compiled.fallback.faultType : compiled.fallback.type;
      const why = faults.length ? `fault words: ${faults.map((id) => `"${compiled.keywordText(id)}"`).join(', ')}` : 'no rule set a type and no fault words';
      trace.push({ rule: '@fallback', description: 'type when no rule sets one', matched: [why], set: { type } });
    }
    const typeCfg = gw.types.get(type)!;

    let team = state.team;
    if (!team) {
      const tier = state.tier as Tier | undefined;
      team = tier ? tiers[tier].defaultTeam : (typeCfg.team ?? tiers.L1.defaultTeam);
      const why = tier ? `default team of ${tier}` : typeCfg.team ? `default team of type ${type}` : 'default team of L1';
      trace.push({ rule: '@assign', description: 'team when no rule names one', matched: [why], set: { team } });
    }
    const tier = gw.teams.get(team)!.tier;

    const prio = computePriority(
      { type, impact: (state.impact as Level) ?? typeCfg.impact, urgency: (state.urgency as Level) ?? typeCfg.urgency, hits, severity: record.meta?.severity, requester: input.requester },
      gw,
      compiled,
    );
    trace.push(...prio.trace);

    const slaPolicy = state.slaPolicy ?? typeCfg.sla;
    const policy = gw.sla.get(slaPolicy)!;
    const target = policy.byPriority?.[prio.priority];
    const calendarId = target?.calendar ?? policy.calendar;
    const calendar = gw.calendars.get(calendarId)!;
    const respondBy = addBusinessMinutes(calendar, at, target?.respond ?? policy.respond);
    const resolveBy = addBusinessMinutes(calendar, at, target?.resolve ?? policy.resolve);

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
      calendar: calendarId,
      respondBy: respondBy.toISOString(),
      resolveBy: resolveBy.toISOString(),
      tags: [...tags],
      trace,
    };
    return { ...decision, reason: summarize(decision) };
  }

  return { route, gateway: gw, rules: compiled };
}
