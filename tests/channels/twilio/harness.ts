import { expect } from 'vitest';
import type { Ticket } from '../../../src/ticketing/types.js';
import { startFakeTwilio, type FakeTwilio } from '../../support/fake-twilio.js';
import { startSpoc, type RunningSpoc } from '../../support/spoc.js';
import { twilioConfigDir } from './config-dir.js';
import { parseTwiml, postSigned, type Verb } from './twiml.js';

export const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const AUTH_TOKEN = 'twilio-test-auth-token';
export const DESK = '+8610800000000';
export const PUBLIC = 'https://spoc.example.com';
export const ON_CALL = ['+8613800000201', '+8613800000202'];

export interface Harness {
  spoc: RunningSpoc;
  fake: FakeTwilio;
  cleanup(): Promise<void>;
}

/** spoc booted with Twilio on, talking to a fake Twilio REST API, on a copy of the repo's config. */
export async function boot(opts: { closedNow?: boolean } = {}): Promise<Harness> {
  const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const config = twilioConfigDir({ onCall: ON_CALL, closedNow: opts.closedNow });
  const spoc = await startSpoc({
    env: {
      SPOC_CONFIG_DIR: config.dir,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: DESK,
      TWILIO_API_URL: fake.url,
      PUBLIC_BASE_URL: PUBLIC,
    },
  });
  return {
    spoc,
    fake,
    async cleanup() {
      await spoc.close();
      await fake.close();
      config.cleanup();
    },
  };
}

/** One phone call: posts to a step (a path or a URL from the last TwiML) with the call's parameters. */
export function caller(h: Harness, from: string, callSid: string) {
  const base = { AccountSid: ACCOUNT_SID, CallSid: callSid, From: from, Caller: from, To: DESK, Called: DESK, Direction: 'inbound', ApiVersion: '2010-04-01' };
  return async (pathOrUrl: string, params: Record<string, string> = {}): Promise<Verb[]> => {
    const res = await postSigned({ baseUrl: h.spoc.url, publicBaseUrl: PUBLIC, authToken: AUTH_TOKEN }, pathOrUrl, { ...base, CallStatus: 'in-progress', ...params });
    expect(res.status, res.body).toBe(200);
    return parseTwiml(res.body);
  };
}

export const recordingParams = (sid: string, url: string) => ({ RecordingSid: sid, RecordingUrl: url, RecordingDuration: '14' });
export const transcriptionParams = (sid: string, url: string, text: string) => ({
  ...recordingParams(sid, url),
  TranscriptionSid: `TR${sid.slice(2)}`,
  TranscriptionStatus: 'completed',
  TranscriptionText: text,
  TranscriptionType: 'fast',
  CallStatus: 'completed',
});

export async function ticketsOf(h: Harness): Promise<Ticket[]> {
  return h.spoc.ctx.tickets.list({ limit: 1000 });
}

/** An incoming text as Twilio posts it; answers the status and the TwiML parsed. */
export async function textIn(h: Harness, from: string, sid: string, body: string): Promise<{ status: number; verbs: Verb[] }> {
  const res = await postSigned({ baseUrl: h.spoc.url, publicBaseUrl: PUBLIC, authToken: AUTH_TOKEN }, '/twilio/sms', {
    ToCountry: 'CN',
    SmsMessageSid: sid,
    NumMedia: '0',
    SmsSid: sid,
    SmsStatus: 'received',
    Body: body,
    To: DESK,
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: ACCOUNT_SID,
    From: from,
    ApiVersion: '2010-04-01',
  });
  return { status: res.status, verbs: res.status === 200 ? parseTwiml(res.body) : [] };
}
