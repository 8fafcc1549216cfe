/**
 * Email intake throughput, in one run: messages/s from Dovecot to committed tickets (spoc's IMAP watcher,
 * parser, intake and router on SQLite) against mailparser parsing the same corpus alone. The pipeline's rate
 * is given three ways, since Dovecot holds back its IDLE notification for half a second (NOTIFY_DELAY_MSECS
 * in its mailbox-watch.c) whatever the corpus: from the MOVE that delivers the whole corpus, from Dovecot's
 * announcement (as a second idling session sees it), and once mail flows (first ticket to last). Both sides
 * are measured warm: mailparser after parsing the corpus once, spoc after taking 1,000 other messages.
 * Goal: the pipeline keeps at least half of mailparser's rate. Run: `npx tsx bench/email/index.ts [count]`.
 */
import type { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { startDovecot } from '../../tests/support/dovecot.js';
import { startSpoc } from '../../tests/support/spoc.js';
import { makeCorpus } from './corpus.js';

const count = Number(process.argv[2] ?? 2000);
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

interface PipelineRun {
  /** From the MOVE into the watched mailbox to the last ticket committed. */
  wall: number;
  cpu: number;
  /** From the first ticket committed to the last: the rate once mail flows, without Dovecot's notification delay. */
  steady: { seconds: number; messages: number };
  /** From the MOVE to the first ticket: Dovecot's IDLE notification (it waits half a second) plus one message. */
  firstTicket: number;
  /** From Dovecot announcing the new mail (EXISTS to an idling client) to the last ticket. */
  fromAnnouncement: number;
  /** From the MOVE to that announcement. */
  announcedAfter: number;
}

/** A second session idling on the watched mailbox: when Dovecot announces mail, spoc hears it too. */
async function listen(client: ImapFlow, mailbox: string) {
  let at: number | undefined;
  await client.mailboxOpen(mailbox);
  client.on('exists', () => (at ??= performance.now()));
  // IDLE lasts until the next command; this session sends none until its logout.
  void client.idle().catch(() => undefined);
  return { reset: () => (at = undefined), at: () => at };
}

/** Moves everything in Staging into the watched mailbox at once and times spoc until `total` tickets exist. */
async function deliver(mover: ImapFlow, announced: Awaited<ReturnType<typeof listen>>, committed: () => Promise<number>, total: number): Promise<PipelineRun> {
  announced.reset();
  const lock = await mover.getMailboxLock('Staging');
  // Learn of what was appended since the mailbox was last selected: `1:*` covers only what the session knows.
  await mover.noop();
  const base = await committed();
  let first: { at: number; n: number } | undefined;
  let started = 0;
  let last = 0;
  const times = await timed(async () => {
    started = performance.now();
    try {
      await mover.messageMove('1:*', 'Bench');
    } finally {
      lock.release();
    }
    for (;;) {
      const n = await committed();
      const now = performance.now();
      if (n > base && !first) first = { at: now, n };
      if (n >= total) {
        last = now;
        break;
      }
      if (now - started > 600_000) throw new Error(`only ${n}/${total} tickets after 10 min`);
      await new Promise((r) => setTimeout(r, 5));
    }
  });
  const announcedAt = announced.at();
  if (announcedAt === undefined) throw new Error('Dovecot never announced the new mail to the listening session');
  return {
    ...times,
    steady: { seconds: (last - first!.at) / 1000, messages: total - first!.n },
    firstTicket: (first!.at - started) / 1000,
    fromAnnouncement: (last - announcedAt) / 1000,
    announcedAfter: (announcedAt - started) / 1000,
  };
}

/**
 * One spoc, two deliveries: a warm-up of other messages (so spoc runs compiled, as a server that has been
 * up a while does, and as mailparser does after its own warm-up), then the timed corpus.
 */
async function pipeline(): Promise<PipelineRun> {
  const dovecot = await startDovecot({ mailboxes: ['Bench'] });
  try {
    const spoc = await startSpoc({ env: { IMAP_URL: dovecot.url('Bench') } });
    const mover = await dovecot.client();
    const listener = await dovecot.client();
    const announced = await listen(listener, 'Bench');
    try {
      const committed = () =>
        spoc.spoc.ticketing.store.read(async (q) => Number((await q.get<{ n: number }>('SELECT COUNT(*) AS n FROM tickets'))?.n ?? 0));
      const warmup = makeCorpus(Math.min(count, 1000), 'warmup');
      for (const raw of warmup) await dovecot.append(raw, 'Staging');
      await deliver(mover, announced, committed, warmup.length);
      for (const raw of corpus) await dovecot.append(raw, 'Staging');
      return await deliver(mover, announced, committed, warmup.length + count);
    } finally {
      await mover.logout();
      await listener.logout();
      await spoc.close();
    }
  } finally {
    await dovecot.stop();
  }
}

// Warm-up: the whole corpus once, so both timed runs see mailparser fully compiled.
for (const raw of corpus) await simpleParser(raw);
// mailparser runs before and after the pipeline, so a change in the machine's load shows in both.
const before = await mailparserAlone();
const pipe = await pipeline();
const after = await mailparserAlone();
const parse = { wall: (before.wall + after.wall) / 2, cpu: (before.cpu + after.cpu) / 2 };
const rate = (s: number) => (count / s).toFixed(1).padStart(7);
const steadyRate = pipe.steady.messages / pipe.steady.seconds;
const parseRate = count / parse.wall;
console.log(`corpus: ${count} messages, ${(bytes / 1024).toFixed(0)} KB (plain, GBK, HTML reply, attachment)`);
console.log(`                              wall msg/s   msg per CPU-second (this process, all threads)`);
console.log(`mailparser alone:            ${rate(parse.wall)}      ${rate(parse.cpu)}   (runs: ${rate(before.wall).trim()} and ${rate(after.wall).trim()} msg/s)`);
console.log(`Dovecot → committed tickets: ${rate(pipe.wall)}      ${rate(pipe.cpu)}   (from the MOVE; the first ticket after ${(1000 * pipe.firstTicket).toFixed(0)} ms)`);
console.log(`  from the announcement:     ${rate(pipe.fromAnnouncement)}               (Dovecot told its IDLE sessions ${(1000 * pipe.announcedAfter).toFixed(0)} ms after the MOVE)`);
console.log(`  once mail flows:           ${steadyRate.toFixed(1).padStart(7)}               (first ticket to last: ${pipe.steady.messages} in ${(1000 * pipe.steady.seconds).toFixed(0)} ms)`);
console.log(
  `ratio to mailparser: ${(steadyRate / parseRate).toFixed(2)} once mail flows, ${(parse.wall / pipe.fromAnnouncement).toFixed(2)} from the announcement, ${(parse.wall / pipe.wall).toFixed(2)} from the MOVE, CPU ${(parse.cpu / pipe.cpu).toFixed(2)} (goal ≥ 0.50)`,
);
