import { localTime } from '../../shared/local-time.js';
import { STATUS_NAMES } from '../../ticketing/status-names.js';
import type { Requester, Ticket, TicketStatus } from '../../ticketing/types.js';
import { DateTime } from 'luxon';

export type Lang = 'zh' | 'en';

/**
 * Every text people read in Slack outside the agents' card, in both languages: the acknowledgement and
 * resolution prompt in the requester's language, refusals in the language of the ticket they concern,
 * `/spoc` and App Home in the person's own. Values are mrkdwn: callers escape the outside text they pass.
 */
export const SLACK_TEXTS = {
  en: {
    ack: (n: string, p: string, t: string) => `Thanks, we have your request: *${n}* (${p}). Someone from IT will respond by ${t}. Reply in this thread to add details.`,
    resolved: (n: string, resolution?: string) => `*${n}* was resolved${resolution ? `: ${resolution}` : '.'}\nIs your problem fixed?`,
    resolvedText: (n: string) => `${n} was resolved. Is your problem fixed?`,
    confirmButton: 'Yes, close it',
    reopenButton: 'No, reopen',
    closedThanks: (n: string) => `Thanks! ${n} is closed.`,
    reopenedNote: (n: string) => `${n} is open again; IT will follow up in this thread.`,
    gone: 'That ticket no longer exists.',
    onlyTeam: (team: string, n: string) => `Only members of ${team} or the desk manager can do that on ${n}.`,
    onlyRequester: (n: string) => `Only the person who asked can answer for ${n}.`,
    keptAsNote: (team: string, n: string) =>
      `Only members of ${team} or the desk manager answer the requester of ${n}. Your message was kept as an internal note and was not sent to them.`,
    keptAsNoteTitle: 'Kept as a note',
    help: 'Usage: `/spoc new <what you need>` · `/spoc status INC-000042` · `/spoc mine`',
    created: (n: string, p: string, t: string) => `Created *${n}* (${p}); IT will respond by ${t}. I'll keep you posted in a DM.`,
    added: (n: string, p: string, t: string) => `Added to *${n}* (${p}); IT will respond by ${t}. I'll keep you posted in a DM.`,
    notFound: (n: string) => `I can't find ${n || 'that ticket'}.`,
    statusTail: (team: string, tier: string, assignee: string, t: string) => `Team ${team} (${tier}) · ${assignee} · resolve by ${t}`,
    assignedToYou: '*Assigned to you*',
    yourRequests: '*Your requests*',
    none: '_none_',
    unassigned: '_unassigned_',
    line: (n: string, p: string, status: string, subject: string, t: string) => `*${n}* ${p} · ${status} · ${subject} · respond by ${t}`,
    homeAssigned: 'Your open tickets',
    homeNothingAssigned: '_Nothing assigned to you._',
    homeRequests: 'Your requests',
    homeNoRequests: '_No open requests. Send me a message to ask IT for help._',
    offer: (n: string, subject: string, minutes: number) => `*${n}* is offered to you: ${subject}\nAccept within ${minutes} min, or it passes to the next agent.`,
    offerText: (n: string) => `${n} is offered to you`,
    acceptButton: 'Accept',
    accepted: (n: string) => `You took *${n}*.`,
  },
  zh: {
    ack: (n: string, p: string, t: string) => `已收到您的请求：*${n}*（${p}）。IT 将在 ${t} 前响应。在此线程回复即可补充信息。`,
    resolved: (n: string, resolution?: string) => `*${n}* 已解决${resolution ? `：${resolution}` : '。'}\n您的问题解决了吗？`,
    resolvedText: (n: string) => `${n} 已解决。您的问题解决了吗？`,
    confirmButton: '已解决，关闭',
    reopenButton: '没解决，重新打开',
    closedThanks: (n: string) => `谢谢！${n} 已关闭。`,
    reopenedNote: (n: string) => `${n} 已重新打开，IT 会在此线程跟进。`,
    gone: '该工单已不存在。',
    onlyTeam: (team: string, n: string) => `只有${team}的成员或服务台经理可以处理 ${n}。`,
    onlyRequester: (n: string) => `只有提出 ${n} 的人可以回答。`,
    keptAsNote: (team: string, n: string) => `只有${team}的成员或服务台经理可以回复 ${n} 的请求人。您的消息已保存为内部备注，没有发给请求人。`,
    keptAsNoteTitle: '已保存为备注',
    help: '用法：`/spoc new <您需要什么>` · `/spoc status INC-000042` · `/spoc mine`',
    created: (n: string, p: string, t: string) => `已创建 *${n}*（${p}）；IT 将在 ${t} 前响应。进展会通过私信告诉您。`,
    added: (n: string, p: string, t: string) => `已补充到 *${n}*（${p}）；IT 将在 ${t} 前响应。进展会通过私信告诉您。`,
    notFound: (n: string) => `找不到${n ? ` ${n}` : '该工单'}。`,
    statusTail: (team: string, tier: string, assignee: string, t: string) => `团队 ${team}（${tier}）· ${assignee} · ${t} 前解决`,
    assignedToYou: '*分配给您的*',
    yourRequests: '*您的请求*',
    none: '_无_',
    unassigned: '_未分配_',
    line: (n: string, p: string, status: string, subject: string, t: string) => `*${n}* ${p} · ${status} · ${subject} · ${t} 前响应`,
    homeAssigned: '您负责的工单',
    homeNothingAssigned: '_暂无分配给您的工单。_',
    homeRequests: '您的请求',
    homeNoRequests: '_没有未完成的请求。给我发消息即可向 IT 求助。_',
    offer: (n: string, subject: string, minutes: number) => `*${n}* 已分配给您：${subject}\n请在 ${minutes} 分钟内接单，否则将转给下一位同事。`,
    offerText: (n: string) => `${n} 已分配给您`,
    acceptButton: '接单',
    accepted: (n: string) => `您已接单 *${n}*。`,
  },
} satisfies Record<Lang, unknown>;

export type SlackTexts = (typeof SLACK_TEXTS)['en'];
export const textsFor = (lang: Lang): SlackTexts => SLACK_TEXTS[lang];

/** The requester's language for what concerns their ticket (set at intake), else their profile's, else English. */
export const ticketLang = (ticket: Pick<Ticket, 'language'>, requester?: Pick<Requester, 'language'>): Lang => ticket.language ?? requester?.language ?? 'en';

/** A time in the desk's zone as the reader's language writes it. */
export function timeIn(iso: string, zone: string, lang: Lang): string {
  return lang === 'zh' ? localTime(iso, zone, 'zh') : DateTime.fromISO(iso).setZone(zone).toFormat('yyyy-LL-dd HH:mm ZZZZ');
}

export const statusIn = (status: TicketStatus, lang: Lang) => (lang === 'zh' ? STATUS_NAMES[status].zh : status.replace('_', ' '));
