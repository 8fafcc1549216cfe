import { localTime } from '../../shared/local-time.js';
import { STATUS_NAMES } from '../../ticketing/status-names.js';
import type { TicketStatus } from '../../ticketing/types.js';
import { escapeHtml } from '../../shared/html.js';
import { TICKET_NUMBER_SOURCE } from '../../ticketing/numbers.js';
import { SCORE_WORDS } from '../../survey/config.js';

const BRACKETED_NUMBER = new RegExp(`\\s*\\[${TICKET_NUMBER_SOURCE}\\]\\s*`, 'g');

/** What one outgoing mail says, before it is addressed and threaded. */
export type MailKind = 'ack' | 'reply' | 'status' | 'resolved' | 'survey';

export interface MailFacts {
  kind: MailKind;
  language: 'zh' | 'en';
  ticketNumber: string;
  subject: string;
  /** ISO time the desk promised a first response by, shown in the desk's time zone. */
  respondBy: string;
  timezone: string;
  portalUrl: string;
  /** The agent's reply (reply), the new status (status), the resolution text (resolved), the rating link (survey). */
  text?: string;
  status?: string;
  /** The resolution's promise about closing by itself, from the real setting; absent when auto-close is off (resolved). */
  closing?: string;
  /** The request mail was too large to download (ack). */
  oversize?: boolean;
  /** Up to three knowledge-base articles that may answer the request (ack), each with its signed "solved it" link. */
  articles?: ReadonlyArray<{ title: string; url: string; solvedUrl: string }>;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Paragraphs in the requester's language; each is plain text and becomes one escaped <p> in the HTML part. */
function paragraphs(f: MailFacts): { subjectLine: string; lines: string[] } {
  const zh = f.language === 'zh';
  const status = f.status ? STATUS_NAMES[f.status as TicketStatus]?.[f.language] ?? f.status : '';
  const link = zh ? `查看工单：${f.portalUrl}` : `Follow your ticket: ${f.portalUrl}`;
  const keepTag = zh ? '回复本邮件时请保留主题中的工单号。' : 'Please keep the ticket number in the subject when you reply.';
  switch (f.kind) {
    case 'ack':
      return {
        subjectLine: zh ? `已受理：${f.subject}` : `Received: ${f.subject}`,
        lines: [
          zh ? `我们已收到您的请求“${f.subject}”，工单号 ${f.ticketNumber}。` : `We have received your request "${f.subject}" and opened ticket ${f.ticketNumber}.`,
          ...(f.oversize
            ? [zh ? '您的邮件超过大小限制，未能下载。请去掉大附件后重新发送详情，或以链接方式共享。' : 'Your email was over the size limit and was not downloaded. Please send the details again without large attachments, or share them by link.']
            : []),
          zh ? `我们将在 ${localTime(f.respondBy, f.timezone, 'zh')} 之前回复您。` : `We will respond by ${localTime(f.respondBy, f.timezone, 'en')}.`,
          ...articleLines(f),
          link,
          keepTag,
        ],
      };
    case 'reply':
      return { subjectLine: f.subject, lines: [f.text ?? '', link, keepTag] };
    case 'status':
      return {
        subjectLine: f.subject,
        lines: [zh ? `您的工单 ${f.ticketNumber} 状态已更新为：${status}。` : `Your ticket ${f.ticketNumber} is now ${status}.`, link],
      };
    case 'resolved':
      return {
        subjectLine: zh ? `已解决：${f.subject}` : `Resolved: ${f.subject}`,
        lines: [
          zh ? `您的工单 ${f.ticketNumber} 已解决。` : `Your ticket ${f.ticketNumber} has been resolved.`,
          ...(f.text ? [zh ? `处理结果：${f.text}` : `Resolution: ${f.text}`] : []),
          zh
            ? '如问题已解决，请回复“已解决”或“谢谢”，工单不会重新打开。如问题仍然存在，请回复“还是不行”并说明情况，工单将重新打开。'
            : 'If this solves your problem, reply "fixed, thanks" and the ticket stays resolved. If it does not, just reply to this email with "not fixed" and what you see, and the ticket will be reopened.',
          ...(f.closing ? [f.closing] : []),
          link,
        ],
      };
    case 'survey':
      return {
        subjectLine: zh ? `请评价：${f.subject}` : `How did we do? ${f.subject}`,
        lines: [
          zh ? `您的工单 ${f.ticketNumber} 已关闭。请用 1–5 分评价这次服务，点击一个分数即可：` : `Your ticket ${f.ticketNumber} is closed. Please rate how it was handled, from 1 to 5; click a score:`,
          // One link per score: the page it opens records that score with one press and takes an optional comment.
          ...SCORE_WORDS.map((words, i) => `${i + 1} – ${words[f.language]}: ${f.text ?? ''}?score=${i + 1}`),
        ],
      };
  }
}

/** The acknowledgement's articles: each title with its page, and the link that resolves the ticket as solved by it. */
function articleLines(f: MailFacts): string[] {
  const list = (f.articles ?? []).slice(0, 3);
  if (!list.length) return [];
  const zh = f.language === 'zh';
  return [
    zh ? '以下文章也许能马上解决您的问题：' : 'These articles may solve it right away:',
    ...list.map((a) => (zh ? `${a.title}\n${a.url}\n已解决？点击：${a.solvedUrl}` : `${a.title}\n${a.url}\nSolved it? ${a.solvedUrl}`)),
  ];
}

/** Subject, plain text and HTML of one mail; every value is escaped in the HTML part. */
export function renderMail(f: MailFacts): RenderedMail {
  const { subjectLine, lines } = paragraphs(f);
  const clean = subjectLine.replace(BRACKETED_NUMBER, ' ').replace(/\s+/g, ' ').trim();
  const subject = `[${f.ticketNumber}] ${clean}`.slice(0, 250);
  const text = lines.filter(Boolean).join('\n\n');
  const html =
    `<!doctype html><html lang="${f.language === 'zh' ? 'zh-CN' : 'en'}"><body>` +
    lines.filter(Boolean).map((l) => `<p>${escapeHtml(l).replace(/\n/g, '<br>')}</p>`).join('') +
    '</body></html>';
  return { subject, text, html };
}
