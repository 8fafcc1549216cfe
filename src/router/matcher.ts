/**
 * One automaton for every keyword of every rule (Aho-Corasick), so a contact's text is read once
 * whatever the number of rules. Latin keywords match on word boundaries ("down" is not in "download");
 * CJK keywords match as substrings, since Chinese has no spaces. A `*` at either end of a keyword lifts
 * the boundary on that side: `printer*` also matches "printers".
 */

import { foldTraditional } from './traditional.js';

/**
 * Full-width forms to ASCII, Traditional Chinese to Simplified, case folded, runs of whitespace to one
 * space: the text and the keywords alike.
 */
export function normalizeText(text: string): string {
  // NFKC and the script fold only change non-ASCII text; skipping them for plain ASCII saves most of the cost on English mail.
  const folded = NON_ASCII.test(text) ? foldTraditional(text.normalize('NFKC')) : text;
  return folded.toLowerCase().replace(/\s+/g, ' ');
}
const NON_ASCII = /[^\x00-\x7f]/;

function isWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
}

export interface KeywordSpec {
  /** The normalised keyword without its `*` markers. */
  text: string;
  boundaryLeft: boolean;
  boundaryRight: boolean;
}

/** Parses a keyword as written in a rule: normalises it and reads its `*` markers. */
export function parseKeyword(raw: string): KeywordSpec {
  let text = normalizeText(raw).trim();
  const openLeft = text.startsWith('*');
  const openRight = text.endsWith('*');
  text = text.replace(/^\*+|\*+$/g, '').trim();
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return { text, boundaryLeft: !openLeft && isWordCode(first), boundaryRight: !openRight && isWordCode(last) };
}

export interface KeywordMatcher {
  /** Number of distinct keywords; ids run from 0. */
  size: number;
  /** Ids of the keywords found in already-normalised text, each once. */
  scan(normalized: string): Set<number>;
}

/**
 * Builds the automaton. `keywords[i]` gets id i; the caller dedupes equal specs if it wants one id each.
 */
export function buildMatcher(keywords: readonly KeywordSpec[]): KeywordMatcher {
  const next: Array<Map<number, number>> = [new Map()];
  const own: number[][] = [[]];
  keywords.forEach((kw, id) => {
    let node = 0;
    for (let i = 0; i < kw.text.length; i++) {
      const c = kw.text.charCodeAt(i);
      let child = next[node]!.get(c);
      if (child === undefined) {
        child = next.length;
        next.push(new Map());
        own.push([]);
        next[node]!.set(c, child);
      }
      node = child;
    }
    own[node]!.push(id);
  });

  // Breadth-first failure links; each node's outputs include those of its failure chain, so a scan never walks it.
  const fail = new Int32Array(next.length);
  const out: number[][] = own.map((ids) => ids.slice());
  const queue: number[] = [];
  for (const child of next[0]!.values()) queue.push(child);
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const [c, child] of next[node]!) {
      let f = fail[node]!;
      while (f !== 0 && !next[f]!.has(c)) f = fail[f]!;
      const target = next[f]!.get(c);
      fail[child] = target !== undefined && target !== child ? target : 0;
      const inherited = out[fail[child]!]!;
      if (inherited.length) out[child] = out[child]!.concat(inherited);
      queue.push(child);
    }
  }

  // Most characters of a message lead nowhere from the root: a flat table answers those without a Map lookup.
  const root = new Int32Array(65536);
  for (const [c, child] of next[0]!) root[c] = child;
  const step = (node: number, c: number): number | undefined => (node === 0 ? root[c] || undefined : next[node]!.get(c));

  return {
    size: keywords.length,
    scan(text) {
      const found = new Set<number>();
      let node = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        let to = step(node, c);
        while (to === undefined && node !== 0) {
          node = fail[node]!;
          to = step(node, c);
        }
        node = to ?? 0;
        const hits = out[node]!;
        for (let h = 0; h < hits.length; h++) {
          const id = hits[h]!;
          if (found.has(id)) continue;
          const kw = keywords[id]!;
          const start = i - kw.text.length + 1;
          if (kw.boundaryLeft && start > 0 && isWordCode(text.charCodeAt(start - 1))) continue;
          if (kw.boundaryRight && i + 1 < text.length && isWordCode(text.charCodeAt(i + 1))) continue;
          found.add(id);
        }
      }
      return found;
    },
  };
}
