import type { ParsedMail } from 'mailparser';
import { withFields, type FieldLogger, type Logger } from '../../shared/logger.js';
import { SpocError } from '../../shared/errors.js';
import type { TicketService } from '../../ticketing/service-types.js';
import type { AttachmentStore, IntakePort, ThreadIndex } from '../types.js';
import type { EmailConfig } from './config.js';
import type { EmailState } from './state.js';
import type { DeliveryReport } from './dsn.js';
import { automaticReason, type OwnIdentity } from './loop.js';
import { oversizeToIntake, type EnvelopeSummary } from './normalise.js';
import { parseEmail } from './parse.js';
import type { ParsePool } from './parse-pool.js';
import { contactBase, prepareDownloaded, type MailboxSettings, type PreparedMail } from './prepare.js';

/** One message as the mailbox watcher hands it over: what IMAP said of it, and how to download it. */
export interface FetchedMessage {
  uid: number;
  uidValidity: string;
  envelope: EnvelopeSummary;
  load(): Promise<Buffer>;
}

/** What became of a message; every outcome lets the watcher flag it \Seen. */
export type InboundOutcome =
  | { kind: 'accepted'; outcome: string; ticket: string }
  | { kind: 'bounce'; ticket?: string; failed: string[] }
  | { kind: 'quarantined'; reason: string }
  | { kind: 'skipped'; reason: string };

/**
 * A message read and normalised but not yet written anywhere. Preparing is CPU work (on the parse threads
 * when there are some); committing writes the store, on the event loop.
 */
export type PreparedMessage = PreparedMail & { log: FieldLogger };

export interface InboundDeps {
  intake: IntakePort;
  tickets: Pick<TicketService, 'reply'>;
  attachments: AttachmentStore;
  emailState: EmailState;
  /** Finds the ticket a bounce is about, by the Message-ID we sent. */
  threads: Pick<ThreadIndex, 'find'>;
  config: EmailConfig;
  own: OwnIdentity;
  logger: Logger;
  /** mailparser with the channel's charset handling; replaceable to exercise the unparseable path. */
  parse?: (raw: Buffer) => Promise<ParsedMail>;
  /** Worker threads to parse on; without them (or with `parse` replaced) mail is parsed on the event loop. */
  parsePool?: ParsePool;
}

const SYSTEM = { id: 'system', role: 'system' } as const;

/** True when a prepared message continues a ticket, so it must not overtake the mail before it. */
export function continuesThread(p: PreparedMessage): boolean {
  return p.kind === 'contact' && !!(p.record.thread?.ticketNumber || p.record.thread?.replyTo?.length);
}

/**
 * Turns one fetched message into an intake call (or a bounce record), the part of inbound mail that does
 * not depend on IMAP. `commit` throws only when intake itself failed: the watcher then retries the message.
 */
export function createInboundProcessor(deps: InboundDeps) {
  const parse = deps.parse ?? parseEmail;
  // A replaced parser is a function of this thread: it cannot run on the pool's.
  const pool = deps.parse ? undefined : deps.parsePool;

  /** Where a message is from, and the logger that names it. */
  function contextOf(mailbox: MailboxSettings, msg: Omit<FetchedMessage, 'load'>) {
    const log = withFields(deps.logger, { channel: 'email', mailbox: mailbox.name, uid: msg.uid, size: msg.envelope.size });
    return { log, origin: { mailbox: mailbox.name, uidValidity: msg.uidValidity, uid: msg.uid } };
  }

  async function prepare(mailbox: MailboxSettings, msg: FetchedMessage): Promise<PreparedMessage> {
    const { log, origin } = contextOf(mailbox, msg);

    if (msg.envelope.size > deps.config.maxMessageBytes) {
      const from = msg.envelope.from?.address;
      const auto = automaticReason(
        { headerLines: [], from: from ? { value: [{ address: from, name: '' }], html: '', text: '' } : undefined, messageId: msg.envelope.messageId },
        deps.own,
      );
      log.warn({ limit: deps.config.maxMessageBytes }, 'email over the size limit: not downloaded');
      const record = oversizeToIntake(msg.envelope, deps.config.maxMessageBytes, { ...contactBase(mailbox), ...(auto ? { automaticReason: auto } : {}) });
      return { kind: 'contact', record, ...(auto ? { auto } : {}), origin, log };
    }

    const raw = await msg.load();
    const prepared = pool
      ? await pool.prepare(mailbox, origin, raw)
      : await prepareDownloaded({ config: deps.config, own: deps.own, attachments: deps.attachments, parse }, mailbox, origin, raw);
    if (prepared.kind === 'contact' && prepared.droppedAttachments) log.info({ dropped: prepared.droppedAttachments }, 'attachments left out');
    return { ...prepared, log };
  }

  /** A message that failed every try it gets: kept aside, so the mail behind it is read. */
  function exhausted(mailbox: MailboxSettings, msg: Omit<FetchedMessage, 'load'>, tries: number, lastError: string | undefined): PreparedMessage {
    const { log, origin } = contextOf(mailbox, msg);
    return { kind: 'quarantine', reason: `failed ${tries} tries${lastError ? `: ${lastError}` : ''}`.slice(0, 300), size: msg.envelope.size, origin, log };
  }

  async function bounce(report: DeliveryReport, log: FieldLogger): Promise<InboundOutcome> {
    const ticket = report.originalMessageId ? (await deps.threads.find(report.originalMessageId))?.number : undefined;
    await Promise.all(report.failed.map((address) => deps.emailState.markDead(address, { status: report.status[address], ticket })));
    if (ticket && report.failed.length) {
      const lines = report.failed.map((a) => `${a}${report.status[a] ? ` (status ${report.status[a]})` : ''}`);
      await deps.tickets
        .reply(ticket, SYSTEM, {
          internal: true,
          body: `Mail to the requester bounced: ${lines.join(', ')}. No further mail will be sent to this address.`,
        })
        .catch((err: Error) => log.warn({ ticket, err: err.message }, 'bounce not recorded on ticket'));
    }
    log.info({ ticket, failed: report.failed.length }, 'delivery report recorded');
    return { kind: 'bounce', ...(ticket ? { ticket } : {}), failed: report.failed };
  }

  async function commit(p: PreparedMessage): Promise<InboundOutcome> {
    switch (p.kind) {
      case 'quarantine':
        await deps.emailState.quarantine(p.origin.mailbox, p.origin.uidValidity, p.origin.uid, { reason: p.reason, size: p.size });
        p.log.error({ uidValidity: p.origin.uidValidity, reason: p.reason, notice: 'operator' }, 'email kept aside');
        return { kind: 'quarantined', reason: p.reason };
      case 'bounce':
        return bounce(p.report, p.log);
      case 'skip':
        p.log.info({ reason: p.reason }, 'email skipped');
        return { kind: 'skipped', reason: p.reason };
      case 'contact': {
        // Before accept(): the acknowledgement job may run the moment the ticket commits.
        if (p.auto) await deps.emailState.markQuiet(p.record.id, p.auto);
        let result;
        try {
          result = await deps.intake.accept(p.record);
        } catch (err) {
          // Intake refusing this contact (4xx) would refuse it on every retry: keep it aside and go on.
          // A conflict (409: another process is accepting it) and any other failure are retried.
          if (!(err instanceof SpocError && err.status >= 400 && err.status < 500 && err.status !== 409)) throw err;
          return commit({ kind: 'quarantine', reason: `intake refused: ${err.message}`.slice(0, 200), size: 0, origin: p.origin, log: p.log });
        }
        p.log.info({ ticketId: result.ticket.id, outcome: result.outcome, auto: !!p.auto }, 'email accepted');
        return { kind: 'accepted', outcome: result.outcome, ticket: result.ticket.number };
      }
    }
  }

  return { prepare, exhausted, commit };
}

export type InboundProcessor = ReturnType<typeof createInboundProcessor>;
