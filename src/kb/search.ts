import MiniSearch from 'minisearch';
import type { Article } from './article.js';
import type { Services } from './catalogue.js';
import { createTokenizer, type Tokenizer } from './tokenize.js';

/** Title outranks keywords, keywords outrank the catalogue's synonyms, which outrank the body. */
export const FIELD_BOOST = { title: 4, keywords: 3, services: 1.5, body: 1 } as const;

export interface SearchHit {
  id: string;
  score: number;
  /** Share of the query's terms the article matched (0–1): how fully it answers, for auto-answers. */
  coverage: number;
  /** How many of the query's terms matched the article's own keywords (not only its service's synonyms or body). */
  keywordTerms: number;
}

export interface KbSearch {
  search(query: string, opts?: { limit?: number; filter?: (id: string) => boolean }): SearchHit[];
  /** Adds or replaces one article in the index. */
  put(article: Article): void;
  remove(id: string): void;
}

interface Doc {
  id: string;
  title: string;
  keywords: string;
  services: string;
  body: string;
}

/**
 * Bilingual search over articles with MiniSearch (BM25+): both languages of an article are one document,
 * so a query in either language, or mixed, finds it. Each article's services are indexed as all their
 * synonyms from the catalogue. English terms of six letters or more allow one typo; every term also
 * single Han character or Latin word of four letters or more also matches as a prefix (`锁` finds `锁定`, `print` finds `printer`), weighted lower than an exact match.
 */
export function createKbSearch(articles: Article[], services: Services, tokenizer?: Tokenizer): KbSearch {
  const words = [...Object.values(services).flatMap((s) => s.synonyms), ...articles.flatMap((a) => a.keywords)];
  const tok = tokenizer ?? createTokenizer(words);
  const index = new MiniSearch<Doc>({
    fields: ['title', 'keywords', 'services', 'body'],
    tokenize: (text) => tok.terms(text),
    processTerm: (term) => term,
    searchOptions: {
      boost: { ...FIELD_BOOST },
      // Prefixes of whole Latin words and of single Han characters; a longer Chinese word is already whole.
      prefix: (term) => /^[a-z]{4,}$/.test(term) || /^\p{Script=Han}$/u.test(term),
      fuzzy: (term) => (/^[a-z]{6,}$/.test(term) ? 1 : false),
      maxFuzzy: 1,
    },
  });
  const toDoc = (a: Article): Doc => ({
    id: a.id,
    title: `${a.title.zh} ${a.title.en}`,
    keywords: a.keywords.join(' '),
    services: a.services.flatMap((s) => [services[s]?.name.zh ?? '', services[s]?.name.en ?? '', ...(services[s]?.synonyms ?? [])]).join(' '),
    body: `${a.summary.zh} ${a.summary.en} ${a.body.zh} ${a.body.en}`,
  });
  index.addAll(articles.map(toDoc));
  return {
    search(query, opts = {}) {
      const terms = new Set(tok.terms(query));
      if (!terms.size) return [];
      const results = index.search([...terms].join(' '), opts.filter ? { filter: (r) => opts.filter!(String(r.id)) } : {});
      return results.slice(0, opts.limit ?? 10).map((r) => ({ id: String(r.id), score: r.score, coverage: new Set(r.queryTerms).size / terms.size, keywordTerms: Object.values(r.match).filter((fields) => fields.includes('keywords')).length }));
    },
    put(article) {
      if (index.has(article.id)) index.replace(toDoc(article));
      else index.add(toDoc(article));
    },
    remove(id) {
      if (index.has(id)) index.discard(id);
    },
  };
}
