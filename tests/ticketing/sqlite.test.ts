import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createStore } from '../../src/ticketing/index.js';
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
