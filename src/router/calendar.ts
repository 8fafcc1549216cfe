import { DateTime, IANAZone } from 'luxon';
import type { ConfigPath, ConfigSource } from '../config/yaml.js';
import { WEEKDAYS, type CalendarConfig } from './config-schema.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const QUARTER_HOUR_MS = 15 * MINUTE_MS;
/** Ten years: a calendar that never opens in that span is a configuration mistake, not a long wait. */
const MAX_DAYS = 3660;
const CACHE_LIMIT = 20_000;

type Interval = readonly [startMs: number, endMs: number];

/**
 * Business hours compiled for arithmetic: a calendar answers, for any local day, the instants (UTC ms)
 * when it is open. Days are computed once with luxon and cached, so SLA arithmetic on the hot path is
 * plain number work. Periods are half-open [start, end), and 24:00 ends a day, so a 7x24 calendar is one
 * unbroken stretch: midnight is open.
 */
export interface BusinessCalendar {
  id: string;
  timezone: string;
  /** Open intervals of local day `day` (days since 1970-01-01 in the calendar's zone). */
  intervals(day: number): ReadonlyArray<Interval>;
  /** The local day an instant falls on. */
  dayOf(ms: number): number;
  isOpen(at: Date): boolean;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function parsePeriods(periods: string[], fail: (reason: string) => never): Array<[number, number]> {
  const out = periods.map((p) => {
    const [from = '', to = ''] = p.split('-');
    const range: [number, number] = [minutesOf(from), minutesOf(to)];
    if (range[0] >= range[1]) fail(`period ${p} ends before it starts`);
    return range;
  });
  out.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < out.length; i++) if (out[i]![0] < out[i - 1]![1]) fail(`periods ${periods.join(', ')} overlap`);
  return out;
}

export interface DeskDates {
  timezone: string;
  holidays: string[];
  workdays: string[];
}

/** Compiles one calendar of gateway.yaml; mistakes are reported at `path` in `source`. */
export function compileCalendar(id: string, cfg: CalendarConfig, desk: DeskDates, source: ConfigSource, path: ConfigPath): BusinessCalendar {
  const timezone = cfg.timezone ?? desk.timezone;
  const fail = (reason: string, sub: ConfigPath = []): never => {
    throw source.error([...path, ...sub], reason);
  };
  if (!IANAZone.isValidZone(timezone)) fail(`unknown time zone "${timezone}"`, cfg.timezone ? ['timezone'] : []);
  const zone = IANAZone.create(timezone);

  const week = WEEKDAYS.map((day) => {
    const own = cfg.week?.[day];
    if (own) return parsePeriods(own, (r) => fail(r, ['week', day]));
    if (cfg.days?.includes(day)) return parsePeriods(cfg.hours ?? [], (r) => fail(r, ['hours']));
    return [];
  });
  const makeUp = week.find((periods) => periods.length > 0);
  if (!makeUp) fail('the calendar is never open');
  const holidays = new Set([...(cfg.observeHolidays ? desk.holidays : []), ...cfg.holidays]);
  const workdays = new Set([...(cfg.observeHolidays ? desk.workdays : []), ...cfg.workdays]);

  const localToMs = (d: DateTime, minute: number): number =>
    minute === 1440
      ? DateTime.fromObject({ year: d.year, month: d.month, day: d.day }, { zone }).plus({ days: 1 }).toMillis()
      : DateTime.fromObject({ year: d.year, month: d.month, day: d.day, hour: Math.floor(minute / 60), minute: minute % 60 }, { zone }).toMillis();

  const cache = new Map<number, Interval[]>();
  const intervals = (day: number): Interval[] => {
    const hit = cache.get(day);
    if (hit) return hit;
    const d = DateTime.fromMillis(day * DAY_MS, { zone: 'utc' });
    const iso = d.toISODate() ?? '';
    let periods = holidays.has(iso) ? [] : (week[d.weekday - 1] ?? []);
    if (workdays.has(iso) && periods.length === 0) periods = makeUp ?? [];
    const out: Interval[] = [];
    for (const [from, to] of periods) {
      const start = localToMs(d, from);
      const end = localToMs(d, to);
      if (end > start) out.push([start, end]);
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(day, out);
    return out;
  };
  // luxon computes an offset through Intl (microseconds); offsets only change on quarter-hour boundaries in
  // every real zone, so one lookup per quarter hour serves all instants in it.
  const offsets = new Map<number, number>();
  const offsetAt = (ms: number): number => {
    const quarter = Math.floor(ms / QUARTER_HOUR_MS);
    let offset = offsets.get(quarter);
    if (offset === undefined) {
      offset = zone.offset(quarter * QUARTER_HOUR_MS);
      if (offsets.size >= CACHE_LIMIT) offsets.clear();
      offsets.set(quarter, offset);
    }
    return offset;
  };
  const dayOf = (ms: number): number => Math.floor((ms + offsetAt(ms) * MINUTE_MS) / DAY_MS);

  return {
    id,
    timezone,
    intervals,
    dayOf,
    isOpen(at) {
      const t = at.getTime();
      return intervals(dayOf(t)).some(([s, e]) => s <= t && t < e);
    },
  };
}

/**
 * The instant `minutes` business minutes after `from`. Starting in closed hours counts from the next
 * opening; a target that ends exactly at closing time is due at closing time (Friday 16:55 + 5 → 17:00).
 */
export function addBusinessMinutes(calendar: BusinessCalendar, from: Date, minutes: number): Date {
  let t = from.getTime();
  let remaining = minutes * MINUTE_MS;
  let day = calendar.dayOf(t);
  for (let i = 0; i < MAX_DAYS; i++, day++) {
    for (const [start, end] of calendar.intervals(day)) {
      if (end <= t) continue;
      const begin = Math.max(start, t);
      const available = end - begin;
      if (remaining <= available) return new Date(begin + remaining);
      remaining -= available;
      t = end;
    }
  }
  throw new Error(`calendar ${calendar.id} has no business time within ${MAX_DAYS} days of ${from.toISOString()}`);
}

/**
 * Business minutes between two instants (0 when `to` is not after `from`); fractional when the instants
 * are. The ticketing code uses it to pause an SLA clock and add the paused time back on resume.
 */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  for (let day = calendar.dayOf(a); day <= calendar.dayOf(b); day++) {
    for (const [start, end] of calendar.intervals(day)) {
      const lo = Math.max(start, a);
      const hi = Math.min(end, b);
      if (hi > lo) total += hi - lo;
    }
  }
  return total / MINUTE_MS;
}
