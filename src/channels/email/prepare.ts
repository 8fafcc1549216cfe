import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { Attachment, IntakeRecordInput } from '../../intake/record.js';
import { SpocError } from '../../shared/errors.js';
import type { AttachmentStore } from '../types.js';
import type { EmailConfig } from './config.js';
import { readDeliveryReport, type DeliveryReport } from './dsn.js';
import { automaticReason, isDeliveryReport, isOurOwnMail, OUR_OWN_MAIL, type OwnIdentity } from './loop.js';
import { parsedMailToIntake, selectAttachments } from './normalise.js';

export interface MailboxSettings {
  name: string;
  meta: Record<string, string>;
}

export interface MessageOrigin {
  mailbox: string;
  uidValidity: string;
  uid: number;
}

/**
 * A downloaded message read and normalised, nothing written but its attachments' content-addressed
 * files. Plain data, so a worker thread can hand it back.
 */
export type PreparedMail = { origin: MessageOrigin } & (
  | { kind: 'contact'; record: IntakeRecordInput; auto?: string; droppedAttachments?: number }
  | { kind: 'bounce'; report: DeliveryReport }
  | { kind: 'quarantine'; reason: string; size: number }
  | { kind: 'skip'; reason: string }
);

export interface PrepareDeps {
  config: EmailConfig;
  own: OwnIdentity;
  attachments: AttachmentStore;
  parse(raw: Buffer): Promise<ParsedMail>;
}

/** The fields every contact from this mailbox starts with. */
export function contactBase(mailbox: MailboxSettings) {
  return { id: randomUUID(), receivedAt: new Date().toISOString(), mailbox: mailbox.name, mailboxMeta: mailbox.meta };
}

/**
 * Parses a downloaded message into a contact, a delivery report, or a reason to keep it aside. Throws only
 * when storing an attachment failed for a reason other than its size (disk, I/O): the message is retried.
 */
export async function prepareDownloaded(deps: PrepareDeps, mailbox: MailboxSettings, origin: MessageOrigin, raw: Buffer): Promise<PreparedMail> {
  let parsed: ParsedMail;
  try {
    parsed = await deps.parse(raw);
  } catch (err) {
    return { kind: 'quarantine', reason: (err as Error).message.slice(0, 200), size: raw.length, origin };
  }
  if (isDeliveryReport(parsed)) return { kind: 'bounce', report: readDeliveryReport(parsed), origin };
  // Our own mail come back is neither a request nor the requester's word on a ticket.
  if (isOurOwnMail(parsed, deps.own)) return { kind: 'skip', reason: OUR_OWN_MAIL, origin };

  const auto = automaticReason(parsed, deps.own);
  const { keep, dropped } = selectAttachments(parsed, deps.config.attachments);
  const stored: Attachment[] = [];
  for (const a of keep) {
    try {
      stored.push(await deps.attachments.put(a.content, { name: a.name, contentType: a.contentType }));
    } catch (err) {
      // The store's own limit is final for this file; anything else (disk, I/O) is retried with the message.
      if (!(err instanceof SpocError && err.code === 'attachment_too_large')) throw err;
      dropped.push({ name: a.name, reason: 'over the attachment size limit' });
    }
  }
  const record = parsedMailToIntake(parsed, { ...contactBase(mailbox), attachments: stored, droppedAttachments: dropped, ...(auto ? { automaticReason: auto } : {}) });
  return { kind: 'contact', record, ...(auto ? { auto } : {}), ...(dropped.length ? { droppedAttachments: dropped.length } : {}), origin };
}
