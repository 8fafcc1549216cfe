import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, withFields } from '../../src/shared/logger.js';

/** A root logger at `level` writing its JSON lines into an array. */
function captured(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}

describe('withFields', () => {
  it('puts its fields on every line, as a child logger would, and the line’s own fields win', () => {
    const { logger, lines } = captured('info');
    const log = withFields(logger, { channel: 'email', uid: 7 });
    log.info({ ticketId: 't1' }, 'email accepted');
    log.warn('no fields of its own');
    log.error({ uid: 8 }, 'overridden');
    expect(lines.map((l) => [l.level, l.msg, l.channel, l.uid, l.ticketId])).toEqual([
      [30, 'email accepted', 'email', 7, 't1'],
      [40, 'no fields of its own', 'email', 7, undefined],
      [50, 'overridden', 'email', 8, undefined],
    ]);
  });

  it('keeps the root logger’s level and redaction', () => {
    const { logger, lines } = captured('warn');
    const log = withFields(logger, { jobId: 'j1' });
    log.debug({ n: 1 }, 'hidden');
    log.info('hidden too');
    log.warn({ payload: { body: 'the requester wrote this' } }, 'shown');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'shown', jobId: 'j1', payload: { body: '[redacted]' } });
  });
});
