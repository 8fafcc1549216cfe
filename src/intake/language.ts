/**
 * The language a person wrote in, to pick a reply template: Chinese when Han characters appear (and no
 * kana, which would make it Japanese), English when Latin letters do; undefined when it cannot tell.
 */
export function detectLanguage(text: string): 'zh' | 'en' | undefined {
  if (/[\u3040-\u30ff]/.test(text)) return undefined;
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  return /[a-z]/i.test(text) ? 'en' : undefined;
}
