import { startThreadPool } from '../../shared/thread-pool.js';
import type { ParseRequest, ParseThreadData } from './parse-thread.js';
import type { MailboxSettings, MessageOrigin, PreparedMail } from './prepare.js';

export interface ParsePool {
  /** Resolves when every thread has loaded its modules (or failed to: the first request then starts it again). */
  ready: Promise<void>;
  prepare(mailbox: MailboxSettings, origin: MessageOrigin, raw: Buffer): Promise<PreparedMail>;
  close(): Promise<void>;
}

/**
 * Parses mail on `threads` worker threads, so mailparser and the HTML and quote handling of one message run
 * while the event loop commits the one before it. A thread that dies fails its pending messages (the watcher
 * retries them) and is started again on the next request.
 */
export function startParsePool(data: ParseThreadData, threads: number): ParsePool {
  const pool = startThreadPool<ParseRequest, PreparedMail>(new URL('./parse-thread.ts', import.meta.url), { threads, workerData: data, name: 'mail parsing' });
  return {
    ready: pool.ready,
    prepare(mailbox, origin, raw) {
      // A copy of just this message's bytes, moved to the thread rather than copied again.
      const bytes = new Uint8Array(raw);
      return pool.request({ mailbox, origin, raw: bytes }, [bytes.buffer]);
    },
    close: () => pool.close(),
  };
}
