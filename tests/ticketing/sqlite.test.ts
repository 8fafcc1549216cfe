import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/ticketing/db/sqlite.js';
import { createStore } from '../../src/ticketing/index.js';
import { until } from '../support/wait.js';
import { storeContract } from './contract.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

storeContract('sqlite', {
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'spoc-ticketing-'));
    dirs.push(dir);
    const file = join(dir, 'data', 'spoc.db');
    return { store: await createStore({ kind: 'sqlite', file }), again: () => createStore({ kind: 'sqlite', file }) };
  },
});

describe('sqlite WAL checkpoints', () => {
  it('copies committed pages into the database file from its own thread, never inside a commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spoc-ticketing-'));
    dirs.push(dir);
    const file = join(dir, 'spoc.db');
    const store = createSqliteStore({ file });
    try {
      await store.withTx(async (tx) => void (await tx.run('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)')));
      const before = statSync(file).size;
      // About 2 MB in committed batches: with SQLite's own checkpointing off and nobody else copying,
      // all of it would stay in the WAL and the database file would not grow.
      for (let i = 0; i < 20; i++) {
        await Promise.all(Array.from({ length: 10 }, (_, j) => store.withTx((tx) => tx.run('INSERT INTO notes (text) VALUES (?)', [`${i}-${j} ${'x'.repeat(10_000)}`]))));
      }
      await until(() => statSync(file).size > before + 1_500_000, { what: 'the database file to take the WAL pages', timeoutMs: 5_000 });
      const rows = await store.read((q) => q.get<{ n: number }>('SELECT COUNT(*) AS n FROM notes'));
      expect(rows?.n).toBe(200);
    } finally {
      await store.close();
    }
  });
});
