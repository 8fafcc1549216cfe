import { randomBytes } from 'node:crypto';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Attachment } from '../../intake/record.js';
import type { AttachmentStore, IntakePort } from '../types.js';
import type { Logger } from '../../shared/logger.js';
import { SpocError } from '../../shared/errors.js';
import type { IncidentPort } from '../types.js';
import type { TicketDetail, TicketService } from '../../ticketing/service-types.js';
import type { Survey } from '../../survey/survey.js';
import { answerSchema, applyAnswer, askOf } from './answer.js';
import type { WebConfig } from './config.js';
import { readForm } from './form.js';
import { pickLanguage } from './i18n.js';
import { portalCsp, renderPortalPage } from './page.js';
import { emailMatches, publicStatus } from './status.js';
import { newFormToken, portalSubmissionSchema, toIntakeRecord } from './submission.js';
import { publicRateLimit } from './rate-limit.js';
import { TICKET_NUMBER_SOURCE } from '../../ticketing/numbers.js';

export interface PortalDeps {
  config: WebConfig;
  /** Open major incidents are shown as a banner on the page. */
  incidents?: Pick<IncidentPort, 'open' | 'serviceName'>;
  intake: IntakePort;
  tickets: TicketService;
  attachments: AttachmentStore;
  /** Team id → display name, from gateway.yaml `teams`. */
  teamNames: Record<string, string | undefined>;
  logger: Logger;
  /** The satisfaction survey: the status page offers it for a closed ticket. */
  survey?: Survey;
  now?: () => Date;
}

const TICKET_NUMBER = new RegExp(`^${TICKET_NUMBER_SOURCE}$`);

const pageQuery = z.object({ ticket: z.string().optional(), lang: z.string().optional() });
const statusQuery = z.object({ number: z.string().max(32).default(''), email: z.string().max(320).default('') });

/** Same answer for an unknown number and a wrong email, so numbers cannot be probed. */
const notFound = () => new SpocError('not_found', 'no ticket matches that number and email', 404);

/**
 * The portal as one encapsulated plugin: its own multipart parser and rate limits, so nothing leaks into
 * the API's routes. `GET /` is the page, `POST /portal/requests` takes a request, `GET /portal/status`
 * answers a requester about their own ticket.
 */
export function portalPlugin(deps: PortalDeps): FastifyPluginAsync {
  const { config } = deps;
  const withAsk = (detail: TicketDetail) => {
    const ask = askOf(detail, deps.survey, (deps.now ?? (() => new Date()))());
    return ask ? { ask } : {};
  };
  return async (app: FastifyInstance) => {
    // The composition root may already provide these to every route; registering twice would count twice.
    if (!app.hasRequestDecorator('isMultipart')) await app.register(multipart);
    if (!app.hasDecorator('rateLimit')) await app.register(rateLimit, { global: false });

    app.get('/', { config: { rateLimit: publicRateLimit(config.pageRateLimit) } }, async (req, reply) => {
      const query = pageQuery.parse(req.query);
      const lang = pickLanguage(query.lang, req.headers['accept-language'], config.defaultLanguage);
      const ticket = query.ticket?.trim().toUpperCase();
      const nonce = randomBytes(16).toString('base64');
      const incidents = (await deps.incidents?.open()) ?? [];
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', portalCsp(nonce))
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        // Each page carries its own form token: a cached page would make two people's requests one ticket.
        .header('cache-control', 'no-store')
        .header('vary', 'accept-language')
        .send(
          renderPortalPage({
            lang,
            title: config.title,
            formToken: newFormToken(),
            ...(ticket && TICKET_NUMBER.test(ticket) ? { ticket } : {}),
            nonce,
            limits: config.attachments,
            incidents: incidents.map((i) => ({ number: i.number, about: deps.incidents!.serviceName(i) })),
          }),
        );
    });

    app.post('/portal/requests', { config: { rateLimit: publicRateLimit(config.submitRateLimit) } }, async (req, reply) => {
      const { fields, files } = await readForm(req, config.attachments);
      const parsed = portalSubmissionSchema.safeParse(fields);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new SpocError('invalid_request', `${issue?.path.join('.') || 'form'}: ${issue?.message ?? 'invalid'}`, 400);
      }
      const stored: Attachment[] = [];
      for (const file of files) stored.push(await deps.attachments.put(file.bytes, { name: file.name, contentType: file.contentType }));
      const record = toIntakeRecord(parsed.data, stored);
      const result = await deps.intake.accept(record);
      const { ticket } = result;
      deps.logger.info({ intakeId: record.id, ticketId: ticket.id, outcome: result.outcome, attachments: stored.length }, 'portal request');
      return reply.status(result.outcome === 'duplicate' ? 200 : 201).send({
        number: ticket.number,
        outcome: result.outcome,
        status: ticket.status,
        type: ticket.type,
        priority: ticket.priority,
        respondBy: ticket.respondBy,
        resolveBy: ticket.resolveBy,
      });
    });

    app.get('/portal/status', { config: { rateLimit: publicRateLimit(config.statusRateLimit) } }, async (req) => {
      const query = statusQuery.parse(req.query);
      const number = query.number.trim().toUpperCase();
      if (!TICKET_NUMBER.test(number) || !query.email.trim()) throw notFound();
      const detail = await deps.tickets.get(number);
      if (!detail || !emailMatches(detail, query.email)) throw notFound();
      return { ...publicStatus(detail, deps.teamNames), ...withAsk(detail) };
    });

    app.post('/portal/answer', { config: { rateLimit: publicRateLimit(config.statusRateLimit) } }, async (req) => {
      const parsed = answerSchema.safeParse(req.body);
      if (!parsed.success) throw new SpocError('invalid_request', 'an answer is { number, email, fixed } or { number, email, score, comment? }', 400);
      const number = parsed.data.number.trim().toUpperCase();
      const detail = TICKET_NUMBER.test(number) ? await deps.tickets.get(number) : undefined;
      if (!detail || !emailMatches(detail, parsed.data.email)) throw notFound();
      const answer = await applyAnswer(deps, detail, parsed.data);
      deps.logger.info({ ticketId: detail.ticket.id, answer }, 'portal answer');
      const after = (await deps.tickets.get(number))!;
      return { answer, ...publicStatus(after, deps.teamNames), ...withAsk(after) };
    });
  };
}
