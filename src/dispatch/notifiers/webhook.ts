import { createHmac } from 'node:crypto';
import { PermanentJobError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { Ticket, TicketEventType } from '../../ticketing/types.js';
import type { OutboxPort } from '../outbox-port.js';
import { parseRetryAfter } from '../retry-after.js';
import { RetryLaterError, type DispatchRegistry, type Job, type JobHandler } from '../types.js';

export const TEAM_WEBHOOK_JOB = 'team.webhook';

/** The events a team's tools hear about: the ticket's life, not every message on it. */
export const TEAM_WEBHOOK_EVENTS: readonly TicketEventType[] = [
  'created', 'claimed', 'reassigned', 'escalated', 'resolved', 'closed', 'reopened', 'sla_warning', 'sla_breach', 'assigned',
];

export interface TeamWebhookConfig {
  url: string;
  /** The environment variable holding the signing secret; the secret itself never sits in config. */
  secretEnv?: string;
}

export interface TeamWebhookDeps {
  /** gateway.yaml's teams, by team id. */
  teams: Record<string, { webhook?: TeamWebhookConfig }>;
  env: NodeJS.ProcessEnv;
  /** Where deliveries are recorded, so a job that runs twice posts once. */
  effects: Pick<OutboxPort, 'recordEffect' | 'getEffect'>;
  /** The ticket as it is now (the lead wires it to the ticket service); undefined when it does not exist. */
  loadTicket: (ticketId: string) => Promise<Ticket | undefined>;
  logger: Logger;
  /** Per delivery. Default 10 s. */
  timeoutMs?: number;
}

/** What a receiver gets: the event that triggered the delivery and the ticket as it is at delivery time. */
export interface TeamWebhookBody {
  event: { id: number; type: string; data: Record<string, unknown> };
  ticket: Ticket;
}

/** `sha256=<hex>`: HMAC-SHA256 of the raw body, in the X-Spoc-Signature header. */
export function signWebhookBody(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/**
 * Registers `team.webhook` when at least one team has a usable webhook; returns the teams that do. A
 * webhook whose secret is missing from the environment is off (and says so), never sent unsigned.
 */
export function registerTeamWebhooks(registry: DispatchRegistry, deps: TeamWebhookDeps): string[] {
  const log = deps.logger.child({ component: 'dispatch', jobType: TEAM_WEBHOOK_JOB });
  const targets = new Map<string, { url: string; secret: string }>();
  for (const [team, { webhook }] of Object.entries(deps.teams)) {
    if (!webhook) continue;
    const secret = webhook.secretEnv ? deps.env[webhook.secretEnv] : undefined;
    if (!secret) {
      log.warn({ team, secretEnv: webhook.secretEnv }, 'team webhook is off: its signing secret is not in the environment');
      continue;
    }
    targets.set(team, { url: webhook.url, secret });
  }
  if (targets.size === 0) return [];
  registry.register(TEAM_WEBHOOK_JOB, createWebhookHandler(deps, targets, log));
  registry.subscribe({ jobType: TEAM_WEBHOOK_JOB, events: [...TEAM_WEBHOOK_EVENTS] });
  log.info({ teams: [...targets.keys()] }, 'team webhooks on');
  return [...targets.keys()];
}

function createWebhookHandler(deps: TeamWebhookDeps, targets: Map<string, { url: string; secret: string }>, log: Logger): JobHandler {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  return async (job: Job) => {
    if (await deps.effects.getEffect(job.key)) return;
    const ticket = await deps.loadTicket(job.ticketId);
    if (!ticket) throw new PermanentJobError(`ticket ${job.ticketId} not found`);
    // The team that owns the ticket when the job runs: a reassignment moves later deliveries with it.
    const target = targets.get(ticket.team);
    if (!target) return;
    const body: TeamWebhookBody = {
      event: { id: job.eventId, type: String(job.payload.event), data: (job.payload.data as Record<string, unknown>) ?? {} },
      ticket,
    };
    const raw = JSON.stringify(body);
    const status = await post(target.url, raw, {
      'content-type': 'application/json',
      'x-spoc-signature': signWebhookBody(target.secret, raw),
      'x-spoc-delivery': job.key,
    }, timeoutMs);
    await deps.effects.recordEffect(job.key, { team: ticket.team, status, bytes: raw.length, at: new Date().toISOString() });
    log.info({ jobId: job.id, ticketId: job.ticketId, team: ticket.team, status, bytes: raw.length }, 'team webhook delivered');
  };
}

/** 2xx: delivered. 429 and 5xx: try again (after Retry-After when given). Anything else: permanent. */
async function post(url: string, raw: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  const host = new URL(url).host;
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body: raw, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : 'unreachable';
    throw new Error(`webhook ${host} ${reason}`, { cause: err });
  }
  await res.body?.cancel();
  if (res.ok) return res.status;
  const message = `webhook ${host} answered ${res.status}`;
  if (res.status === 429 || res.status >= 500) {
    const after = parseRetryAfter(res.headers.get('retry-after'));
    throw after === undefined ? new Error(message) : new RetryLaterError(message, after);
  }
  throw new PermanentJobError(message);
}
