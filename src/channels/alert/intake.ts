import type { Logger } from '../../shared/logger.js';
import { SpocError } from '../../shared/errors.js';
import type { Actor, IntakeOutcome, TicketService } from '../../ticketing/service-types.js';
import { OPEN_STATUSES } from '../../ticketing/types.js';
import type { ChannelState, IntakePort } from '../types.js';
import type { AlertConfig } from './config.js';
import { alertConversation, alertToRecord, groupResolution, resolvedNote, type Alert, type AlertmanagerPayload } from './normalise.js';

/**
 * What became of an alert: intake's outcome for a firing one (`joined` when its group's ticket was open);
 * for a resolved one `resolved` (its group's ticket resolved), `noted` (a note, the group still fires),
 * `duplicate` (already done) or `unknown` (spoc never saw it fire, so there is no ticket).
 */
export type AlertOutcome = IntakeOutcome | 'resolved' | 'noted' | 'unknown';

/** What one webhook call did, alert by alert; Alertmanager only reads the status, people read this. */
export interface AlertBatchResult {
  tickets: Array<{ fingerprint: string; number?: string; outcome: AlertOutcome }>;
  rejected: Array<{ fingerprint: string; code: string; message: string }>;
}

const ALERTMANAGER: Actor = { id: 'alert:alertmanager', name: 'Alertmanager', role: 'system' };

/**
 * Turns a webhook batch into tickets, notes and resolutions: one ticket per Alertmanager group. Alerts are
 * handled in order; an alert intake refuses (bad input) is reported and skipped, while a failure of spoc
 * itself fails the call, so Alertmanager sends the batch again and the dedupe keys make that safe.
 */
export function createAlertIntake(deps: { config: AlertConfig; intake: IntakePort; tickets: TicketService; state: ChannelState; logger: Logger; now?: () => Date }) {
  // The ticket a group (or a lone alert) last fired on: its resolutions land there.
  const ticketKey = (conversation: string) => `${conversation}:ticket`;

  const generationKey = (conversation: string) => `${conversation}:generation`;

  /**
   * The thread a firing alert continues: the group's, unless the group's ticket was resolved longer ago
   * than the reopen window, when the group starts a new generation (a new ticket) instead of reopening it.
   */
  async function threadOf(conversation: string, at: Date): Promise<string> {
    let generation = (await deps.state.get<number>(generationKey(conversation))) ?? 0;
    const number = await deps.state.get<string>(ticketKey(conversation));
    const last = number ? (await deps.tickets.get(number))?.ticket : undefined;
    const doneAt = last && !OPEN_STATUSES.includes(last.status) ? Date.parse(last.resolvedAt ?? last.closedAt ?? last.updatedAt) : undefined;
    if (doneAt !== undefined && at.getTime() - doneAt > deps.config.reopenWindowMinutes * 60_000) {
      generation += 1;
      await deps.state.set(generationKey(conversation), generation);
    }
    return generation ? `${conversation}#${generation}` : conversation;
  }

  async function fire(alert: Alert, payload: AlertmanagerPayload, conversation: string) {
    const thread = await threadOf(conversation, (deps.now ?? (() => new Date()))());
    const record = alertToRecord(alert, { receiver: payload.receiver, externalURL: payload.externalURL, groupKey: payload.groupKey, requester: deps.config.requester, conversation: thread });
    const { ticket, outcome } = await deps.intake.accept(record);
    await deps.state.set(ticketKey(conversation), ticket.number);
    deps.logger.info({ intakeId: record.id, ticketId: ticket.id, fingerprint: alert.fingerprint, outcome }, 'alert firing');
    return { number: ticket.number, outcome };
  }

  /** A resolved alert of a group that still fires: a note, once per firing of that alert. */
  async function note(alert: Alert, number: string): Promise<AlertOutcome> {
    const noteKey = `alert:${alert.fingerprint}:${alert.startsAt}:resolved`;
    if (await deps.state.get(noteKey)) return 'duplicate';
    await deps.tickets.reply(number, ALERTMANAGER, { body: resolvedNote(alert), internal: true });
    await deps.state.set(noteKey, true);
    return 'noted';
  }

  /** The whole group resolved: the ticket goes through the usual resolve (events, requester told, survey). */
  async function resolveGroup(alerts: Alert[], number: string): Promise<AlertOutcome> {
    const detail = await deps.tickets.get(number);
    if (!detail || !OPEN_STATUSES.includes(detail.ticket.status)) return 'duplicate';
    await deps.tickets.resolve(number, ALERTMANAGER, { resolution: groupResolution(alerts) });
    return 'resolved';
  }

  return async function handle(payload: AlertmanagerPayload): Promise<AlertBatchResult> {
    const result: AlertBatchResult = { tickets: [], rejected: [] };
    // Alertmanager marks the payload resolved only when no alert of the group fires any more.
    const groupResolved = payload.status === 'resolved' && deps.config.onGroupResolved === 'resolve';
    let groupOutcome: Promise<AlertOutcome> | undefined;
    for (const alert of payload.alerts) {
      const { fingerprint } = alert;
      const conversation = alertConversation(alert, payload.groupKey);
      try {
        if (alert.status === 'firing') {
          result.tickets.push({ fingerprint, ...(await fire(alert, payload, conversation)) });
          continue;
        }
        const number = await deps.state.get<string>(ticketKey(conversation));
        if (!number) {
          result.tickets.push({ fingerprint, outcome: 'unknown' });
          continue;
        }
        // Every alert of a resolved group reports the one resolution of its ticket.
        const outcome = groupResolved ? await (groupOutcome ??= resolveGroup(payload.alerts, number)) : await note(alert, number);
        deps.logger.info({ fingerprint, number, outcome }, 'alert resolved');
        result.tickets.push({ fingerprint, number, outcome });
      } catch (err) {
        if (!(err instanceof SpocError) || err.status >= 500) throw err;
        deps.logger.warn({ fingerprint, code: err.code }, 'alert refused');
        result.rejected.push({ fingerprint, code: err.code, message: err.message });
      }
    }
    return result;
  };
}
