import type { Attachment } from '../../../intake/record.js';
import type { Logger } from '../../../shared/logger.js';
import type { AttachmentStore } from '../../types.js';

const TWILIO_API = 'https://api.twilio.com';
const TIMEOUT_MS = 15_000;

export interface RecordingFetchOptions {
  accountSid: string;
  authToken: string;
  /** TWILIO_API_URL: recordings on api.twilio.com are fetched there instead (a proxy, the tests' fake). */
  apiUrl?: string;
  attachments: AttachmentStore;
  logger: Logger;
}

/**
 * Copies a voicemail's audio into the attachment store, so agents hear it from the ticket even after
 * Twilio's retention. Our credentials go only to Twilio's API origin (or TWILIO_API_URL's), never to
 * whatever host a RecordingUrl names. Resolves undefined when the copy fails: the ticket then keeps the
 * URL, and the voicemail is never lost over it.
 */
export function createRecordingFetcher(opts: RecordingFetchOptions) {
  const target = opts.apiUrl ? new URL(opts.apiUrl) : new URL(TWILIO_API);
  const auth = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
  return async (recordingUrl: string, recordingSid: string): Promise<Attachment | undefined> => {
    let url: URL;
    try {
      url = new URL(`${recordingUrl}.mp3`);
    } catch {
      return undefined;
    }
    if (url.origin === TWILIO_API) {
      url.protocol = target.protocol;
      url.host = target.host;
    }
    if (url.origin !== target.origin) {
      opts.logger.warn({ recordingSid }, 'recording not on the Twilio API host; kept as a URL');
      return undefined;
    }
    try {
      const res = await fetch(url, { headers: { authorization: auth }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      return await opts.attachments.put(bytes, { name: `${recordingSid}.mp3`, contentType: 'audio/mpeg' });
    } catch (err) {
      opts.logger.warn({ recordingSid, err: (err as Error).message }, 'recording not copied; kept as a URL');
      return undefined;
    }
  };
}
export type RecordingFetcher = ReturnType<typeof createRecordingFetcher>;
