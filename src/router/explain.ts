import type { RouteDecision, TraceEntry } from './types.js';

const show = (v: unknown) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

function formatEntry(entry: TraceEntry, n: number): string[] {
  const lines = [`${n}. ${entry.rule}${entry.description ? ` — ${entry.description}` : ''}${entry.stopped ? '  (stop)' : ''}`];
  for (const m of entry.matched) lines.push(`     matched  ${m}`);
  const set = Object.entries(entry.set);
  if (set.length) lines.push(`     set      ${set.map(([k, v]) => `${k}=${show(v)}`).join(', ')}`);
  const over = Object.entries(entry.overriddenBy ?? {});
  if (over.length) lines.push(`     overridden ${over.map(([field, rule]) => `${field} by ${rule}`).join(', ')}`);
  return lines;
}

/** The decision and its trace as text for a terminal: what was decided, the one-line reason, then each step. */
export function formatTrace(decision: RouteDecision): string {
  const d = decision;
  return [
    `type      ${d.type}  category ${d.category}${d.service ? `  service ${d.service}` : ''}`,
    `priority  ${d.priority}  (impact ${d.impact}, urgency ${d.urgency})`,
    `assigned  ${d.tier} ${d.team}`,
    `sla       ${d.slaPolicy} on ${d.calendar}: respond by ${d.respondBy}, resolve by ${d.resolveBy}`,
    ...(d.tags.length ? [`tags      ${d.tags.join(', ')}`] : []),
    `reason    ${d.reason}`,
    'trace',
    ...d.trace.flatMap((entry, i) => formatEntry(entry, i + 1)),
  ].join('\n');
}
