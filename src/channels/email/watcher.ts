import { ImapFlow, type FetchMessageObject } from 'imapflow';
import type { Logger } from '../../shared/logger.js';
import type { EmailConfig } from './config.js';
import type { MailboxEndpoint } from './env.js';
import type { ClaimState, EmailState } from './state.js';
import { continuesThread, type InboundProcessor, type PreparedMessage } from './inbound.js';
import type { MailboxSettings } from './prepare.js';
import type { EnvelopeSummary } from './normalise.js';

export interface WatcherDeps {
  endpoint: MailboxEndpoint;
  settings: MailboxSettings;
  config: Pick<EmailConfig, 'pollIntervalMs' | 'idleWatchdogMs' | 'reconnect' | 'claimLeaseMs' | 'maxMessageBytes' | 'maxAttempts'>;
  emailState: EmailState;
  processor: InboundProcessor;
  /** This process's id in message claims. */
  owner: string;
  logger: Logger;
}

/** A mailbox watcher: one long-lived IMAP session at a time, replaced by a fresh one after any failure. */
export interface MailboxWatcher {
  start(): void;
  /** Stops watching; the message being processed finishes first. */
  stop(): Promise<void>;
}

const BATCH_COUNT = 200;
/** The first messages of a pass, described and begun on their own so the first tickets commit at once. */
const FIRST_BATCH_COUNT = 20;
/** Most bytes in one batch (one FETCH); a single larger message makes a batch of its own. */
const BATCH_BYTES = 16 * 1024 * 1024;
/**
 * Batches claimed, downloaded and handed to the parse threads while one commits. With one, the threads
 * sat idle between a batch's last message and the download of the next, which began only when the
 * batch before committed; with two they always have the next batch in hand.
 */
const BATCHES_AHEAD = 2;
/** A pass looks at this many messages at most: a large backlog is read in passes, the cursor moving after each. */
const MAX_PER_PASS = 2000;

/** A batch claimed and downloaded, its messages being prepared: what `complete` commits. */
interface BatchInWork {
  batch: number[];
  /** The batch's messages still in the mailbox: their size, and the envelope of one too large to download. */
  envelopes: Map<number, EnvelopeSummary>;
  claims: Map<number, ClaimState>;
  preparing: ReadonlyArray<readonly [number, Promise<PreparedMessage>]>;
}

/** An IMAP sequence set for ascending UIDs, runs written as ranges: a pass of 2,000 stays a short command. */
export function uidSet(uids: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < uids.length; ) {
    let j = i;
    while (j + 1 < uids.length && uids[j + 1] === uids[j]! + 1) j++;
    parts.push(j > i ? `${uids[i]}:${uids[j]}` : String(uids[i]));
    i = j + 1;
  }
  return parts.join(',');
}

/** Splits UIDs into batches of at most BATCH_COUNT messages and BATCH_BYTES of mail to download. */
export function batchesOf(uids: number[], downloadSize: (uid: number) => number): number[][] {
  const out: number[][] = [];
  let batch: number[] = [];
  let bytes = 0;
  for (const uid of uids) {
    const size = downloadSize(uid);
    if (batch.length && (batch.length >= BATCH_COUNT || bytes + size > BATCH_BYTES)) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(uid);
    bytes += size;
  }
  if (batch.length) out.push(batch);
  return out;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function envelopeOf(m: FetchMessageObject): EnvelopeSummary {
  const from = m.envelope?.from?.[0];
  return {
    size: m.size ?? 0,
    ...(m.envelope?.messageId ? { messageId: m.envelope.messageId } : {}),
    ...(m.envelope?.subject ? { subject: m.envelope.subject } : {}),
    ...(m.envelope?.date ? { date: new Date(m.envelope.date).toISOString() } : {}),
    ...(from ? { from: { ...(from.address ? { address: from.address } : {}), ...(from.name ? { name: from.name } : {}) } } : {}),
  };
}

/**
 * Watches one mailbox: IDLE for prompt delivery, a poll timer as the fallback and a watchdog that proves
 * the connection alive (IDLE can go quiet without an error). Each pass reads the UIDs above the stored
 * cursor; a message is claimed, accepted, then flagged \Seen, and only then does the cursor move past it.
 */
export function createMailboxWatcher(deps: WatcherDeps): MailboxWatcher {
  const { endpoint, settings, emailState, processor, config } = deps;
  const log = deps.logger.child({ channel: 'email', mailbox: settings.name });
  let stopped = true;
  let loop: Promise<void> | undefined;
  let client: ImapFlow | undefined;
  let wake: (() => void) | undefined;

  /** Which UIDs this pass looks at, and the UID below which everything is already done. */
  async function plan(c: ImapFlow, uidValidity: string, uidNext: number) {
    const cursor = await emailState.getCursor(settings.name);
    if (cursor && cursor.uidValidity === uidValidity) {
      const uids = ((await c.search({ uid: `${cursor.lastUid + 1}:*` }, { uid: true })) || []).filter((u) => u > cursor.lastUid);
      return { fresh: false, doneUpTo: cursor.lastUid, uids };
    }
    // First start, or the server renumbered the mailbox: mail already read is history, not news. Unseen
    // mail is taken (the dedupe key makes a re-announcement of anything already accepted a no-op). The
    // cursor is written once every unseen message is done, so a crash mid-resync resyncs again.
    if (cursor) log.warn({ old: cursor.uidValidity, uidValidity }, 'UIDVALIDITY changed: resync from unseen mail');
    const doneUpTo = Math.max(0, uidNext - 1);
    const unseen = ((await c.search({ seen: false }, { uid: true })) || []).filter((u) => u <= doneUpTo);
    const arrived = ((await c.search({ uid: `${doneUpTo + 1}:*` }, { uid: true })) || []).filter((u) => u > doneUpTo);
    return { fresh: true, doneUpTo, uids: [...new Set([...unseen, ...arrived])] };
  }

  /** Sizes of a pass's messages, and the envelope (sender, subject) of mail too large to download. */
  async function describe(c: ImapFlow, uids: number[]): Promise<Map<number, EnvelopeSummary>> {
    const envelopes = new Map<number, EnvelopeSummary>();
    if (!uids.length) return envelopes;
    // Only oversize mail needs its envelope, since it becomes a ticket from it: parsing an envelope costs
    // about as much as the small mail it describes.
    const oversize: number[] = [];
    for (const m of await c.fetchAll(uidSet(uids), { uid: true, size: true }, { uid: true })) {
      envelopes.set(m.uid, { size: m.size ?? 0 });
      if ((m.size ?? 0) > config.maxMessageBytes) oversize.push(m.uid);
    }
    if (oversize.length) {
      for (const m of await c.fetchAll(uidSet(oversize), { uid: true, size: true, envelope: true }, { uid: true })) envelopes.set(m.uid, envelopeOf(m));
    }
    return envelopes;
  }

  /**
   * Claims and downloads one batch (one FETCH) and starts preparing its messages (on the parse threads
   * when there are some). Nothing is written but the claims: `complete` commits what this started.
   */
  async function begin(c: ImapFlow, uidValidity: string, batch: number[], described: Map<number, EnvelopeSummary>): Promise<BatchInWork> {
    // A UID the search found may be expunged by now: it has no envelope and counts as done.
    const envelopes = new Map(batch.flatMap((uid) => (described.has(uid) ? [[uid, described.get(uid)!] as const] : [])));
    const present = [...envelopes.keys()];
    const claims = present.length ? await emailState.claim(settings.name, uidValidity, present, deps.owner, config.claimLeaseMs) : new Map<number, ClaimState>();
    const mine = present.filter((uid) => claims.get(uid)?.claim === 'mine');
    // A message that failed every try it gets is kept aside without another download.
    const exhausted = (uid: number) => (claims.get(uid)?.failures ?? 0) >= config.maxAttempts;
    const wanted = mine.filter((uid) => !exhausted(uid) && (envelopes.get(uid)?.size ?? 0) <= config.maxMessageBytes);
    const sources = new Map<number, Buffer>();
    if (wanted.length) for (const m of await c.fetchAll(uidSet(wanted), { uid: true, source: true }, { uid: true })) if (m.source) sources.set(m.uid, m.source);
    // Expunged since it was described: nothing to take, like a message gone before the batch began.
    for (const uid of wanted) if (!sources.has(uid)) envelopes.delete(uid);
    const preparing = mine
      .filter((uid) => envelopes.has(uid))
      .map((uid) => {
        const fetched = { uid, uidValidity, envelope: envelopes.get(uid) as EnvelopeSummary };
        if (exhausted(uid)) {
          const { failures, lastError } = claims.get(uid)!;
          return [uid, Promise.resolve(processor.exhausted(settings, fetched, failures, lastError))] as const;
        }
        const load = async () => {
          // Only mail too large to download has no source, and it is never loaded.
          const source = sources.get(uid);
          if (!source) throw new Error(`message ${uid} was not downloaded`);
          return source;
        };
        const preparation = processor.prepare(settings, { ...fetched, load });
        // Failures are taken in order by `complete`; one after the first failure is never looked at.
        preparation.catch(() => undefined);
        return [uid, preparation] as const;
      });
    return { batch, envelopes, claims, preparing };
  }

  /**
   * Commits a begun batch in order, each message as soon as it is prepared (parsing one overlaps
   * committing the one before), then flags it (one STORE). Returns the UIDs that are done, in order, up to
   * the first one another process holds (`blocked`) or that failed; a failure is rethrown after the
   * messages accepted were flagged.
   */
  async function complete(c: ImapFlow, uidValidity: string, { batch, envelopes, claims, preparing }: BatchInWork) {
    const work = new Map<number, Promise<unknown>>();
    let earlier: Array<Promise<unknown>> = [];
    for (const [uid, preparation] of preparing) {
      if (stopped) break;
      let p: PreparedMessage;
      try {
        p = await preparation;
      } catch (err) {
        work.set(uid, Promise.reject(err));
        break;
      }
      // A reply waits for the commits before it, so the ticket it continues exists first.
      if (continuesThread(p)) {
        await Promise.allSettled(earlier);
        earlier = [];
      }
      const job = processor.commit(p);
      // Read below, once every commit settled; until then a failure must not count as unhandled.
      job.catch(() => undefined);
      work.set(uid, job);
      earlier.push(job);
    }
    const settled = await Promise.allSettled(work.values());
    const results = new Map([...work.keys()].map((uid, i) => [uid, settled[i] as PromiseSettledResult<unknown>]));
    const finished = [...results].flatMap(([uid, r]) => (r.status === 'fulfilled' ? [{ uid, ticket: (r.value as { ticket?: string }).ticket }] : []));
    if (finished.length) await emailState.finish(settings.name, uidValidity, deps.owner, finished);
    // Each failed try is counted before the failure ends the session; after the last one the mail is kept aside.
    const tries = [...results].flatMap(([uid, r]) =>
      r.status === 'rejected' ? [{ uid, failures: (claims.get(uid)?.failures ?? 0) + 1, error: String((r.reason as Error)?.message ?? r.reason) }] : [],
    );
    if (tries.length) {
      await emailState.failed(settings.name, uidValidity, deps.owner, tries);
      for (const t of tries) log.warn({ uid: t.uid, tries: t.failures, of: config.maxAttempts, err: t.error }, 'email failed: tried again later');
    }

    const done: number[] = [];
    const toFlag: number[] = [];
    let blocked = false;
    let failure: unknown;
    for (const uid of batch) {
      const claim = claims.get(uid)?.claim;
      const result = results.get(uid);
      let ok = !envelopes.has(uid) || claim === 'done';
      // Held by another process, or not started because we are stopping: not done yet.
      if (claim === 'busy' || (claim === 'mine' && !result)) blocked = true;
      else if (result?.status === 'rejected') failure ??= result.reason;
      else if (result) ok = true;
      if (ok && envelopes.has(uid)) toFlag.push(uid);
      if (ok && !blocked && failure === undefined) done.push(uid);
    }
    // \Seen only after the commit: what was accepted is flagged even when a later message failed.
    // SILENT: no untagged FETCH (FLAGS) answer per message, which imapflow would parse for nothing.
    if (toFlag.length) await c.messageFlagsAdd(uidSet(toFlag), ['\\Seen'], { uid: true, silent: true });
    if (failure !== undefined) throw failure;
    return { done, blocked };
  }

  /** One pass over the mailbox; true when it stopped at the per-pass cap and more mail is waiting. */
  async function sync(c: ImapFlow): Promise<boolean> {
    const box = c.mailbox;
    if (!box) throw new Error('no mailbox selected');
    const uidValidity = box.uidValidity.toString();
    const planned = await plan(c, uidValidity, box.uidNext);
    const uids = planned.uids.sort((a, b) => a - b);
    const pass = uids.slice(0, MAX_PER_PASS);
    let doneUpTo = planned.doneUpTo;
    let blocked = false;
    // The first messages are described and begun on their own, so the first tickets commit while the rest
    // of a backlog is described and downloaded.
    const head = pass.slice(0, FIRST_BATCH_COUNT);
    const rest = pass.slice(FIRST_BATCH_COUNT);
    const described = await describe(c, head);
    // Mail too large to download, and mail already gone, take no room in a batch.
    const downloadSize = (uid: number) => {
      const size = described.get(uid)?.size ?? 0;
      return size > config.maxMessageBytes ? 0 : size;
    };
    const list = batchesOf(head, downloadSize);
    const begun: Array<Promise<BatchInWork>> = [];
    let next = 0;
    // The next batches download and parse while this one commits, so Dovecot, the parse threads and the
    // store work at once. Left unused when this one fails or we stop: their claims lapse with their lease.
    const beginAhead = () => {
      while (begun.length < BATCHES_AHEAD && next < list.length && !stopped) {
        const batch = begin(c, uidValidity, list[next++]!, described);
        batch.catch(() => undefined);
        begun.push(batch);
      }
    };
    beginAhead();
    // Described once the first batch is downloaded, so its FETCH is not queued behind this one.
    let restDescribed: Promise<void> | undefined = rest.length
      ? Promise.resolve(begun[0])
          .then(() => describe(c, rest))
          .then((more) => {
            for (const [uid, envelope] of more) described.set(uid, envelope);
            list.push(...batchesOf(rest, downloadSize));
            beginAhead();
          })
      : undefined;
    restDescribed?.catch(() => undefined);
    let completed = 0;
    while ((begun.length || restDescribed) && !stopped) {
      if (!begun.length) {
        await restDescribed;
        restDescribed = undefined;
        continue;
      }
      const current = await begun.shift()!;
      beginAhead();
      const result = await complete(c, uidValidity, current);
      completed++;
      // The cursor never passes a message still in work (held by another process, or failed).
      if (!blocked) doneUpTo = Math.max(doneUpTo, ...result.done);
      blocked ||= result.blocked;
      if (!planned.fresh && doneUpTo > planned.doneUpTo) await emailState.setCursor(settings.name, { uidValidity, lastUid: doneUpTo });
    }
    const more = uids.length > pass.length;
    // A resync is over only when no unseen message is left or held elsewhere: until then it starts again.
    // (A stop asked for while the last batch completed does not leave its cursor unwritten.)
    if (planned.fresh && !blocked && !more && completed === list.length) await emailState.setCursor(settings.name, { uidValidity, lastUid: doneUpTo });
    return more && !stopped;
  }

  /** Waits for news: an EXISTS during IDLE, the poll timer, the watchdog, or the connection closing. */
  async function waitForNews(c: ImapFlow): Promise<void> {
    const hasIdle = c.capabilities.has('IDLE');
    await new Promise<void>((resolve) => {
      const timers: NodeJS.Timeout[] = [];
      const done = () => {
        timers.forEach(clearTimeout);
        c.off('exists', done);
        c.off('close', done);
        wake = undefined;
        resolve();
      };
      wake = done;
      c.on('exists', done);
      c.on('close', done);
      timers.push(setTimeout(done, hasIdle ? Math.min(config.pollIntervalMs, config.idleWatchdogMs) : config.pollIntervalMs));
      if (hasIdle) c.idle().catch(() => done());
    });
    if (stopped || !c.usable) return;
    // The next command ends IDLE; a NOOP that does not answer means a dead connection.
    await withTimeout(c.noop(), 30_000, 'NOOP');
  }

  async function session(): Promise<void> {
    const c = new ImapFlow({
      host: endpoint.host,
      port: endpoint.port,
      secure: endpoint.secure,
      auth: { user: endpoint.user, pass: endpoint.pass },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: 30_000,
      greetingTimeout: 15_000,
      socketTimeout: Math.max(config.idleWatchdogMs + 60_000, 120_000),
    });
    client = c;
    c.on('error', (err: Error) => log.warn({ err: err.message }, 'imap connection error'));
    try {
      await c.connect();
      const lock = await c.getMailboxLock(endpoint.path);
      try {
        log.info({ path: endpoint.path }, 'watching mailbox');
        while (!stopped && c.usable) {
          const more = await sync(c);
          if (stopped) break;
          if (!more) await waitForNews(c);
        }
      } finally {
        lock.release();
      }
    } finally {
      client = undefined;
      if (c.usable) await c.logout().catch(() => c.close());
      else c.close();
    }
  }

  async function run(): Promise<void> {
    let delay = config.reconnect.minMs;
    while (!stopped) {
      const began = Date.now();
      try {
        await session();
      } catch (err) {
        log.warn({ err: (err as Error).message, retryInMs: delay }, 'imap session ended');
      }
      if (stopped) break;
      // A session that lasted a while was healthy: start the backoff over.
      if (Date.now() - began > config.reconnect.maxMs) delay = config.reconnect.minMs;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay);
        wake = () => { clearTimeout(t); resolve(); };
      });
      delay = Math.min(delay * 2, config.reconnect.maxMs);
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      loop = run();
    },
    async stop() {
      stopped = true;
      wake?.();
      // The message in hand finishes; a connection that hangs is cut after a grace period.
      const grace = setTimeout(() => client?.close(), 10_000);
      await loop;
      clearTimeout(grace);
    },
  };
}
