/**
 * KB search with 5,000 articles: query p50/p99 of spoc's search (jieba segmentation, synonyms, field
 * boosts) against plain MiniSearch (its default tokenizer, same fields) over the same documents and
 * queries, in one run. Articles are the shipped 25 repeated with varied titles and bodies.
 */
import { readFileSync } from 'node:fs';
import MiniSearch from 'minisearch';
import { parse } from 'yaml';
import { loadKbFiles } from '../../src/kb/catalogue.js';
import { createKbSearch } from '../../src/kb/search.js';
import type { Article } from '../../src/kb/article.js';

const N = 5000;
const { services, articles: shipped } = loadKbFiles(new URL('../../config', import.meta.url).pathname);
const queries = (parse(readFileSync(new URL('../../tests/kb/ranking-queries.yaml', import.meta.url), 'utf8')) as { q: string }[]).map((c) => c.q);
const WORDS = ['部门', '楼层', '上海', '北京', 'office', 'team', 'floor', 'laptop', '系统', 'update', '申请', 'access'];
const articles: Article[] = Array.from({ length: N }, (_, i) => {
  const a = shipped[i % shipped.length]!;
  const w = (k: number) => WORDS[(i * 7 + k) % WORDS.length]!;
  return { ...a, id: `${a.id}-${i}`, title: { zh: `${a.title.zh} ${w(1)}${i}`, en: `${a.title.en} ${w(2)} ${i}` }, body: { zh: `${a.body.zh}\n${w(3)} ${w(4)}`, en: `${a.body.en}\n${w(5)} ${w(6)}` } };
});

function time(label: string, run: (q: string) => unknown): { p50: number; p99: number } {
  for (const q of queries) run(q); // warm-up
  const ms: number[] = [];
  for (let round = 0; round < 10; round++) {
    for (const q of queries) {
      const t = process.hrtime.bigint();
      run(q);
      ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  ms.sort((a, b) => a - b);
  const at = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!;
  const r = { p50: at(0.5), p99: at(0.99) };
  console.log(`${label.padEnd(34)} p50 ${r.p50.toFixed(3)} ms   p99 ${r.p99.toFixed(3)} ms   (${ms.length} queries)`);
  return r;
}

let t = Date.now();
const ours = createKbSearch(articles, services);
console.log(`spoc index of ${N} articles built in ${Date.now() - t} ms`);
t = Date.now();
const plain = new MiniSearch({ fields: ['title', 'keywords', 'body'] });
plain.addAll(articles.map((a) => ({ id: a.id, title: `${a.title.zh} ${a.title.en}`, keywords: a.keywords.join(' '), body: `${a.body.zh} ${a.body.en}` })));
console.log(`plain MiniSearch index built in ${Date.now() - t} ms`);
time('spoc search (jieba + synonyms)', (q) => ours.search(q, { limit: 5 }));
time('plain MiniSearch (default tokenizer)', (q) => plain.search(q).slice(0, 5));
