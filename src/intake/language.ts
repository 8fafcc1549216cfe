const HAN = /[\u3400-\u9fff\uf900-\ufaff]/u;

/** Good enough to pick a reply template: any Han character means Chinese. */
export function detectLanguage(text: string): 'zh' | 'en' {
  return HAN.test(text) ? 'zh' : 'en';
}
