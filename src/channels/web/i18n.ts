import { STATUS_NAMES } from '../../ticketing/status-names.js';
import type { TicketStatus } from '../../ticketing/types.js';

export type Language = 'zh' | 'en';
export const LANGUAGES: readonly Language[] = ['zh', 'en'];

/** `status.<id>` entries from the shared status names, capitalised for the page's English. */
function statusTexts(lang: Language): Record<`status.${TicketStatus}`, string> {
  const cap = (t: string) => (lang === 'en' ? t.charAt(0).toUpperCase() + t.slice(1) : t);
  return Object.fromEntries(Object.entries(STATUS_NAMES).map(([id, n]) => [`status.${id}`, cap(n[lang])])) as Record<`status.${TicketStatus}`, string>;
}

/**
 * Every text of the portal page in both languages. The page is rendered in one language and carries both
 * tables, so the language switch works without a reload and without losing what was typed.
 */
export const TEXTS = {
  zh: {
    tagline: '报障、申请、咨询，都从这里开始。我们会按优先级尽快响应。',
    incidentTitle: '重大故障处理中',
    incidentBody: '{about}目前出现故障（{number}），我们正在处理。如您受到影响，无需重复报告；提交的报告会自动关联到此故障。',
    newRequest: '提交新请求',
    name: '姓名',
    email: '邮箱',
    subject: '主题',
    description: '问题描述',
    descriptionHint: '请说明发生了什么、影响范围、何时开始，以及已尝试的操作。',
    attachments: '附件',
    attachmentsHint: '最多 {files} 个文件，每个不超过 {size}。',
    submit: '提交',
    submitting: '正在提交…',
    submitted: '已收到您的请求',
    ticketNumber: '工单号',
    type: '类型',
    priority: '优先级',
    respondBy: '最迟响应时间',
    resolveBy: '目标解决时间',
    keepNumber: '请保存工单号，凭工单号和邮箱可随时查询进度。',
    another: '再提交一个请求',
    checkStatus: '查询工单进度',
    statusHint: '输入工单号和提交时使用的邮箱。',
    lookUp: '查询',
    status: '状态',
    team: '处理团队',
    history: '处理记录',
    noHistory: '暂无记录。',
    askConfirm: '问题解决了吗？',
    fixed: '已解决，关闭工单',
    notFixed: '仍未解决，重新打开',
    askRate: '请为这次服务打分（1 = 很不满意，5 = 非常满意）：',
    rateComment: '留言（可选）',
    'answer.closed': '工单已关闭，谢谢！',
    'answer.reopened': '工单已重新打开，工程师会继续处理。',
    'answer.rated': '谢谢您的评价！',
    notFound: '未找到匹配的工单，请核对工单号和邮箱。',
    tooMany: '请求过于频繁，请稍后再试。',
    failed: '提交失败：',
    tooManyFiles: '附件数量超过上限。',
    fileTooLarge: '附件过大：',
    required: '请填写所有必填项。',
    ...statusTexts('zh'),
    'event.created': '工单已创建',
    'event.status': '状态变更为',
    'event.reply': '服务台回复',
    'type.incident': '故障',
    'type.service_request': '服务请求',
    'type.inquiry': '咨询',
    'type.data_request': '数据提供',
    'type.data_maintenance': '数据维护',
    'type.integration': '接口接入',
    'type.change_request': '变更请求',
    'type.suggestion': '建议',
    'type.complaint': '投诉',
    kbTitle: '这些文章也许能马上解决您的问题：',
    kbSolved: '这解决了我的问题',
    kbThanks: '太好了，问题已解决',
    kbNoTicket: '没有创建工单。如果问题再次出现，随时可以提交请求。',
  },
  en: {
    tagline: 'Report a fault, ask for something, or ask a question. We respond by priority.',
    incidentTitle: 'Major incident in progress',
    incidentBody: '{about} is down ({number}) and we are working on it. If you are affected there is no need to report it again; a report is linked to it.',
    newRequest: 'Submit a request',
    name: 'Name',
    email: 'Email',
    subject: 'Subject',
    description: 'Description',
    descriptionHint: 'What happened, who is affected, since when, and what you have tried.',
    attachments: 'Attachments',
    attachmentsHint: 'Up to {files} files, {size} each.',
    submit: 'Submit',
    submitting: 'Submitting…',
    submitted: 'We have your request',
    ticketNumber: 'Ticket number',
    type: 'Type',
    priority: 'Priority',
    respondBy: 'Respond by',
    resolveBy: 'Resolve by',
    keepNumber: 'Keep the ticket number: with it and your email you can check progress at any time.',
    another: 'Submit another request',
    checkStatus: 'Check a ticket',
    statusHint: 'Enter the ticket number and the email you used.',
    lookUp: 'Look up',
    status: 'Status',
    team: 'Team',
    history: 'History',
    noHistory: 'Nothing yet.',
    askConfirm: 'Is your problem fixed?',
    fixed: 'Yes, close the ticket',
    notFixed: 'No, reopen it',
    askRate: 'Please rate how it was handled (1 = very dissatisfied, 5 = very satisfied):',
    rateComment: 'Comment (optional)',
    'answer.closed': 'Ticket closed. Thank you!',
    'answer.reopened': 'Ticket reopened; an engineer will follow up.',
    'answer.rated': 'Thank you for your rating!',
    notFound: 'No matching ticket. Check the number and the email.',
    tooMany: 'Too many requests; please try again in a minute.',
    failed: 'Could not submit: ',
    tooManyFiles: 'Too many attachments.',
    fileTooLarge: 'Attachment too large: ',
    required: 'Please fill in every required field.',
    ...statusTexts('en'),
    'event.created': 'Ticket created',
    'event.status': 'Status changed to',
    'event.reply': 'Reply from the service desk',
    'type.incident': 'Incident',
    'type.service_request': 'Service request',
    'type.inquiry': 'Inquiry',
    'type.data_request': 'Data request',
    'type.data_maintenance': 'Data maintenance',
    'type.integration': 'Integration',
    'type.change_request': 'Change request',
    'type.suggestion': 'Suggestion',
    'type.complaint': 'Complaint',
    kbTitle: 'These articles may solve it right away:',
    kbSolved: 'This solved it',
    kbThanks: 'Glad that solved it',
    kbNoTicket: 'No ticket was opened. If the problem comes back, you can submit a request at any time.',
  },
} as const satisfies Record<Language, Record<string, string>>;
export type TextKey = keyof (typeof TEXTS)['en'];

/**
 * The page language: an explicit `?lang=` wins, then the best-weighted Chinese or English entry of
 * Accept-Language (`zh-CN,zh;q=0.9,en;q=0.8`), then the desk's default.
 */
export function pickLanguage(query: string | undefined, acceptLanguage: string | undefined, fallback: Language): Language {
  if (query === 'zh' || query === 'en') return query;
  let best: { lang: Language; q: number } | undefined;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag = '', ...params] = part.trim().toLowerCase().split(';');
    const lang = tag.startsWith('zh') ? 'zh' : tag.startsWith('en') ? 'en' : undefined;
    if (!lang) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? fallback;
}
