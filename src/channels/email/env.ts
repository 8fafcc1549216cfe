import { SpocError } from '../../shared/errors.js';

/** One watched mailbox, read from IMAP_URL (name `default`) or IMAP_URL_<NAME> (name lower-cased). */
export interface MailboxEndpoint {
  name: string;
  host: string;
  port: number;
  /** imaps: TLS from the start; imap: plain, upgraded with STARTTLS when the server offers it. */
  secure: boolean;
  user: string;
  pass: string;
  path: string;
}

/** The channel's endpoints and secrets, all from the environment. */
export interface EmailEnv {
  mailboxes: MailboxEndpoint[];
  smtpUrl?: string;
  /** The address automatic and agent mail is sent from; its domain names our Message-IDs. */
  mailFrom?: string;
}

export function parseImapUrl(name: string, raw: string): MailboxEndpoint {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SpocError('config_invalid', `IMAP URL for mailbox ${name} is not a URL`);
  }
  if (url.protocol !== 'imap:' && url.protocol !== 'imaps:') {
    throw new SpocError('config_invalid', `IMAP URL for mailbox ${name} must start with imap:// or imaps://`);
  }
  const secure = url.protocol === 'imaps:';
  const path = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
  return {
    name,
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(url.username),
    pass: decodeURIComponent(url.password),
    path,
  };
}

export function readEmailEnv(env: NodeJS.ProcessEnv): EmailEnv {
  const mailboxes: MailboxEndpoint[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (!value) continue;
    if (key === 'IMAP_URL') mailboxes.push(parseImapUrl('default', value));
    const named = /^IMAP_URL_([A-Z0-9_]+)$/.exec(key);
    if (named?.[1]) mailboxes.push(parseImapUrl(named[1].toLowerCase(), value));
  }
  mailboxes.sort((a, b) => a.name.localeCompare(b.name));
  return { mailboxes, smtpUrl: env.SMTP_URL || undefined, mailFrom: env.MAIL_FROM || undefined };
}

/** The bare address of a From-style value (`IT Desk <it@corp.example>` → `it@corp.example`), lower-cased. */
export function bareAddress(from: string): string {
  const m = /<([^>]+)>/.exec(from);
  return (m?.[1] ?? from).trim().toLowerCase();
}

export function domainOf(address: string): string {
  return bareAddress(address).split('@')[1] ?? 'localhost';
}
