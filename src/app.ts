import { mkdir } from 'node:fs/promises';
import cookie from '@fastify/cookie';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { CHANNEL_FACTORIES } from './channels/index.js';
import type { ChannelAdapter, ChannelContext } from './channels/types.js';
import { loadConfig } from './config/load.js';
import type { SpocConfig } from './config/schema.js';
import { createFailedJobs } from './dispatch/failed-jobs.js';
import { createInProcessRunner } from './dispatch/in-process-runner.js';
import { createOutboxRelay } from './dispatch/bullmq/relay.js';
import { createQueueWorker, takeoverFromEnv } from './dispatch/bullmq/worker.js';
import { registerTeamWebhooks } from './dispatch/notifiers/webhook.js';
import { createDispatchRegistry } from './dispatch/registry.js';
import { outboxStats } from './dispatch/stats.js';
import { loadApiKeys } from './http/auth.js';
import { createHttpServer } from './http/build.js';
import { adminRoutes } from './http/api/admin.js';
import { contactRoutes } from './http/api/contacts.js';
import { explainRoutes } from './http/api/explain.js';
import { requesterRoutes } from './http/api/requesters.js';
import { ticketRoutes } from './http/api/tickets.js';
import { staffAdminRoutes } from './http/api/staff.js';
import { opsRoutes } from './http/ops.js';
import { guard } from './http/guard.js';
import { announcementRoutes, createAnnouncementStore } from './channels/twilio/index.js';
import { createEmailState, quarantineRoutes } from './channels/email/index.js';
import { startRouteAhead, type RouteAhead } from './intake/route-ahead.js';
import { createIntakeService } from './intake/service.js';
import { messageKey } from './intake/threading.js';
import type { Router } from './router/index.js';
import { createVolumeWindow } from './router/volume.js';
import { createAttachmentStore } from './shared/attachments.js';
import { createLogger, type Logger } from './shared/logger.js';
import { createMetrics, type Metrics } from './shared/metrics.js';
import { VERSION } from './shared/version.js';
import { createStore, createTicketing, type Ticketing } from './ticketing/index.js';
import { createSlaSweeper } from './ticketing/sla-sweeper.js';
import { storeOptionsFromEnv } from './ticketing/db/store-options.js';
import { createAutoCloseSweeper } from './ticketing/auto-close-sweeper.js';
import { createKnowledgeBase } from './kb/knowledge-base.js';
import { kbApiRoutes } from './kb/routes/api.js';
import { kbPublicRoutes } from './kb/routes/public.js';
import { createDeflections } from './kb/deflections.js';
import { createSolvedLinks } from './kb/solved-links.js';
import { createSurveyLinks } from './survey/links.js';
import { surveyRoutes } from './survey/routes.js';
import { createSurvey } from './survey/survey.js';
import { kbSolvedRoutes } from './kb/routes/solved.js';
import { kbAgentRoutes } from './kb/routes/agent.js';
import { kbAdminRoutes } from './kb/routes/admin.js';
import { createArticleStore } from './kb/article-store.js';
import { registerKbAutoAnswer } from './kb/auto-answer.js';
import { slaLadder } from './ticketing/sla-ladder.js';
import { createDesk, seedStaff, type Desk } from './desk/index.js';
import { deskRoutes } from './desk/routes.js';
import { dashboardRoutes } from './desk/dashboard/routes.js';
import { createReports } from './reports/index.js';
import { reportRoutes } from './reports/routes.js';
import { registerReportGauges } from './reports/metrics.js';
import { createAssigner, type Assigner } from './assignment/assigner.js';
import { rosterGaps, staffedTeams } from './assignment/roster.js';
import { createIncidents } from './incidents/incidents.js';
import { registerIncidentJobs } from './incidents/jobs.js';
import { incidentRoutes } from './incidents/routes.js';

export interface SpocOptions {
  /** `serve` takes contacts and runs everything; `worker` only runs queue jobs (needs REDIS_URL). */
  role: 'serve' | 'worker';
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  now?: () => Date;
}

export interface Spoc {
  config: SpocConfig;
  router: Router;
  /** The routing thread intake uses (`serve` only). */
  routeAhead?: RouteAhead;
  logger: Logger;
  ticketing: Ticketing;
  ctx: ChannelContext;
  metrics: Metrics;
  /** Present for `serve`. */
  http?: FastifyInstance;
  channels: ChannelAdapter[];
  /** Staff accounts, sessions and the `requireStaff` guard's state (`desk.auth`). */
  desk: Desk;
  /** Automatic assignment: offers, lapsed reservations, the sweep (`sweep()` runs one pass). */
  assignment: Assigner;
  /** An admin key made on this first start (SPOC_API_KEYS unset): print it once. */
  generatedAdminKey?: string;
  /** Starts dispatch, the SLA sweeper and the channels' connections; the HTTP server listens separately. */
  start(): Promise<void>;
  /** Stops taking contacts, finishes in-flight work and closes connections. */
  stop(): Promise<void>;
}

/**
 * The composition root: config → store → dispatch → intake → channels → HTTP. It never listens
 * (src/server.ts does), so tests boot the whole app on port 0 or with inject().
 */
export async function buildApp(opts: SpocOptions): Promise<Spoc> {
  const env = opts.env ?? process.env;
  const logger = opts.logger ?? createLogger();
  const { config, router } = loadConfig(env.SPOC_CONFIG_DIR ?? './config');
  logger.info({ rules: router.rules.rules.length, examples: router.learned?.examples ?? 0, features: router.learned?.features ?? 0 }, router.learned ? 'router: rules, corrected by labelled examples' : 'router: rules alone');
  const gw = config.gateway;
  const dataDir = resolve(env.SPOC_DATA_DIR ?? './data');
  await mkdir(dataDir, { recursive: true });

  const store = await createStore(storeOptionsFromEnv(env, dataDir), logger);
  const registry = createDispatchRegistry();
  const ticketing = createTicketing({
    store,
    subscriptions: registry.subscriptions(),
    org: { tiers: gw.tiers, teams: gw.teams },
    calendars: router.gateway.calendars,
    prefixes: Object.fromEntries(gw.types.map((t) => [t.id, t.prefix])),
    now: opts.now,
    onCommitted: () => wake(),
    slaLadder: (policy) => slaLadder(gw.sla[policy]),
    onSlaError: (err, ticket) => logger.warn({ err, ticketId: ticket.id }, 'sla steps failed; next pass retries'),
    respondStops: (policy) => gw.sla[policy]?.respondStops ?? 'claim',
  });
  const metrics = createMetrics();
  const clock = opts.now ?? (() => new Date());
  const reports = createReports({ store, targets: gw.reports.targets });
  registerReportGauges(metrics, { store, now: clock, cacheSeconds: gw.reports.metricsCacheSeconds, timezone: gw.desk.timezone });
  const queueName = env.SPOC_QUEUE ?? 'spoc';
  const redis = env.REDIS_URL;
  const runner = redis ? undefined : createInProcessRunner({ outbox: ticketing.outbox, registry, logger });
  const relay = redis && opts.role === 'serve' ? createOutboxRelay({ outbox: ticketing.outbox, connection: redis, queueName, logger }) : undefined;
  function wake(): void {
    (runner ?? relay)?.kick();
  }

  // Only where contacts arrive; a `spoc worker` runs jobs, not intake.
  const routeAhead = opts.role === 'serve' ? startRouteAhead({ configDir: config.dir }) : undefined;
  const volumeConfig = router.gateway.config.priority.volume;
  const volume = volumeConfig ? createVolumeWindow(volumeConfig) : undefined;
  const incidents = createIncidents({ store, ops: ticketing.ops, router, logger, now: opts.now, onCommitted: wake });
  const intake = createIntakeService({ store, ops: ticketing.ops, router, routeAhead, config: gw.intake, logger, metrics, now: opts.now, onCommitted: wake, closeOnConfirm: gw.loop.closeOnConfirm, afterCreate: incidents.afterCreate, ...(volume ? { volume } : {}) });
  const publicBaseUrl = (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/$/, '');
  const kb = createKnowledgeBase({ configDir: config.dir, publicBaseUrl });
  const kbLinks = createSolvedLinks({ env, dataDir, publicBaseUrl });
  const surveyLinks = createSurveyLinks(kbLinks, publicBaseUrl);
  const survey = createSurvey({ config: gw.survey, tickets: ticketing.service, links: surveyLinks, now: opts.now });
  const deflections = createDeflections(store, opts.now);
  const kbArticles = createArticleStore(store);
  // Before anything is served: the admin API's articles join the shipped ones in the index.
  for (const article of await kbArticles.all()) kb.put(article);
  const ctx: ChannelContext = {
    config,
    env,
    logger,
    intake,
    tickets: ticketing.service,
    directory: ticketing.directory,
    state: ticketing.channelState,
    threads: {
      link: (ticketId, messageId) => store.withTx((tx) => ticketing.ops.linkThreadKeys(tx, ticketId, [messageKey(messageId)])),
      find: (messageId) => store.read((q) => ticketing.ops.findTicketByThreadKey(q, messageKey(messageId))),
    },
    attachments: createAttachmentStore({ dir: join(dataDir, 'attachments'), maxBytes: gw.intake.limits.attachmentBytes }),
    effects: { record: (k, d) => ticketing.outbox.recordEffect(k, d), get: (k) => ticketing.outbox.getEffect(k) },
    publicBaseUrl,
    soleProcess: store.dialect === 'sqlite',
    kb: {
      forAck: (text, lang, ticket) => kb.search(text, { lang, limit: 3, publishedOnly: true }).map((a) => ({ title: a.title, url: a.url, solvedUrl: kbLinks.url(ticket, a.id) })),
      suggest: (text, lang) => kb.search(text, { lang, limit: 3, publishedOnly: true }).map(({ id, title, summary, url }) => ({ id, title, summary, url })),
      deflect: (articleId, language) => deflections.record({ articleId, channel: 'chat', language }),
    },
    survey,
    incidents,
    now: opts.now,
  };

  const desk = createDesk({ store, config: gw.staff, publicBaseUrl, env, logger, now: opts.now });

  const channels: ChannelAdapter[] = [];
  for (const [name, factory] of Object.entries(CHANNEL_FACTORIES)) {
    const made = factory(ctx);
    if ('off' in made) {
      logger.info({ channel: name, reason: made.off }, 'channel off');
      continue;
    }
    made.registerJobs(registry);
    channels.push(made);
    logger.info({ channel: name }, 'channel on');
  }
  const teams = staffedTeams(gw.teams, config.directory.people);
  for (const gap of rosterGaps(teams)) logger.warn(gap, `team ${gap.team}: ${gap.missing}; list members (Slack ids) in gateway.yaml or staff with a slackUserId in directory.yaml`);
  const presence = channels.find((c) => c.presence)?.presence;
  const assignment = createAssigner({
    store,
    ops: ticketing.ops,
    teams,
    calendars: router.gateway.calendars,
    ...(presence ? { presence } : {}),
    now: clock,
    logger,
    onCommitted: wake,
  });
  assignment.registerJobs(registry);
  registerIncidentJobs(registry, { store, ops: ticketing.ops, tickets: ticketing.service, incidents, announcements: createAnnouncementStore(ctx.state), logger, now: opts.now });
  registerKbAutoAnswer(registry, { kb, tickets: ticketing.service, effects: ctx.effects, publicBaseUrl, logger });
  registerTeamWebhooks(registry, {
    teams: gw.teams,
    env,
    effects: ticketing.outbox,
    loadTicket: (id) => store.read((q) => ticketing.ops.findTicket(q, { id })),
    logger,
  });

  const emailState = createEmailState(ctx.state);
  metrics.gauge('spoc_email_quarantined', 'Email kept aside (unparseable, refused, or failing every try), as listed at GET /api/v1/admin/email/quarantine', [], async (g) => {
    g.set((await emailState.quarantined()).length);
  });

  metrics.gauge('spoc_outbox_jobs', 'Outbox jobs by status (depth = pending + relayed)', ['status'], async (g) => {
    const stats = await outboxStats(ticketing.outbox);
    for (const [status, n] of Object.entries(stats)) g.set({ status }, n);
  });

  const worker =
    redis && (opts.role === 'worker' || env.SPOC_SERVE_JOBS !== 'false')
      ? () => createQueueWorker({ outbox: ticketing.outbox, registry, connection: redis, queueName, logger, takeover: takeoverFromEnv(env) })
      : undefined;
  const sweeper = createSlaSweeper({ sla: ticketing.sla, logger, now: opts.now, onEvents: wake });
  const autoClose = createAutoCloseSweeper({ store: ticketing.store, service: ticketing.service, policy: gw.loop.autoClose, calendars: router.gateway.calendars, logger, now: opts.now });

  // Its own connection, failing fast, so readiness never waits behind queued BullMQ commands.
  const redisProbe = redis && opts.role === 'serve' ? new Redis(redis, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 }) : undefined;
  redisProbe?.on('error', () => {});
  await redisProbe?.connect().catch(() => {});
  let http: FastifyInstance | undefined;
  let generatedAdminKey: string | undefined;
  let draining = false;
  if (opts.role === 'serve') {
    const { keys, generated } = await loadApiKeys(env, dataDir);
    generatedAdminKey = generated;
    http = await createHttpServer({ logger, bodyLimit: gw.intake.limits.bodyBytes, version: VERSION });
    // On the root, so every plugin's routes (the desk's, the dashboard's) read the staff session cookie.
    await http.register(cookie);
    await http.register(opsRoutes, {
      metrics,
      isDraining: () => draining,
      checks: [
        { name: 'store', check: () => store.ping() },
        ...(redisProbe ? [{ name: 'queue', check: async () => void (await redisProbe.ping()) }] : []),
      ],
    });
    await http.register(contactRoutes, { keys, intake, attachments: ctx.attachments, limits: gw.intake.limits, now: clock });
    await http.register(ticketRoutes, { keys, tickets: ticketing.service, staff: desk.staff, relations: incidents.relations });
    await http.register(incidentRoutes({ keys, incidents, staff: desk.staff }));
    await http.register(explainRoutes, { keys, router, directory: ticketing.directory });
    await http.register(requesterRoutes, { keys, directory: ticketing.directory });
    await http.register(kbApiRoutes({ keys, kb, deflections, now: opts.now }));
    await http.register(kbAgentRoutes({ keys, kb, tickets: ticketing.service, staff: desk.staff, publicBaseUrl }));
    await http.register(kbSolvedRoutes({ kb, links: kbLinks, tickets: ticketing.service }));
    await http.register(surveyRoutes({ links: surveyLinks, tickets: ticketing.service, survey, now: opts.now }));
    await http.register(kbAdminRoutes({ keys, kb, articles: kbArticles, now: opts.now }));
    await http.register(kbPublicRoutes({ kb, deflections, suggestLimit: { max: 60, windowMs: 60_000 } }));
    await http.register(adminRoutes, { keys, failedJobs: createFailedJobs({ outbox: ticketing.outbox, wake }) });
    await http.register(reportRoutes, { keys, reports, timezone: gw.desk.timezone, recurringMinTickets: gw.reports.recurringMinTickets, now: clock });
    await http.register(
      async (admin) => {
        admin.addHook('onRequest', guard(keys, 'admin'));
        await admin.register(announcementRoutes(createAnnouncementStore(ctx.state)));
        await admin.register(quarantineRoutes(emailState));
      },
      { prefix: '/api/v1/admin' },
    );
    await http.register(staffAdminRoutes({ keys, staff: desk.staff, teams: Object.keys(gw.teams) }));
    await http.register(deskRoutes({ desk, incidents, tickets: ticketing.service, attachments: ctx.attachments, config: gw.staff, timezone: gw.desk.timezone, publicBaseUrl, env, logger, reports, now: clock }));
    await http.register(
      dashboardRoutes({ auth: desk.auth, reports, timezone: gw.desk.timezone, refreshSeconds: gw.reports.refreshSeconds, recurringMinTickets: gw.reports.recurringMinTickets, teams: gw.teams, types: gw.types, now: clock }),
    );
    for (const channel of channels) if (channel.routes) await channel.routes(http);
    await seedDirectory(config, ticketing);
    const seeded = await seedStaff(desk.staff, config.directory.people);
    logger.info({ staff: seeded }, 'staff accounts from directory.yaml');
  }

  let queueWorker: ReturnType<typeof createQueueWorker> | undefined;
  return {
    config,
    router,
    routeAhead,
    logger,
    ticketing,
    ctx,
    metrics,
    http,
    channels,
    desk,
    assignment,
    generatedAdminKey,
    async start() {
      // SQLite belongs to this one process: leases left in it are a dead predecessor's.
      if (store.dialect === 'sqlite') {
        const released = await ticketing.outbox.releaseLeases();
        if (released > 0) logger.info({ released }, 'outbox jobs of a previous run released');
      }
      runner?.start();
      relay?.start();
      queueWorker = worker?.();
      if (opts.role === 'serve') {
        sweeper.start();
        autoClose.start();
        assignment.start();
        for (const channel of channels) await channel.start?.();
      }
    },
    async stop() {
      draining = true;
      for (const channel of [...channels].reverse()) {
        await channel.stop?.().catch((err: unknown) => logger.warn({ err, channel: channel.name }, 'channel stop failed'));
      }
      await http?.close();
      await sweeper.stop();
      await autoClose.stop();
      await assignment.stop();
      await relay?.stop();
      await runner?.stop();
      await queueWorker?.stop();
      await routeAhead?.close();
      redisProbe?.disconnect();
      await store.close();
    },
  };
}

/** directory.yaml's people become requesters (keyed by email), so known callers and VIPs are recognised from the first contact. */
async function seedDirectory(config: SpocConfig, ticketing: Ticketing): Promise<void> {
  // One transaction (one flush) for the whole file, not one per person.
  await ticketing.store.withTx(async (tx) => {
    for (const p of config.directory.people) {
      await ticketing.ops.upsertRequester(tx, `directory:${p.email.toLowerCase()}`, {
        name: p.name,
        email: p.email,
        phone: p.phone,
        slackUserId: p.slackUserId,
        department: p.department,
        location: p.location,
        vip: p.vip,
        language: p.language,
      });
    }
  });
}
