import { DateTime } from 'luxon';
import type { Sql } from '../ticketing/db/sql.js';
import { REPORT_EVENTS } from './event-names.js';
import type { TicketFact } from './facts.js';
import { queueLink } from './links.js';
import { filterSql, type ReportQuery } from './query.js';
import { localDayHour } from './local-hour.js';
import { countBy } from './stats.js';
import { jsonText, num, typeIn } from './sql.js';

export interface ChannelVolume {
  key: string;
  /** Tickets opened from this channel. */
  tickets: number;
  /** Contacts: each new ticket's first one, and the requesters' later messages on any ticket. */
  contacts: number;
  link: string;
}
export interface Bucket {
  key: string;
  tickets: number;
  link: string;
}
export interface VolumeReport {
  tickets: number;
  contacts: number;
  byChannel: ChannelVolume[];
  byType: Bucket[];
  byTeam: Bucket[];
  byPriority: Bucket[];
  /** Days in the desk's zone, every day of the range (empty ones too, so a chart's axis is whole). */
  byDay: Bucket[];
  /** Hour of the day (00–23) in the desk's zone, summed over the range. */
  byHour: Bucket[];
}

/** Later contacts in the range (replies from requesters), by the channel they came on. */
export async function laterContacts(q: Sql, query: ReportQuery): Promise<Map<string, number>> {
  const f = filterSql(query.filter);
  const channel = jsonText(q.dialect, 'e.data', 'channel');
  const rows = await q.all<{ channel: string | null; n: unknown }>(
    `SELECT ${channel} AS channel, COUNT(*) AS n FROM events e JOIN tickets t ON t.id = e.ticket_id
      WHERE e.type ${typeIn(REPORT_EVENTS.contact)} AND e.at >= ? AND e.at < ?${f.where} GROUP BY ${channel}`,
    [query.from.toISOString(), query.to.toISOString(), ...f.params],
  );
  return new Map(rows.map((r) => [r.channel ?? 'unknown', num(r.n)]));
}

function days(query: ReportQuery): string[] {
  const out: string[] = [];
  let d = DateTime.fromJSDate(query.from, { zone: query.timezone }).startOf('day');
  const end = DateTime.fromJSDate(query.to, { zone: query.timezone });
  while (d < end) {
    out.push(d.toISODate()!);
    d = d.plus({ days: 1 });
  }
  return out;
}

export function volumeReport(facts: readonly TicketFact[], later: ReadonlyMap<string, number>, query: ReportQuery): VolumeReport {
  const link = (extra: Record<string, string>) => queueLink(query, extra);
  const bucket = (key: 'type' | 'team' | 'priority') =>
    countBy(facts, (f) => f[key]).map(([k, tickets]) => ({ key: k, tickets, link: link({ [key]: k }) }));

  const byChannelTickets = new Map(countBy(facts, (f) => f.channel));
  const channels = [...new Set([...byChannelTickets.keys(), ...later.keys()])];
  const byChannel = channels
    .map((key) => {
      const tickets = byChannelTickets.get(key) ?? 0;
      return { key, tickets, contacts: tickets + (later.get(key) ?? 0), link: link({ channel: key }) };
    })
    .sort((a, b) => b.contacts - a.contacts || a.key.localeCompare(b.key));

  const toLocal = localDayHour(query.timezone);
  const local = facts.map((f) => toLocal(f.createdAt));
  const perDay = new Map(countBy(local, (t) => t.day));
  const byDay = days(query).map((key) => {
    const start = DateTime.fromISO(key, { zone: query.timezone });
    const dayRange = { from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate(), filter: query.filter };
    return { key, tickets: perDay.get(key) ?? 0, link: queueLink(dayRange) };
  });
  const perHour = new Map(countBy(local, (t) => t.hour));
  const byHour = Array.from({ length: 24 }, (_, h) => {
    const key = String(h).padStart(2, '0');
    return { key, tickets: perHour.get(key) ?? 0, link: link({ hour: key }) };
  });

  return {
    tickets: facts.length,
    contacts: byChannel.reduce((n, c) => n + c.contacts, 0),
    byChannel,
    byType: bucket('type'),
    byTeam: bucket('team'),
    byPriority: bucket('priority'),
    byDay,
    byHour,
  };
}
