import { z } from 'zod';

/** Ids chosen by the browser: a session id kept in localStorage, a random id per message. */
const clientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/**
 * What a browser sends, one JSON object per text frame. The first frame of a connection is `hello`
 * (with the session id it kept, or none to be given one); `seen` confirms a reply by its sequence number.
 */
export const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    sessionId: z.string().max(128).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(320).optional(),
    language: z.enum(['zh', 'en']).optional(),
    /** The client shows `suggestions` frames; without it a first message opens its ticket at once, as older widgets expect. */
    suggest: z.boolean().optional(),
  }),
  z.object({ type: z.literal('message'), id: clientId, text: z.string() }),
  /** Answers to a `suggestions` frame: one of the articles solved it (no ticket), or the message goes on to open one. */
  z.object({ type: z.literal('solved'), id: clientId, articleId: z.string().max(80) }),
  z.object({ type: z.literal('continue'), id: clientId }),
  z.object({ type: z.literal('seen'), seq: z.number().int().min(1) }),
  /** The buttons under a resolution: fixed closes the ticket, not fixed reopens it. */
  z.object({ type: z.literal('confirm'), ticket: z.string().max(32), fixed: z.boolean() }),
  /** The stars under a survey. */
  z.object({ type: z.literal('rate'), ticket: z.string().max(32), score: z.number().int().min(1).max(5) }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type HelloFrame = Extract<ClientFrame, { type: 'hello' }>;

/** A knowledge-base article offered to a visitor before their first message opens a ticket. */
export interface ChatArticle {
  id: string;
  title: string;
  summary: string;
  url: string;
}

/** A reply kept for a session until its browser confirms it. */
export interface ChatReply {
  /** The ticket message id: the widget drops a reply it has already shown. */
  id: string;
  ticket: string;
  text: string;
  at: string;
  /** The widget shows buttons under it: "fixed" / "not fixed" (a resolution) or 1–5 stars (a survey). */
  ask?: 'confirm' | 'rate';
}

/** What the server sends. */
export type ServerFrame =
  | { type: 'welcome'; sessionId: string }
  | { type: 'ack'; id: string; ticket: string; outcome: string; status: string; priority: string; respondBy: string }
  | ({ type: 'reply'; seq: number } & ChatReply)
  /** Sent instead of an ack for a new session's first message when articles match; the message waits for `solved` or `continue`. */
  | { type: 'suggestions'; id: string; articles: ChatArticle[] }
  | { type: 'deflected'; id: string; articleId: string }
  /** What a confirm or rate frame did. */
  | { type: 'answered'; ticket: string; answer: 'closed' | 'reopened' | 'rated' }
  | { type: 'error'; code: string; message: string; id?: string };

export const SESSION_ID = /^[A-Za-z0-9_-]{16,128}$/;

/** A frame as text, or an error frame saying why it is not one. Never throws. */
export function parseClientFrame(data: string): ClientFrame | Extract<ServerFrame, { type: 'error' }> {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { type: 'error', code: 'bad_frame', message: 'a frame must be one JSON object' };
  }
  const parsed = clientFrameSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const id = typeof (json as { id?: unknown })?.id === 'string' ? { id: String((json as { id: string }).id).slice(0, 64) } : {};
  return { type: 'error', code: 'bad_frame', message: `${issue?.path.join('.') || 'frame'}: ${issue?.message ?? 'invalid'}`, ...id };
}
