import type { Bilingual } from './config.js';

export type Lang = 'zh' | 'en';

/** `<Say language>` per desk language. */
export const SAY_LANGUAGE = { zh: 'zh-CN', en: 'en-US' } as const satisfies Record<Lang, string>;
/** `<Gather language>` (speech recognition) per desk language. */
export const GATHER_LANGUAGE = { zh: 'cmn-Hans-CN', en: 'en-US' } as const satisfies Record<Lang, string>;

/**
 * A ticket number as a caller can write it down: every letter and digit on its own, the prefix set off
 * by a pause ("INC-000042" → "I N C, 0 0 0 0 4 2"). Text-to-speech otherwise reads "forty-two" or "Inc".
 */
export function spellTicketNumber(number: string): string {
  return number
    .split('-')
    .map((part) => [...part].join(' '))
    .join(', ');
}

/** Fills `{name}` placeholders. */
export function fill(text: string, vars: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}

export function pick(text: Bilingual, lang: Lang, vars?: Record<string, string | number>): string {
  return fill(text[lang], vars);
}

