import type { ConfigSource } from '../config/yaml.js';
import { compileCalendar, type BusinessCalendar } from './calendar.js';
import type { RouterGatewayConfig, SlaPolicyConfig, TeamConfig, TicketTypeConfig } from './config-schema.js';

/** gateway.yaml's router sections with every cross-reference checked and every calendar compiled. */
export interface CompiledGateway {
  config: RouterGatewayConfig;
  calendars: ReadonlyMap<string, BusinessCalendar>;
  types: ReadonlyMap<string, TicketTypeConfig>;
  teams: ReadonlyMap<string, TeamConfig>;
  sla: ReadonlyMap<string, SlaPolicyConfig>;
}


/** Validates references between sections (a type's calendar, a tier's team …) and compiles calendars. */
export function compileGateway(config: RouterGatewayConfig, source: ConfigSource): CompiledGateway {
  const calendars = new Map<string, BusinessCalendar>();
  for (const [id, cal] of Object.entries(config.calendars)) {
    calendars.set(id, compileCalendar(id, cal, config.desk, source, ['calendars', id]));
  }
  const needCalendar = (id: string, path: PropertyKey[]) => {
    if (!calendars.has(id)) throw source.error(path, `unknown calendar "${id}" (known: ${[...calendars.keys()].join(', ')})`);
  };

  const sla = new Map(Object.entries(config.sla));
  for (const [id, policy] of sla) {
    needCalendar(policy.calendar, ['sla', id, 'calendar']);
    for (const [p, target] of Object.entries(policy.byPriority ?? {})) {
      if (target?.calendar) needCalendar(target.calendar, ['sla', id, 'byPriority', p, 'calendar']);
    }
  }

  const teams = new Map(Object.entries(config.teams));
  const types = new Map<string, TicketTypeConfig>();
  const prefixes = new Set<string>();
  config.types.forEach((type, i) => {
    if (types.has(type.id)) throw source.error(['types', i, 'id'], `duplicate type "${type.id}"`);
    if (prefixes.has(type.prefix)) throw source.error(['types', i, 'prefix'], `duplicate prefix "${type.prefix}"`);
    needCalendar(type.calendar, ['types', i, 'calendar']);
    if (!sla.has(type.sla)) throw source.error(['types', i, 'sla'], `unknown SLA policy "${type.sla}"`);
    if (type.team && !teams.has(type.team)) throw source.error(['types', i, 'team'], `unknown team "${type.team}"`);
    types.set(type.id, type);
    prefixes.add(type.prefix);
  });

  for (const [id, team] of teams) {
    const a = team.assignment;
    if (a.shift) needCalendar(a.shift, ['teams', id, 'assignment', 'shift']);
    for (const [member, own] of Object.entries(a.agents)) {
      if (own.shift) needCalendar(own.shift, ['teams', id, 'assignment', 'agents', member, 'shift']);
    }
  }

  for (const [tier, def] of Object.entries(config.tiers)) {
    const team = teams.get(def.defaultTeam);
    if (!team) throw source.error(['tiers', tier, 'defaultTeam'], `unknown team "${def.defaultTeam}"`);
    if (team.tier !== tier) throw source.error(['tiers', tier, 'defaultTeam'], `team "${def.defaultTeam}" is ${team.tier}, not ${tier}`);
  }

  config.priority.words.forEach((raise, i) => {
    raise.types?.forEach((t, j) => {
      if (!types.has(t)) throw source.error(['priority', 'words', i, 'types', j], `unknown type "${t}"`);
    });
  });

  return { config, calendars, types, teams, sla };
}
