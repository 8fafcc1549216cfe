import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { until } from './wait.js';

/** A real SMTP peer (the smtp-server package) on a loopback port, keeping what it receives. */
export interface TestSmtp {
  url: string;
  received: Array<{ raw: Buffer; parsed: ParsedMail; to: string[] }>;
  /** While set, every RCPT is refused with this code (4xx: try later, 5xx: never). */
  refuse(code?: number): void;
  /** Resolves when `n` messages have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const received: TestSmtp['received'] = [];
  let refusal: number | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(addr, _session, cb) {
      if (refusal) {
        const err = Object.assign(new Error(`refused ${addr.address}`), { responseCode: refusal });
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        received.push({ raw, parsed: await simpleParser(raw), to: session.envelope.rcptTo.map((r) => r.address) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse(code) { refusal = code; },
    async waitFor(n, timeoutMs = 10_000) {
      await until(() => received.length >= n, { what: () => `${n} mails, got ${received.length}`, timeoutMs, everyMs: 10 });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
