import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { cpuSeconds, type Target } from './targets.js';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  /** Mean ms a contact spent in spoc's intake (routed ahead, waiting for its group commit, run, flushed); spoc only. */
  intakeMs?: number;
  ok: number;
  failed: number;
  /** Requests sent but unanswered when the clock stopped (autocannon drops those connections). */
  inFlight: number;
  /** Target process CPU milliseconds per answered request: steadier than wall figures on a shared machine. */
  cpuMsPerRequest: number;
  /** The kernel's part of that CPU time. */
  kernelShare: number;
  /** Ticket numbers from the 2xx answers. */
  acknowledged: Set<string>;
}

/**
 * One autocannon run against a target: every request carries the next contact body and a unique
 * Idempotency-Key, so each one is a new contact through the whole pipeline. `rate` caps requests/s.
 */
export async function drive(target: Target, bodies: string[], opts: { seconds: number; connections: number; rate?: number }): Promise<LoadResult> {
  const prefix = randomBytes(4).toString('hex');
  let n = 0;
  const acknowledged = new Set<string>();
  let ok = 0;
  const cpu0 = cpuSeconds(target.pid);
  const intake0 = await target.intakeSeconds?.();
  const result = await autocannon({
    url: target.url,
    connections: opts.connections,
    duration: opts.seconds,
    overallRate: opts.rate,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: target.path,
        setupRequest(req) {
          const i = n++;
          return { ...req, headers: { ...target.headers, 'idempotency-key': `bench-${prefix}-${i}` }, body: bodies[i % bodies.length]! };
        },
        onResponse(status, body) {
          if (status < 200 || status >= 300) return;
          ok++;
          const number = (JSON.parse(body) as { number?: string }).number;
          if (number) acknowledged.add(number);
        },
      },
    ],
  });
  const cpu1 = cpuSeconds(target.pid);
  const intake1 = await target.intakeSeconds?.();
  const system = cpu1.system - cpu0.system;
  const cpu = cpu1.user - cpu0.user + system;
  const answered = result.requests.total;
  return {
    rps: answered / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    intakeMs: intake0 && intake1 ? (1000 * (intake1.sum - intake0.sum)) / (intake1.count - intake0.count) : undefined,
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    inFlight: result.requests.sent - answered,
    cpuMsPerRequest: answered ? (cpu * 1000) / answered : NaN,
    kernelShare: cpu ? system / cpu : 0,
    acknowledged,
  };
}
