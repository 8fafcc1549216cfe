import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { until } from './wait.js';

/** A real SMTP peer (the smtp-server package) on a loopback port, keeping what it receives. */
export interface TestSmtp {
  url: string;
  /** `at`: when its data arrived (Date.now()). */
  received: Array<{ raw: Buffer; parsed: ParsedMail; to: string[]; at: number }>;
  /** While set, every RCPT is refused with this code (4xx: try later, 5xx: never). */
  refuse(code?: number): void;
  /**
   * With `holdMs`: Message-IDs whose data arrived but whose sender hung up before the 250 (the window in
   * which a crashed sender cannot know its mail went out).
   */
  abandoned: string[];
  /** With `holdMs`: Message-IDs received and not yet answered, with their envelope sender. */
  held: Map<string, string>;
  /** Resolves when `n` messages have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** `holdMs` keeps each mail's 250 back that long after its data arrived, to let a test kill the sender then. */
export async function startSmtp(opts: { holdMs?: number } = {}): Promise<TestSmtp> {
  const received: TestSmtp['received'] = [];
  const abandoned: string[] = [];
  const held = new Map<string, string>();
  const holding = new Map<string, Promise<string>>();
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
        const at = Date.now();
        // Held from the moment the data is in: a sender killed while it is parsed was caught mid-send too.
        const parsing = simpleParser(raw);
        if (opts.holdMs) holding.set(session.id, parsing.then((p) => p.messageId ?? ''));
        const parsed = await parsing;
        received.push({ raw, parsed, to: session.envelope.rcptTo.map((r) => r.address), at });
        if (!opts.holdMs) return cb();
        const id = parsed.messageId ?? '';
        if (!holding.has(session.id)) return;
        held.set(id, session.envelope.mailFrom ? session.envelope.mailFrom.address : '');
        setTimeout(() => {
          if (!holding.delete(session.id)) return;
          held.delete(id);
          cb();
        }, opts.holdMs);
      });
    },
    onClose(session) {
      const id = holding.get(session.id);
      if (!id) return;
      holding.delete(session.id);
      void id.then((messageId) => {
        held.delete(messageId);
        abandoned.push(messageId);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    abandoned,
    held,
    refuse(code) { refusal = code; },
    async waitFor(n, timeoutMs = 10_000) {
      await until(() => received.length >= n, { what: () => `${n} mails, got ${received.length}`, timeoutMs, everyMs: 10 });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
