import type { TicketFact } from './facts.js';
import { queueLink, ticketLink } from './links.js';
import type { ReportQuery } from './query.js';
import { mean, median, minutesBetween, percent, round1 } from './stats.js';

export type Clock = 'respond' | 'resolve';
export type Outcome = 'met' | 'breached' | 'running';

export interface ClockFigures {
  met: number;
  breached: number;
  /** Not stopped yet and not past due: counted in neither side of the attainment. */
  running: number;
  /** Met as a share of met + breached. */
  attainment: number | null;
  /** Minutes from creation to the stop, over the tickets whose clock stopped. */
  meanMinutes: number | null;
  medianMinutes: number | null;
  /** The same over each ticket's allowed time (creation to its due time). */
  targetMeanMinutes: number | null;
  targetMedianMinutes: number | null;
  links: { met: string; breached: string; running: string };
}

export interface Breach {
  number: string;
  clock: Clock;
  team: string;
  priority: string;
  due: string;
  /** When the clock stopped; null while the ticket is still waiting. */
  stoppedAt: string | null;
  overMinutes: number;
  link: string;
}

export interface SlaReport {
  respond: ClockFigures;
  resolve: ClockFigures;
  /** Every breach, worst first; `breaches` lists the first `limit`. */
  breachCount: number;
  breaches: Breach[];
  breachesLink: string;
}

function clockOf(f: TicketFact, clock: Clock): { due: string; stoppedAt: string | null } {
  return clock === 'respond' ? { due: f.respondBy, stoppedAt: f.respondedAt } : { due: f.resolveBy, stoppedAt: f.resolvedAt };
}

/** A stopped clock met or missed its due time; a running one is breached once the report's now is past it (a paused resolve clock is still running). */
export function outcome(f: TicketFact, clock: Clock, now: Date): Outcome {
  const { due, stoppedAt } = clockOf(f, clock);
  if (stoppedAt) return stoppedAt <= due ? 'met' : 'breached';
  if (clock === 'resolve' && f.status === 'pending') return 'running';
  return now.getTime() > Date.parse(due) ? 'breached' : 'running';
}

function figures(facts: readonly TicketFact[], clock: Clock, query: ReportQuery): ClockFigures {
  const counts: Record<Outcome, number> = { met: 0, breached: 0, running: 0 };
  const taken: number[] = [];
  const allowed: number[] = [];
  for (const f of facts) {
    counts[outcome(f, clock, query.now)]++;
    const { due, stoppedAt } = clockOf(f, clock);
    allowed.push(minutesBetween(f.createdAt, due));
    if (stoppedAt) taken.push(minutesBetween(f.createdAt, stoppedAt));
  }
  const link = (o: Outcome) => queueLink(query, { sla: `${clock}_${o}` });
  return {
    ...counts,
    attainment: percent(counts.met, counts.met + counts.breached),
    meanMinutes: mean(taken),
    medianMinutes: median(taken),
    targetMeanMinutes: mean(allowed),
    targetMedianMinutes: median(allowed),
    links: { met: link('met'), breached: link('breached'), running: link('running') },
  };
}

export function slaReport(facts: readonly TicketFact[], query: ReportQuery): SlaReport {
  const breaches: Breach[] = [];
  for (const f of facts) {
    for (const clock of ['respond', 'resolve'] as const) {
      if (outcome(f, clock, query.now) !== 'breached') continue;
      const { due, stoppedAt } = clockOf(f, clock);
      const over = minutesBetween(due, stoppedAt ?? query.now.toISOString());
      breaches.push({ number: f.number, clock, team: f.team, priority: f.priority, due, stoppedAt, overMinutes: round1(over), link: ticketLink(f.number) });
    }
  }
  breaches.sort((a, b) => b.overMinutes - a.overMinutes || a.number.localeCompare(b.number));
  return {
    respond: figures(facts, 'respond', query),
    resolve: figures(facts, 'resolve', query),
    breachCount: breaches.length,
    breaches: breaches.slice(0, query.limit),
    breachesLink: queueLink(query, { sla: 'breached' }),
  };
}
