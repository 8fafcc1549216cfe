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

type LogCall = { (fields: object, msg: string): void; (msg: string): void };

/** The log of one item of work (a message, a job): its fields on every line. */
export interface FieldLogger {
  debug: LogCall;
  info: LogCall;
  warn: LogCall;
  error: LogCall;
}

/**
 * What pino's child() gives, for one item of work: child() copies its bindings and sets up redaction
 * again (about 10 KB of garbage each), which for every mail or job was most of what logging allocated.
 */
export function withFields(logger: Logger, fields: Record<string, unknown>): FieldLogger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error'): LogCall =>
    (first: object | string, msg?: string) => {
      if (!logger.isLevelEnabled(level)) return;
      if (typeof first === 'string') logger[level](fields, first);
      else logger[level]({ ...fields, ...first }, msg);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
