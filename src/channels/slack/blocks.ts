import { DateTime } from 'luxon';
import type { types } from '@slack/bolt';
import type { Message, Requester, Ticket } from '../../ticketing/types.js';
import { OPEN_STATUSES } from '../../ticketing/types.js';
import { escapeMrkdwn, verbatimMrkdwn } from './mrkdwn.js';
import { statusIn, textsFor, timeIn, type Lang } from './texts.js';

type Block = types.KnownBlock;
type View = types.View;

/** Action and view ids: one table so the listeners and the blocks cannot drift apart. */
export const ACTION = {
  claim: 'spoc_claim',
  reply: 'spoc_reply',
  escalate: 'spoc_escalate',
  reassign: 'spoc_reassign',
  resolve: 'spoc_resolve',
  link: 'spoc_link',
  accept: 'spoc_accept',
  confirm: 'spoc_confirm',
  reopen: 'spoc_reopen',
  declare: 'spoc_declare',
} as const;

export const VIEW = {
  reply: 'spoc_reply_modal',
  resolve: 'spoc_resolve_modal',
  escalate: 'spoc_escalate_modal',
  reassign: 'spoc_reassign_modal',
} as const;

/** What a card needs besides the ticket; the job gathers it so rendering stays pure. */
export interface CardInput {
  ticket: Ticket;
  requester: Requester;
  /** The first thing the requester wrote, shortened. */
  summary: string;
  timezone: string;
  url: string;
  teamName: string;
  /** Where automatic assignment stands: offered to the assignee until a time, or nobody available. */
  assignment?: { offeredUntil: string } | { nobody: string };
  /** The SLA at a glance (on track / at risk / breached, with the time left), shown under the header. */
  slaLine?: string;
}


export const formatTime = (iso: string, zone: string) => DateTime.fromISO(iso).setZone(zone).toFormat('yyyy-LL-dd HH:mm ZZZZ');


export function shorten(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** A name rather than a mention, so a requester who is in the team channel is not pinged by their own card. */
export function requesterLabel(r: Requester): string {
  const name = r.name ?? r.email ?? r.phone;
  if (name) return escapeMrkdwn(name);
  return r.slackUserId ? `<@${r.slackUserId}>` : escapeMrkdwn(r.id);
}

/** Assignees are actor ids (`slack:U123`, `api:key` …); Slack users are shown as mentions. */
export const assigneeLabel = (assignee?: string, lang: Lang = 'en') =>
  !assignee ? textsFor(lang).unassigned : assignee.startsWith('slack:') ? `<@${assignee.slice(6)}>` : escapeMrkdwn(assignee);

/** The card's assignee field: who holds it, whether that is still an offer, or that nobody is available. */
function cardAssignee(c: CardInput): string {
  const a = c.assignment;
  if (a && 'nobody' in a && !c.ticket.assignee) return `_nobody available: waiting with the team_\n${escapeMrkdwn(shorten(a.nobody, 200))}`;
  const who = assigneeLabel(c.ticket.assignee);
  return a && 'offeredUntil' in a && c.ticket.assignee ? `${who} (offered, until ${formatTime(a.offeredUntil, c.timezone)})` : who;
}

export function firstInbound(messages: Message[]): Message | undefined {
  return messages.find((m) => m.direction === 'in' && !m.internal);
}

const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger') => ({
  type: 'button' as const,
  text: { type: 'plain_text' as const, text },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});

/** The one-line text Slack shows in notifications and where blocks cannot render. */
export const cardText = (t: Ticket) => `[${t.number}] ${t.priority} ${escapeMrkdwn(shorten(t.subject, 200))}`;

/** The agents' card in the team channel; re-rendered from the current ticket on every change. */
export function ticketCard(c: CardInput): Block[] {
  const t = c.ticket;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: shorten(`${t.number} · ${t.priority} · ${t.type}`, 150) } },
    ...(c.slaLine ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: c.slaLine } }] : []),
    { type: 'section', text: verbatimMrkdwn(`*${escapeMrkdwn(shorten(t.subject || '(no subject)', 200))}*\n${escapeMrkdwn(c.summary)}`) },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Requester*\n${requesterLabel(c.requester)}` },
        { type: 'mrkdwn', text: `*From*\n${t.channel}` },
        { type: 'mrkdwn', text: `*Status*\n${t.status.replace('_', ' ')}` },
        { type: 'mrkdwn', text: `*Team*\n${escapeMrkdwn(c.teamName)} (${t.tier})` },
        { type: 'mrkdwn', text: `*Assignee*\n${cardAssignee(c)}` },
        { type: 'mrkdwn', text: `*Category*\n${escapeMrkdwn(t.category)}` },
        { type: 'mrkdwn', text: `*Respond by*\n${formatTime(t.respondBy, c.timezone)}` },
        { type: 'mrkdwn', text: `*Resolve by*\n${formatTime(t.resolveBy, c.timezone)}` },
      ],
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `Routed: ${escapeMrkdwn(shorten(t.reason, 280))}` }] },
  ];
  const link = { type: 'button' as const, text: { type: 'plain_text' as const, text: 'Open' }, action_id: ACTION.link, url: c.url };
  const open = OPEN_STATUSES.includes(t.status);
  blocks.push({
    type: 'actions',
    block_id: 'spoc_card_actions',
    elements: open
      ? [
          // An offered (not yet worked) ticket can still be claimed: by its assignee, or by a teammate taking it over.
          ...(t.assignee && t.status !== 'assigned' ? [] : [button('Claim', ACTION.claim, t.number, 'primary')]),
          button('Reply', ACTION.reply, t.number),
          button('Escalate', ACTION.escalate, t.number),
          button('Reassign', ACTION.reassign, t.number),
          button('Resolve', ACTION.resolve, t.number),
          // A fault report that turns out to be an outage: declared on it, it becomes the incident's first child.
          ...(t.type === 'incident' && !t.tags.includes('major-incident') ? [button('Major incident', ACTION.declare, t.number, 'danger')] : []),
          link,
        ]
      : [link],
  });
  return blocks;
}

/** What the old team's card says once the ticket moved to another team's channel. */
export function movedCard(t: Ticket, teamName: string): Block[] {
  return [
    { type: 'section', text: verbatimMrkdwn(`~${t.number}~ ${escapeMrkdwn(shorten(t.subject, 200))}\nMoved to *${escapeMrkdwn(teamName)}*.`) },
  ];
}

export function acknowledgement(t: Ticket, timezone: string, lang: Lang = 'en'): { text: string; blocks: Block[] } {
  const text = textsFor(lang).ack(t.number, t.priority, timeIn(t.respondBy, timezone, lang));
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

export function agentReply(m: Message, t: Ticket): { text: string; blocks: Block[] } {
  const text = `*${t.number}* · ${escapeMrkdwn(m.author)}:\n${escapeMrkdwn(shorten(m.body, 2900))}`;
  return { text: `${t.number}: ${escapeMrkdwn(shorten(m.body, 2900))}`, blocks: [{ type: 'section', text: verbatimMrkdwn(text) }] };
}

/** Asks the employee whether the resolution worked: Confirm closes, Reopen reopens. */
export function resolutionPrompt(t: Ticket, resolution: string | undefined, lang: Lang = 'en'): { text: string; blocks: Block[] } {
  const say = textsFor(lang);
  const text = say.resolved(t.number, resolution ? escapeMrkdwn(shorten(resolution, 2500)) : undefined);
  return {
    text: say.resolvedText(t.number),
    blocks: [
      { type: 'section', text: verbatimMrkdwn(text) },
      {
        type: 'actions',
        block_id: 'spoc_confirm_actions',
        elements: [button(say.confirmButton, ACTION.confirm, t.number, 'primary'), button(say.reopenButton, ACTION.reopen, t.number, 'danger')],
      },
    ],
  };
}

/** What the desk manager's channel hears when a major incident is declared. */
export function incidentNotice(t: Ticket, reason: string, children: number, url: string): { text: string; blocks: Block[] } {
  const text = `:rotating_light: Major incident *${t.number}* (${t.priority}, ${escapeMrkdwn(t.team)}): ${escapeMrkdwn(shorten(t.subject, 200))}\n${escapeMrkdwn(shorten(reason, 500))} · ${children} affected so far`;
  return {
    text: `Major incident ${t.number}: ${escapeMrkdwn(shorten(t.subject, 200))}`,
    blocks: [
      { type: 'section', text: verbatimMrkdwn(text) },
      { type: 'actions', block_id: 'spoc_incident_actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open' }, action_id: ACTION.link, url }] },
    ],
  };
}

export const plainSection = (text: string): Block[] => [{ type: 'section', text: { type: 'mrkdwn', text } }];

const modal = (callbackId: string, title: string, submit: string, meta: string, blocks: Block[]): View => ({
  type: 'modal',
  callback_id: callbackId,
  private_metadata: meta,
  title: { type: 'plain_text', text: title },
  submit: { type: 'plain_text', text: submit },
  close: { type: 'plain_text', text: 'Cancel' },
  blocks,
});

const textInput = (blockId: string, label: string, optional = false): Block => ({
  type: 'input',
  block_id: blockId,
  optional,
  label: { type: 'plain_text', text: label },
  element: { type: 'plain_text_input', action_id: 'value', multiline: true },
});

const teamSelect = (teams: Array<{ id: string; name: string }>, label: string): Block => ({
  type: 'input',
  block_id: 'team',
  optional: true,
  label: { type: 'plain_text', text: label },
  element: {
    type: 'static_select',
    action_id: 'value',
    options: teams.slice(0, 100).map((t) => ({ text: { type: 'plain_text', text: shorten(t.name, 75) }, value: t.id })),
  },
});

/** Modals carry the ticket number in private_metadata; the submission handler reads it back. */
export const replyModal = (number: string): View =>
  modal(VIEW.reply, `Reply ${number}`, 'Send', number, [
    textInput('body', 'Message to the requester'),
    {
      type: 'input',
      block_id: 'internal',
      optional: true,
      label: { type: 'plain_text', text: 'Visibility' },
      element: {
        type: 'checkboxes',
        action_id: 'value',
        options: [{ text: { type: 'plain_text', text: 'Internal note (not sent to the requester)' }, value: 'internal' }],
      },
    },
  ]);

export const resolveModal = (number: string): View => modal(VIEW.resolve, `Resolve ${number}`, 'Resolve', number, [textInput('resolution', 'Resolution')]);

export const escalateModal = (number: string, teams: Array<{ id: string; name: string }>): View =>
  modal(VIEW.escalate, `Escalate ${number}`, 'Escalate', number, [
    teamSelect(teams, 'Team (empty: the next tier)'),
    textInput('reason', 'Reason', true),
  ]);

export const reassignModal = (number: string, teams: Array<{ id: string; name: string }>): View =>
  modal(VIEW.reassign, `Reassign ${number}`, 'Reassign', number, [
    teamSelect(teams, 'Team'),
    {
      type: 'input',
      block_id: 'assignee',
      optional: true,
      label: { type: 'plain_text', text: 'Agent' },
      element: { type: 'users_select', action_id: 'value' },
    },
  ]);

/** One line per ticket for App Home and `/spoc mine`. */
export const ticketLine = (t: Ticket, timezone: string, lang: Lang = 'en') =>
  textsFor(lang).line(t.number, t.priority, statusIn(t.status, lang), escapeMrkdwn(shorten(t.subject, 80)), timeIn(t.respondBy, timezone, lang));

export function homeView(input: { assigned?: Ticket[]; requested: Ticket[]; timezone: string; lang?: Lang }): View {
  const lang = input.lang ?? 'en';
  const say = textsFor(lang);
  const list = (ts: Ticket[], empty: string) => (ts.length ? ts.map((t) => ticketLine(t, input.timezone, lang)).join('\n') : empty);
  const blocks: Block[] = [];
  if (input.assigned) {
    blocks.push({ type: 'header', text: { type: 'plain_text', text: say.homeAssigned } });
    blocks.push(...plainSection(list(input.assigned, say.homeNothingAssigned)));
    blocks.push({ type: 'divider' });
  }
  blocks.push({ type: 'header', text: { type: 'plain_text', text: say.homeRequests } });
  blocks.push(...plainSection(list(input.requested, say.homeNoRequests)));
  return { type: 'home', blocks };
}

/** The DM offering a ticket to the agent automatic assignment chose; Accept claims it. */
export function offerMessage(t: Ticket, minutes: number, url: string, lang: Lang): { text: string; blocks: Block[] } {
  const say = textsFor(lang);
  return {
    text: say.offerText(t.number),
    blocks: [
      { type: 'section', text: verbatimMrkdwn(say.offer(t.number, escapeMrkdwn(shorten(t.subject || '-', 200)), minutes)) },
      {
        type: 'actions',
        block_id: 'spoc_offer_actions',
        elements: [button(say.acceptButton, ACTION.accept, t.number, 'primary'), { type: 'button', text: { type: 'plain_text', text: 'Open' }, action_id: ACTION.link, url }],
      },
    ],
  };
}

/** A modal that only tells the person something (what became of their submission). */
export const noticeModal = (title: string, text: string): View => ({
  type: 'modal',
  title: { type: 'plain_text', text: shorten(title, 24) },
  close: { type: 'plain_text', text: 'OK' },
  blocks: plainSection(text),
});
