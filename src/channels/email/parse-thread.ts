import { parentPort, workerData } from 'node:worker_threads';
import { createAttachmentStore } from '../../shared/attachments.js';
import type { EmailConfig } from './config.js';
import type { OwnIdentity } from './loop.js';
import { parseEmail } from './parse.js';
import { prepareDownloaded, type MailboxSettings, type MessageOrigin, type PrepareDeps, type PreparedMail } from './prepare.js';

/** What parse-pool.ts starts this thread with. */
export interface ParseThreadData {
  config: EmailConfig;
  own: OwnIdentity;
  attachments: { dir: string; maxBytes: number };
}

export interface ParseRequest {
  id: number;
  mailbox: MailboxSettings;
  origin: MessageOrigin;
  raw: Uint8Array;
}

export type ParseResponse = { id: number; prepared: PreparedMail } | { id: number; error: string } | { ready: true };

const data = workerData as ParseThreadData;
const deps: PrepareDeps = { config: data.config, own: data.own, attachments: createAttachmentStore(data.attachments), parse: parseEmail };

parentPort!.postMessage({ ready: true } satisfies ParseResponse);
parentPort!.on('message', (req: ParseRequest) => {
  const raw = Buffer.from(req.raw.buffer, req.raw.byteOffset, req.raw.byteLength);
  prepareDownloaded(deps, req.mailbox, req.origin, raw).then(
    (prepared) => parentPort!.postMessage({ id: req.id, prepared } satisfies ParseResponse),
    (err: unknown) => parentPort!.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies ParseResponse),
  );
});
