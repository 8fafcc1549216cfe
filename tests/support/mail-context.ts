import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IntakeRecordInput } from '../../src/intake/record.js';
import type { AttachmentStore, ChannelState, IntakePort, ThreadIndex } from '../../src/channels/types.js';
import type { IntakeResult } from '../../src/ticketing/service-types.js';
import type { Ticket } from '../../src/ticketing/types.js';
import { createAttachmentStore } from '../../src/shared/attachments.js';

/** Channel state in memory, shared by every process of one test (as the store would be). */
export function memoryState(): ChannelState & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const setIfAbsent = (key: string, value: unknown) => {
    if (data.has(key)) return false;
    data.set(key, structuredClone(value));
    return true;
  };
  return {
    data,
    get: async <T>(key: string) => data.get(key) as T | undefined,
    set: async (key, value) => { data.set(key, structuredClone(value)); },
    setIfAbsent: async (key, value) => setIfAbsent(key, value),
    setEach: async (entries) => { for (const [key, value] of entries) data.set(key, structuredClone(value)); },
    setEachIfAbsent: async (entries) => entries.map(([key, value]) => setIfAbsent(key, value)),
  };
}

/** The store's thread index in memory: message id → ticket (tests pass ticket numbers as ids). */
export function memoryThreads(): ThreadIndex {
  const byMessage = new Map<string, string>();
  return {
    link: async (ticketId, messageId) => { byMessage.set(messageId, ticketId); },
    find: async (messageId) => {
      const id = byMessage.get(messageId);
      return id === undefined ? undefined : ({ id, number: id } as Ticket);
    },
  };
}

/** The real content-addressed attachment store, in a temp dir. */
export function tempAttachments(): AttachmentStore & { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'spoc-att-'));
  return { ...createAttachmentStore({ dir, maxBytes: 25 * 1024 * 1024 }), dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Stands in for the lead's intake service in the channel's own tests: the same dedupe-key and
 * ticket-number contract, records every call, and can be told to fail (a crash after the commit).
 */
export function recordingIntake() {
  const records: IntakeRecordInput[] = [];
  const tickets = new Map<string, { ticket: Ticket; records: IntakeRecordInput[] }>();
  const byKey = new Map<string, string>();
  let seq = 0;
  let failAfterCommit = false;
  const port: IntakePort = {
    async accept(record): Promise<IntakeResult> {
      records.push(record);
      const requester = { id: 'r1', vip: false, ...(record.requester.email ? { email: record.requester.email } : {}) };
      const known = byKey.get(record.dedupeKey);
      if (known) return { outcome: 'duplicate', ticket: tickets.get(known)!.ticket, requester };
      const named = record.thread?.ticketNumber && tickets.get(record.thread.ticketNumber);
      let outcome: IntakeResult['outcome'] = 'joined';
      let entry = named || undefined;
      if (!entry) {
        outcome = 'created';
        const number = `INC-${String(++seq).padStart(6, '0')}`;
        entry = { ticket: { id: randomUUID(), number, subject: record.subject } as Ticket, records: [] };
        tickets.set(number, entry);
      }
      entry.records.push(record);
      byKey.set(record.dedupeKey, entry.ticket.number);
      if (failAfterCommit) throw new Error('process killed after commit');
      return { outcome, ticket: entry.ticket, requester };
    },
  };
  return {
    port,
    records,
    tickets,
    failAfterCommit(on: boolean) { failAfterCommit = on; },
  };
}
