import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { TEST_KEYS } from './spoc.js';
import { freePort } from './net.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));


type YamlEdit = (doc: ReturnType<typeof parseDocument>) => void;

/** A copy of the repo's config whose gateway.yaml (and any other file named in `others`) the test edits. */
export async function configCopy(edit: YamlEdit, others: Record<string, YamlEdit> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'spoc-config-'));
  await cp(join(REPO, 'config'), dir, { recursive: true });
  for (const [name, change] of [['gateway.yaml', edit] as const, ...Object.entries(others)]) {
    const file = join(dir, name);
    const doc = parseDocument(await readFile(file, 'utf8'));
    change(doc);
    await writeFile(file, doc.toString());
  }
  return dir;
}

/**
 * For `configCopy`: load tests send hundreds of like faults from many people, which is a storm that
 * declares a major incident (and adds its parent ticket and notices to what they count).
 */
export const noStorms: Record<string, YamlEdit> = { 'services.yaml': (doc) => doc.set('storm', { contacts: 10_000, minutes: 1 }) };

export interface SpocProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<number | string>;
  stderr(): string;
}

/** `spoc serve` (or `worker`) as a real process — the way to test SIGKILL and restarts. */
export async function spawnSpoc(env: Record<string, string>, command: 'serve' | 'worker' = 'serve'): Promise<SpocProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/main.ts'), command], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SPOC_API_KEYS: `${TEST_KEYS.admin}:admin,${TEST_KEYS.intake}:intake`,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const url = `http://127.0.0.1:${port}`;
  if (command === 'serve') {
    const until = Date.now() + 180_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`spoc exited during start: ${err}`);
      const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > until) throw new Error(`spoc did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, child, exited, stderr: () => err };
}

/** Posts one contact; resolves with the status and ticket number, or rejects when the connection dies. */
export async function postContact(url: string, key: string, i: number): Promise<{ status: number; number?: string }> {
  const res = await fetch(`${url}/api/v1/contacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_KEYS.intake}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ requester: { email: `user${i % 50}@corp.example` }, subject: `Contact ${i}`, body: `Printer on floor ${i % 9} is jammed again` }),
  });
  const body = (await res.json()) as { number?: string };
  return { status: res.status, number: body.number };
}
