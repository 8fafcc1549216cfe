import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadKbFiles } from '../../src/kb/catalogue.js';
import { createKbSearch } from '../../src/kb/search.js';

interface Case {
  q: string;
  expect: string[];
}

const cases = parse(readFileSync(new URL('./ranking-queries.yaml', import.meta.url), 'utf8')) as Case[];
const configDir = new URL('../../config', import.meta.url).pathname;

describe('KB ranking on the labelled queries', () => {
  it('puts an expected article in the top 3 for at least 90% of the queries', () => {
    const { services, articles } = loadKbFiles(configDir);
    const ids = new Set(articles.map((a) => a.id));
    for (const c of cases) for (const id of c.expect) expect(ids, `${c.q} expects ${id}`).toContain(id);
    const search = createKbSearch(articles, services);
    const misses = cases.filter((c) => !search.search(c.q, { limit: 3 }).some((h) => c.expect.includes(h.id)));
    const precision = 1 - misses.length / cases.length;
    console.log(`KB precision@3: ${(precision * 100).toFixed(1)}% of ${cases.length} queries; misses: ${misses.map((m) => m.q).join(' | ') || 'none'}`);
    expect(cases.length).toBeGreaterThanOrEqual(120);
    expect(precision).toBeGreaterThanOrEqual(0.9);
  }, 60_000);

  it('names the file and line of a broken article', async () => {
    const { parseArticle } = await import('../../src/kb/parse.js');
    expect(() => parseArticle('x', '---\ntitle: { zh: a }\n---\n<!-- lang:zh -->\nz\n<!-- lang:en -->\ne\n', 'x.md')).toThrow(/^x\.md:2: title\.en/);
    expect(() => parseArticle('x', '---\ntitle: { zh: a, en: b }\n---\n<!-- lang:zh -->\nz\n', 'x.md')).toThrow(/x\.md:3: no en section/);
  });
});
