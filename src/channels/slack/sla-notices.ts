import type { DispatchRegistry, Job } from '../../dispatch/types.js';
import { PermanentJobError } from '../../shared/errors.js';
import type { TicketDetail } from '../../ticketing/service-types.js';
import type { TicketEvent } from '../../ticketing/types.js';
import { assigneeLabel, shorten } from './blocks.js';
import type { SlackDeps } from './deps.js';
import { cardUrl, dmChannel, post } from './jobs.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { MANAGER_TEAM } from './permissions.js';
import { keys, type CardRef } from './refs.js';
import { slaLine, type SlaState } from './sla-state.js';

type Lang = 'zh' | 'en';

const WORDS = {
  en: {
    you: 'You hold this ticket.',
    nobody: 'Nobody holds this ticket yet.',
    escalated: (from: string, to: string) => `Escalated from ${from} to ${to}.`,
    top: 'Already at the top tier: not escalated further.',
    assignee: 'Assignee',
    open: 'Open',
  },
  zh: {
    you: '此工单由你负责。',
    nobody: '此工单尚无人负责。',
    escalated: (from: string, to: string) => `已从 ${from} 升级到 ${to}。`,
    top: '已在最高一线，不再升级。',
    assignee: '负责人',
    open: '打开',
  },
} as const;

/** A Slack user behind an assignee id: `slack:U…` itself, `staff:<email>` through the directory. */
function slackUserOf(d: SlackDeps, assignee: unknown): string | undefined {
  if (typeof assignee !== 'string') return undefined;
  if (assignee.startsWith('slack:')) return assignee.slice(6);
  const email = assignee.startsWith('staff:') ? assignee.slice(6) : assignee.includes('@') ? assignee : undefined;
  return email ? d.ctx.config.directory.find({ email })?.slackUserId : undefined;
}

/** A staff member's language from the directory, else the desk's. */
function languageOf(d: SlackDeps, slackUserId: string | undefined): Lang {
  return (slackUserId && d.ctx.config.directory.find({ slackUserId })?.language) || d.ctx.config.gateway.desk.language;
}

/** The desk managers reachable by DM: the desk-manager team's members and the directory's managers with a Slack id. */
function managers(d: SlackDeps): string[] {
  const fromDirectory = d.ctx.config.directory.people.filter((p) => p.role === 'manager' && p.slackUserId).map((p) => p.slackUserId!);
  return [...new Set([...(d.teams[MANAGER_TEAM]?.members ?? []), ...fromDirectory])];
}

function notice(d: SlackDeps, detail: TicketDetail, step: TicketEvent, lang: Lang, extra: string[]): { text: string; blocks: ReturnType<typeof section>[] } {
  const { ticket } = detail;
  const due = typeof step.data.due === 'string' ? step.data.due : ticket.respondBy;
  const state: SlaState = {
    level: step.type === 'sla_breach' ? 'breached' : 'at_risk',
    clock: step.data.clock === 'resolve' ? 'resolve' : 'respond',
    due,
    msLeft: Date.parse(due) - (d.ctx.now?.() ?? new Date()).getTime(),
  };
  const head = `*${ticket.number}* ${ticket.priority} · ${escapeMrkdwn(shorten(ticket.subject, 150))}`;
  const line = slaLine(state, lang, d.timezone);
  const body = [head, line, ...extra, `<${cardUrl(d, ticket.number)}|${WORDS[lang].open}>`].join('\n');
  return { text: `${ticket.number}: ${line}`, blocks: [section(body)] };
}

const section = (text: string) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text } });

/** What the step's escalation did, from the `escalated` event it wrote beside the step. */
function escalationLine(d: SlackDeps, detail: TicketDetail, step: TicketEvent, lang: Lang): string | undefined {
  if (!(step.data.actions as unknown[] | undefined)?.includes('escalate')) return undefined;
  const moved = detail.events.find((e) => e.type === 'escalated' && e.data.stepEventId === step.id);
  if (!moved) return WORDS[lang].top;
  const name = (team: unknown) => escapeMrkdwn(d.teams[String(team)]?.name ?? String(team));
  return WORDS[lang].escalated(`${name(moved.data.fromTeam)} (${String(moved.data.fromTier)})`, `${name(moved.data.toTeam)} (${String(moved.data.toTier)})`);
}

/**
 * The people side of an SLA step: the assignee by DM (or, with nobody holding it, the card's thread in
 * the team channel), and the desk manager in their channel or by DM. Each post is its own effect, so a
 * retried job posts only what is missing.
 */
async function noticeJob(d: SlackDeps, job: Job): Promise<void> {
  if (await d.ctx.effects.get(job.key)) return;
  const detail = await d.ctx.tickets.getById(job.ticketId);
  if (!detail) throw new PermanentJobError(`ticket ${job.ticketId} not found`);
  const step = detail.events.find((e) => e.id === job.eventId);
  const actions = (step?.data.actions as unknown[] | undefined) ?? [];
  if (!step) throw new PermanentJobError(`event ${job.eventId} not found`);

  const once = async (target: string, send: () => Promise<unknown>) => {
    const key = `${job.key}:${target}`;
    if (await d.ctx.effects.get(key)) return;
    await d.ctx.effects.record(key, { posted: await send() });
  };

  if (actions.includes('notify')) {
    const user = slackUserOf(d, step.data.assignee);
    const lang = languageOf(d, user);
    const escalation = escalationLine(d, detail, step, lang);
    if (user) {
      await once(`assignee:${user}`, async () => post(d, await dmChannel(d, user), notice(d, detail, step, lang, [WORDS[lang].you, ...(escalation ? [escalation] : [])])));
    } else {
      const card = await d.ctx.state.get<CardRef>(keys.card(detail.ticket.id));
      if (card) await once('team', () => post(d, card.channel, notice(d, detail, step, lang, [WORDS[lang].nobody, ...(escalation ? [escalation] : [])]), card.ts));
    }
  }

  if (actions.includes('manager')) {
    const channel = d.teams[MANAGER_TEAM]?.slackChannel;
    const dms = step.data.managerVia === 'dm' ? managers(d) : [];
    const extra = (lang: Lang) => [
      `${WORDS[lang].assignee}: ${assigneeLabel(typeof step.data.assignee === 'string' ? step.data.assignee : undefined)}`,
      ...[escalationLine(d, detail, step, lang)].filter((l): l is string => l !== undefined),
    ];
    if (dms.length > 0) {
      for (const user of dms) await once(`manager:${user}`, async () => post(d, await dmChannel(d, user), notice(d, detail, step, languageOf(d, user), extra(languageOf(d, user)))));
    } else if (channel) {
      const lang = d.ctx.config.gateway.desk.language;
      await once(`manager-channel:${channel}`, () => post(d, channel, notice(d, detail, step, lang, extra(lang))));
    } else {
      d.log.warn({ ticketId: detail.ticket.id }, 'sla step tells the desk manager, who has no Slack channel or members');
    }
  }
  await d.ctx.effects.record(job.key, { actions });
}

export function registerSlaNotices(d: SlackDeps, dispatch: DispatchRegistry): void {
  dispatch.register('slack.sla', (job) => noticeJob(d, job));
  dispatch.subscribe({ jobType: 'slack.sla', events: ['sla_warning', 'sla_breach'] });
}
