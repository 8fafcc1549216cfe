/**
 * Contacts in a language the router's rules do not know (they know Chinese and English). Such a contact goes
 * to the first line with a note, never to a specialist team by accident: keyword rules and the examples
 * read foreign words as noise and may hit a stray English or Han word.
 */

/** Scripts that are not Chinese or English; Japanese is told from Chinese by its kana. */
const SCRIPTS: Array<[string, RegExp]> = [
  ['ja', /[\u3040-\u30ff]/u],
  ['ko', /[\uac00-\ud7af]/u],
  ['ru', /[\u0400-\u04ff]/u],
  ['th', /[\u0e00-\u0e7f]/u],
  ['ar', /[\u0600-\u06ff]/u],
];
/** Latin-script languages, told by common words that English does not use. */
const WORDS: Array<[string, RegExp]> = [
  ['vi', /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu],
  ['es', /\b(hola|gracias|por favor|tengo|necesito|el equipo|buenos días|no funciona|saludos)\b/iu],
  ['de', /\b(hallo|ich bin|bitte|danke|funktioniert|nicht|mein|und|ist|guten tag)\b/iu],
  ['fr', /\b(bonjour|je suis|merci|ne fonctionne|ne marche|mon|cette|semaine|s'il vous plaît)\b/iu],
  ['pt', /\b(olá|obrigad[oa]|não funciona|preciso|bom dia)\b/iu],
];
/** Pinyin written without tones: a run of syllables such as "ni hao, wo shi". */
const PINYIN_SYLLABLE = /^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:a|o|e|ai|ei|ao|ou|an|en|ang|eng|ong|er|i|ia|ie|iao|iu|ian|in|iang|ing|iong|u|ua|uo|uai|ui|uan|un|uang|ueng|v|ve|ue)$/;

/** The language's code when the contact is written mostly in a language other than Chinese and English. */
export function foreignLanguage(text: string): string | undefined {
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  for (const [code, re] of SCRIPTS) {
    const n = (text.match(new RegExp(re.source, 'gu')) ?? []).length;
    // Japanese mixes kanji with kana; other scripts must outweigh any Chinese in the text
    if (n >= 4 && (code === 'ja' || n > han)) return code;
  }
  if (han > 10) return undefined;
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  if (words.length < 4) return undefined;
  for (const [code, re] of WORDS) {
    const hits = text.match(new RegExp(re.source, 'giu'))?.length ?? 0;
    if (hits >= 2) return code;
  }
  const pinyin = words.filter((w) => PINYIN_SYLLABLE.test(w)).length;
  if (pinyin / words.length >= 0.7 && words.length >= 6) return 'pinyin';
  return undefined;
}
