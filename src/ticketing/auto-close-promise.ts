import type { AutoClosePolicy } from './loop-config.js';

/**
 * What the resolution message promises about closing, from the real setting, in the requester's language;
 * nothing when auto-close is off, so no message promises a close that never comes.
 */
export function autoClosePromise(policy: AutoClosePolicy, lang: 'zh' | 'en'): string | undefined {
  if (policy.kind === 'off') return undefined;
  if (policy.kind === 'hours') {
    return lang === 'zh' ? `如 ${policy.hours} 小时内没有回复，工单将自动关闭。` : `If we do not hear from you within ${policy.hours} hours, the ticket will close automatically.`;
  }
  const days = policy.days;
  return lang === 'zh'
    ? `如 ${days} 个工作日内没有回复，工单将自动关闭。`
    : `If we do not hear from you within ${days} business day${days === 1 ? '' : 's'}, the ticket will close automatically.`;
}
