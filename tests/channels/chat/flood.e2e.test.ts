import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSpoc, type RunningSpoc } from '../../support/spoc.js';
import { until } from '../../support/wait.js';

type Frame = Record<string, any>;

/** Opens a real ws connection, says hello and one message, and gathers what the server answers until it closes or acks. */
async function visit(url: string, sessionId?: string): Promise<{ frames: Frame[]; closeCode?: number }> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/chat/ws`);
  const frames: Frame[] = [];
  let closeCode: number | undefined;
  ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Frame));
  ws.on('close', (code) => (closeCode = code));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'hello', ...(sessionId ? { sessionId } : {}), language: 'en' }));
  ws.send(JSON.stringify({ type: 'message', id: `flood-${randomBytes(6).toString('hex')}`, text: 'help, my screen is black' }));
  await until(() => closeCode !== undefined || frames.some((f) => f.type === 'ack' || (f.type === 'error' && f.id)), { what: 'an answer', timeoutMs: 60_000, everyMs: 20 });
  if (closeCode === undefined) ws.close();
  return { frames, ...(closeCode !== undefined ? { closeCode } : {}) };
}

describe('web chat floods from one address (real ws clients)', () => {
  let spoc: RunningSpoc;
  beforeAll(async () => {
    spoc = await startSpoc();
  });
  afterAll(async () => spoc?.close());

  it('60 new connections in a burst make at most newTicketsPerMinute tickets, the rest get a clear rate_limited frame', async () => {
    const { newSessionsPerMinute, newTicketsPerMinute } = spoc.ctx.config.gateway.channels.chat;
    const visits = await Promise.all(Array.from({ length: 60 }, () => visit(spoc.url)));

    const welcomed = visits.filter((v) => v.frames.some((f) => f.type === 'welcome'));
    const refusedSessions = visits.filter((v) => v.frames.some((f) => f.type === 'error' && f.code === 'rate_limited' && !f.id));
    expect(welcomed).toHaveLength(newSessionsPerMinute);
    expect(refusedSessions).toHaveLength(60 - newSessionsPerMinute);
    for (const v of refusedSessions) expect(v.closeCode).toBe(1008);
    expect(refusedSessions[0]!.frames.find((f) => f.type === 'error')!.message).toMatch(/new chat sessions a minute/);

    const acked = visits.filter((v) => v.frames.some((f) => f.type === 'ack'));
    const refusedTickets = visits.filter((v) => v.frames.some((f) => f.type === 'error' && f.code === 'rate_limited' && f.id));
    expect(acked).toHaveLength(newTicketsPerMinute);
    expect(refusedTickets).toHaveLength(newSessionsPerMinute - newTicketsPerMinute);
    expect(await spoc.ctx.tickets.list({ limit: 1000 })).toHaveLength(newTicketsPerMinute);

    // A visitor whose session has its ticket comes back on a new connection: admitted, and joins that ticket.
    const back = await visit(spoc.url, acked[0]!.frames.find((f) => f.type === 'welcome')!.sessionId);
    expect(back.frames.find((f) => f.type === 'ack')).toMatchObject({ outcome: 'joined' });
    expect(await spoc.ctx.tickets.list({ limit: 1000 })).toHaveLength(newTicketsPerMinute);
  }, 120_000);
});
