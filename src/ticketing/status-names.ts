import type { TicketStatus } from './types.js';

/** A ticket's status in the words a requester understands, shared by every channel that tells them. */
export const STATUS_NAMES: Readonly<Record<TicketStatus, { zh: string; en: string }>> = {
  new: { zh: '已受理', en: 'received' },
  assigned: { zh: '已分派', en: 'assigned' },
  in_progress: { zh: '处理中', en: 'in progress' },
  pending: { zh: '等待您的回复', en: 'waiting for your reply' },
  resolved: { zh: '已解决', en: 'resolved' },
  closed: { zh: '已关闭', en: 'closed' },
};
