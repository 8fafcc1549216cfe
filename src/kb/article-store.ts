import type { Store } from '../ticketing/db/sql.js';
import type { Article } from './article.js';

/**
 * Articles written through the admin API, kept in the store (table kb_articles, migration 13) as their
 * JSON; the files of config/kb stay the shipped set and are never written.
 */
export function createArticleStore(store: Store) {
  return {
    async all(): Promise<Article[]> {
      const rows = await store.read((q) => q.all<{ data: string }>('SELECT data FROM kb_articles ORDER BY id'));
      return rows.map((r) => JSON.parse(r.data) as Article);
    },
    async save(article: Article): Promise<void> {
      await store.withTx((tx) =>
        tx.run('INSERT INTO kb_articles (id, data, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at', [
          article.id,
          JSON.stringify(article),
          article.updatedAt ?? new Date().toISOString(),
        ]),
      );
    },
    async remove(id: string): Promise<void> {
      await store.withTx((tx) => tx.run('DELETE FROM kb_articles WHERE id = ?', [id]));
    },
  };
}
export type ArticleStore = ReturnType<typeof createArticleStore>;
