import { CALL_KEY_PREFIX, type CallRecord } from '../channels/twilio/voice/call-records.js';
import type { Sql } from '../ticketing/db/sql.js';
import { fromJson } from '../ticketing/db/codec.js';
import { queueLink } from './links.js';
import type { ReportQuery } from './query.js';
import { percent } from './stats.js';

/** A call that never ended is counted abandoned once this long has passed without an answer (its end callback was lost). */
const GIVE_UP_MS = 3_600_000;

export interface PhoneReport {
  calls: number;
  answeredByIvr: number;
  answeredByAgent: number;
  abandoned: number;
  /** Still going, not answered yet: in neither side of the rate. */
  inProgress: number;
  /** Answered (IVR or agent) over answered + abandoned. */
  answerRate: number | null;
  /** The voice channel's tickets of the range (voicemails, calls taken down). */
  ticketsLink: string;
}

/** The calls that started in the range, from the voice channel's call records (channel state, by key range). */
export async function callRecords(q: Sql, query: Pick<ReportQuery, 'from' | 'to'>): Promise<CallRecord[]> {
  // `;` follows `:` in ASCII: the range is every key with the prefix, read from the primary key's index.
  const rows = await q.all('SELECT value FROM channel_state WHERE key >= ? AND key < ?', [CALL_KEY_PREFIX, `${CALL_KEY_PREFIX.slice(0, -1)};`]);
  const from = query.from.toISOString();
  const to = query.to.toISOString();
  return rows.map((r) => fromJson<CallRecord>(r.value)).filter((c) => c.startedAt >= from && c.startedAt < to);
}

export function phoneReport(calls: readonly CallRecord[], query: ReportQuery): PhoneReport {
  let ivr = 0;
  let agent = 0;
  let abandoned = 0;
  let inProgress = 0;
  for (const c of calls) {
    if (c.answeredBy === 'agent') agent++;
    else if (c.answeredBy === 'ivr') ivr++;
    else if (c.endedAt || query.now.getTime() - Date.parse(c.startedAt) > GIVE_UP_MS) abandoned++;
    else inProgress++;
  }
  return {
    calls: calls.length,
    answeredByIvr: ivr,
    answeredByAgent: agent,
    abandoned,
    inProgress,
    answerRate: percent(ivr + agent, ivr + agent + abandoned),
    ticketsLink: queueLink(query, { channel: 'voice' }),
  };
}
