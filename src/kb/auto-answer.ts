import type { DispatchRegistry } from '../dispatch/types.js';
import type { Logger } from '../shared/logger.js';
import { PermanentJobError } from '../shared/errors.js';
import type { TicketService } from '../ticketing/service-types.js';
import type { ChannelContext } from '../channels/types.js';
import { articleUrl } from './article.js';
import type { KnowledgeBase } from './knowledge-base.js';

/** Share of a contact's terms the known-error article must match before it answers by itself. */
export const AUTO_ANSWER_COVERAGE = 0.5;
/** Terms that must match the article's own keywords: a generic "VPN error" is not this known error. */
export const AUTO_ANSWER_KEYWORD_TERMS = 2;

/**
 * Known-error auto-answer: on a new ticket, when the best published article is a known error with
 * `autoAnswer: true`, it matches at least half of the contact's terms and two of them are its own keywords, the desk replies with its
 * workaround (on the requester's channel). The ticket stays open: an agent still confirms.
 */
export function registerKbAutoAnswer(
  registry: DispatchRegistry,
  deps: { kb: KnowledgeBase; tickets: TicketService; effects: ChannelContext['effects']; publicBaseUrl: string; logger: Logger },
): void {
  registry.register('kb.auto-answer', async (job) => {
    if (await deps.effects.get(job.key)) return;
    const detail = await deps.tickets.getById(job.ticketId);
    if (!detail) throw new PermanentJobError(`ticket ${job.ticketId} not found`);
    const { ticket } = detail;
    const first = detail.messages.find((m) => m.direction === 'in');
    const best = deps.kb.best(`${ticket.subject}\n${first?.body ?? ''}`.slice(0, 2000));
    const fits = best && best.article.kind === 'known-error' && best.article.autoAnswer && best.coverage >= AUTO_ANSWER_COVERAGE && best.keywordTerms >= AUTO_ANSWER_KEYWORD_TERMS;
    if (!fits) {
      await deps.effects.record(job.key, { skipped: 'no known error fits' });
      return;
    }
    const lang = ticket.language ?? 'zh';
    const a = best.article;
    const intro = lang === 'zh' ? '这可能是一个已知问题，以下临时解决办法也许能马上帮到您：' : 'This looks like a known problem; this workaround may help right away:';
    const body = `${intro}\n\n${a.title[lang]}\n${a.summary[lang]}\n${articleUrl(deps.publicBaseUrl, a.id, lang)}`;
    await deps.tickets.reply(ticket.number, { id: `kb:${a.id}`, name: 'knowledge base', role: 'system' }, { body });
    await deps.effects.record(job.key, { articleId: a.id });
    deps.logger.info({ ticketId: ticket.id, articleId: a.id }, 'known error answered');
  });
  registry.subscribe({ jobType: 'kb.auto-answer', events: ['created'] });
}
