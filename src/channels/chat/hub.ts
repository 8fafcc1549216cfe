import type { Logger } from '../../shared/logger.js';
import type { ChatMailbox } from './mailbox.js';
import type { ServerFrame } from './protocol.js';

/** One open connection of a session, as the hub sees it. */
export interface ChatSubscriber {
  readonly sessionId: string;
  send(frame: ServerFrame): void;
}

/**
 * The sessions connected to this process and what each has been sent. Replies come from the session's
 * mailbox only, so a reply stored by any process reaches the visitor the same way: pushed at once when
 * this process stored it (`notify`), or found by the periodic `sweep` when another one did.
 */
export interface ChatHub {
  join(sub: ChatSubscriber): Promise<void>;
  leave(sub: ChatSubscriber): void;
  notify(sessionId: string): Promise<void>;
  sweep(): Promise<void>;
}

interface Cursor {
  nextSeq: number;
  flushing: boolean;
  again: boolean;
}

export function createChatHub(deps: { mailbox: ChatMailbox; logger: Logger }): ChatHub {
  const sessions = new Map<string, Map<ChatSubscriber, Cursor>>();

  /** Sends what the mailbox holds past the cursor; a flush asked for while one runs runs again after it. */
  async function flush(sub: ChatSubscriber, cursor: Cursor): Promise<void> {
    if (cursor.flushing) {
      cursor.again = true;
      return;
    }
    cursor.flushing = true;
    try {
      do {
        cursor.again = false;
        for (let reply = await deps.mailbox.get(sub.sessionId, cursor.nextSeq); reply; reply = await deps.mailbox.get(sub.sessionId, cursor.nextSeq)) {
          sub.send({ type: 'reply', seq: cursor.nextSeq, ...reply });
          cursor.nextSeq++;
        }
      } while (cursor.again);
    } catch (err) {
      deps.logger.warn({ err, sessionId: sub.sessionId }, 'chat flush failed; the next sweep retries');
    } finally {
      cursor.flushing = false;
    }
  }

  const flushSession = async (sessionId: string) => {
    const subs = sessions.get(sessionId);
    if (subs) await Promise.all([...subs].map(([sub, cursor]) => flush(sub, cursor)));
  };

  return {
    async join(sub) {
      const cursor: Cursor = { nextSeq: await deps.mailbox.firstUnseen(sub.sessionId), flushing: false, again: false };
      let subs = sessions.get(sub.sessionId);
      if (!subs) sessions.set(sub.sessionId, (subs = new Map()));
      subs.set(sub, cursor);
      await flush(sub, cursor);
    },
    leave(sub) {
      const subs = sessions.get(sub.sessionId);
      if (subs?.delete(sub) && subs.size === 0) sessions.delete(sub.sessionId);
    },
    notify: flushSession,
    async sweep() {
      for (const sessionId of [...sessions.keys()]) await flushSession(sessionId);
    },
  };
}
