import { summarise, type Article, type ArticleSummary, type Language } from './article.js';
import { loadKbFiles } from './catalogue.js';
import { createKbSearch } from './search.js';

export interface KnowledgeBase {
  get(id: string): Article | undefined;
  /** Ranked articles for a query, in `lang`; `published` (the public feed) leaves drafts out. */
  search(query: string, opts: { lang: Language; limit?: number; publishedOnly?: boolean }): ArticleSummary[];
  /** The best published article for a text and the share of the text's terms it matched. */
  best(text: string): { article: Article; coverage: number; keywordTerms: number } | undefined;
  /** Adds or replaces an article written through the admin API; searchable at once. */
  put(article: Article): void;
  remove(id: string): void;
  hasService(id: string): boolean;
}

/** The shipped articles of config/kb, indexed at boot, and the admin API's articles as they are written. */
export function createKnowledgeBase(opts: { configDir: string; publicBaseUrl: string }): KnowledgeBase {
  const { services, articles } = loadKbFiles(opts.configDir);
  const byId = new Map(articles.map((a) => [a.id, a]));
  const index = createKbSearch(articles, services);
  return {
    get: (id) => byId.get(id),
    put(article) {
      byId.set(article.id, article);
      index.put(article);
    },
    remove(id) {
      byId.delete(id);
      index.remove(id);
    },
    hasService: (id) => id in services,
    search(query, { lang, limit = 5, publishedOnly = false }) {
      const filter = publishedOnly ? (id: string) => byId.get(id)?.status === 'published' : undefined;
      return index
        .search(query, { limit, filter })
        .map((hit) => byId.get(hit.id))
        .filter((a): a is Article => a !== undefined)
        .map((a) => summarise(a, lang, opts.publicBaseUrl));
    },
    best(text) {
      const [hit] = index.search(text, { limit: 1, filter: (id) => byId.get(id)?.status === 'published' });
      const article = hit && byId.get(hit.id);
      return article ? { article, coverage: hit.coverage, keywordTerms: hit.keywordTerms } : undefined;
    },
  };
}
