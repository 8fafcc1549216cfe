import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One root logger per process. Redaction is a second line of defence: code logs ids and sizes, never
 * bodies or secrets, but a stray object with one of these keys is still masked.
 */
export function createLogger(opts: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = opts.level ?? process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' || process.env.VITEST ? 'silent' : 'info');
  return pino(
    {
      level,
      redact: {
        paths: ['*.password', '*.token', '*.secret', '*.authorization', 'req.headers.authorization', '*.body', '*.text', '*.html'],
        censor: '[redacted]',
      },
    },
    opts.destination ?? process.stdout,
  );
}
