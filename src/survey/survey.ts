import { SpocError } from '../shared/errors.js';
import type { Actor, TicketDetail, TicketService } from '../ticketing/service-types.js';
import { surveyExpiry, surveyOf, type SurveyChannel, type SurveyConfig } from './config.js';
import type { SurveyLinks } from './links.js';

export type Score = 1 | 2 | 3 | 4 | 5;

/** A bare 1–5 (ASCII or full-width, as Chinese phones type it), the whole answer to "reply 1–5". */
export function scoreOf(text: string): Score | undefined {
  const t = text.trim().normalize('NFKC').replace(/[.!。！★⭐分]+$/u, '');
  return /^[1-5]$/.test(t) ? (Number(t) as Score) : undefined;
}

/**
 * The satisfaction survey as every channel uses it: when a ticket's survey expires, its signed link, the
 * `survey_sent` record, whether a channel's survey awaits an answer, and the rating itself, which is
 * refused (403 `survey_expired`, 409 `already_rated`) without changing anything when it comes too late or twice.
 */
export interface Survey {
  readonly config: SurveyConfig;
  /** Until when the ticket's survey may be answered: as sent, else counted from its close; undefined while it is open. */
  expiresAt(detail: TicketDetail): Date | undefined;
  /** The public rating link of a closed ticket (mail, SMS of a web ticket). */
  url(detail: TicketDetail): string;
  /** Records `survey_sent` (once per ticket) with the channel and the expiry. */
  sent(detail: TicketDetail, data: { channel: SurveyChannel } & Record<string, unknown>): Promise<void>;
  /** A survey went out on `channel` for this ticket, has not expired and has no answer yet. */
  awaiting(detail: TicketDetail, channel: SurveyChannel): boolean;
  rate(number: string, actor: Actor, input: { score: Score; comment?: string; channel: SurveyChannel }): Promise<void>;
}

export function createSurvey(deps: { config: SurveyConfig; tickets: TicketService; links: SurveyLinks; now?: () => Date }): Survey {
  const now = deps.now ?? (() => new Date());
  const sentEvent = (d: TicketDetail) => d.events.find((e) => e.type === 'survey_sent');

  function expiresAt(d: TicketDetail): Date | undefined {
    const sent = sentEvent(d)?.data.expiresAt;
    if (typeof sent === 'string') return new Date(sent);
    const settings = surveyOf(deps.config, d.ticket.channel);
    return settings && d.ticket.closedAt ? surveyExpiry(settings, new Date(d.ticket.closedAt)) : undefined;
  }

  return {
    config: deps.config,
    expiresAt,
    url(d) {
      const until = expiresAt(d);
      if (!until) throw new SpocError('not_closed', `${d.ticket.number} is not closed; there is nothing to rate yet`, 409);
      return deps.links.url(d.ticket.number, until);
    },
    async sent(d, data) {
      await deps.tickets.surveySent(d.ticket.number, { ...data, expiresAt: expiresAt(d)?.toISOString() });
    },
    awaiting(d, channel) {
      const sent = sentEvent(d);
      const until = expiresAt(d);
      return sent?.data.channel === channel && !!until && now() <= until && !d.events.some((e) => e.type === 'rated');
    },
    async rate(number, actor, input) {
      const d = await deps.tickets.get(number);
      if (!d) throw new SpocError('not_found', `no ticket ${number}`, 404);
      const until = expiresAt(d);
      if (!until) throw new SpocError('not_closed', `${number} is not closed; there is nothing to rate yet`, 409);
      if (now() > until) throw new SpocError('survey_expired', `the survey of ${number} expired at ${until.toISOString()}`, 403);
      await deps.tickets.rate(number, actor, { score: input.score, ...(input.comment ? { comment: input.comment } : {}), once: true, channel: input.channel });
    },
  };
}
