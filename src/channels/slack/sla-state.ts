import { runningClocks, type SlaClock } from '../../ticketing/sla-plan.js';
import type { Ticket, TicketEvent } from '../../ticketing/types.js';
import { formatTime } from './blocks.js';

export type SlaLevel = 'on_track' | 'at_risk' | 'breached';
type Lang = 'zh' | 'en';

/** The clock a card should show: the one in the worst state, and the soonest due among equals. */
export interface SlaState {
  level: SlaLevel;
  clock: SlaClock;
  due: string;
  /** Negative once past due. */
  msLeft: number;
}

const RANK: Record<SlaLevel, number> = { on_track: 0, at_risk: 1, breached: 2 };
const sameInstant = (a: unknown, b: string) => typeof a === 'string' && Date.parse(a) === Date.parse(b);
/** Steps without an `actions` list were recorded before steps existed, and always showed on the card. */
const showsOnCard = (e: TicketEvent) => !Array.isArray(e.data.actions) || (e.data.actions as unknown[]).includes('card');

/** A ticket's SLA as its step events say (a step that does not `card` leaves the card as it was); undefined when no clock runs. */
export function slaState(ticket: Ticket, events: readonly TicketEvent[], now: Date): SlaState | undefined {
  let worst: SlaState | undefined;
  for (const { clock, due } of runningClocks(ticket)) {
    const steps = events.filter((e) => (e.type === 'sla_warning' || e.type === 'sla_breach') && e.data.clock === clock && sameInstant(e.data.due, due) && showsOnCard(e));
    const level: SlaLevel = steps.some((e) => e.type === 'sla_breach') ? 'breached' : steps.length > 0 ? 'at_risk' : 'on_track';
    const state = { level, clock, due, msLeft: Date.parse(due) - now.getTime() };
    if (!worst || RANK[level] > RANK[worst.level] || (RANK[level] === RANK[worst.level] && state.msLeft < worst.msLeft)) worst = state;
  }
  return worst;
}

const WORDS = {
  en: {
    on_track: ':large_green_circle: *On track*',
    at_risk: ':large_yellow_circle: *At risk*',
    breached: ':red_circle: *Breached*',
    respond: 'respond',
    resolve: 'resolve',
    by: 'by',
    left: (d: string) => `${d} left`,
    over: (d: string) => `${d} overdue`,
    units: { d: ' d', h: ' h', m: ' min' },
  },
  zh: {
    on_track: ':large_green_circle: *正常*',
    at_risk: ':large_yellow_circle: *即将超时*',
    breached: ':red_circle: *已超时*',
    respond: '响应',
    resolve: '解决',
    by: '截止',
    left: (d: string) => `剩余 ${d}`,
    over: (d: string) => `已超 ${d}`,
    units: { d: ' 天', h: ' 小时', m: ' 分钟' },
  },
} as const;

/** "2 h 5 min" / "2 小时 5 分钟": the two largest units, whole minutes, at least one minute. */
export function duration(ms: number, lang: Lang): string {
  const u = WORDS[lang].units;
  let minutes = Math.max(1, Math.ceil(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / 1440);
  minutes -= days * 1440;
  const hours = Math.floor(minutes / 60);
  minutes -= hours * 60;
  const parts = [days && `${days}${u.d}`, hours && `${hours}${u.h}`, minutes && `${minutes}${u.m}`].filter(Boolean);
  return parts.slice(0, 2).join(' ');
}

/** One line for the card and the notices: state, clock, due time and the time left (or over). */
export function slaLine(s: SlaState, lang: Lang, timezone: string): string {
  const w = WORDS[lang];
  const left = s.msLeft > 0 ? w.left(duration(s.msLeft, lang)) : w.over(duration(s.msLeft, lang));
  return `${w[s.level]} · ${w[s.clock]} ${w.by} ${formatTime(s.due, timezone)} (${left})`;
}
