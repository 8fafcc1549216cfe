import { describe, expect, it } from 'vitest';
import { inlineSource } from '../../src/config/yaml.js';
import { addBusinessMinutes, businessMinutesBetween, compileCalendar } from '../../src/router/calendar.js';
import { calendarSchema } from '../../src/router/config-schema.js';

const desk = { timezone: 'Asia/Shanghai', holidays: ['2026-03-05'], workdays: ['2026-03-14'] };
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];
const all = [...weekdays, 'sat', 'sun'];
const cal = (id: string, cfg: object, d = desk) => compileCalendar(id, calendarSchema.parse(cfg), d, inlineSource('gateway.yaml'), ['calendars', id]);

const fiveByEight = cal('5x8', { days: weekdays, hours: ['09:00-17:00'] });
const sevenBy24 = cal('7x24', { days: all, hours: ['00:00-24:00'], observeHolidays: false });
const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('addBusinessMinutes on 5x8 (Asia/Shanghai)', () => {
  it('Friday 16:55 + 30 min is Monday 09:25', () => {
    expect(iso(addBusinessMinutes(fiveByEight, at('2026-03-06T16:55:00+08:00'), 30))).toBe(iso(at('2026-03-09T09:25:00+08:00')));
  });

  it('skips a holiday in between: Wednesday 16:55 + 30 min, Thursday off, is Friday 09:25', () => {
    expect(iso(addBusinessMinutes(fiveByEight, at('2026-03-04T16:55:00+08:00'), 30))).toBe(iso(at('2026-03-06T09:25:00+08:00')));
  });

  it('works a make-up Saturday: Friday 16:55 + 30 min is Saturday 09:25 when Saturday is a workday', () => {
    expect(iso(addBusinessMinutes(fiveByEight, at('2026-03-13T16:55:00+08:00'), 30))).toBe(iso(at('2026-03-14T09:25:00+08:00')));
  });

  it('starts counting at the next opening when the contact arrives after hours', () => {
    expect(iso(addBusinessMinutes(fiveByEight, at('2026-03-09T20:00:00+08:00'), 15))).toBe(iso(at('2026-03-10T09:15:00+08:00')));
    expect(iso(addBusinessMinutes(fiveByEight, at('2026-03-10T06:00:00+08:00'), 0))).toBe(iso(at('2026-03-10T09:00:00+08:00')));
  });

  it('a target ending exactly at closing time is due at closing time', () => {
    expect(iso(addBusinessMinutes(fiveByEight, at('2026-03-06T16:55:00+08:00'), 5))).toBe(iso(at('2026-03-06T17:00:00+08:00')));
  });

  it('spans several days: Wednesday 10:00 + 3 business days (1440 min) skips the holiday and the weekend', () => {
    expect(iso(addBusinessMinutes(fiveByEight, at('2026-03-04T10:00:00+08:00'), 1440))).toBe(iso(at('2026-03-10T10:00:00+08:00')));
  });
});

describe('7x24', () => {
  it('counts straight through midnight: 23:50 + 20 min is 00:10', () => {
    expect(iso(addBusinessMinutes(sevenBy24, at('2026-03-06T23:50:00+08:00'), 20))).toBe(iso(at('2026-03-07T00:10:00+08:00')));
  });

  it('is open at 00:00 and at 23:59', () => {
    expect(sevenBy24.isOpen(at('2026-03-07T00:00:00+08:00'))).toBe(true);
    expect(sevenBy24.isOpen(at('2026-03-06T23:59:30+08:00'))).toBe(true);
  });

  it('ignores holidays when told to', () => {
    expect(sevenBy24.isOpen(at('2026-03-05T12:00:00+08:00'))).toBe(true);
  });

  it('measures 120 minutes from 23:00 to 01:00', () => {
    expect(businessMinutesBetween(sevenBy24, at('2026-03-06T23:00:00+08:00'), at('2026-03-07T01:00:00+08:00'))).toBe(120);
  });
});

describe('custom calendars with several periods a day', () => {
  const office = cal('office', { week: { mon: ['08:30-12:00', '13:30-18:00'], sat: ['09:00-12:00'] } });

  it('skips the lunch break', () => {
    expect(iso(addBusinessMinutes(office, at('2026-03-09T11:50:00+08:00'), 20))).toBe(iso(at('2026-03-09T13:40:00+08:00')));
  });

  it('is closed at lunch and open on Saturday morning', () => {
    expect(office.isOpen(at('2026-03-09T12:30:00+08:00'))).toBe(false);
    expect(office.isOpen(at('2026-03-07T10:00:00+08:00'))).toBe(true);
  });

  it('rejects overlapping periods and calendars that never open', () => {
    expect(() => cal('bad', { week: { mon: ['09:00-12:00', '11:00-13:00'] } })).toThrow(/gateway.yaml: calendars.bad.week.mon: periods .* overlap/);
    expect(() => cal('never', { days: [], hours: [] })).toThrow(/never open/);
    expect(() => cal('zone', { timezone: 'Mars/Olympus', days: all, hours: ['09:00-17:00'] })).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});

describe('a zone with daylight saving (America/New_York)', () => {
  const ny = { timezone: 'America/New_York', holidays: [], workdays: [] };
  const ny24 = cal('ny24', { days: all, hours: ['00:00-24:00'] }, ny);
  const ny5x8 = cal('ny5x8', { days: weekdays, hours: ['09:00-17:00'] }, ny);
  const ny7x8 = cal('ny7x8', { days: all, hours: ['09:00-17:00'] }, ny);

  it('March: 4 hours from Saturday 23:00 EST is Sunday 04:00 EDT (the 02:00 hour does not exist)', () => {
    expect(iso(addBusinessMinutes(ny24, at('2026-03-07T23:00:00-05:00'), 240))).toBe(iso(at('2026-03-08T04:00:00-04:00')));
  });

  it('March: Friday 16:30 EST + 60 min is Monday 09:30 EDT', () => {
    expect(iso(addBusinessMinutes(ny5x8, at('2026-03-06T16:30:00-05:00'), 60))).toBe(iso(at('2026-03-09T09:30:00-04:00')));
  });

  it('November: 3 hours from Saturday 23:00 EDT is 01:00 EST (the 01:00 hour happens twice)', () => {
    expect(iso(addBusinessMinutes(ny24, at('2026-10-31T23:00:00-04:00'), 180))).toBe(iso(at('2026-11-01T01:00:00-05:00')));
  });

  it('a business day on the switch day is still 8 hours, and the 24-hour calendar has 23 and 25 hours', () => {
    expect(businessMinutesBetween(ny7x8, at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'))).toBe(480);
    expect(businessMinutesBetween(ny24, at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'))).toBe(23 * 60);
    expect(businessMinutesBetween(ny24, at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'))).toBe(25 * 60);
  });
});

describe('businessMinutesBetween', () => {
  it('is 0 when the end is not after the start', () => {
    expect(businessMinutesBetween(fiveByEight, at('2026-03-06T12:00:00+08:00'), at('2026-03-06T11:00:00+08:00'))).toBe(0);
  });

  it('counts only open time: Friday 16:00 to Monday 10:00 is 120 minutes', () => {
    expect(businessMinutesBetween(fiveByEight, at('2026-03-06T16:00:00+08:00'), at('2026-03-09T10:00:00+08:00'))).toBe(120);
  });

  it('inverts addBusinessMinutes from any open instant', () => {
    const start = at('2026-03-02T09:17:00+08:00');
    for (const minutes of [1, 59, 480, 481, 2000, 9999]) {
      const due = addBusinessMinutes(fiveByEight, start, minutes);
      expect(businessMinutesBetween(fiveByEight, start, due)).toBe(minutes);
    }
  });
});
