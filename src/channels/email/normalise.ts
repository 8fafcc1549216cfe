import { createHash } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { requesterIdentitySchema, type Attachment, type IntakeRecordInput } from '../../intake/record.js';
import { senderOf } from './headers.js';
import { detectLanguage } from '../../intake/language.js';
import mime from 'mime-types';
import { repairMojibake } from './charset.js';
import { htmlToPlain, isForward, trimQuoted } from './text.js';
import { replyToIds, ticketNumberFromSubject } from './thread.js';

/** Where the message came from and what the channel already stored for it. */
export interface NormaliseContext {
  id: string;
  receivedAt: string;
  /** Mailbox name (`default`, `security` …) and the routing hints its config presets. */
  mailbox: string;
  mailboxMeta: Record<string, string>;
  /** Attachments already stored (ctx.attachments.put), and the names of those left out with why. */
  attachments: Attachment[];
  droppedAttachments: Array<{ name: string; reason: string }>;
  /** Set when the mail must get no automatic answer (loop.ts). */
  automaticReason?: string;
}

/** An attachment the channel may store, picked within the count and size limits. */
export interface AttachmentCandidate {
  name: string;
  contentType: string;
  content: Buffer;
}

const MAX_SUBJECT = 500;
const MAX_BODY = 200_000;
/** The intake schema's own address check, so a sender address it would refuse is left out, not sent. */
const isEmail = (a: string) => requesterIdentitySchema.shape.email.safeParse(a).success;
/** Parts mailparser lists as attachments that are structure, not the sender's files. */
const STRUCTURAL = /^(message\/(delivery-status|global-delivery-status|disposition-notification)|text\/rfc822-headers)$/i;

/**
 * The text of a mail: its plain part or its HTML converted (never raw HTML). A reply's quotes and
 * signature are trimmed; a forward is kept whole, since what it passes on is the request.
 */
export function mailText(parsed: Pick<ParsedMail, 'text' | 'html' | 'subject'>): string {
  const plain = parsed.text?.trim() ? parsed.text : typeof parsed.html === 'string' ? htmlToPlain(parsed.html) : '';
  return isForward(parsed.subject ?? '', plain) ? plain.replace(/\r\n?/g, '\n').trim() : trimQuoted(plain);
}

/** Picks the attachments to keep: inline images referenced by cid are dropped, then count and size limits apply. */
export function selectAttachments(
  parsed: Pick<ParsedMail, 'attachments'>,
  limits: { maxBytes: number; maxCount: number },
): { keep: AttachmentCandidate[]; dropped: Array<{ name: string; reason: string }> } {
  const keep: AttachmentCandidate[] = [];
  const dropped: Array<{ name: string; reason: string }> = [];
  for (const [i, att] of parsed.attachments.entries()) {
    if (STRUCTURAL.test(att.contentType) || (att.related && att.contentDisposition !== 'attachment')) continue;
    const name = attachmentName(att, i);
    if (att.content.length > limits.maxBytes) dropped.push({ name, reason: `over ${formatBytes(limits.maxBytes)}` });
    else if (keep.length >= limits.maxCount) dropped.push({ name, reason: `more than ${limits.maxCount} attachments` });
    else keep.push({ name, contentType: att.contentType || 'application/octet-stream', content: att.content });
  }
  return { keep, dropped };
}

/**
 * A file name a person can open: the sender's (decoded; RFC 2231 and raw 8-bit names arrive decoded,
 * and UTF-8 read as Latin-1 is repaired), without control characters or path separators. A forwarded
 * mail (message/rfc822) is named after its subject, with `.eml`; other unnamed parts get the extension
 * their type calls for.
 */
export function attachmentName(att: Pick<ParsedMail['attachments'][number], 'filename' | 'contentType'>, index: number): string {
  const clean = (s: string) => repairMojibake(s).replace(/[\u0000-\u001f\u007f/\\]+/g, ' ').replace(/\s+/g, ' ').trim();
  const given = clean(att.filename ?? '');
  if (given) return given.slice(0, 255);
  const ext = (mime.extension(att.contentType || '') || 'bin').replace(/^mpga$/, 'mp3');
  return `attachment-${index + 1}.${ext}`;
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(n / 1024)} KB`;
}

/**
 * The dedupe key: the Message-ID plus a hash of what the sender wrote, so a re-delivery (another mailbox,
 * a re-fetch) is one contact while a sender reusing a Message-ID for new content is another.
 */
export function emailDedupeKey(messageId: string | undefined, contentHash: string): string {
  return messageId ? `email:${messageId.slice(0, 400)}#${contentHash.slice(0, 16)}` : `email:sha256:${contentHash}`;
}

export function contentHash(parts: { from?: string; subject?: string; date?: string; text: string; attachments?: string[] }): string {
  const h = createHash('sha256');
  for (const p of [parts.from ?? '', parts.subject ?? '', parts.date ?? '', parts.text, ...(parts.attachments ?? [])]) h.update(p).update('\0');
  return h.digest('hex');
}

function requesterOf(parsed: Pick<ParsedMail, 'from' | 'replyTo'>, language: 'zh' | 'en' | undefined): IntakeRecordInput['requester'] {
  const { address, name } = senderOf(parsed);
  return {
    ...(address && isEmail(address) ? { email: address } : {}),
    ...(name ? { name: name.slice(0, 200) } : {}),
    ...(language ? { language } : {}),
  };
}

/**
 * Pure normaliser: a parsed mail (not a delivery report) and what the channel stored for it → the
 * channel-neutral intake record.
 */
export function parsedMailToIntake(parsed: ParsedMail, nctx: NormaliseContext): IntakeRecordInput {
  const subject = (parsed.subject ?? '').trim();
  let body = mailText(parsed);
  if (nctx.droppedAttachments.length) {
    body += `\n\n[${nctx.droppedAttachments.map((d) => `${d.name}: not kept, ${d.reason}`).join('; ')}]`;
  }
  const language = detectLanguage(`${subject}\n${body}`);
  const hash = contentHash({
    from: senderOf(parsed).address,
    subject,
    date: parsed.date?.toISOString(),
    text: body,
    attachments: nctx.attachments.map((a) => a.sha256),
  });
  const ticketNumber = ticketNumberFromSubject(subject);
  const replyTo = replyToIds(parsed.inReplyTo, parsed.references);
  const meta: Record<string, string> = { ...nctx.mailboxMeta, mailbox: nctx.mailbox };
  if (parsed.messageId) meta.message_id = parsed.messageId.slice(0, 500);
  if (nctx.automaticReason) {
    meta.auto_reply = 'true';
    meta.auto_reason = nctx.automaticReason;
  }
  return {
    id: nctx.id,
    channel: 'email',
    receivedAt: nctx.receivedAt,
    dedupeKey: emailDedupeKey(parsed.messageId, hash),
    requester: requesterOf(parsed, language),
    subject: subject.slice(0, MAX_SUBJECT),
    body: body.slice(0, MAX_BODY),
    ...(language ? { language } : {}),
    attachments: nctx.attachments,
    thread: {
      ...(ticketNumber ? { ticketNumber } : {}),
      ...(replyTo.length ? { replyTo } : {}),
      ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
    },
    meta,
  };
}

/** Marks the body of a contact whose mail was too large to fetch, so the acknowledgement can say so. */
export const OVERSIZE_MARK = '[spoc:oversize]';

/** What IMAP tells us of a message before downloading it (ENVELOPE and RFC822.SIZE). */
export interface EnvelopeSummary {
  messageId?: string;
  subject?: string;
  from?: { address?: string; name?: string };
  date?: string;
  size: number;
}

/** A mail over the size limit becomes a contact saying so; its body was never downloaded. */
export function oversizeToIntake(env: EnvelopeSummary, limitBytes: number, nctx: Omit<NormaliseContext, 'attachments' | 'droppedAttachments'>): IntakeRecordInput {
  const subject = (env.subject ?? '').trim();
  const body = `${OVERSIZE_MARK} This email is ${formatBytes(env.size)}, over the ${formatBytes(limitBytes)} limit, and was not downloaded. Please send the details again without large attachments, or share them by link.`;
  const language = detectLanguage(subject);
  const address = env.from?.address?.toLowerCase();
  const ticketNumber = ticketNumberFromSubject(subject);
  return {
    id: nctx.id,
    channel: 'email',
    receivedAt: nctx.receivedAt,
    dedupeKey: emailDedupeKey(env.messageId, contentHash({ from: address, subject, date: env.date, text: `size:${env.size}` })),
    requester: {
      ...(address && isEmail(address) ? { email: address } : {}),
      ...(env.from?.name ? { name: env.from.name.slice(0, 200) } : {}),
      ...(language ? { language } : {}),
    },
    subject: subject.slice(0, MAX_SUBJECT),
    body,
    ...(language ? { language } : {}),
    attachments: [],
    thread: { ...(ticketNumber ? { ticketNumber } : {}), ...(env.messageId ? { messageId: env.messageId } : {}) },
    meta: {
      ...nctx.mailboxMeta,
      mailbox: nctx.mailbox,
      oversize: 'true',
      size: String(env.size),
      ...(env.messageId ? { message_id: env.messageId.slice(0, 500) } : {}),
      ...(nctx.automaticReason ? { auto_reply: 'true', auto_reason: nctx.automaticReason } : {}),
    },
  };
}
