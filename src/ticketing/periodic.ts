import type { Logger } from '../shared/logger.js';

export interface Periodic {
  start(): void;
  /** Stops the timer and waits for a pass in flight. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` every `intervalMs`, never two at once in this process; a failed pass is logged and the
 * next one retries, so a sweeper outlives a database hiccup.
 */
export function every(intervalMs: number, pass: () => Promise<unknown>, log: Logger, what: string): Periodic {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  return {
    start() {
      timer = setInterval(() => {
        running ??= pass()
          .catch((err: unknown) => log.warn({ err }, `${what} failed; next pass retries`))
          .finally(() => (running = undefined));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
