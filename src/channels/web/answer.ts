import { z } from 'zod';
import { SpocError } from '../../shared/errors.js';
import type { Score, Survey } from '../../survey/survey.js';
import type { TicketDetail, TicketService } from '../../ticketing/service-types.js';

/** What the status page asks the requester, if anything: confirm a resolution, or rate a closed ticket. */
export function askOf(detail: TicketDetail, survey: Survey | undefined, now: Date): 'confirm' | 'rate' | undefined {
  if (detail.ticket.status === 'resolved') return 'confirm';
  if (detail.ticket.status !== 'closed' || !survey?.config.channels.web.enabled) return undefined;
  const until = survey.expiresAt(detail);
  return until && now <= until && !detail.events.some((e) => e.type === 'rated') ? 'rate' : undefined;
}

export const answerSchema = z.union([
  z.strictObject({ number: z.string().max(32), email: z.string().max(320), fixed: z.boolean() }),
  z.strictObject({ number: z.string().max(32), email: z.string().max(320), score: z.number().int().min(1).max(5), comment: z.string().max(2000).optional() }),
]);
export type PortalAnswer = z.output<typeof answerSchema>;

/**
 * `POST /portal/answer`, after the same number + email check as the status look-up: "fixed" closes a
 * resolved ticket and "not fixed" reopens it (as Slack's buttons do), a score rates a closed one once.
 */
export async function applyAnswer(deps: { tickets: TicketService; survey?: Survey }, detail: TicketDetail, input: PortalAnswer): Promise<'closed' | 'reopened' | 'rated'> {
  const { number } = detail.ticket;
  const actor = { id: `web:${detail.requester.email ?? detail.requester.id}`, role: 'requester' as const };
  if ('fixed' in input) {
    if (detail.ticket.status !== 'resolved') throw new SpocError('invalid_transition', `${number} is ${detail.ticket.status}, not waiting for your answer`, 409);
    if (input.fixed) {
      await deps.tickets.close(number, actor);
      return 'closed';
    }
    await deps.tickets.reopen(number, actor, { reason: 'requester says it is not fixed (portal)' });
    return 'reopened';
  }
  if (!deps.survey?.config.channels.web.enabled) throw new SpocError('no_survey', 'the portal takes no ratings', 409);
  const comment = input.comment?.trim();
  await deps.survey.rate(number, actor, { score: input.score as Score, ...(comment ? { comment } : {}), channel: 'web' });
  return 'rated';
}
