import { ConfigError, parseYamlText } from '../config/yaml.js';
import { articleMetaSchema, firstParagraph, LANGUAGES, type Article, type Language } from './article.js';

/** A language section of an article's body starts with this line. */
const SECTION = /^<!--\s*lang:(zh|en)\s*-->\s*$/;

/**
 * Parses one article file: YAML front matter between `---` lines, then a Markdown body in two sections,
 * each opened by `<!-- lang:zh -->` or `<!-- lang:en -->` (an HTML comment, so the file previews as
 * plain Markdown). Errors name the file and the line.
 */
export function parseArticle(id: string, text: string, file: string): Article {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') throw new ConfigError(file, 1, 'an article starts with front matter between "---" lines');
  const end = lines.indexOf('---', 1);
  if (end < 0) throw new ConfigError(file, 1, 'front matter is not closed by a "---" line');
  let meta;
  try {
    meta = parseYamlText(lines.slice(1, end).join('\n'), file, articleMetaSchema).value;
  } catch (err) {
    // Lines inside the front matter count from the line after the opening `---`.
    if (err instanceof ConfigError) throw new ConfigError(file, err.line === undefined ? 1 : err.line + 1, err.reason);
    throw err;
  }
  const body: Partial<Record<Language, string[]>> = {};
  let current: Language | undefined;
  for (let i = end + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = SECTION.exec(line);
    if (m) {
      current = m[1] as Language;
      if (body[current]) throw new ConfigError(file, i + 1, `a second ${current} section`);
      body[current] = [];
    } else if (current) {
      body[current]!.push(line);
    } else if (line.trim()) {
      throw new ConfigError(file, i + 1, 'text before the first <!-- lang:zh --> or <!-- lang:en --> line');
    }
  }
  const texts = {} as Record<Language, string>;
  for (const lang of LANGUAGES) {
    const section = body[lang]?.join('\n').trim();
    if (!section) throw new ConfigError(file, end + 1, `no ${lang} section (a line <!-- lang:${lang} --> followed by text)`);
    texts[lang] = section;
  }
  return withSummary({ ...meta, id, body: texts, source: 'file' });
}

/** Fills a missing summary from each language's first paragraph. */
export function withSummary(article: Omit<Article, 'summary'> & { summary?: Article['summary'] }): Article {
  return { ...article, summary: article.summary ?? { zh: firstParagraph(article.body.zh), en: firstParagraph(article.body.en) } };
}
