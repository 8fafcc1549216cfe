import type { ChannelState } from '../../types.js';

/**
 * What the desk's phone figures are computed from: one record per call, kept in channel state under
 * `voice:call:<CallSid>`. The IVR answers every call it takes; a call counts as answered by the IVR once
 * the caller got something from it (a status read out, a voicemail taken, a number texted), by an agent
 * once a dialled agent picked up, and as abandoned when it ended (Twilio's status callback) with neither.
 */
export interface CallRecord {
  sid: string;
  startedAt: string;
  answeredBy?: 'ivr' | 'agent';
  answeredAt?: string;
  endedAt?: string;
}

export const CALL_KEY_PREFIX = 'voice:call:';

type Mark = 'offered' | 'ivr' | 'agent' | 'ended';

/** IVR step (callback path) → what reaching it says about the call. */
const STEP_MARKS = new Map<string, (params: Record<string, string>) => Mark | undefined>([
  ['', () => 'offered'],
  ['status', () => 'ivr'],
  ['mine', () => 'ivr'],
  ['sms-number', () => 'ivr'],
  ['recording', () => 'ivr'],
  ['dial', (p) => (p.DialCallStatus === 'completed' || p.DialCallStatus === 'answered' ? 'agent' : undefined)],
  ['ended', () => 'ended'],
]);

function apply(record: CallRecord, mark: Mark, at: string): CallRecord {
  if (mark === 'ended') return record.endedAt ? record : { ...record, endedAt: at };
  if (mark === 'agent' && record.answeredBy !== 'agent') return { ...record, answeredBy: 'agent', answeredAt: at };
  if (mark === 'ivr' && !record.answeredBy) return { ...record, answeredBy: 'ivr', answeredAt: at };
  return record;
}

export interface CallRecords {
  /** Notes what an IVR step says about its call; a retried callback changes nothing. */
  observe(step: string, params: Record<string, string>): Promise<void>;
}

export function createCallRecords(state: ChannelState, now: () => Date): CallRecords {
  return {
    async observe(step, params) {
      const mark = STEP_MARKS.get(step)?.(params);
      const sid = params.CallSid;
      if (!mark || !sid) return;
      const key = `${CALL_KEY_PREFIX}${sid}`;
      const at = now().toISOString();
      const current = (await state.get<CallRecord>(key)) ?? { sid, startedAt: at };
      const next = apply(current, mark, at);
      if (next !== current || mark === 'offered') await state.set(key, next);
    },
  };
}
