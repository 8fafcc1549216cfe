import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { ConfigError, readYamlFile } from '../config/yaml.js';
import { ARTICLE_ID, type Article } from './article.js';
import { parseArticle } from './parse.js';

const servicesSchema = z.strictObject({
  services: z.record(
    z.string().regex(ARTICLE_ID),
    z.strictObject({ name: z.strictObject({ zh: z.string().min(1), en: z.string().min(1) }), synonyms: z.array(z.string().min(1)).default([]) }),
  ),
});
export type Services = z.output<typeof servicesSchema>['services'];

/** config/kb/: services.yaml (synonyms per service) and articles/*.md. Errors name the file and line. */
export function loadKbFiles(configDir: string): { services: Services; articles: Article[] } {
  const dir = join(configDir, 'kb');
  const services = readYamlFile(join(dir, 'services.yaml'), servicesSchema).value.services;
  const articlesDir = join(dir, 'articles');
  const articles = readdirSync(articlesDir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => {
      const file = join(articlesDir, f);
      const id = basename(f, '.md');
      if (!ARTICLE_ID.test(id)) throw new ConfigError(file, undefined, 'file name must be lower-case letters, digits and "-"');
      const article = parseArticle(id, readFileSync(file, 'utf8'), file);
      const unknown = article.services.find((s) => !services[s]);
      if (unknown) throw new ConfigError(file, undefined, `services: unknown service "${unknown}" (not in kb/services.yaml)`);
      return article;
    });
  return { services, articles };
}
