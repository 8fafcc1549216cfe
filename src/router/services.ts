/**
 * The desk's service catalogue (config/services.yaml): which services exist, what they are called in
 * either language, which team owns them and whether a third party runs them. Which systems a vendor runs
 * is the desk's own knowledge, so it lives here rather than in keywords. The router resolves the services a
 * contact names and sends faults and changes of a service to its owner.
 */
import { z } from 'zod';
import type { ConfigSource } from '../config/yaml.js';
import type { CompiledGateway } from './compile-gateway.js';
import { buildMatcher, parseKeyword, type KeywordMatcher } from './matcher.js';
import type { TraceEntry } from './types.js';

/** N fault reports about one service within M minutes are one outage: spoc declares a major incident. */
const stormSchema = z.strictObject({
  contacts: z.number().int().min(2).max(10_000),
  minutes: z.number().int().min(1).max(24 * 60),
});
export type StormThreshold = z.output<typeof stormSchema>;

const serviceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'expected a lower-case id'),
  name: z.strictObject({ zh: z.string(), en: z.string() }),
  /** Names and aliases in both languages, matched as rule keywords are. */
  aliases: z.array(z.string().min(1)).min(1),
  /** The team that fixes and changes it (for a vendor-run service, the team that deals with the vendor). */
  team: z.string(),
  /** Set when a third party runs or supports it: faults go to the vendor team. */
  vendor: z.string().optional(),
  /** The impact when it is down. */
  criticality: z.enum(['high', 'medium', 'low']).default('medium'),
  /** This service's storm: so many contacts within so many minutes declare a major incident (the file's `storm` when absent). */
  storm: stormSchema.optional(),
});
export const servicesFileSchema = z.strictObject({
  /** Ticket types routed to the service's team when a service is named. */
  routeTypes: z.array(z.string()).default(['incident', 'change_request']),
  /** Every service's storm unless it names its own. */
  storm: stormSchema.default({ contacts: 5, minutes: 10 }),
  /** Listed most specific first: when a contact names several, the first listed decides. */
  services: z.array(serviceSchema),
});
export type ServicesFileConfig = z.output<typeof servicesFileSchema>;
export type ServiceConfig = ServicesFileConfig['services'][number];

export interface ServiceCatalogue {
  /** The services the text names, in catalogue order; `normalized` is the router's normalizeText of it. */
  resolve(normalized: string): ServiceConfig[];
  routeTypes: ReadonlySet<string>;
  /** A service by its id. */
  get(id: string): ServiceConfig | undefined;
  /** The storm that declares a major incident for this service. */
  storm(id: string): StormThreshold;
}

/** Compiles the catalogue: checks every team and puts every alias in one automaton. */
export function compileServices(file: ServicesFileConfig, gw: CompiledGateway, source: ConfigSource): ServiceCatalogue {
  const owner: number[] = [];
  const specs = file.services.flatMap((s, i) => {
    if (!gw.teams.has(s.team)) throw source.error(['services', i, 'team'], `unknown team "${s.team}"`);
    return s.aliases.map((a, j) => {
      const spec = parseKeyword(a);
      if (!spec.text) throw source.error(['services', i, 'aliases', j], `alias "${a}" is empty once normalised`);
      owner.push(i);
      return spec;
    });
  });
  file.routeTypes.forEach((t, i) => {
    if (!gw.types.has(t)) throw source.error(['routeTypes', i], `unknown type "${t}"`);
  });
  const matcher: KeywordMatcher = buildMatcher(specs);
  const byId = new Map(file.services.map((s) => [s.id, s]));
  return {
    routeTypes: new Set(file.routeTypes),
    get: (id) => byId.get(id),
    storm: (id) => byId.get(id)?.storm ?? file.storm,
    resolve(normalized) {
      const found = new Set<number>();
      for (const id of matcher.scan(normalized)) found.add(owner[id]!);
      return [...found].sort((a, b) => a - b).map((i) => file.services[i]!);
    },
  };
}

/** The trace entry for the services a contact names, and the team the first one sends it to (if its type is routed). */
export function serviceDecision(services: ServiceConfig[], type: string, catalogue: ServiceCatalogue): { team?: string; entry: TraceEntry } {
  const first = services[0]!;
  const routes = catalogue.routeTypes.has(type);
  const matched = [`services named: ${services.map((s) => s.id).join(', ')}`, `${first.id}: owned by ${first.team}${first.vendor ? `, run by ${first.vendor}` : ''}, criticality ${first.criticality}`];
  if (!routes) matched.push(`type ${type} is not routed by service`);
  return {
    ...(routes ? { team: first.team } : {}),
    entry: { rule: '@service', description: 'the service catalogue (config/services.yaml)', matched, set: routes ? { service: first.id, team: first.team } : { service: first.id } },
  };
}
