import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from './net.js';

/** A throwaway Dovecot on a loopback port: one user, Maildir in a temp dir, plain IMAP (no TLS). */
export interface TestDovecot {
  host: string;
  port: number;
  user: string;
  pass: string;
  /** `imap://user:pass@127.0.0.1:port/<mailbox>` as spoc reads it from IMAP_URL. */
  url(mailbox?: string): string;
  /** Delivers a raw message by IMAP APPEND; returns its UID. */
  append(raw: string | Buffer, mailbox?: string, flags?: string[]): Promise<number>;
  /** A connected client for assertions (caller logs out). */
  client(): Promise<ImapFlow>;
  /** Flags of every message in a mailbox, by UID. */
  flags(mailbox?: string): Promise<Map<number, Set<string>>>;
  /** Drops every IMAP connection of the user (doveadm kick), as a server restart or a network cut would. */
  kick(): Promise<void>;
  /** Deletes and recreates a mailbox, which gives it a new UIDVALIDITY. */
  recreate(mailbox: string): Promise<void>;
  stop(): Promise<void>;
}

const DOVECOT = '/usr/sbin/dovecot';


async function waitForPort(port: number, child: ChildProcess, logPath: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dovecot exited: ${safeRead(logPath)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`dovecot did not listen on ${port}: ${safeRead(logPath)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function safeRead(path: string): string {
  try { return readFileSync(path, 'utf8').slice(-2000); } catch { return '(no log)'; }
}

function uidOf(name: string): number {
  return Number(execFileSync('id', ['-u', name]).toString().trim());
}
function gidOf(name: string): number {
  return Number(execFileSync('id', ['-g', name]).toString().trim());
}

/**
 * Starts Dovecot as root with a config of its own (passwd-file auth, a static userdb running as the
 * `dovecot` user), so the system service and its config are never touched.
 */
export async function startDovecot(opts: { mailboxes?: string[] } = {}): Promise<TestDovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'spoc-dovecot-'));
  chmodSync(dir, 0o755);
  const user = 'desk';
  const pass = 'secret-pw';
  const mailDir = join(dir, 'mail');
  mkdirSync(mailDir);
  chownSync(mailDir, uidOf('dovecot'), gidOf('dovecot'));
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${pass}::::::\n`);
  const port = await freePort();
  const logPath = join(dir, 'dovecot.log');
  const conf = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${logPath}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:${mailDir}/%n
default_login_user = dovenull
default_internal_user = dovecot
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n ${dir}/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=${mailDir}/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
protocol imap {
  mail_max_userip_connections = 50
}
`;
  const confPath = join(dir, 'dovecot.conf');
  writeFileSync(confPath, conf);
  const child = spawn(DOVECOT, ['-F', '-c', confPath], { stdio: 'ignore' });
  await waitForPort(port, child, logPath);

  const host = '127.0.0.1';
  const client = async (): Promise<ImapFlow> => {
    const c = new ImapFlow({ host, port, secure: false, auth: { user, pass }, logger: false, disableAutoIdle: true });
    await c.connect();
    return c;
  };
  const withClient = async <T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = await client();
    try { return await fn(c); } finally { await c.logout().catch(() => undefined); }
  };
  const ensureMailbox = async (c: ImapFlow, mailbox: string) => {
    if (mailbox !== 'INBOX') await c.mailboxCreate(mailbox).catch(() => undefined);
  };
  for (const m of opts.mailboxes ?? []) await withClient((c) => ensureMailbox(c, m));

  return {
    host,
    port,
    user,
    pass,
    url: (mailbox = 'INBOX') => `imap://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${host}:${port}/${encodeURIComponent(mailbox)}`,
    append: (raw, mailbox = 'INBOX', flags = []) =>
      withClient(async (c) => {
        await ensureMailbox(c, mailbox);
        const res = await c.append(mailbox, raw, flags);
        if (!res || !res.uid) throw new Error('APPEND gave no UID');
        return res.uid;
      }),
    client,
    flags: (mailbox = 'INBOX') =>
      withClient(async (c) => {
        const lock = await c.getMailboxLock(mailbox);
        try {
          const out = new Map<number, Set<string>>();
          if (c.mailbox && c.mailbox.exists > 0) {
            for await (const m of c.fetch('1:*', { uid: true, flags: true })) out.set(m.uid, m.flags ?? new Set());
          }
          return out;
        } finally { lock.release(); }
      }),
    kick: async () => {
      execFileSync('/usr/bin/doveadm', ['-c', confPath, 'kick', user], { stdio: 'ignore' });
    },
    recreate: (mailbox) =>
      withClient(async (c) => {
        await c.mailboxDelete(mailbox).catch(() => undefined);
        // Dovecot derives UIDVALIDITY from the clock: a second apart guarantees a new value.
        await new Promise((r) => setTimeout(r, 1100));
        await c.mailboxCreate(mailbox);
      }),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
