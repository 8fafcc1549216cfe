import type { IntakePort } from '../channels/types.js';
import { requesterProfile, type Router } from '../router/index.js';
import { newText } from '../router/new-text.js';
import { countsForVolume, type VolumeWindow } from '../router/volume.js';
import { SpocError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import type { InboundMessageInput, Sql, Store, TicketOps } from '../ticketing/index.js';
import type { LockedTicket } from '../ticketing/ops.js';
import type { IntakeResult } from '../ticketing/service-types.js';
import { OPEN_STATUSES, type Requester, type Ticket } from '../ticketing/types.js';
import type { IntakeConfig } from './config.js';
import { detectLanguage } from './language.js';
import { readReplyIntent, type ReadIntent } from './reply-intent.js';
import type { RouteAhead, RoutedAhead } from './route-ahead.js';
import { intakeRecordSchema, type IntakeRecord } from './record.js';
import { conversationKey, findThread, threadKeysOf, type ThreadMatch } from './threading.js';

export interface IntakeServiceDeps {
  store: Store;
  ops: TicketOps;
  router: Router;
  config: IntakeConfig;
  logger: Logger;
  metrics?: Metrics;
  now?: () => Date;
  /** Routes contacts on a thread before their transaction; without it, routing runs inside the transaction. */
  routeAhead?: RouteAhead;
  /** Called after each commit that wrote outbox jobs, so the embedded runner starts at once. */
  onCommitted?: () => void;
  /** gateway.yaml `loop.closeOnConfirm`: a requester's confirmation of a resolved ticket closes it. */
  closeOnConfirm?: boolean;
  /** Runs in the contact's transaction once it created a ticket (major incidents link children and count storms). */
  afterCreate?: (tx: Sql, ticket: Ticket, record: IntakeRecord) => Promise<void>;
  /** Counts faults per service: several people within minutes raise the urgency of the next. */
  volume?: VolumeWindow;
}

/** An automatic answer (out of office) says nothing about the fix. */
const AUTO_REPLY: ReadIntent = { intent: 'auto_reply', why: 'automatic reply' };
/** Monitoring writes no words to read: an alert group firing again after its resolution is the problem back. */
const REFIRED: ReadIntent = { intent: 'persisting', why: 'the alert fired again' };

const HOUR = 3_600_000;

function parseRecord(input: unknown): IntakeRecord {
  const parsed = intakeRecordSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new SpocError('invalid_contact', `${where}${issue?.message ?? 'invalid contact'}`, 400);
}

/** `sms:+8613800000000`, `email:a@corp.example`: how the requester appears on events. */
function actorOf(record: IntakeRecord, requester: Requester): string {
  const r = record.requester;
  return `${record.channel}:${r.email ?? r.phone ?? r.slackUserId ?? r.chatSessionId ?? requester.id}`;
}

/** A subject for contacts that have none (SMS, voicemail): the first line of the text, shortened. */
function subjectOf(record: IntakeRecord): string {
  if (record.subject.trim()) return record.subject.trim();
  const line = record.body.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line || `(${record.channel} contact)`;
}

/**
 * Turns a normalised contact into a ticket in one transaction: dedupe, requester, thread, route, create.
 * A channel acknowledges its peer only after `accept` resolved, so an accepted contact is never lost.
 */
export function createIntakeService(deps: IntakeServiceDeps): IntakePort {
  const { store, ops, router, routeAhead, config, logger, metrics } = deps;
  const now = deps.now ?? (() => new Date());

  /** Whether a matched ticket continues, reopens, or only gets a linked successor. */
  function verdict(match: ThreadMatch, at: Date): 'join' | 'reopen' | 'link' | 'ignore' {
    const { ticket } = match;
    if (match.via === 'conversation' && at.getTime() - Date.parse(ticket.updatedAt) > config.conversationWindowHours * HOUR) return 'ignore';
    if (OPEN_STATUSES.includes(ticket.status)) return 'join';
    const doneAt = Date.parse(ticket.resolvedAt ?? ticket.closedAt ?? ticket.updatedAt);
    if (at.getTime() - doneAt <= config.reopenWindowDays * 24 * HOUR) return 'reopen';
    return match.via === 'conversation' ? 'ignore' : 'link';
  }

  async function create(tx: Sql, record: IntakeRecord, ahead: RoutedAhead | undefined, requester: Requester, message: InboundMessageInput, actor: string, at: Date, language: 'zh' | 'en') {
    const profile = requesterProfile(requester, record.channel);
    const routed = routeAhead?.holds(ahead, profile) ? ahead.decision : router.route({ record, requester: profile }, at);
    routeAhead?.remember(record, profile);
    metrics?.routed.inc({ where: routed === ahead?.decision ? 'ahead' : 'transaction' });
    const surge = deps.volume && countsForVolume(routed) ? deps.volume.observe(routed.service, requester.id, at) : undefined;
    const decision = surge ? router.raise(routed, surge, at) : routed;
    const { ticket } = await ops.createTicket(tx, {
      decision,
      subject: subjectOf(record),
      channel: record.channel,
      requester,
      language,
      actor,
      intakeId: record.id,
      dedupeKey: record.dedupeKey,
      firstMessage: message,
    });
    return ticket;
  }

  /** The requester said it is fixed: the loop ends here, as the Slack "Yes, close it" button ends it. */
  async function closeConfirmed(tx: Sql, resolved: LockedTicket, actor: string, why: string) {
    const { ticket, data } = await ops.move(tx, resolved, 'closed', { closedAt: now().toISOString() });
    await ops.recordEvent(tx, ticket, 'closed', actor, { ...data, confirmed: why });
    return ticket;
  }

  async function acceptInTx(tx: Sql, record: IntakeRecord, ahead: RoutedAhead | undefined): Promise<IntakeResult> {
    const claim = await ops.claimDedupeKey(tx, record.dedupeKey);
    if (!claim.claimed) {
      if (!claim.ticket) throw new SpocError('duplicate_in_flight', `contact ${record.dedupeKey} is already being accepted`, 409);
      const requester = await ops.getRequester(tx, claim.ticket.requesterId);
      return { outcome: 'duplicate', ticket: claim.ticket, requester: requester! };
    }
    const at = now();
    const requester = await ops.resolveRequester(tx, record.requester);
    const actor = actorOf(record, requester);
    const language = record.language ?? requester.language ?? detectLanguage(`${record.subject}\n${record.body}`) ?? 'en';
    // A Message-ID is the sender's word, not a guarantee: real mailers reuse one for different mail (whose
    // dedupe key differs by content). That mail keeps its own message, without the id another one holds.
    const nativeId = record.thread.messageId;
    const nativeIdTaken = nativeId !== undefined && (await ops.findTicketByMessageNativeId(tx, record.channel, nativeId)) !== undefined;
    const message: InboundMessageInput = {
      channel: record.channel,
      body: record.body,
      author: actor,
      ...(nativeId && !nativeIdTaken ? { nativeId } : {}),
      attachments: record.attachments,
    };

    const match = await findThread(tx, ops, record);
    const action = match ? verdict(match, at) : 'create';
    let result: IntakeResult;
    if (match && (action === 'join' || action === 'reopen')) {
      // A reply to a resolved (or closed) ticket is read for its intent: "还是不行" or the problem back
      // again reopens it, a confirmation ("好了，谢谢") may close it, anything else joins as a message (and
      // holds auto-close for an agent). Only the new text is read: a quoted resolution mail says "还是不行" in
      // its instructions. An out-of-office answer to our resolution mail reopens nothing.
      const read = action !== 'reopen' ? undefined : record.meta.auto_reply === 'true' ? AUTO_REPLY : record.channel === 'alert' ? REFIRED : readReplyIntent(newText(record.body).text);
      const reopens = read?.intent === 'not_fixed' || read?.intent === 'persisting';
      const locked = await ops.lock(tx, match.ticket);
      const current = reopens ? await ops.reopen(tx, locked, actor, `requester wrote again: ${match.reason}; ${read!.why}`) : locked;
      // Why it joined, and the intent read, are kept on the event.
      const why = read ? `${match.reason}; intent ${read.intent}: ${read.why}` : match.reason;
      let { ticket } = await ops.addInboundMessage(tx, current, message, actor, why, read ? { intent: read.intent } : {});
      if (read?.intent === 'confirmed' && ticket.status === 'resolved' && deps.closeOnConfirm) ticket = await closeConfirmed(tx, ticket, actor, read.why);
      result = { outcome: reopens ? 'reopened' : 'joined', ticket, requester, reason: match.reason };
    } else {
      const ticket = await create(tx, record, ahead, requester, message, actor, at, language);
      await deps.afterCreate?.(tx, ticket, record);
      result = { outcome: 'created', ticket, requester };
      if (match && action === 'link') {
        await ops.recordEvent(tx, ticket, 'linked', actor, { to: match.ticket.number, reason: `${match.reason}, resolved too long ago to reopen` });
        await ops.recordEvent(tx, match.ticket, 'linked', actor, { to: ticket.number, reason: 'follow-up contact' });
        result.linkedTo = match.ticket.number;
      }
    }

    await ops.bindDedupeKey(tx, record.dedupeKey, result.ticket.id);
    await ops.linkThreadKeys(tx, result.ticket.id, threadKeysOf(record));
    // A conversation follows its newest ticket: the next SMS from this sender continues this one.
    if (record.thread.conversationId) await ops.moveThreadKey(tx, conversationKey(record.thread.conversationId), result.ticket.id);
    return result;
  }

  return {
    async accept(input) {
      const record = parseRecord(input);
      const started = performance.now();
      const ahead = await routeAhead?.route(record);
      const result = await store.withTx((tx) => acceptInTx(tx, record, ahead));
      const seconds = (performance.now() - started) / 1000;
      metrics?.intakeSeconds.observe({ channel: record.channel }, seconds);
      metrics?.contacts.inc({ channel: record.channel, outcome: result.outcome });
      if (result.outcome === 'created') metrics?.tickets.inc({ type: result.ticket.type, priority: result.ticket.priority, tier: result.ticket.tier });
      logger.info(
        { intakeId: record.id, channel: record.channel, ticket: result.ticket.number, outcome: result.outcome, bodyBytes: Buffer.byteLength(record.body), attachments: record.attachments.length },
        'contact accepted',
      );
      if (result.outcome !== 'duplicate') deps.onCommitted?.();
      return result;
    },
  };
}

