import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { cpuSeconds, type Target } from './targets.js';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  /** Requests sent but unanswered when the clock stopped (autocannon drops those connections). */
  inFlight: number;
  /** Target process CPU milliseconds per answered request: steadier than wall figures on a shared machine. */
  cpuMsPerRequest: number;
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
  const cpu = cpuSeconds(target.pid) - cpu0;
  const answered = result.requests.total;
  return {
    rps: answered / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    inFlight: result.requests.sent - answered,
    cpuMsPerRequest: answered ? (cpu * 1000) / answered : NaN,
    acknowledged,
  };
}
