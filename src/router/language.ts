/**
 * Contacts in a language the router's rules do not know (they know Chinese and English). Such a contact goes
 * to the first line with a note, never to a specialist team by accident: keyword rules and the examples
 * read foreign words as noise and may hit a stray English or Han word.
 */

/** Scripts that are not Chinese or English; Japanese is told from Chinese by its kana. */
const SCRIPTS: Array<[string, RegExp]> = [
  ['ja', /[\u3040-\u30ff]/gu],
  ['ko', /[\uac00-\ud7af]/gu],
  ['ru', /[\u0400-\u04ff]/gu],
  ['th', /[\u0e00-\u0e7f]/gu],
  ['ar', /[\u0600-\u06ff]/gu],
];
/** Latin-script languages, told by common words that English does not use. */
const WORDS: Array<[string, RegExp]> = [
  ['vi', /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/giu],
  ['es', /\b(hola|gracias|por favor|tengo|necesito|el equipo|buenos días|no funciona|saludos)\b/giu],
  ['de', /\b(hallo|ich bin|bitte|danke|funktioniert|nicht|mein|und|ist|guten tag)\b/giu],
  ['fr', /\b(bonjour|je suis|merci|ne fonctionne|ne marche|mon|cette|semaine|s'il vous plaît)\b/giu],
  ['pt', /\b(olá|obrigad[oa]|não funciona|preciso|bom dia)\b/giu],
];
/** Pinyin written without tones: a run of syllables such as "ni hao, wo shi". */
const PINYIN_SYLLABLE = /^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:a|o|e|ai|ei|ao|ou|an|en|ang|eng|ong|er|i|ia|ie|iao|iu|ian|in|iang|ing|iong|u|ua|uo|uai|ui|uan|un|uang|ueng|v|ve|ue)$/;
const NON_ASCII = /[^\x00-\x7f]/;
const OTHER_SCRIPT = /[\u3040-\u30ff\uac00-\ud7af\u0400-\u04ff\u0e00-\u0e7f\u0600-\u06ff]/;
/** Any of WORDS' words, or a few common pinyin syllables: most English text fails this one test. */
const MAYBE_LATIN = new RegExp(`${WORDS.map(([, re]) => re.source).join('|')}|\\b(wo|ni|shi|hao|qing|bang|zhe|mei|xie)\\b`, 'iu');
const WORD = /\p{L}+/gu;

/** How many times `re` (global) matches in `text`, counting no further than `enough`. */
function count(re: RegExp, text: string, enough: number): number {
  re.lastIndex = 0;
  let n = 0;
  while (n < enough && re.exec(text)) n++;
  return n;
}

/** Han characters in the text (the CJK unified block, where nearly all Chinese text lies). */
function hanCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fff) n++;
  }
  return n;
}

/** The language's code when the contact is written mostly in a language other than Chinese and English. */
export function foreignLanguage(text: string): string | undefined {
  // Most contacts are plain English or mostly Chinese: one cheap test each rules the rest out.
  if (NON_ASCII.test(text)) {
    const han = hanCount(text);
    if (OTHER_SCRIPT.test(text)) {
      for (const [code, re] of SCRIPTS) {
        const n = count(re, text, Infinity);
        // Japanese mixes kanji with kana; other scripts must outweigh any Chinese in the text
        if (n >= 4 && (code === 'ja' || n > han)) return code;
      }
    }
    if (han > 10) return undefined;
  }
  if (!MAYBE_LATIN.test(text)) return undefined;
  for (const [code, re] of WORDS) if (count(re, text, 2) >= 2) return code;
  const words = text.toLowerCase().match(WORD) ?? [];
  if (words.length < 6) return undefined;
  const pinyin = words.filter((w) => PINYIN_SYLLABLE.test(w)).length;
  return pinyin / words.length >= 0.7 ? 'pinyin' : undefined;
}
