import type { Store } from '../ticketing/db/sql.js';

export interface DeflectionStats {
  from: string;
  to: string;
  deflections: number;
  ticketsCreated: number;
  /** Deflections over all contacts (deflections + tickets opened) in the window; 0 when there were none. */
  deflectionRate: number;
  topArticles: Array<{ id: string; deflections: number }>;
}

/** "This solved it" counts, kept in the store beside the tickets they stand against. */
export function createDeflections(store: Store, now: () => Date = () => new Date()) {
  return {
    async record(input: { articleId: string; channel: string; language: 'zh' | 'en' }): Promise<void> {
      await store.withTx((tx) => tx.run('INSERT INTO kb_deflections (article_id, channel, language, at) VALUES (?, ?, ?, ?)', [input.articleId, input.channel, input.language, now().toISOString()]));
    },
    async stats(from: string, to: string): Promise<DeflectionStats> {
      return store.read(async (q) => {
        const d = await q.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM kb_deflections WHERE at >= ? AND at < ?', [from, to]);
        const t = await q.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM tickets WHERE created_at >= ? AND created_at < ?', [from, to]);
        const top = await q.all<{ id: string; n: number | string }>(
          'SELECT article_id AS id, COUNT(*) AS n FROM kb_deflections WHERE at >= ? AND at < ? GROUP BY article_id ORDER BY n DESC, article_id LIMIT 10',
          [from, to],
        );
        const deflections = Number(d?.n ?? 0);
        const ticketsCreated = Number(t?.n ?? 0);
        const all = deflections + ticketsCreated;
        return { from, to, deflections, ticketsCreated, deflectionRate: all ? deflections / all : 0, topArticles: top.map((r) => ({ id: r.id, deflections: Number(r.n) })) };
      });
    },
  };
}
export type Deflections = ReturnType<typeof createDeflections>;
