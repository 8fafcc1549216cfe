import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../support/chat-client.js';
import { startSpoc, type RunningSpoc } from '../../support/spoc.js';

const msgId = () => `m-${randomBytes(8).toString('hex')}`;

describe('chat: knowledge-base articles before a ticket opens', () => {
  let spoc: RunningSpoc;
  const clients: ChatClient[] = [];
  /** A widget that shows suggestions (hello `suggest: true`), in the given language. */
  const visitor = async (language: 'zh' | 'en') => {
    const c = await ChatClient.open(spoc.url);
    clients.push(c);
    await c.hello(undefined, { language, suggest: true });
    return c;
  };
  const stats = async () => (await spoc.api('GET', '/api/v1/kb/stats')).body as { deflections: number; ticketsCreated: number; topArticles: Array<{ id: string; deflections: number }> };

  beforeAll(async () => {
    spoc = await startSpoc();
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    await spoc?.close();
  });

  it('offers the VPN article for "VPN 连不上"; "solved it" counts a deflection and opens no ticket', async () => {
    const before = await stats();
    const client = await visitor('zh');
    const id = msgId();
    client.send({ type: 'message', id, text: 'VPN 连不上，在家连不上公司内网' });
    const offered = await client.next((f) => f.type === 'suggestions' && f.id === id);
    expect(offered.articles.length).toBeGreaterThanOrEqual(1);
    expect(offered.articles.length).toBeLessThanOrEqual(3);
    const vpn = offered.articles.find((a: { id: string }) => a.id === 'vpn-home');
    expect(vpn).toMatchObject({ title: expect.stringMatching(/VPN/), url: expect.stringMatching(/\/kb\/vpn-home\?lang=zh$/) });

    // An article that was not offered does not count.
    client.send({ type: 'solved', id, articleId: 'printer-jam' });
    expect(await client.next((f) => f.type === 'error' && f.id === id)).toMatchObject({ code: 'not_suggested' });

    client.send({ type: 'solved', id, articleId: 'vpn-home' });
    expect(await client.next((f) => f.type === 'deflected' && f.id === id)).toMatchObject({ articleId: 'vpn-home' });
    // Once: the same answer again finds nothing waiting.
    client.send({ type: 'solved', id, articleId: 'vpn-home' });
    expect(await client.next((f) => f.type === 'error' && f.id === id)).toMatchObject({ code: 'nothing_suggested' });

    const after = await stats();
    expect(after.deflections).toBe(before.deflections + 1);
    expect(after.ticketsCreated).toBe(before.ticketsCreated);
    expect(after.topArticles).toContainEqual({ id: 'vpn-home', deflections: (before.topArticles.find((a) => a.id === 'vpn-home')?.deflections ?? 0) + 1 });
    expect(client.frames.some((f) => f.type === 'ack')).toBe(false);
  });

  it('going on opens the ticket as before, with the held message', async () => {
    const before = await stats();
    const client = await visitor('en');
    const id = msgId();
    client.send({ type: 'message', id, text: 'printer paper jam on floor 2' });
    const offered = await client.next((f) => f.type === 'suggestions' && f.id === id);
    expect(offered.articles.map((a: { id: string }) => a.id)).toContain('printer-jam');
    expect(offered.articles[0].url).toMatch(/\?lang=en$/);

    client.send({ type: 'continue', id });
    const ack = await client.next((f) => f.type === 'ack' && f.id === id);
    expect(ack).toMatchObject({ outcome: 'created' });
    const { body } = await spoc.api('GET', `/api/v1/tickets/${ack.ticket}`);
    expect(body.ticket).toMatchObject({ channel: 'chat', subject: 'printer paper jam on floor 2' });

    // The session has its ticket now: later messages join it without suggestions.
    const next = msgId();
    client.send({ type: 'message', id: next, text: 'the printer driver also seems broken' });
    expect(await client.next((f) => f.type === 'ack' && f.id === next)).toMatchObject({ ticket: ack.ticket, outcome: 'joined' });
    expect(client.frames.some((f) => f.type === 'suggestions')).toBe(false);
    const after = await stats();
    expect(after.ticketsCreated).toBe(before.ticketsCreated + 1);
    expect(after.deflections).toBe(before.deflections);
  });

  it('writing on instead of answering opens the ticket with the held message first', async () => {
    const client = await visitor('en');
    const first = msgId();
    client.send({ type: 'message', id: first, text: 'my mailbox is full' });
    await client.next((f) => f.type === 'suggestions' && f.id === first);
    const second = msgId();
    client.send({ type: 'message', id: second, text: 'and I cannot send mail to the finance team' });
    const ack = await client.next((f) => f.type === 'ack' && f.id === first);
    expect(ack.outcome).toBe('created');
    expect(await client.next((f) => f.type === 'ack' && f.id === second)).toMatchObject({ ticket: ack.ticket, outcome: 'joined' });
    const { body } = await spoc.api('GET', `/api/v1/tickets/${ack.ticket}`);
    expect(body.messages.filter((m: { direction: string }) => m.direction === 'in').map((m: { body: string }) => m.body)).toEqual(['my mailbox is full', 'and I cannot send mail to the finance team']);
  });

  it('a widget that does not ask for suggestions gets its ticket at once', async () => {
    const client = await ChatClient.open(spoc.url);
    clients.push(client);
    await client.hello(undefined, { language: 'en' });
    const id = msgId();
    client.send({ type: 'message', id, text: 'printer paper jam in room 101' });
    expect(await client.next((f) => f.type === 'ack' && f.id === id)).toMatchObject({ outcome: 'created' });
    expect(client.frames.some((f) => f.type === 'suggestions')).toBe(false);
  });
});
