/**
 * An alert storm (issue 19): 10,000 Alertmanager alerts in 200 groups posted to `POST /alerts/alertmanager`
 * as fast as the webhook takes them (8 requests in flight, 10 alerts a request, as Alertmanager batches a
 * group), while other contacts keep coming through `POST /api/v1/contacts`. Prints alerts/s and the
 * contacts' intake p99 before the burst (the baseline, same run) and during it, and checks the storm stayed
 * one ticket per group. spoc runs in this process on SQLite with the in-process queue, as `spoc serve` embeds it.
 * Run: `npx tsx bench/incidents/index.ts [--quick]` (quick: 2,000 alerts in 40 groups).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../src/app.js';
import { createLogger } from '../../src/shared/logger.js';

const quick = process.argv.includes('--quick');
const GROUPS = quick ? 40 : 200;
const PER_GROUP = 50;
const PER_REQUEST = 10;
const IN_FLIGHT = 8;
const TOKEN = 'bench-alert-token';
const KEY = 'bench-admin-key';

const dataDir = await mkdtemp(join(tmpdir(), 'spoc-bench-incidents-'));
const spoc = await buildApp({
  role: 'serve',
  logger: createLogger({ level: 'silent' }),
  env: {
    SPOC_CONFIG_DIR: fileURLToPath(new URL('../../config', import.meta.url)),
    SPOC_DATA_DIR: dataDir,
    SPOC_API_KEYS: `${KEY}:admin`,
    ALERTMANAGER_TOKEN: TOKEN,
    PATH: process.env.PATH,
  },
});
const url = await spoc.http!.listen({ port: 0, host: '127.0.0.1' });
await spoc.start();

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]!;

let contactSeq = 0;
/** One other contact (a printer fault from a new person each time); its latency in ms. */
async function contact(): Promise<number> {
  const n = ++contactSeq;
  const started = performance.now();
  const res = await fetch(`${url}/api/v1/contacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ requester: { email: `bench.${n}@corp.example` }, subject: `Printer on floor ${n % 9} jams`, body: 'The printer jams on every page.' }),
  });
  if (res.status !== 201) throw new Error(`contact answered ${res.status}: ${await res.text()}`);
  return performance.now() - started;
}

/** Contacts two at a time until `stop()` says so; their latencies. */
function contactsUntil(stop: () => boolean, max = Infinity): Promise<number[]> {
  const latencies: number[] = [];
  const lane = async () => {
    while (!stop() && latencies.length < max) latencies.push(await contact());
  };
  return Promise.all([lane(), lane()]).then(() => latencies);
}

function payload(group: number, batch: number): string {
  const groupKey = `{}:{alertname="BenchProbe",group="g${group}"}`;
  const alerts = Array.from({ length: PER_REQUEST }, (_, i) => {
    const k = batch * PER_REQUEST + i;
    return {
      status: 'firing',
      labels: { alertname: 'BenchProbe', group: `g${group}`, instance: `host-${group}-${k}`, severity: 'warning' },
      annotations: { summary: `Probe failing on group ${group}` },
      startsAt: '2026-03-02T01:00:00Z',
      fingerprint: `${group.toString(16).padStart(4, '0')}${k.toString(16).padStart(4, '0')}aa`,
    };
  });
  return JSON.stringify({ version: '4', status: 'firing', receiver: 'spoc', groupKey, alerts });
}

try {
  // Warm-up, then the baseline: the same contacts with nothing else going on.
  await contactsUntil(() => false, 40);
  const before = await contactsUntil(() => false, 300);

  const requests: string[] = [];
  for (let batch = 0; batch < PER_GROUP / PER_REQUEST; batch++) for (let g = 0; g < GROUPS; g++) requests.push(payload(g, batch));
  let next = 0;
  let done = false;
  const sendAll = async () => {
    while (next < requests.length) {
      const body = requests[next++]!;
      const res = await fetch(`${url}/alerts/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  const started = performance.now();
  const during = contactsUntil(() => done);
  await Promise.all(Array.from({ length: IN_FLIGHT }, sendAll));
  const seconds = (performance.now() - started) / 1000;
  done = true;
  const duringLatencies = await during;

  const alertTickets = await spoc.ticketing.service.list({ channel: 'alert', limit: 1000 });
  const alerts = GROUPS * PER_GROUP;
  console.log(`alerts: ${alerts} in ${GROUPS} groups, ${requests.length} requests, ${IN_FLIGHT} in flight`);
  console.log(`alert tickets: ${alertTickets.length} (one per group: ${alertTickets.length === GROUPS ? 'yes' : 'NO'})`);
  console.log(`alerts/s: ${Math.round(alerts / seconds)} (${seconds.toFixed(1)} s)`);
  console.log(`other contacts' intake p99: before ${p99(before).toFixed(1)} ms (${before.length} contacts), during the burst ${p99(duringLatencies).toFixed(1)} ms (${duringLatencies.length} contacts)`);
  if (alertTickets.length !== GROUPS) process.exitCode = 1;
} finally {
  await spoc.stop();
  await rm(dataDir, { recursive: true, force: true });
}
