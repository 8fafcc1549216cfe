import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startSpoc, type RunningSpoc } from '../support/spoc.js';
import { dropSchemas } from '../support/postgres.js';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `sla2_${randomBytes(4).toString('hex')}`;
const N = 20;

/**
 * Two `spoc serve` apps on one PostgreSQL schema, each with its own pool and sweeper, sweeping the same
 * tickets at the same moment: each clock's warning is written once.
 */
describe('SLA steps with two serve instances on PostgreSQL', () => {
  const running: RunningSpoc[] = [];
  afterAll(async () => {
    await Promise.all(running.map((s) => s.close()));
    await dropSchemas(PG_URL, schema);
  });

  it('writes one warning per clock when both sweep at once, again and again', { timeout: 120_000 }, async () => {
    let now = new Date('2026-03-03T02:00:00.000Z');
    const env = { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema };
    const [a, b] = await Promise.all([startSpoc({ env, now: () => new Date(now) }), startSpoc({ env, now: () => new Date(now) })]);
    running.push(a!, b!);
    const numbers: string[] = [];
    for (let i = 0; i < N; i++) {
      const res = await (i % 2 ? a! : b!).api('POST', '/api/v1/contacts', { requester: { email: `p${i}@example.com` }, subject: 'How do I add a shared calendar in Outlook?', body: 'How do I add a shared calendar?' });
      expect(res.status).toBe(201);
      numbers.push(res.body.number);
    }
    now = new Date(now.getTime() + 0.8 * 15 * 60_000);
    const passes = await Promise.all([0, 1, 2].flatMap(() => [a!, b!].map((s) => s.spoc.ticketing.sla.pass(new Date(now)))));
    const written = passes.flatMap((p) => p.events);
    expect(written).toHaveLength(N);
    expect(new Set(written.map((e) => e.ticketId)).size).toBe(N);
    for (const number of numbers) {
      const { body } = await a!.api('GET', `/api/v1/tickets/${number}`);
      expect(body.events.filter((e: { type: string }) => e.type === 'sla_warning')).toMatchObject([{ data: { clock: 'respond', step: 'warning' } }]);
    }
  });
});
