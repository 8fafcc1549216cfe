import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '../shared/html.js';
import type { Article, Language } from './article.js';

// Raw HTML in articles is off, and what markdown-it makes is sanitised again: admin-written articles are shown to the public.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['h1', 'h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'code', 'pre', 'blockquote', 'a', 'br', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['https', 'http', 'mailto'],
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer' }) },
};

export const markdownToHtml = (markdown: string): string => sanitizeHtml(md.render(markdown), SANITIZE);

const CSS = `body{margin:0;font:16px/1.6 system-ui,"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;color:#1f2933;background:#f2f5f9}
header{background:#123a6b;color:#fff;padding:18px 20px}header a{color:#fff}
main{max-width:760px;margin:20px auto;background:#fff;border-radius:12px;padding:24px 28px;box-shadow:0 4px 16px rgba(16,24,40,.08)}
h1{font-size:24px;color:#123a6b;margin:0 0 6px}.kind{display:inline-block;background:#fde8d7;color:#8a3b0d;border-radius:999px;padding:1px 10px;font-size:13px}
.lang a{color:#fff;margin-left:12px}code{background:#eef2f7;padding:1px 4px;border-radius:4px}`;

/** The article's page in one language, with a link to the other. */
export function renderArticlePage(a: Article, lang: Language): string {
  const other: Language = lang === 'zh' ? 'en' : 'zh';
  const kind = a.kind === 'known-error' ? `<p class="kind">${lang === 'zh' ? '已知问题' : 'Known error'}</p>` : '';
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(a.title[lang])}</title><style>${CSS}</style></head>
<body><header><a href="/?lang=${lang}">${lang === 'zh' ? 'IT 服务台' : 'IT Service Desk'}</a><span class="lang"><a href="/kb/${a.id}?lang=${other}" hreflang="${other}">${other === 'zh' ? '中文' : 'English'}</a></span></header>
<main><article><h1>${escapeHtml(a.title[lang])}</h1>${kind}${markdownToHtml(a.body[lang])}</article></main></body></html>`;
}
