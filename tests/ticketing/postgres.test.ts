import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/ticketing/index.js';
import { storeContract } from './contract.js';
import { acceptOnce, decision, ticketing } from './fixtures.js';
import { dropSchemas } from '../support/postgres.js';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schemas: string[] = [];
const freshSchema = () => {
  const s = `spoc_t_${randomBytes(6).toString('hex')}`;
  schemas.push(s);
  return s;
};

afterAll(async () => {
  await dropSchemas(url, ...schemas);
});

storeContract('postgres', {
  async open() {
    const schema = freshSchema();
    return {
      store: await createStore({ kind: 'postgres', url, schema }),
      again: () => createStore({ kind: 'postgres', url, schema }),
    };
  },
});

describe('two processes on one PostgreSQL', () => {
  async function twoPools(): Promise<[Store, Store]> {
    const schema = freshSchema();
    // Both open (and migrate) at once, as two spoc processes starting together would.
    return Promise.all([createStore({ kind: 'postgres', url, schema }), createStore({ kind: 'postgres', url, schema })]);
  }

  it('keeps numbers unique per prefix when both insert concurrently', async () => {
    const [a, b] = await twoPools();
    try {
      const [ta, tb] = [ticketing(a), ticketing(b)];
      const made = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          acceptOnce(i % 2 ? ta : tb, `api:n${i}`, `u${i % 7}@example.com`, decision({ type: i % 3 ? 'incident' : 'service_request' })),
        ),
      );
      const numbers = made.map((m) => m.ticket.number);
      expect(new Set(numbers).size).toBe(60);
      expect(numbers.filter((n) => /^INC-\d{6}$/.test(n))).toHaveLength(40);
      expect(numbers.filter((n) => /^REQ-\d{6}$/.test(n))).toHaveLength(20);
      const stored = await b.read((q) => q.all<{ number: string }>('SELECT number FROM tickets'));
      expect(new Set(stored.map((r) => r.number))).toEqual(new Set(numbers));
      // Seven people wrote in, from both processes: still seven requesters.
      const requesters = await a.read((q) => q.get<{ n: string }>('SELECT COUNT(*) AS n FROM requesters'));
      expect(Number(requesters?.n)).toBe(7);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('makes one ticket of one dedupe key claimed from both pools at once', async () => {
    const [a, b] = await twoPools();
    try {
      const [ta, tb] = [ticketing(a), ticketing(b)];
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => acceptOnce(i % 2 ? ta : tb, 'twilio:SM123')));
      expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
      expect(new Set(results.map((r) => r.ticket?.id)).size).toBe(1);
      expect(await ta.service.list({})).toHaveLength(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
