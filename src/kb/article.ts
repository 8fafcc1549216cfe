import { z } from 'zod';

export type Language = 'zh' | 'en';
export const LANGUAGES: readonly Language[] = ['zh', 'en'];

const bilingual = (max: number) => z.strictObject({ zh: z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max) });

/** An article id is its file name and its URL segment (`/kb/vpn-home`): lower-case words joined by `-`. */
export const ARTICLE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const articleIdSchema = z.string().max(80).regex(ARTICLE_ID, 'lower-case letters, digits and "-"');

/**
 * What an article's front matter (or the admin API) says about it. `known-error` articles are workarounds
 * for a known problem, optionally linked to the open incident or problem ticket they belong to; only
 * those may answer contacts by themselves (`autoAnswer`).
 */
export const articleMetaSchema = z
  .strictObject({
    title: bilingual(200),
    /** Shown in search results and acknowledgements; the first paragraph when absent. */
    summary: bilingual(400).optional(),
    kind: z.enum(['how-to', 'known-error']).default('how-to'),
    services: z.array(z.string().min(1).max(40)).max(10).default([]),
    keywords: z.array(z.string().trim().min(1).max(60)).max(60).default([]),
    incident: z.string().max(32).optional(),
    autoAnswer: z.boolean().default(false),
    status: z.enum(['published', 'draft']).default('published'),
  })
  .refine((m) => !m.autoAnswer || m.kind === 'known-error', { message: 'autoAnswer is for known-error articles only', path: ['autoAnswer'] });
export type ArticleMeta = z.output<typeof articleMetaSchema>;

export interface Article extends ArticleMeta {
  id: string;
  summary: Record<Language, string>;
  /** Markdown per language. */
  body: Record<Language, string>;
  /** `file` articles come from config/kb/articles; `api` ones were written through the admin API (or drafted from a ticket). */
  source: 'file' | 'api';
  /** The resolved ticket an article was drafted from. */
  fromTicket?: string;
  updatedAt?: string;
}

/** An article as search and listings show it, in one language. */
export interface ArticleSummary {
  id: string;
  title: string;
  summary: string;
  url: string;
  kind: Article['kind'];
}

/** The first paragraph of Markdown as plain text: what a result shows when the article gives no summary. */
export function firstParagraph(markdown: string, max = 240): string {
  const para = markdown
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .find((p) => p && !p.startsWith('#')) ?? '';
  const plain = para
    .replace(/^\s*(?:[-*+]|\d+\.)\s+/gm, '')
    .replace(/[*_`>#]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

export function summarise(article: Article, lang: Language, baseUrl: string): ArticleSummary {
  return { id: article.id, title: article.title[lang], summary: article.summary[lang], url: articleUrl(baseUrl, article.id, lang), kind: article.kind };
}

export const articleUrl = (baseUrl: string, id: string, lang: Language): string => `${baseUrl.replace(/\/$/, '')}/kb/${encodeURIComponent(id)}?lang=${lang}`;
