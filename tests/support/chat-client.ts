import WebSocket from 'ws';
import { until } from './wait.js';

export type Frame = Record<string, any>;

/** A real `ws` client that keeps every frame it gets, so a test can wait for the one it expects. */
export class ChatClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve({ code })));
  }

  static async open(url: string): Promise<ChatClient> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/chat/ws`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new ChatClient(ws);
  }

  send(frame: unknown) {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (not yet taken) that matches; removes it so the next call finds the next one. */
  next(match: (f: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    return until(() => {
      const i = this.frames.findIndex(match);
      return i >= 0 ? this.frames.splice(i, 1)[0] : undefined;
    }, { what: () => `a matching frame; got ${JSON.stringify(this.frames)}`, timeoutMs, everyMs: 10 });
  }

  async hello(sessionId?: string, extra: Record<string, unknown> = {}): Promise<string> {
    this.send({ type: 'hello', ...(sessionId ? { sessionId } : {}), name: 'Chen Jie', language: 'en', ...extra });
    return (await this.next((f) => f.type === 'welcome')).sessionId as string;
  }

  close() {
    this.ws.close();
    return this.closed;
  }
}
