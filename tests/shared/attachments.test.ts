import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempAttachments } from '../support/mail-context.js';

const store = tempAttachments();
afterAll(() => store.cleanup());

describe('content-addressed attachment store', () => {
  it('stores the same file written many times at once, once, with no temporary file left', async () => {
    const bytes = Buffer.from('the same screenshot in every mail of a batch');
    const stored = await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(bytes, { name: `shot-${i}.png`, contentType: 'image/png' })));
    expect(new Set(stored.map((a) => a.ref)).size).toBe(1);
    expect((await store.read(stored[0]!)).equals(bytes)).toBe(true);
    const dir = join(store.dir, stored[0]!.sha256.slice(0, 2));
    expect(readdirSync(dir)).toEqual([stored[0]!.sha256]);
  });
});
