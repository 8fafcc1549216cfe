import type { Logger } from '../../../shared/logger.js';
import type { TicketService } from '../../../ticketing/service-types.js';
import type { ChannelState, IntakePort, RequesterDirectory } from '../../types.js';
import type { AnnouncementStore } from '../announcement.js';
import type { VoiceConfig } from '../config.js';
import type { Lang } from '../speech.js';
import type { TextOutcome } from '../sms/texter.js';
import type { CallRecords } from './call-records.js';
import type { RecordingFetcher } from './recording-fetch.js';
import type { VoiceResponse, VoiceUrls } from '../twiml.js';

/** What the IVR steps use; built once by the channel (index.ts). */
export interface VoiceDeps {
  voice: VoiceConfig;
  urls: VoiceUrls;
  intake: IntakePort;
  tickets: TicketService;
  directory: RequesterDirectory;
  state: ChannelState;
  announcements: AnnouncementStore;
  /** Whether the hotline's calendar is open at an instant. */
  hotlineOpen(at: Date): boolean;
  /** The urgent line's on-call numbers, dialled in turn. */
  onCall: string[];
  operator?: string;
  /** Ticket-number prefixes of the configured types (INC, REQ …): a keyed-in number is tried with each. */
  ticketPrefixes: string[];
  timezone: string;
  /** The desk's language: used until the caller chooses. */
  defaultLang: Lang;
  /** Texts a caller their ticket number, once per call and ticket; never throws. */
  textTicketNumber(callSid: string, to: string, ticketNumber: string, lang: Lang): Promise<TextOutcome>;
  /** Copies a recording's audio into the attachment store (undefined when it cannot). */
  fetchRecording: RecordingFetcher;
  /** Each call's outcome, for the phone answer rate. */
  calls: CallRecords;
  now(): Date;
  logger: Logger;
}

/** One Twilio request to an IVR step: its form parameters (one value each) and the step's own query. */
export interface VoiceRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  /** The caller's language, from the step's query (`lang`), when already chosen. */
  lang?: Lang;
}

export type VoiceStep = (req: VoiceRequest, deps: VoiceDeps) => Promise<VoiceResponse>;

export const langOf = (v: string | undefined): Lang | undefined => (v === 'zh' || v === 'en' ? v : undefined);
