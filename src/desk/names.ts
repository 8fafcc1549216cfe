import type { TicketEventType, TicketStatus } from '../ticketing/types.js';
import type { Lang } from './pages.js';

/**
 * Statuses and history events in the staff member's language. The desk's words, not the requester's
 * (src/ticketing/status-names.ts says "waiting for your reply" where an agent reads "pending").
 */
const STATUS: Record<TicketStatus, Record<Lang, string>> = {
  new: { zh: '新建', en: 'new' },
  assigned: { zh: '已分派', en: 'assigned' },
  in_progress: { zh: '处理中', en: 'in progress' },
  pending: { zh: '等待请求人', en: 'pending' },
  resolved: { zh: '已解决', en: 'resolved' },
  closed: { zh: '已关闭', en: 'closed' },
};

/** Partial on purpose: an event type added later shows as its id until it is named here. */
const EVENTS: Partial<Record<TicketEventType, Record<Lang, string>>> = {
  created: { zh: '创建', en: 'created' },
  routed: { zh: '路由', en: 'routed' },
  dispatched: { zh: '已派发', en: 'dispatched' },
  acknowledged: { zh: '已回执', en: 'acknowledged' },
  claimed: { zh: '认领', en: 'claimed' },
  replied_in: { zh: '请求人回复', en: 'requester replied' },
  replied_out: { zh: '回复请求人', en: 'replied' },
  note: { zh: '内部备注', en: 'internal note' },
  reassigned: { zh: '转派', en: 'reassigned' },
  escalated: { zh: '升级', en: 'escalated' },
  status_changed: { zh: '状态变更', en: 'status changed' },
  sla_warning: { zh: 'SLA 预警', en: 'SLA warning' },
  sla_breach: { zh: 'SLA 超时', en: 'SLA breached' },
  resolved: { zh: '解决', en: 'resolved' },
  survey_sent: { zh: '已发满意度调查', en: 'survey sent' },
  rated: { zh: '已评价', en: 'rated' },
  closed: { zh: '关闭', en: 'closed' },
  reopened: { zh: '重新打开', en: 'reopened' },
  linked: { zh: '已关联', en: 'linked' },
  delivery_failed: { zh: '发送失败', en: 'delivery failed' },
  joined: { zh: '并入', en: 'joined' },
};

export const statusName = (status: string, lang: Lang): string => STATUS[status as TicketStatus]?.[lang] ?? status;
export const eventName = (type: string, lang: Lang): string => EVENTS[type as TicketEventType]?.[lang] ?? type;
