import type { Logger } from '../../shared/logger.js';
import { SpocError } from '../../shared/errors.js';
import type { Actor, TicketService } from '../../ticketing/service-types.js';
import type { ChannelState, IntakePort } from '../types.js';
import type { AlertConfig } from './config.js';
import { alertConversation, alertToRecord, resolvedNote, type AlertmanagerPayload } from './normalise.js';

/** What one webhook call did, alert by alert; Alertmanager only reads the status, people read this. */
export interface AlertBatchResult {
  tickets: Array<{ fingerprint: string; number: string; outcome: string }>;
  resolved: Array<{ fingerprint: string; number?: string; noted: boolean }>;
  rejected: Array<{ fingerprint: string; code: string; message: string }>;
}

const ALERTMANAGER: Actor = { id: 'alert:alertmanager', name: 'Alertmanager', role: 'system' };

/**
 * Turns a webhook batch into tickets and notes. Alerts are handled in order; an alert intake refuses
 * (bad input) is reported and skipped, while a failure of spoc itself fails the call, so Alertmanager
 * sends the batch again and the dedupe keys make that safe.
 */
export function createAlertIntake(deps: { config: AlertConfig; intake: IntakePort; tickets: TicketService; state: ChannelState; logger: Logger }) {
  // The ticket of the last firing of each fingerprint: a resolved alert is noted there.
  const ticketKey = (fingerprint: string) => `${alertConversation(fingerprint)}:ticket`;

  return async function handle(payload: AlertmanagerPayload): Promise<AlertBatchResult> {
    const result: AlertBatchResult = { tickets: [], resolved: [], rejected: [] };
    for (const alert of payload.alerts) {
      const { fingerprint } = alert;
      try {
        if (alert.status === 'firing') {
          const record = alertToRecord(alert, { receiver: payload.receiver, externalURL: payload.externalURL, requester: deps.config.requester });
          const { ticket, outcome } = await deps.intake.accept(record);
          await deps.state.set(ticketKey(fingerprint), ticket.number);
          deps.logger.info({ intakeId: record.id, ticketId: ticket.id, fingerprint, outcome }, 'alert firing');
          result.tickets.push({ fingerprint, number: ticket.number, outcome });
          continue;
        }
        const number = await deps.state.get<string>(ticketKey(fingerprint));
        const noteKey = `${alertConversation(fingerprint)}:${alert.startsAt}:resolved`;
        if (!number || (await deps.state.get(noteKey))) {
          result.resolved.push({ fingerprint, ...(number ? { number } : {}), noted: false });
          continue;
        }
        await deps.tickets.reply(number, ALERTMANAGER, { body: resolvedNote(alert), internal: true });
        await deps.state.set(noteKey, true);
        deps.logger.info({ fingerprint, number }, 'alert resolved');
        result.resolved.push({ fingerprint, number, noted: true });
      } catch (err) {
        if (!(err instanceof SpocError) || err.status >= 500) throw err;
        deps.logger.warn({ fingerprint, code: err.code }, 'alert refused');
        result.rejected.push({ fingerprint, code: err.code, message: err.message });
      }
    }
    return result;
  };
}
