import { newId } from '../shared/ids.js';
import type { Attachment, Channel } from '../intake/record.js';
import { fromJson, iso, orUndefined, toTs } from './db/codec.js';
import type { Row, Sql } from './db/sql.js';
import type { Message } from './types.js';
import { indexTicketText } from './search.js';

export type NewMessage = Omit<Message, 'id' | 'at' | 'attachments'> & { attachments?: Attachment[]; at: string };

function toMessage(r: Row): Message {
  return {
    id: String(r.id),
    ticketId: String(r.ticket_id),
    direction: r.direction as Message['direction'],
    channel: r.channel as Channel,
    nativeId: orUndefined(r.native_id as string | null),
    author: String(r.author),
    body: String(r.body),
    internal: Number(r.internal) === 1,
    attachments: fromJson<Attachment[]>(r.attachments),
    at: iso(r.at),
  };
}

/** Stores a message and its attachments' metadata (the bytes live content-addressed under the data directory). */
export async function insertMessage(tx: Sql, m: NewMessage): Promise<Message> {
  const message: Message = { ...m, id: newId(), attachments: m.attachments ?? [], at: toTs(m.at) };
  await tx.run(
    `INSERT INTO messages (id, ticket_id, direction, channel, native_id, author, body, internal, attachments, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      message.id,
      message.ticketId,
      message.direction,
      message.channel,
      message.nativeId ?? null,
      message.author,
      message.body,
      message.internal ? 1 : 0,
      JSON.stringify(message.attachments),
      message.at,
    ],
  );
  await indexTicketText(tx, message.ticketId, message.body);
  for (const [position, a] of message.attachments.entries()) {
    await tx.run(
      `INSERT INTO attachments (message_id, position, ticket_id, name, content_type, size, sha256, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [message.id, position, message.ticketId, a.name, a.contentType, a.size, a.sha256, a.ref],
    );
  }
  return message;
}

export async function listMessages(q: Sql, ticketId: string): Promise<Message[]> {
  return (await q.all('SELECT * FROM messages WHERE ticket_id = ? ORDER BY at, id', [ticketId])).map(toMessage);
}


export async function findMessageByNativeId(q: Sql, channel: Channel, nativeId: string): Promise<Message | undefined> {
  const row = await q.get('SELECT * FROM messages WHERE channel = ? AND native_id = ?', [channel, nativeId]);
  return row ? toMessage(row) : undefined;
}

/** The provider's id of a message we sent, known once the channel delivered it; false if another message has it. */
export async function setMessageNativeId(tx: Sql, id: string, nativeId: string): Promise<boolean> {
  const row = await tx.get<{ channel: Channel }>('SELECT channel FROM messages WHERE id = ?', [id]);
  if (!row) return false;
  const owner = await findMessageByNativeId(tx, row.channel, nativeId);
  if (owner) return owner.id === id;
  return (await tx.run('UPDATE messages SET native_id = ? WHERE id = ?', [nativeId, id])) === 1;
}
