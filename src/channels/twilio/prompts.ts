import type { TicketStatus } from '../../ticketing/types.js';
import type { Bilingual } from './config.js';
import { STATUS_NAMES } from '../../ticketing/status-names.js';

/**
 * The fixed phrases of the phone and SMS channel. The greeting, menu and hours are configuration
 * (config.ts); these are the connecting words around them, kept in one table so both languages stay in step.
 */
export const PROMPTS = {
  notUnderstood: { zh: '抱歉，没有听清您的选择。', en: 'Sorry, I did not catch that.' },
  greetName: { zh: '{name}，您好。', en: 'Hello, {name}.' },
  openTickets: { zh: '您有{count}张未完成的工单。', en: 'You have {count} open tickets.' },
  openTicketOption: { zh: '工单 {spoken}，请按{key}。', en: 'For ticket {spoken}, press {key}.' },
  mainMenuOption: { zh: '其他服务请按0。', en: 'For anything else, press 0.' },
  announcement: { zh: '重要通知：{text}', en: 'Important notice: {text}' },
  affectedAdded: { zh: '已将您登记为受影响用户，工单号：{spoken}。恢复后我们会短信通知您。再见。', en: 'You have been added as affected, ticket {spoken}. We will text you when it is back. Goodbye.' },
  affectedSubject: { zh: '受重大故障 {number} 影响', en: 'Affected by major incident {number}' },
  affectedBody: { zh: '来电者在重大故障播报时按键登记为受影响用户。', en: 'The caller pressed a key during the major-incident announcement to be added as affected.' },
  recordReport: { zh: '请在提示音后描述您的问题，说完请按井号键。', en: 'After the tone, please describe the problem, then press the hash key.' },
  recordAfterHours: { zh: '请在提示音后留言，说完请按井号键。', en: 'Please leave your message after the tone, then press the hash key.' },
  urgentConnecting: { zh: '正在为您接通值班工程师，请稍候。', en: 'Connecting you to the engineer on call. Please hold.' },
  urgentNoAnswer: {
    zh: '值班工程师暂时无法接听。请在提示音后留言，我们将按紧急故障处理。',
    en: 'The engineer on call could not answer. Please leave a message after the tone; we will treat it as urgent.',
  },
  operatorConnecting: { zh: '正在为您转接人工服务。', en: 'Connecting you to an operator.' },
  operatorNoAnswer: { zh: '人工服务暂时无法接听，请在提示音后留言。', en: 'No operator could answer. Please leave a message after the tone.' },
  noRecording: { zh: '没有收到您的留言。再见。', en: 'We did not receive a message. Goodbye.' },
  holdRegistering: { zh: '谢谢。正在为您登记，请稍候。', en: 'Thank you. Please hold while we register your report.' },
  ticketIs: { zh: '您的工单号是：{spoken}。', en: 'Your ticket number is: {spoken}.' },
  smsOffer: { zh: '如需短信接收工单号，请按1。', en: 'To receive the ticket number by text message, press 1.' },
  smsSent: { zh: '工单号已通过短信发送给您。再见。', en: 'We have sent you the ticket number by text message. Goodbye.' },
  smsOff: { zh: '您已退订短信，无法发送。再见。', en: 'Text messages to your number are switched off. Goodbye.' },
  smsFailed: { zh: '短信暂时无法发送。您的工单号是：{spoken}。再见。', en: 'We could not send the text just now. Your ticket number is: {spoken}. Goodbye.' },
  willText: { zh: '您的留言已收到，工单号将通过短信发送给您。再见。', en: 'Your message is registered. We will text you the ticket number. Goodbye.' },
  enterNumber: { zh: '请输入工单号中的数字，以井号键结束。', en: 'Please key in the digits of your ticket number, then press the hash key.' },
  notFound: { zh: '没有找到这张工单。', en: 'We could not find that ticket.' },
  statusOf: { zh: '工单 {spoken} 的状态是：{status}。{next}', en: 'Ticket {spoken} is {status}. {next}' },
  goodbye: { zh: '感谢来电，再见。', en: 'Thank you for calling. Goodbye.' },
  // SMS texts carry the number as written, so it can be copied and quoted in a reply.
  smsAckCreated: { zh: '已收到，工单号 {number}。回复本短信可补充信息。', en: 'Received: ticket {number}. Reply to this message to add details.' },
  smsAckJoined: { zh: '已补充到工单 {number}。', en: 'Added to ticket {number}.' },
  smsTicketNumber: { zh: '您的工单号是 {number}。', en: 'Your ticket number is {number}.' },
  smsStopped: { zh: '已退订，您将不再收到短信。回复START可重新订阅。', en: 'You are unsubscribed and will get no more texts. Reply START to resubscribe.' },
  smsStarted: { zh: '已重新订阅短信通知。', en: 'You are subscribed to text updates again.' },
  smsReply: { zh: '[{number}] {body}', en: '[{number}] {body}' },
  smsStatus: { zh: '[{number}] 状态：{status}。{next}', en: '[{number}] Status: {status}. {next}' },
  smsResolved: {
    zh: '[{number}] 已解决：{resolution} 问题解决了吗？回复 1 = 已解决，2 = 仍未解决，也可直接回复文字。{closing}',
    en: '[{number}] Resolved: {resolution} Is it fixed? Reply 1 = fixed, 2 = not fixed, or tell us in words. {closing}',
  },
  smsSurvey: {
    zh: '[{number}] 工单已关闭。请回复 1–5 为这次服务打分（1 = 很不满意，5 = 非常满意）。',
    en: '[{number}] Your ticket is closed. How did we do? Reply 1–5 (1 = very dissatisfied, 5 = very satisfied).',
  },
  smsRated: { zh: '谢谢您的评价！', en: 'Thank you for your rating!' },
} satisfies Record<string, Bilingual>;

/** A status as a requester understands it, and what happens next. */
export const STATUS_WORDS: Record<TicketStatus, { name: Bilingual; next: Bilingual }> = {
  new: {
    name: STATUS_NAMES.new,
    next: { zh: '工程师将在{respondBy}前响应。', en: 'An engineer will respond by {respondBy}.' },
  },
  assigned: {
    name: STATUS_NAMES.assigned,
    next: { zh: '工程师将很快与您联系。', en: 'An engineer will contact you shortly.' },
  },
  in_progress: {
    name: STATUS_NAMES.in_progress,
    next: { zh: '工程师正在处理。', en: 'An engineer is working on it.' },
  },
  pending: {
    name: STATUS_NAMES.pending,
    next: { zh: '请回复工程师的问题。', en: 'Please answer the engineer’s question.' },
  },
  resolved: {
    name: STATUS_NAMES.resolved,
    next: { zh: '如仍有问题，请再次联系我们。', en: 'If the problem remains, contact us again.' },
  },
  closed: {
    name: STATUS_NAMES.closed,
    next: { zh: '', en: '' },
  },
};
