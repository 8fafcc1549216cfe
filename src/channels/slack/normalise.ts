import type { IntakeRecordInput } from '../../intake/record.js';
import { conversationId } from './refs.js';

/** What users.info told us on first contact. */
export interface SlackProfile {
  name?: string;
  email?: string;
}

/** The fields of a Slack message event spoc reads. */
export interface SlackMessageEvent {
  type: string;
  channel: string;
  channel_type?: string;
  user: string;
  text?: string;
  ts: string;
  thread_ts?: string;
}

/** Slack's mrkdwn wire format to plain text: links, mentions and entities; our own mention dropped. */
export function cleanSlackText(text: string, botUserId?: string): string {
  return text
    .replace(/<@([A-Z0-9]+)(\|[^>]*)?>/g, (_m, id: string) => (id === botUserId ? '' : `@${id}`))
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!(here|channel|everyone)[^>]*>/g, '@$1')
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, (_m, url: string, label: string) => (url.replace(/^mailto:/, '') === label ? label : `${label} (${url})`))
    .replace(/<((?:https?|mailto):[^>]+)>/g, (_m, url: string) => url.replace(/^mailto:/, ''))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
}

const subjectOf = (body: string) => {
  const line = body.split('\n').find((l) => l.trim()) ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
};

const tsToIso = (ts: string) => new Date(Math.round(Number(ts) * 1000)).toISOString();

interface Common {
  /** The intake record's own id (a UUID), made by the caller so this stays pure. */
  id: string;
  userId: string;
  profile?: SlackProfile;
  /** A ticket this Slack thread is already known to belong to. */
  ticketNumber?: string;
}

function record(c: Common, nativeId: string, receivedAt: string, body: string, thread: IntakeRecordInput['thread'], meta: Record<string, string>): IntakeRecordInput {
  return {
    id: c.id,
    channel: 'slack',
    receivedAt,
    dedupeKey: `slack:${nativeId}`,
    requester: {
      slackUserId: c.userId,
      ...(c.profile?.name ? { name: c.profile.name } : {}),
      ...(c.profile?.email ? { email: c.profile.email } : {}),
    },
    subject: subjectOf(body),
    body,
    attachments: [],
    thread: { ...thread, ...(c.ticketNumber ? { ticketNumber: c.ticketNumber } : {}) },
    meta,
  };
}

/**
 * A DM to the app, a mention of it, or a follow-up in such a thread, as an intake record. The thread
 * (`slack:<channel>:<thread ts>`) is the conversation, so later messages in it join the same ticket.
 */
export function messageRecord(c: Common & { eventId: string; eventTime?: number; event: SlackMessageEvent; botUserId?: string }): IntakeRecordInput {
  const e = c.event;
  const threadTs = e.thread_ts ?? e.ts;
  const receivedAt = c.eventTime ? new Date(c.eventTime * 1000).toISOString() : tsToIso(e.ts);
  // Slack ts values are unique per channel only, so message ids carry the channel.
  const thread = {
    conversationId: conversationId(e.channel, threadTs),
    messageId: `${e.channel}:${e.ts}`,
    ...(e.thread_ts ? { replyTo: [`${e.channel}:${e.thread_ts}`] } : {}),
  };
  return record(c, c.eventId, receivedAt, cleanSlackText(e.text ?? '', c.botUserId), thread, {
    slack_channel: e.channel,
    slack_channel_type: e.channel_type ?? (e.type === 'app_mention' ? 'channel' : 'unknown'),
  });
}

/** `/spoc new <text>`: the command's trigger_id is unique per invocation, so a resent command is a duplicate. */
export function commandRecord(c: Common & { triggerId: string; text: string; channelId: string; receivedAt: string }): IntakeRecordInput {
  return record(c, c.triggerId, c.receivedAt, c.text.trim(), {}, { slack_channel: c.channelId, slack_channel_type: 'command' });
}
