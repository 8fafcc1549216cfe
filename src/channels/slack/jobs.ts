import { RetryLaterError, type DispatchRegistry, type Job } from '../../dispatch/types.js';
import { PermanentJobError } from '../../shared/errors.js';
import type { TicketDetail } from '../../ticketing/service-types.js';
import type { TicketEventType } from '../../ticketing/types.js';
import { acknowledgement, agentReply, cardText, firstInbound, incidentNotice, movedCard, resolutionPrompt, shorten, ticketCard } from './blocks.js';
import { MANAGER_TEAM } from './permissions.js';
import { escapeMrkdwn, verbatimMrkdwn } from './mrkdwn.js';
import type { SlackDeps } from './deps.js';
import type { People } from './people.js';
import { keys, type CardRef, type ThreadRef } from './refs.js';
import { toJobError } from './rate-limit.js';
import type { types } from '@slack/bolt';

/** Every change an agent should see on the card; `replied_in` also shows the requester's words in the card's thread. */
export const CARD_EVENTS: TicketEventType[] = [
  'created', 'replied_in', 'claimed', 'reassigned', 'escalated', 'status_changed', 'resolved', 'closed', 'reopened', 'replied_out', 'sla_warning', 'sla_breach',
];

type Blocks = types.KnownBlock[];

async function load(d: SlackDeps, job: Job): Promise<TicketDetail> {
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

async function post(d: SlackDeps, channel: string, msg: { text: string; blocks: Blocks }, threadTs?: string) {
  const res = await write(d, 'chat.postMessage', channel, () =>
    d.client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks, ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false }),
  );
  if (!res.ts || !res.channel) throw new Error('chat.postMessage returned no ts');
  return { channel: res.channel, ts: res.ts };
}

function cardUrl(d: SlackDeps, number: string) {
  return d.config.ticketUrl ? d.config.ticketUrl.replace('{number}', number) : `${d.ctx.publicBaseUrl.replace(/\/$/, '')}/desk/tickets/${number}`;
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
async function employeeThread(d: SlackDeps, detail: TicketDetail): Promise<{ channel: string; threadTs?: string }> {
  const dedupeKey = detail.events.find((e) => e.type === 'created')?.data.dedupeKey;
  const ref =
    (await d.ctx.state.get<ThreadRef>(keys.thread(detail.ticket.id))) ??
    (typeof dedupeKey === 'string' ? await d.ctx.state.get<ThreadRef>(keys.origin(dedupeKey)) : undefined);
  if (ref && 'channel' in ref) return ref;
  const user = ref?.user ?? detail.requester.slackUserId;
  if (!user) throw new PermanentJobError(`ticket ${detail.ticket.number} has no Slack thread or user`);
  try {
    const open = await slackCall(d, 'conversations.open', () => d.client.conversations.open({ users: user }));
    if (!open.channel?.id) throw new Error('conversations.open returned no channel');
    return { channel: open.channel.id };
  } catch (err) {
    throw toJobError(err);
  }
}

type Delivery = (d: SlackDeps, detail: TicketDetail, job: Job) => { text: string; blocks: Blocks } | undefined;

/** What the employee hears, by ticket event. */
const DELIVERIES: Record<string, Delivery> = {
  created: (d, { ticket }) => acknowledgement(ticket, d.timezone),
  replied_out: (_d, { ticket, messages, events }, job) => {
    const id = events.find((e) => e.id === job.eventId)?.data.messageId;
    const message = messages.find((m) => m.id === id);
    return message && !message.internal ? agentReply(message, ticket) : undefined;
  },
  resolved: (_d, { ticket, events }, job) => {
    const resolution = events.find((e) => e.id === job.eventId)?.data.resolution;
    return resolutionPrompt(ticket, typeof resolution === 'string' ? resolution : undefined);
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
  dispatch.register('slack.deliver', (job) => deliverJob(d, job));
  dispatch.subscribe({ jobType: 'slack.deliver', events: ['created', 'replied_out', 'resolved'], channels: ['slack'] });
}
