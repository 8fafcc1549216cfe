import { startDovecot } from '../../tests/support/dovecot.js';
import { startSpoc } from '../../tests/support/spoc.js';
import { makeCorpus } from './corpus.js';
const count = 200; const corpus = makeCorpus(count);
const d = await startDovecot({ mailboxes: ['Bench'] });
for (const raw of corpus) await d.append(raw, 'Staging');
const spoc = await startSpoc({ env: { IMAP_URL: d.url('Bench') } });
const store = spoc.spoc.ticketing.store as any;
const orig = store.withTx.bind(store); const stacks = new Map<string, number>(); let n = 0;
store.withTx = (fn: any) => { n++; const k = (new Error().stack ?? '').split('\n').slice(2, 4).map((l) => l.trim().replace(/.*\/work\/main\//, '')).join(' < '); stacks.set(k, (stacks.get(k) ?? 0) + 1); return orig(fn); };
const m = await d.client(); const lock = await m.getMailboxLock('Staging'); const t = performance.now(); await m.messageMove('1:*', 'Bench'); lock.release();
for (;;) { const c = Number((await store.read(async (q: any) => (await q.get('SELECT COUNT(*) AS n FROM tickets')).n))); if (c >= count) break; await new Promise((r) => setTimeout(r, 20)); }
console.log('secs', ((performance.now() - t) / 1000).toFixed(2), 'withTx calls', n);
[...stacks.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).forEach(([k, v]) => console.log(v, k));
await m.logout(); await spoc.close(); await d.stop();
