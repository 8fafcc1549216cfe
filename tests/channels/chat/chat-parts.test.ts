import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeRecordSchema } from '../../../src/intake/record.js';
import { createChatMailbox, type ChatMailbox } from '../../../src/channels/chat/mailbox.js';
import { chatSubject, toIntakeRecord } from '../../../src/channels/chat/normalise.js';
import { parseClientFrame } from '../../../src/channels/chat/protocol.js';
import { createStore } from '../../../src/ticketing/db/create-store.js';
import { createChannelState } from '../../../src/ticketing/channel-state.js';
import type { Store } from '../../../src/ticketing/db/sql.js';
import { dropSchemas } from '../../support/postgres.js';

describe('parseClientFrame', () => {
  it('accepts the three frame types', () => {
    expect(parseClientFrame('{"type":"hello"}')).toEqual({ type: 'hello' });
    expect(parseClientFrame('{"type":"message","id":"m-12345678","text":"hi"}')).toEqual({ type: 'message', id: 'm-12345678', text: 'hi' });
    expect(parseClientFrame('{"type":"seen","seq":3}')).toEqual({ type: 'seen', seq: 3 });
  });

  it('turns anything else into an error frame, keeping the message id when there is one', () => {
    expect(parseClientFrame('not json')).toMatchObject({ type: 'error', code: 'bad_frame' });
    expect(parseClientFrame('[1,2]')).toMatchObject({ type: 'error', code: 'bad_frame' });
    expect(parseClientFrame('{"type":"shout"}')).toMatchObject({ type: 'error', code: 'bad_frame' });
    expect(parseClientFrame('{"type":"message","id":"m-12345678","text":5}')).toMatchObject({ type: 'error', code: 'bad_frame', id: 'm-12345678' });
    expect(parseClientFrame('{"type":"message","id":"../../x","text":"hi"}')).toMatchObject({ type: 'error', code: 'bad_frame' });
  });
});

describe('chat toIntakeRecord', () => {
  it('makes a chat record in the session conversation, deduped per session and message', () => {
    const record = toIntakeRecord(
      { sessionId: 'sess_0123456789abcdef', messageId: 'msg-0001', text: '  打印机卡纸了\n三楼那台  ', visitor: { name: '李四', email: 'Li.Si@Example.com', language: 'zh' } },
      { id: '00000000-0000-4000-8000-000000000002', now: new Date('2026-03-02T02:00:00Z') },
    );
    expect(intakeRecordSchema.parse(record)).toMatchObject({
      channel: 'chat',
      dedupeKey: 'chat:sess_0123456789abcdef:msg-0001',
      requester: { chatSessionId: 'sess_0123456789abcdef', name: '李四', email: 'li.si@example.com', language: 'zh' },
      subject: '打印机卡纸了',
      body: '打印机卡纸了\n三楼那台',
      thread: { conversationId: 'chat:sess_0123456789abcdef' },
    });
  });

  it('shortens a long first line on a character boundary', () => {
    const subject = chatSubject('网'.repeat(200));
    expect(Array.from(subject)).toHaveLength(80);
    expect(subject.endsWith('…')).toBe(true);
  });
});

const reply = (i: number) => ({ id: `m${i}`, ticket: 'INC-000001', text: `reply ${i}`, at: new Date(0).toISOString() });

/** Two writers (two processes on PostgreSQL) append at once: every reply gets its own number, none is lost. */
async function appendFromTwoWriters(a: ChatMailbox, b: ChatMailbox) {
  const seqs = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).append('s1', reply(i))));
  expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  const texts = new Set<string>();
  for (let seq = 1; seq <= 20; seq++) texts.add((await a.get('s1', seq))!.text);
  expect(texts.size).toBe(20);
  expect(await a.get('s1', 21)).toBeUndefined();
}

describe('chat mailbox on the SQLite store', () => {
  let dir: string;
  let store: Store;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spoc-chat-mailbox-'));
    store = await createStore({ kind: 'sqlite', file: join(dir, 'spoc.db') });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('numbers interleaved appends without gaps and resumes after the last confirmed reply', async () => {
    const state = createChannelState(store);
    const [a, b] = [createChatMailbox(state), createChatMailbox(state)];
    await appendFromTwoWriters(a, b);
    expect(await b.firstUnseen('s1')).toBe(1);
    await a.confirm('s1', 7);
    await a.confirm('s1', 3);
    expect(await b.firstUnseen('s1')).toBe(8);
    expect(await b.firstUnseen('other')).toBe(1);
  });

  it('remembers which session a ticket answers to', async () => {
    const mailbox = createChatMailbox(createChannelState(store));
    await mailbox.bindTicket('t-1', 's1');
    expect(await mailbox.sessionOf('t-1')).toBe('s1');
    expect(await mailbox.sessionOf('t-2')).toBeUndefined();
  });
});

describe('chat mailbox on PostgreSQL, two processes', () => {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `spoc_chat_${randomBytes(6).toString('hex')}`;
  let stores: Store[] = [];

  beforeAll(async () => {
    stores = [await createStore({ kind: 'postgres', url, schema }), await createStore({ kind: 'postgres', url, schema })];
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await dropSchemas(url, schema);
  });

  it('numbers concurrent appends from both without gaps or collisions', async () => {
    const [a, b] = stores.map((s) => createChatMailbox(createChannelState(s)));
    await appendFromTwoWriters(a!, b!);
  });
});
