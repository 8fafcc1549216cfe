import type { CompiledGateway } from './compile-gateway.js';
import type { CompiledRules } from './compile-rules.js';
import type { Level, Priority, RequesterProfile, TraceEntry } from './types.js';

const LEVEL_RANK: Record<Level, number> = { low: 0, medium: 1, high: 2 };
const PRIORITY_RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };
const byRank = (rank: number): Priority => `P${Math.min(4, Math.max(1, rank))}` as Priority;

export interface PriorityInput {
  type: string;
  impact: Level;
  urgency: Level;
  hits: ReadonlySet<number>;
  /** Subject and body, for the raises' patterns. */
  text: string;
  severity?: string;
  requester?: RequesterProfile;
  /** The first catalogued service the contact names: its criticality is the impact when it is down. */
  service?: { id: string; criticality: Level };
}

export interface PriorityResult {
  impact: Level;
  urgency: Level;
  priority: Priority;
  /** One entry per raise, for the decision's trace. */
  trace: TraceEntry[];
}

/**
 * ITIL priority: critical words may lift impact or urgency, the matrix turns them into P1–P4, an alert's
 * severity guarantees a floor, and a VIP requester lifts it by the configured steps (never past `atMost`).
 */
export function computePriority(input: PriorityInput, gw: CompiledGateway, compiled: CompiledRules): PriorityResult {
  const { matrix, severity, vip } = gw.config.priority;
  const trace: TraceEntry[] = [];
  let { impact, urgency } = input;

  for (const group of compiled.priorityWords) {
    if (group.value.types && !group.value.types.has(input.type)) continue;
    const want = group.value;
    // A signal that could raise nothing (impact and urgency already there) is not read: its patterns cost most.
    const couldRaise = (want.impact && LEVEL_RANK[want.impact as Level] > LEVEL_RANK[impact]) || (want.urgency && LEVEL_RANK[want.urgency as Level] > LEVEL_RANK[urgency]);
    if (!couldRaise && !want.onlyWithImpact) continue;
    if (group.unless.some((id) => input.hits.has(id))) continue;
    const found = group.ids.filter((id) => input.hits.has(id)).map((id) => `"${compiled.keywordText(id)}"`);
    for (const re of want.patterns) {
      const m = re.exec(input.text);
      if (m) found.push(`"${m[0]}"`);
    }
    if (!found.length) continue;
    if (want.onlyWithImpact && LEVEL_RANK[impact] < LEVEL_RANK[want.onlyWithImpact as Level]) {
      trace.push({ rule: '@priority', description: 'urgency the writer declares, without the impact to back it', matched: [`not raised: ${found.join(', ')} with impact ${impact}`], set: {} });
      continue;
    }
    const set: Record<string, Level> = {};
    if (want.impact && LEVEL_RANK[want.impact as Level] > LEVEL_RANK[impact]) impact = set.impact = want.impact as Level;
    if (want.urgency && LEVEL_RANK[want.urgency as Level] > LEVEL_RANK[urgency]) urgency = set.urgency = want.urgency as Level;
    if (Object.keys(set).length) {
      const signal = want.signal ?? 'critical words';
      trace.push({ rule: '@priority', description: `${signal} raises ${Object.keys(set).join(' and ')}`, matched: [`${signal}: ${found.join(', ')}`], set });
    }
  }

  // Work stopped on a service the desk rates critical hurts everyone who depends on it.
  const service = input.service;
  if (service && input.type === 'incident' && urgency === 'high' && LEVEL_RANK[service.criticality] > LEVEL_RANK[impact]) {
    trace.push({ rule: '@priority', description: 'the criticality of the service that stopped', matched: [`${service.id}: criticality ${service.criticality}`], set: { impact: service.criticality } });
    impact = service.criticality;
  }

  let priority = matrix[impact][urgency];
  const floor = input.severity ? severity[input.severity.toLowerCase()] : undefined;
  if (floor && PRIORITY_RANK[floor] < PRIORITY_RANK[priority]) {
    trace.push({ rule: '@priority', description: 'alert severity sets a floor', matched: [`severity: ${input.severity}`], set: { priority: floor } });
    priority = floor;
  }
  if (input.requester?.vip && vip.steps > 0 && PRIORITY_RANK[priority] > PRIORITY_RANK[vip.atMost]) {
    const raised = byRank(Math.max(PRIORITY_RANK[priority] - vip.steps, PRIORITY_RANK[vip.atMost]));
    trace.push({ rule: '@priority', description: 'VIP requester', matched: [`requester is VIP${input.requester.name ? ` (${input.requester.name})` : ''}`], set: { priority: raised } });
    priority = raised;
  }
  return { impact, urgency, priority, trace };
}
