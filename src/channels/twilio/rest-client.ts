import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { parseRetryAfter } from '../../dispatch/retry-after.js';
import { RetryLaterError } from '../../dispatch/types.js';
import { PermanentJobError } from '../../shared/errors.js';

/** Used when Twilio answers 429 without Retry-After. */
const DEFAULT_RETRY_MS = 5_000;

/**
 * twilio-node builds every URI on its own hosts (`https://api.twilio.com/2010-04-01/…`); `edge` and
 * `region` only change the host name. This client rewrites the origin to TWILIO_API_URL (a proxy or the
 * tests' fake) and keeps the path, and turns a 429 into RetryLaterError with the server's Retry-After,
 * which twilio-node's own RestException does not carry.
 */
export class BaseUrlRequestClient extends twilio.RequestClient {
  private readonly base: URL | undefined;

  constructor(apiUrl: string | undefined) {
    super({ timeout: 15_000 });
    this.base = apiUrl ? new URL(apiUrl) : undefined;
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = new URL(opts.uri);
    if (this.base) {
      uri.protocol = this.base.protocol;
      uri.host = this.base.host;
      uri.pathname = this.base.pathname.replace(/\/+$/, '') + uri.pathname;
    }
    const res = await super.request<TData>({ ...opts, uri: uri.href });
    if (res.statusCode === 429) {
      const header = (res.headers as Record<string, string | undefined>)['retry-after'];
      throw new RetryLaterError('twilio rate limited (429)', parseRetryAfter(header) ?? DEFAULT_RETRY_MS);
    }
    return res;
  }
}

export interface SmsSender {
  /** Sends one text from the desk's number; resolves with Twilio's MessageSid. */
  send(to: string, body: string): Promise<{ sid: string }>;
}

export interface SmsSenderOptions {
  accountSid: string;
  authToken: string;
  from: string;
  apiUrl?: string;
}

/**
 * The desk's outbound texts through the real twilio client. Failures are classed for the outbox: 429 →
 * RetryLaterError, 5xx and network errors → retried, any other 4xx (bad number, unsubscribed recipient)
 * → PermanentJobError.
 */
export function createSmsSender(opts: SmsSenderOptions): SmsSender {
  const client = twilio(opts.accountSid, opts.authToken, { httpClient: new BaseUrlRequestClient(opts.apiUrl) });
  return {
    async send(to, body) {
      try {
        const msg = await client.messages.create({ to, from: opts.from, body });
        return { sid: msg.sid };
      } catch (err) {
        const status = (err as { status?: unknown }).status;
        if (typeof status === 'number' && status >= 400 && status < 500) {
          throw new PermanentJobError(`twilio refused the message (${status}${(err as { code?: number }).code ? ` code ${(err as { code?: number }).code}` : ''})`);
        }
        throw err;
      }
    },
  };
}
