import { randomUUID } from 'node:crypto';
import type { App } from '@slack/bolt';
import type { SlackDeps } from './deps.js';
import { cleanSlackText, messageRecord, type SlackMessageEvent } from './normalise.js';
import { oncePerEvent } from './once.js';
import type { People } from './people.js';
import { actorFor, mayWork } from './permissions.js';
import { textsFor, ticketLang } from './texts.js';
import { keys, type ThreadRef } from './refs.js';

/** Message subtypes that are still a person writing; edits, joins, bot posts and the like are not contacts. */
const HUMAN_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

interface Envelope {
  eventId: string;
  eventTime?: number;
  event: SlackMessageEvent;
  botUserId?: string;
}

function envelopeOf(body: unknown, event: unknown, botUserId?: string): Envelope | undefined {
  const b = body as { event_id?: string; event_time?: number };
  const e = event as SlackMessageEvent & { subtype?: string; bot_id?: string };
  if (!b.event_id || !e.user || e.bot_id || !HUMAN_SUBTYPES.has(e.subtype) || e.user === botUserId) return undefined;
  return { eventId: b.event_id, event: e, ...(b.event_time ? { eventTime: b.event_time } : {}), ...(botUserId ? { botUserId } : {}) };
}

/** An employee's DM, mention or thread follow-up → intake; the thread is remembered so answers go back to it. */
async function employeeMessage(d: SlackDeps, people: People, env: Envelope) {
  const { event } = env;
  const threadTs = event.thread_ts ?? event.ts;
  const known = event.thread_ts ? await d.ctx.state.get<string>(keys.conversation(event.channel, event.thread_ts)) : undefined;
  // From the cache only: users.info runs after the ack (the slack.profile job fills the requester).
  const profile = people.cached(event.user);
  const record = messageRecord({ ...env, id: randomUUID(), userId: event.user, ...(profile ? { profile } : {}), ...(known ? { ticketNumber: known } : {}) });
  await d.ctx.state.set(keys.origin(record.dedupeKey), { channel: event.channel, threadTs } satisfies ThreadRef);
  const result = await d.ctx.intake.accept(record);
  d.log.info({ eventId: env.eventId, ticketId: result.ticket.id, outcome: result.outcome }, 'slack contact accepted');
  if (result.outcome === 'created') await d.ctx.state.set(keys.conversation(event.channel, threadTs), result.ticket.number);
}

/**
 * A message in a card's thread: a reply to the requester, or an internal note when it starts with the
 * marker. Only the owning team's members and the desk manager speak to the requester: anyone else's
 * message is kept as a note, and they are told so where only they see it.
 */
async function agentThreadMessage(d: SlackDeps, people: People, number: string, env: Envelope) {
  await oncePerEvent(d.ctx.state, env.eventId, async () => {
    const text = cleanSlackText(env.event.text ?? '', env.botUserId);
    const marker = d.config.noteMarker.toLowerCase();
    const marked = text.toLowerCase().startsWith(marker);
    const body = marked ? text.slice(marker.length).trim() : text;
    if (!body) return;
    const detail = await d.ctx.tickets.get(number);
    if (!detail) return;
    const speaks = mayWork(d.teams, detail.ticket.team, env.event.user);
    const name = people.name(env.event.user);
    const actor = actorFor(d.teams, { id: env.event.user, ...(name ? { name } : {}) });
    const { message } = await d.ctx.tickets.reply(number, actor, { body, internal: marked || !speaks });
    d.log.info({ eventId: env.eventId, number, messageId: message.id, internal: marked || !speaks, member: speaks }, 'slack thread reply recorded');
    if (!marked && !speaks) {
      const say = textsFor(ticketLang(detail.ticket, detail.requester));
      const teamName = d.teams[detail.ticket.team]?.name ?? detail.ticket.team;
      await d.client.chat.postEphemeral({ channel: env.event.channel, user: env.event.user, thread_ts: env.event.thread_ts, text: say.keptAsNote(teamName, number) });
    }
  });
}

const mentions = (text: string | undefined, botUserId?: string) => !!botUserId && !!text?.includes(`<@${botUserId}>`);

/**
 * Message events: DMs are employees; in channels, a thread under a card is agents, a thread we answered
 * an employee in continues their ticket. A channel message that mentions us also arrives as app_mention,
 * which handles it, so it is skipped here (one contact, not two).
 */
export function registerMessageListeners(app: App, d: SlackDeps, people: People) {
  app.event('message', async ({ body, event, context }) => {
    const env = envelopeOf(body, event, context.botUserId);
    if (!env) return;
    const { channel, thread_ts: threadTs, channel_type: channelType } = env.event;
    if (channelType === 'im') return employeeMessage(d, people, env);
    if (!threadTs) return;
    const card = await d.ctx.state.get<string>(keys.cardThread(channel, threadTs));
    if (card) return mentions(env.event.text, env.botUserId) ? undefined : agentThreadMessage(d, people, card, env);
    if (!mentions(env.event.text, env.botUserId) && (await d.ctx.state.get(keys.conversation(channel, threadTs)))) {
      return employeeMessage(d, people, env);
    }
  });

  app.event('app_mention', async ({ body, event, context }) => {
    const env = envelopeOf(body, event, context.botUserId);
    if (!env) return;
    const card = env.event.thread_ts ? await d.ctx.state.get<string>(keys.cardThread(env.event.channel, env.event.thread_ts)) : undefined;
    return card ? agentThreadMessage(d, people, card, env) : employeeMessage(d, people, env);
  });
}
