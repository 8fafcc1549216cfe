/**
 * Email intake throughput, in one run: messages/s from Dovecot to committed tickets (spoc's IMAP watcher,
 * parser, intake and router on SQLite) against mailparser parsing the same corpus alone.
 * Goal: the pipeline keeps at least half of mailparser's rate. Run: `npx tsx bench/email/index.ts [count]`.
 */
import { simpleParser } from 'mailparser';
import { startDovecot } from '../../tests/support/dovecot.js';
import { startSpoc } from '../../tests/support/spoc.js';
import { makeCorpus } from './corpus.js';

const count = Number(process.argv[2] ?? 400);
const corpus = makeCorpus(count);
const bytes = corpus.reduce((n, b) => n + b.length, 0);

/** Wall-clock and CPU seconds of this process: on a shared machine CPU time is the steadier comparison. */
async function timed(fn: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
}

async function mailparserAlone() {
  return timed(async () => {
    for (const raw of corpus) await simpleParser(raw);
  });
}

async function pipeline(): Promise<{ wall: number; cpu: number }> {
  const dovecot = await startDovecot({ mailboxes: ['Bench'] });
  try {
    for (const raw of corpus) await dovecot.append(raw, 'Staging');
    const spoc = await startSpoc({ env: { IMAP_URL: dovecot.url('Bench') } });
    const mover = await dovecot.client();
    try {
      const committed = () =>
        spoc.spoc.ticketing.store.read(async (q) => Number((await q.get<{ n: number }>('SELECT COUNT(*) AS n FROM tickets'))?.n ?? 0));
      // All mail arrives at once (one MOVE into the watched mailbox): the clock measures spoc, not APPEND.
      const lock = await mover.getMailboxLock('Staging');
      return await timed(async () => {
        try {
          await mover.messageMove('1:*', 'Bench');
        } finally {
          lock.release();
        }
        const started = performance.now();
        for (;;) {
          const n = await committed();
          if (n >= count) break;
          if (performance.now() - started > 600_000) throw new Error(`only ${n}/${count} tickets after 10 min`);
          await new Promise((r) => setTimeout(r, 20));
        }
      });
    } finally {
      await mover.logout();
      await spoc.close();
    }
  } finally {
    await dovecot.stop();
  }
}

for (const raw of corpus.slice(0, 50)) await simpleParser(raw); // warm-up
// mailparser runs before and after the pipeline, so a change in the machine's load shows in both.
const before = await mailparserAlone();
const pipe = await pipeline();
const after = await mailparserAlone();
const parse = { wall: (before.wall + after.wall) / 2, cpu: (before.cpu + after.cpu) / 2 };
const rate = (s: number) => (count / s).toFixed(1).padStart(7);
console.log(`corpus: ${count} messages, ${(bytes / 1024).toFixed(0)} KB (plain, GBK, HTML reply, attachment)`);
console.log(`                              wall msg/s   msg per CPU-second (this process)`);
console.log(`mailparser alone:            ${rate(parse.wall)}      ${rate(parse.cpu)}   (runs: ${rate(before.wall).trim()} and ${rate(after.wall).trim()} msg/s)`);
console.log(`Dovecot → committed tickets: ${rate(pipe.wall)}      ${rate(pipe.cpu)}`);
console.log(`ratio: wall ${(parse.wall / pipe.wall).toFixed(2)}, CPU ${(parse.cpu / pipe.cpu).toFixed(2)} (goal ≥ 0.50)`);
