import { escapeHtml as h } from '../shared/html.js';
import { localTime } from '../shared/local-time.js';
import type { TicketDetail } from '../ticketing/service-types.js';
import type { Ticket } from '../ticketing/types.js';
import { eventName, statusName } from './names.js';

export type Lang = 'zh' | 'en';

const T = {
  zh: { queue: '工单队列', signIn: '登录', email: '邮箱', sendLink: '发送登录链接', sent: '如果该邮箱有员工账号，登录链接已发送，请查收邮件。', confirm: '确认登录', bad: '链接已过期或已使用，请重新获取。', signOut: '退出', search: '搜索', filter: '筛选', next: '下一页', reply: '回复', note: '内部备注', claim: '认领', pending: '挂起', escalate: '升级', resolve: '解决', resolution: '解决说明', history: '历史', messages: '消息', attachments: '附件', status: '状态', team: '团队', due: '解决期限', number: '工单号', subject: '主题', mine: '我的未结工单', teamRisk: '本团队有超时风险的', sort: '排序', byCreated: '按创建时间', byDue: '按到期时间', declare: '宣布重大故障', parentIs: '所属重大故障', children: '受影响的子工单', or: '或', ssoRefused: '单点登录未成功', noAccount: '{email} 没有服务台员工账号。请联系服务台管理员为您开通。', accountDisabled: '员工账号 {email} 已停用。' },
  en: { queue: 'Queue', signIn: 'Sign in', email: 'Email', sendLink: 'Email me a sign-in link', sent: 'If the address has a staff account, a sign-in link is on its way.', confirm: 'Sign in now', bad: 'This link has expired or was used already; ask for a new one.', signOut: 'Sign out', search: 'Search', filter: 'Filter', next: 'Next page', reply: 'Reply', note: 'Internal note', claim: 'Claim', pending: 'Pending', escalate: 'Escalate', resolve: 'Resolve', resolution: 'Resolution', history: 'History', messages: 'Messages', attachments: 'Attachments', status: 'Status', team: 'Team', due: 'Resolve by', number: 'Number', subject: 'Subject', mine: 'my open', teamRisk: 'my team, at risk', sort: 'sort', byCreated: 'by creation', byDue: 'by due time', declare: 'Declare major incident', parentIs: 'Part of major incident', children: 'Affected (children)', or: 'or', ssoRefused: 'Single sign-on did not succeed', noAccount: 'There is no service desk staff account for {email}. Ask a desk admin to add you.', accountDisabled: 'The staff account {email} is disabled.' },
} as const;
export type TextKey = keyof (typeof T)['en'];
export const text = (lang: Lang, key: TextKey): string => T[lang][key];

/** No script, one inline style allowed by nonce: nothing on these pages runs but the browser's own forms. */
export const deskCsp = (nonce: string) => `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

const CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a}header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.5rem 1rem;background:#123;color:#fff}header a{color:#fff}main{padding:1rem;max-width:70rem;margin:auto}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem;border-bottom:1px solid #ddd}form.inline{display:inline}input,select,textarea,button{font:inherit;padding:.4rem;margin:.2rem 0}textarea{width:100%;box-sizing:border-box}
:focus-visible{outline:3px solid #f90;outline-offset:2px}.msg{border-left:4px solid #89a;padding:.3rem .8rem;margin:.6rem 0;white-space:pre-wrap}.out{border-color:#3a7}.internal{background:#fff8dc}
@media (max-width:40rem){thead{display:none}tr{display:block;border-bottom:1px solid #ccc;padding:.4rem 0}td{display:block;border:0;padding:.1rem .4rem}}`;

export function layout(input: { lang: Lang; title: string; nonce: string; body: string; csrf?: string; who?: string }): string {
  const { lang } = input;
  const signOut = input.csrf
    ? `<form class="inline" method="post" action="/desk/sign-out"><input type="hidden" name="_csrf" value="${h(input.csrf)}"><button>${text(lang, 'signOut')}</button></form>`
    : '';
  return `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>${h(input.title)}</title><style nonce="${h(input.nonce)}">${CSS}</style></head><body>
<header><a href="/desk">${text(lang, 'queue')}</a>${input.who ? `<span>${h(input.who)}</span>${signOut}` : ''}</header><main>${input.body}</main></body></html>`;
}

export function queueTable(lang: Lang, tickets: readonly Ticket[], tz: string): string {
  const rows = tickets
    .map((t) => `<tr><td><a href="/desk/tickets/${h(t.number)}">${h(t.number)}</a></td><td>${h(t.subject)}</td><td>${h(t.priority)}</td><td>${h(statusName(t.status, lang))}</td><td>${h(t.team)}</td><td>${h(localTime(t.resolveBy, tz, lang))}</td></tr>`)
    .join('');
  return `<table><thead><tr><th>${text(lang, 'number')}</th><th>${text(lang, 'subject')}</th><th>P</th><th>${text(lang, 'status')}</th><th>${text(lang, 'team')}</th><th>${text(lang, 'due')}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The ticket: messages as text (never their HTML), attachments through the authorised route, history, and the action forms. */
export function ticketBody(lang: Lang, d: TicketDetail, csrf: string, tz: string, rel: { parent?: string; children?: string[] } = {}): string {
  const t = d.ticket;
  const ticketLink = (n: string) => `<a href="/desk/tickets/${h(n)}">${h(n)}</a>`;
  const csrfField = `<input type="hidden" name="_csrf" value="${h(csrf)}">`;
  const action = (name: string, label: TextKey, extra = '') =>
    `<form method="post" action="/desk/tickets/${h(t.number)}/${name}">${csrfField}${extra}<button>${text(lang, label)}</button></form>`;
  const messages = d.messages
    .map((m) => {
      const files = m.attachments
        .map((a, i) => `<li><a href="/desk/tickets/${h(t.number)}/attachments/${h(m.id)}/${i}">${h(a.name)}</a> (${a.size} B)</li>`)
        .join('');
      return `<div class="msg ${m.direction}${m.internal ? ' internal' : ''}"><small>${h(localTime(m.at, tz, lang))} · ${h(m.channel)} · ${h(m.author)}</small>\n${h(m.body)}${files ? `<ul aria-label="${text(lang, 'attachments')}">${files}</ul>` : ''}</div>`;
    })
    .join('');
  const events = d.events.map((e) => `<li>${h(localTime(e.at, tz, lang))} ${h(eventName(e.type, lang))} · ${h(e.actor)}${e.type === 'routed' || e.type === 'assigned' ? ` — ${h(String(e.data.reason ?? ''))}` : ''}</li>`).join('');
  return `<h1>${h(t.number)} ${h(t.subject)}</h1>
<p>${h(t.priority)} · ${h(statusName(t.status, lang))} · ${h(t.tier)}/${h(t.team)} · ${h(t.assignee ?? '—')} · ${text(lang, 'due')} ${h(localTime(t.resolveBy, tz, lang))}</p>
<p>${h(d.requester.name ?? '')} ${h(d.requester.email ?? d.requester.phone ?? '')}</p>
${rel.parent ? `<p>${text(lang, 'parentIs')}: ${ticketLink(rel.parent)}</p>` : ''}${rel.children ? `<p>${text(lang, 'children')} (${rel.children.length}): ${rel.children.map(ticketLink).join(', ')}</p>` : ''}
<h2>${text(lang, 'messages')}</h2>${messages}
${action('reply', 'reply', `<label for="reply-body">${text(lang, 'reply')}</label><textarea id="reply-body" name="body" required rows="4"></textarea><label><input type="checkbox" name="internal" value="true"> ${text(lang, 'note')}</label><br>`)}
${action('claim', 'claim')}${action('pending', 'pending')}${action('escalate', 'escalate')}${t.type === 'incident' && !rel.parent && !rel.children ? action('declare', 'declare') : ''}
${action('resolve', 'resolve', `<label for="resolution">${text(lang, 'resolution')}</label><input id="resolution" name="resolution" required>`)}
<h2>${text(lang, 'history')}</h2><ol>${events}</ol>`;
}
