/**
 * What major incidents say to people, in both languages; `{name}` fields are filled by `say`. Agents'
 * update texts are sent as they wrote them, inside the frame of the requester's language.
 */
export type Lang = 'zh' | 'en';

const TEXTS = {
  parentSubject: { zh: '重大故障：{service}', en: 'Major incident: {service}' },
  parentBody: {
    zh: '已宣布重大故障（{why}）。受影响用户的工单作为子工单关联到本工单；在本工单上的回复会发给每一位受影响的用户。',
    en: 'Major incident declared ({why}). Affected users’ tickets are linked as its children; a reply on this ticket reaches every one of them.',
  },
  childAck: {
    zh: '您反映的问题（{child}）属于已知的重大故障 {parent}：{subject}。我们正在处理，进展会在这里通知您，无需重复报告。',
    en: 'What you reported ({child}) is part of a known major incident, {parent}: {subject}. We are working on it and will keep you posted here; there is no need to report it again.',
  },
  update: { zh: '重大故障 {parent} 进展：{body}', en: 'Update on major incident {parent}: {body}' },
  announcement: {
    zh: '{service}目前出现故障，我们正在处理。如您受到影响，请按 {key} 登记，恢复后我们会短信通知您。',
    en: '{service} is down and we are working on it. If you are affected, press {key} to be added, and we will text you when it is back.',
  },
} as const satisfies Record<string, Record<Lang, string>>;

export type TextId = keyof typeof TEXTS;

export function say(id: TextId, lang: Lang, fields: Record<string, string | number> = {}): string {
  return TEXTS[id][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in fields ? String(fields[name]) : whole));
}
