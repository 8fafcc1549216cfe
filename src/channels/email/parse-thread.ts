import { workerData } from 'node:worker_threads';
import { serveThreadRequests } from '../../shared/thread-pool.js';
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
  mailbox: MailboxSettings;
  origin: MessageOrigin;
  raw: Uint8Array;
}

const data = workerData as ParseThreadData;
const deps: PrepareDeps = { config: data.config, own: data.own, attachments: createAttachmentStore(data.attachments), parse: parseEmail };

serveThreadRequests<ParseRequest, PreparedMail>((req) => prepareDownloaded(deps, req.mailbox, req.origin, Buffer.from(req.raw.buffer, req.raw.byteOffset, req.raw.byteLength)));
