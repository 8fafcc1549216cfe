import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatMailbox } from '../../../src/channels/chat/mailbox.js';
import { ChatClient } from '../../support/chat-client.js';
import { startSpoc, type RunningSpoc } from '../../support/spoc.js';
import { sleep } from '../../support/wait.js';

const msgId = () => `m-${randomBytes(8).toString('hex')}`;

describe('web chat over WebSocket', () => {
  let spoc: RunningSpoc;
  const clients: ChatClient[] = [];
  const open = async () => {
    const c = await ChatClient.open(spoc.url);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    spoc = await startSpoc();
  });
  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    await spoc?.close();
  });

  let sessionId = '';
  let number = '';

  it('turns a session into one ticket and answers with its number', async () => {
    const client = await open();
    sessionId = await client.hello();
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{16,}$/);

    const first = msgId();
    client.send({ type: 'message', id: first, text: 'The printer on floor 3 is jammed' });
    const ack = await client.next((f) => f.type === 'ack' && f.id === first);
    expect(ack).toMatchObject({ outcome: 'created', status: 'new' });
    number = ack.ticket;

    const second = msgId();
    client.send({ type: 'message', id: second, text: 'It shows error E-302' });
    expect(await client.next((f) => f.type === 'ack' && f.id === second)).toMatchObject({ ticket: number, outcome: 'joined' });

    // The browser sends an unacknowledged message again after a reconnect: still one ticket.
    client.send({ type: 'message', id: first, text: 'The printer on floor 3 is jammed' });
    expect(await client.next((f) => f.type === 'ack' && f.id === first)).toMatchObject({ ticket: number, outcome: 'duplicate' });

    const { body } = await spoc.api('GET', `/api/v1/tickets/${number}`);
    expect(body.ticket).toMatchObject({ channel: 'chat', subject: 'The printer on floor 3 is jammed' });
    expect(body.messages.filter((m: { direction: string }) => m.direction === 'in')).toHaveLength(2);
    await client.close();
  });

  it("pushes an agent's reply to the connected session", async () => {
    const client = await open();
    expect(await client.hello(sessionId)).toBe(sessionId);
    expect((await spoc.api('POST', `/api/v1/tickets/${number}/reply`, { body: 'Please power-cycle the printer.', agent: 'li.lei' })).status).toBe(200);
    const reply = await client.next((f) => f.type === 'reply');
    expect(reply).toMatchObject({ ticket: number, text: 'Please power-cycle the printer.', seq: 1 });
    client.send({ type: 'seen', seq: reply.seq });
    await spoc.drained();
    await client.close();
  });

  it('keeps replies made while the visitor is offline and delivers them on reconnect, once', async () => {
    await spoc.api('POST', `/api/v1/tickets/${number}/reply`, { body: 'internal: toner order pending', internal: true });
    await spoc.api('POST', `/api/v1/tickets/${number}/reply`, { body: 'A technician is on the way.', agent: 'li.lei' });
    await spoc.drained();

    const client = await open();
    await client.hello(sessionId);
    const reply = await client.next((f) => f.type === 'reply');
    expect(reply).toMatchObject({ seq: 2, text: 'A technician is on the way.' });
    client.send({ type: 'seen', seq: reply.seq });
    await sleep(200);
    await client.close();

    const again = await open();
    await again.hello(sessionId);
    await sleep(500);
    expect(again.frames.filter((f) => f.type === 'reply')).toEqual([]);
    await again.close();
  });

  it('pushes a reply another spoc process stored (a worker on the shared store) to the connected visitor', async () => {
    const client = await open();
    await client.hello(sessionId);
    // What `chat.deliver` does in a worker process: append to the session's mailbox in the shared store.
    const seq = await createChatMailbox(spoc.ctx.state).append(sessionId, { id: 'msg-from-worker', ticket: number, text: 'Sent from a worker.', at: new Date().toISOString() });
    const reply = await client.next((f) => f.type === 'reply', 10_000);
    expect(reply).toMatchObject({ seq, id: 'msg-from-worker', text: 'Sent from a worker.' });
    client.send({ type: 'seen', seq });
    await sleep(200);
    await client.close();
  });

  it('does not deliver one session’s replies to another', async () => {
    const other = await open();
    const otherSession = await other.hello();
    expect(otherSession).not.toBe(sessionId);
    await sleep(300);
    expect(other.frames.filter((f) => f.type === 'reply')).toEqual([]);
    await other.close();
  });

  it('answers bad frames with error frames and keeps the connection', async () => {
    const client = await open();
    client.send({ type: 'message', id: msgId(), text: 'before hello' });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'hello_required' });
    client.send('this is not json');
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'bad_frame' });
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'bad_frame' });
    await client.hello();
    const long = msgId();
    client.send({ type: 'message', id: long, text: 'x'.repeat(4001) });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'too_long', id: long });
    client.send({ type: 'message', id: 'bad id!', text: 'hi' });
    expect(await client.next((f) => f.type === 'error')).toMatchObject({ code: 'bad_frame' });
    const ok = msgId();
    client.send({ type: 'message', id: ok, text: 'still here' });
    expect(await client.next((f) => f.type === 'ack' && f.id === ok)).toMatchObject({ outcome: 'created' });
    await client.close();
  });

  it('closes a connection that sends a frame over the size cap (1009)', async () => {
    const client = await open();
    client.send('x'.repeat(40_000));
    expect((await client.closed).code).toBe(1009);
  });

  it('limits messages per connection', async () => {
    const client = await open();
    await client.hello();
    for (let i = 0; i < 21; i++) client.send({ type: 'message', id: `rate-${i}-${msgId()}`, text: `message ${i}` });
    const error = await client.next((f) => f.type === 'error', 20_000);
    expect(error).toMatchObject({ code: 'rate_limited' });
    expect(error.id).toMatch(/^rate-20-/);
    await client.close();
  });

  it('serves the widget and refuses plain HTTP on the socket path', async () => {
    const widget = await fetch(`${spoc.url}/chat/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toContain('javascript');
    expect(await widget.text()).toContain('/chat/ws');
    const plain = await fetch(`${spoc.url}/chat/ws`);
    expect(plain.status).toBe(426);
    expect((await plain.json()).error.code).toBe('upgrade_required');
  });
});
