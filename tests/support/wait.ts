export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it gives a value other than undefined, false or null (and returns that value), or
 * throws naming `what` after `timeoutMs` (a function is called then, so the message can show the state at
 * the timeout). Effects of outbox jobs, IMAP polling and the like land after the call that caused them, so
 * tests wait for them instead of sleeping a fixed time.
 */
export async function until<T>(
  check: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  opts: { what?: string | (() => string); timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const end = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false && value !== null) return value;
    if (Date.now() > end) {
      const what = typeof opts.what === 'function' ? opts.what() : opts.what;
      throw new Error(`timed out waiting for ${what ?? 'condition'}`);
    }
    await sleep(opts.everyMs ?? 50);
  }
}
