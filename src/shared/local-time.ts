import { DateTime } from 'luxon';

/** A stored UTC instant as people of the desk read it: in the desk's time zone, with the zone named. */
export function localTime(iso: string, tz: string, lang: 'zh' | 'en'): string {
  const dt = DateTime.fromISO(iso, { zone: 'utc' }).setZone(tz);
  if (!dt.isValid) return iso;
  return lang === 'zh' ? dt.toFormat("yyyy年M月d日 HH:mm '('ZZZZ')'") : dt.toFormat("yyyy-MM-dd HH:mm '('ZZZZ')'");
}
