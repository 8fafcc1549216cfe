import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { publicRateLimit } from '../channels/web/rate-limit.js';
import { SpocError } from '../shared/errors.js';
import { escapeHtml } from '../shared/html.js';
import type { TicketDetail, TicketService } from '../ticketing/service-types.js';
import { isSurveyChannel, SCORE_WORDS } from './config.js';
import type { SurveyLinks } from './links.js';
import type { Score, Survey } from './survey.js';

const params = z.object({ token: z.string().max(200) });
const score = z.coerce.number().int().min(1).max(5);
const pageQuery = z.object({ score: score.optional() });
const submission = z.object({ score, comment: z.string().max(2000).optional() });

const TEXT = {
  zh: {
    ask: '您对这次服务满意吗？请选择一个分数（1 = 很不满意，5 = 非常满意）：',
    comment: '还有什么想告诉我们的吗？（可选）',
    send: '提交评价',
    done: '谢谢您的评价！',
    already: '这个工单已经评价过了，每个工单只能评价一次。',
    expired: '这个评价链接已过期。',
    forged: '这个链接不是服务台发出的。',
  },
  en: {
    ask: 'How satisfied are you with how this was handled? Choose a score (1 = very dissatisfied, 5 = very satisfied):',
    comment: 'Anything else you would like to tell us? (optional)',
    send: 'Send rating',
    done: 'Thank you for your rating!',
    already: 'This ticket has already been rated; each ticket can be rated once.',
    expired: 'This rating link has expired.',
    forged: 'This link was not issued by the service desk.',
  },
};
type Lang = keyof typeof TEXT;

const langOf = (d: TicketDetail): Lang => d.ticket.language ?? d.requester.language ?? 'zh';

/**
 * `GET /rate/:token` (the mail's links carry `?score=N`) shows the scores with the chosen one selected and a
 * comment box; one press of its button (`POST`) records the `rated` event. Mail scanners follow links with
 * GET, so only the POST rates. A token we did not sign, one past its expiry, and a second use all get 403
 * and change nothing.
 */
export function surveyRoutes(deps: { links: SurveyLinks; tickets: TicketService; survey: Survey; now?: () => Date }): FastifyPluginAsync {
  const now = deps.now ?? (() => new Date());
  return async (app) => {
    await app.register(formbody);
    const limit = { config: { rateLimit: publicRateLimit({ max: 30, windowMs: 60_000 }) } };
    const page = (reply: FastifyReply, lang: Lang, body: string) =>
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .send(
          `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>spoc</title></head>` +
            `<body style="font:16px/1.6 system-ui,sans-serif;max-width:640px;margin:40px auto;padding:0 16px">${body}</body></html>`,
        );
    const refuse = (reply: FastifyReply, lang: Lang, why: keyof (typeof TEXT)['zh']) => page(reply.code(403), lang, `<p role="alert">${TEXT[lang][why]}</p>`);

    /** The ticket a token names, or the refusal already sent. */
    async function open(p: unknown, reply: FastifyReply): Promise<{ token: string; detail: TicketDetail; lang: Lang } | undefined> {
      const { token } = params.parse(p);
      const read = deps.links.read(token);
      if (!read) return void (await refuse(reply, 'zh', 'forged'));
      const detail = await deps.tickets.get(read.ticket);
      if (!detail) throw new SpocError('not_found', `no ticket ${read.ticket}`, 404);
      const lang = langOf(detail);
      if (now() > read.expiresAt) return void (await refuse(reply, lang, 'expired'));
      if (detail.events.some((e) => e.type === 'rated')) return void (await refuse(reply, lang, 'already'));
      return { token, detail, lang };
    }

    app.get('/rate/:token', limit, async (req, reply) => {
      const opened = await open(req.params, reply);
      if (!opened) return reply;
      const { token, detail, lang } = opened;
      const chosen = pageQuery.safeParse(req.query).data?.score;
      const t = TEXT[lang];
      const radios = SCORE_WORDS.map(
        (w, i) =>
          `<label style="display:block;margin:6px 0"><input type="radio" name="score" value="${i + 1}" required${chosen === i + 1 ? ' checked' : ''}> ${i + 1} – ${escapeHtml(w[lang])}</label>`,
      ).join('');
      return page(
        reply,
        lang,
        `<h1>${escapeHtml(detail.ticket.number)}: ${escapeHtml(detail.ticket.subject)}</h1>` +
          `<form method="post" action="/rate/${encodeURIComponent(token)}"><fieldset style="border:0;padding:0"><legend>${t.ask}</legend>${radios}</fieldset>` +
          `<p><label for="comment">${t.comment}</label><br><textarea id="comment" name="comment" rows="4" maxlength="2000" style="width:100%"></textarea></p>` +
          `<p><button type="submit" style="font-size:18px;padding:8px 20px">${t.send}</button></p></form>`,
      );
    });

    app.post('/rate/:token', limit, async (req, reply) => {
      const opened = await open(req.params, reply);
      if (!opened) return reply;
      const { detail, lang } = opened;
      // The score comes from the form, or from the link's query for a plain POST.
      const parsed = submission.safeParse({ ...(req.query as object), ...(typeof req.body === 'object' && req.body ? req.body : {}) });
      if (!parsed.success) throw new SpocError('bad_request', 'score must be an integer from 1 to 5', 400);
      const actor = { id: `requester:${detail.requester.id}`, role: 'requester' as const };
      const comment = parsed.data.comment?.trim();
      try {
        await deps.survey.rate(detail.ticket.number, actor, {
          score: parsed.data.score as Score,
          ...(comment ? { comment } : {}),
          channel: isSurveyChannel(detail.ticket.channel) ? detail.ticket.channel : 'email',
        });
      } catch (err) {
        // Two presses at once: the second loses under the ticket's lock, and is told so.
        if (err instanceof SpocError && err.code === 'already_rated') return refuse(reply, lang, 'already');
        if (err instanceof SpocError && err.code === 'survey_expired') return refuse(reply, lang, 'expired');
        throw err;
      }
      return page(reply, lang, `<p role="status">${TEXT[lang].done}</p>`);
    });
  };
}
