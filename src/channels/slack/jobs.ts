import { RetryLaterError, type DispatchRegistry, type Job } from '../../dispatch/types.js';
import { PermanentJobError } from '../../shared/errors.js';
import type { TicketDetail } from '../../ticketing/service-types.js';
import type { TicketEventType } from '../../ticketing/types.js';
import { acknowledgement, agentReply, cardText, firstInbound, incidentNotice, movedCard, offerMessage, resolutionPrompt, shorten, ticketCard, type CardInput } from './blocks.js';
import { MANAGER_TEAM } from './permissions.js';
import { ticketLang } from './texts.js';
import { escapeMrkdwn, verbatimMrkdwn } from './mrkdwn.js';
import type { SlackDeps } from './deps.js';
import type { People } from './people.js';
import { keys, type CardRef, type ThreadRef } from './refs.js';
import { toJobError } from './rate-limit.js';
import type { types } from '@slack/bolt';
import { slaLine, slaState } from './sla-state.js';

/** Every change an agent should see on the card; `replied_in` also shows the requester's words in the card's thread. */
export const CARD_EVENTS: TicketEventType[] = [
  'created', 'replied_in', 'claimed', 'reassigned', 'escalated', 'status_changed', 'resolved', 'closed', 'reopened', 'replied_out', 'sla_warning', 'sla_breach', 'assigned',
];

type Blocks = types.KnownBlock[];

export async function load(d: SlackDeps, job: Job): Promise<TicketDetail> {
  const detail = await d.ctx.tickets.getById(job.ticketId);
  if (!detail) throw new PermanentJobError(`ticket ${job.ticketId} not found`);
  return detail;
}

/**
 * Every Web API call of a job: held back while Slack's last 429 on the method lasts (in every process),
 * errors mapped for the outbox (429 → its Retry-After and a pause of the method, permanent refusals → no
 * retry). A refused call posted nothing, so the outbox's retry neither loses nor doubles it.
 */
async function slackCall<T>(d: SlackDeps, method: string, call: () => Promise<T>): Promise<T> {
  const wait = await d.pause.remaining(method);
  if (wait > 0) throw new RetryLaterError(`slack ${method} paused by Retry-After`, wait);
  try {
    return await call();
  } catch (err) {
    const mapped = toJobError(err);
    if (mapped instanceof RetryLaterError) {
      await d.pause.pause(method, mapped.retryAfterMs);
      d.log.warn({ method, retryAfterMs: mapped.retryAfterMs }, 'slack rate limited; method paused');
    }
    throw mapped;
  }
}

/** Every Web API write goes through here: the per-channel limiter first. */
async function write<T>(d: SlackDeps, method: string, channel: string, call: () => Promise<T>): Promise<T> {
  await d.limiter.acquire(channel);
  return slackCall(d, method, call);
}

export async function post(d: SlackDeps, channel: string, msg: { text: string; blocks: Blocks }, threadTs?: string) {
  const res = await write(d, 'chat.postMessage', channel, () =>
    d.client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks, ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false }),
  );
  if (!res.ts || !res.channel) throw new Error('chat.postMessage returned no ts');
  return { channel: res.channel, ts: res.ts };
}

export function cardUrl(d: SlackDeps, number: string) {
  return d.config.ticketUrl ? d.config.ticketUrl.replace('{number}', number) : `${d.ctx.publicBaseUrl.replace(/\/$/, '')}/desk/tickets/${number}`;
}

function cardSla(d: SlackDeps, { ticket, events }: TicketDetail): string | undefined {
  const state = slaState(ticket, events, d.ctx.now?.() ?? new Date());
  return state && slaLine(state, ticket.language ?? d.ctx.config.gateway.desk.language, d.timezone);
}

/** Posts the card to the owning team's channel the first time, then edits it in place. */
async function cardJob(d: SlackDeps, job: Job) {
  if (await d.ctx.effects.get(job.key)) return;
  const detail = await load(d, job);
  const { ticket } = detail;
  const team = d.teams[ticket.team];
  if (!team?.slackChannel) {
    d.log.info({ ticketId: ticket.id, team: ticket.team }, 'team has no Slack channel; no card');
    await d.ctx.effects.record(job.key, { skipped: 'no channel' });
    return;
  }
  const blocks = ticketCard({
    ticket,
    requester: detail.requester,
    summary: shorten(firstInbound(detail.messages)?.body ?? '', d.config.summaryLength),
    timezone: d.timezone,
    url: cardUrl(d, ticket.number),
    teamName: team.name,
    ...assignmentState(detail),
    slaLine: cardSla(d, detail),
  });
  const text = cardText(ticket);
  const card = await d.ctx.state.get<CardRef>(keys.card(ticket.id));
  if (card && card.team === ticket.team) {
    await write(d, 'chat.update', card.channel, () => d.client.chat.update({ channel: card.channel, ts: card.ts, text, blocks }));
    await mirrorInbound(d, detail, job, card);
    await d.ctx.effects.record(job.key, { channel: card.channel, ts: card.ts });
    return;
  }
  // Several jobs of one ticket may run at once (and in several workers): one posts, the others update after it.
  const lock = keys.cardLock(ticket.id, ticket.team, card?.ts);
  if (!(await d.ctx.state.setIfAbsent(lock, job.key)) && (await d.ctx.state.get(lock)) !== job.key) {
    throw new RetryLaterError(`card of ${ticket.number} is being posted`, 1000);
  }
  const posted = await post(d, team.slackChannel, { text, blocks });
  await d.ctx.state.set(keys.cardThread(posted.channel, posted.ts), ticket.number);
  const ref: CardRef = { ...posted, team: ticket.team };
  await d.ctx.state.set(keys.card(ticket.id), ref);
  await mirrorInbound(d, detail, job, ref);
  await d.ctx.effects.record(job.key, posted);
  if (card) {
    await write(d, 'chat.update', card.channel, () => d.client.chat.update({ channel: card.channel, ts: card.ts, text, blocks: movedCard(ticket, team.name) }));
  }
}

/** The last automatic assignment since the ticket came to its team: an offer still open, or nobody available. */
function assignmentState(detail: TicketDetail): Pick<CardInput, 'assignment'> {
  const last = [...detail.events].reverse().find((e) => e.type === 'assigned' || e.type === 'escalated' || e.type === 'reassigned' || e.type === 'claimed');
  if (last?.type !== 'assigned') return {};
  const { assignee, expiresAt, reason } = last.data;
  if (assignee === null) return { assignment: { nobody: String(reason ?? '') } };
  return detail.ticket.status === 'assigned' && assignee === detail.ticket.assignee && typeof expiresAt === 'string' ? { assignment: { offeredUntil: expiresAt } } : {};
}

/** A follow-up from the requester appears in the card's thread, where agents answer. */
async function mirrorInbound(d: SlackDeps, detail: TicketDetail, job: Job, card: CardRef) {
  const event = detail.events.find((e) => e.id === job.eventId);
  if (event?.type !== 'replied_in') return;
  const message = detail.messages.find((m) => m.id === event.data.messageId);
  if (!message) return;
  const text = `*${escapeMrkdwn(detail.requester.name ?? message.author)}* (${message.channel}):\n${escapeMrkdwn(shorten(message.body, 2800))}`;
  await post(d, card.channel, { text: `${detail.ticket.number}: ${escapeMrkdwn(shorten(message.body, 300))}`, blocks: [{ type: 'section', text: verbatimMrkdwn(text) }] }, card.ts);
}

/**
 * The employee's thread: the one their first message started (recorded under its dedupe key before
 * intake), or, for `/spoc new` and tickets opened elsewhere for a Slack user, a DM whose first message
 * becomes the thread.
 */
export async function employeeThread(d: SlackDeps, detail: TicketDetail): Promise<{ channel: string; threadTs?: string }> {
  const dedupeKey = detail.events.find((e) => e.type === 'created')?.data.dedupeKey;
  const ref =
    (await d.ctx.state.get<ThreadRef>(keys.thread(detail.ticket.id))) ??
    (typeof dedupeKey === 'string' ? await d.ctx.state.get<ThreadRef>(keys.origin(dedupeKey)) : undefined);
  if (ref && 'channel' in ref) return ref;
  const user = ref?.user ?? detail.requester.slackUserId;
  if (!user) throw new PermanentJobError(`ticket ${detail.ticket.number} has no Slack thread or user`);
  return { channel: await dmChannel(d, user) };
}

/** The bot's DM channel with a user. */
export async function dmChannel(d: SlackDeps, user: string): Promise<string> {
  try {
    const open = await slackCall(d, 'conversations.open', () => d.client.conversations.open({ users: user }));
    if (!open.channel?.id) throw new Error('conversations.open returned no channel');
    return open.channel.id;
  } catch (err) {
    throw toJobError(err);
  }
}

type Delivery = (d: SlackDeps, detail: TicketDetail, job: Job) => { text: string; blocks: Blocks } | undefined;

/** What the employee hears, by ticket event. */
const DELIVERIES: Record<string, Delivery> = {
  created: (d, { ticket, requester }) => acknowledgement(ticket, d.timezone, ticketLang(ticket, requester)),
  replied_out: (_d, { ticket, messages, events }, job) => {
    const id = events.find((e) => e.id === job.eventId)?.data.messageId;
    const message = messages.find((m) => m.id === id);
    return message && !message.internal ? agentReply(message, ticket) : undefined;
  },
  resolved: (_d, { ticket, requester, events }, job) => {
    const resolution = events.find((e) => e.id === job.eventId)?.data.resolution;
    return resolutionPrompt(ticket, typeof resolution === 'string' ? resolution : undefined, ticketLang(ticket, requester));
  },
};

async function deliverJob(d: SlackDeps, job: Job) {
  if (await d.ctx.effects.get(job.key)) return;
  const detail = await load(d, job);
  const type = detail.events.find((e) => e.id === job.eventId)?.type;
  const msg = type ? DELIVERIES[type]?.(d, detail, job) : undefined;
  if (!msg) {
    await d.ctx.effects.record(job.key, { skipped: type ?? 'unknown event' });
    return;
  }
  const thread = await employeeThread(d, detail);
  const posted = await post(d, thread.channel, msg, thread.threadTs);
  if (!thread.threadTs) {
    await d.ctx.state.set(keys.thread(detail.ticket.id), { channel: posted.channel, threadTs: posted.ts } satisfies ThreadRef);
    await d.ctx.state.set(keys.conversation(posted.channel, posted.ts), detail.ticket.number);
  }
  await d.ctx.effects.record(job.key, posted);
}

/** The DM to the agent automatic assignment offered the ticket to (in their directory language), with Accept. */
async function offerJob(d: SlackDeps, job: Job) {
  if (await d.ctx.effects.get(job.key)) return;
  const detail = await load(d, job);
  const event = detail.events.find((e) => e.id === job.eventId);
  const assignee = event?.data.assignee;
  // Still theirs: an offer that lapsed or was taken before this job ran is not worth a DM.
  if (typeof assignee !== 'string' || !assignee.startsWith('slack:') || detail.ticket.assignee !== assignee || detail.ticket.status !== 'assigned') {
    return void (await d.ctx.effects.record(job.key, { skipped: 'no longer offered' }));
  }
  const member = assignee.slice(6);
  const lang = d.ctx.config.directory.find({ slackUserId: member })?.language ?? 'en';
  const minutes = Number(event?.data.reservationMinutes ?? 0);
  const open = await slackCall(d, 'conversations.open', () => d.client.conversations.open({ users: member }));
  if (!open.channel?.id) throw new Error('conversations.open returned no channel');
  const posted = await post(d, open.channel.id, offerMessage(detail.ticket, minutes, cardUrl(d, detail.ticket.number), lang));
  await d.ctx.effects.record(job.key, posted);
}

/**
 * The requester's name and email from users.info, after the ack: a Slack contact is taken without them so
 * the Web API never delays Slack's 3-second ack. Only blank fields are filled.
 */
async function profileJob(d: SlackDeps, people: People, job: Job) {
  if (await d.ctx.effects.get(job.key)) return;
  const { requester } = await load(d, job);
  const userId = requester.slackUserId;
  if (!userId || (requester.name && requester.email)) return void (await d.ctx.effects.record(job.key, { skipped: 'nothing to fill' }));
  try {
    const profile = await slackCall(d, 'users.info', () => people.lookup(userId));
    if (profile.name || profile.email) await d.ctx.directory.complete({ slackUserId: userId, ...profile });
    await d.ctx.effects.record(job.key, { filled: true });
  } catch (err) {
    // A user Slack does not know (or will not show) keeps the Slack id as their identity; that is no failure.
    if (!(err instanceof PermanentJobError)) throw err;
    d.log.info({ userId, err: err.message }, 'no Slack profile for the requester');
    await d.ctx.effects.record(job.key, { skipped: err.message });
  }
}

/** A major incident declared: the desk manager's channel is told, with the reason and how many are affected. */
async function managerJob(d: SlackDeps, job: Job) {
  if (await d.ctx.effects.get(job.key)) return;
  const detail = await load(d, job);
  const channel = d.teams[MANAGER_TEAM]?.slackChannel;
  const event = detail.events.find((e) => e.id === job.eventId);
  if (!channel || !event) return void (await d.ctx.effects.record(job.key, { skipped: channel ? 'no event' : 'desk manager has no Slack channel' }));
  const children = Array.isArray(event.data.children) ? event.data.children.length : 0;
  const posted = await post(d, channel, incidentNotice(detail.ticket, String(event.data.reason ?? ''), children, cardUrl(d, detail.ticket.number)));
  await d.ctx.effects.record(job.key, posted);
}

export function registerSlackJobs(d: SlackDeps, people: People, dispatch: DispatchRegistry) {
  dispatch.register('slack.manager', (job) => managerJob(d, job));
  dispatch.subscribe({ jobType: 'slack.manager', events: ['incident_declared'] });
  dispatch.register('slack.profile', (job) => profileJob(d, people, job));
  dispatch.subscribe({ jobType: 'slack.profile', events: ['created'], channels: ['slack'] });
  dispatch.register('slack.card', (job) => cardJob(d, job));
  dispatch.subscribe({ jobType: 'slack.card', events: CARD_EVENTS });
  dispatch.register('slack.offer', (job) => offerJob(d, job));
  dispatch.subscribe({ jobType: 'slack.offer', events: ['assigned'] });
  dispatch.register('slack.deliver', (job) => deliverJob(d, job));
  dispatch.subscribe({ jobType: 'slack.deliver', events: ['created', 'replied_out', 'resolved'], channels: ['slack'] });
}
