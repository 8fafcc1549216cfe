import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/** Words that say nothing about what the person needs, in either language. */
const STOP = new Set(
  ('的 了 吗 呢 啊 吧 我 我的 你 您 他 她 怎么 怎么办 如何 怎样 是 在 有 和 与 及 请 一个 一下 要 想 能 可以 不能 什么 哪里 帮忙 问题 被 把 就 都 也 还 又 很 个 ' +
    'the a an to of for in on my i me is it how do does can cant please help with and or what where why not be get got this that from at you your we our will am are was')
    .split(' '),
);
const WORD = /[\p{L}\p{N}]/u;

/** `printers` → `printer`, `queries` → `query`: enough English folding for short queries, applied to both sides. */
function fold(term: string): string {
  if (!/^[a-z]+$/.test(term) || term.length <= 3) return term;
  if (term.endsWith('ies')) return `${term.slice(0, -3)}y`;
  if (term.endsWith('s') && !term.endsWith('ss')) return term.slice(0, -1);
  return term;
}

export interface Tokenizer {
  /** Terms of a text, for the index and for queries alike. */
  terms(text: string): string[];
}

/**
 * Chinese is segmented by jieba in search mode (long words also yield their parts), Latin words come out
 * whole; `words` (the catalogue's synonyms and the articles' keywords) join jieba's dictionary so they are
 * cut as one word.
 */
export function createTokenizer(words: Iterable<string> = []): Tokenizer {
  const jieba = Jieba.withDict(dict);
  const extra = [...new Set([...words].filter((w) => /\p{Script=Han}/u.test(w) && !/\s/.test(w)))];
  if (extra.length) jieba.loadDict(Buffer.from(extra.map((w) => `${w} 2000`).join('\n')));
  return {
    terms(text) {
      const out: string[] = [];
      for (const raw of jieba.cutForSearch(text.normalize('NFKC').toLowerCase(), true)) {
        const t = raw.trim();
        if (!t || !WORD.test(t) || STOP.has(t) || /^[a-z]$/.test(t)) continue;
        out.push(fold(t));
      }
      return out;
    },
  };
}
