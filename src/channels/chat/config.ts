import { z } from 'zod';

/** gateway.yaml `channels.chat:` — the web chat (`GET /chat/ws`, widget at `/chat/widget.js`). */
export const chatConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Pages allowed to open the chat (their Origin header); empty allows any, e.g. an intranet. */
    allowedOrigins: z.array(z.string().url()).default([]),
    /** Hard cap on one WebSocket frame; a larger frame closes the connection (1009). */
    maxFrameBytes: z.number().int().min(1024).max(1_048_576).default(32_768),
    /** A longer message is refused with an error frame. */
    maxTextChars: z.number().int().min(1).max(20_000).default(4000),
    /** Per connection: more messages than this in a minute get a `rate_limited` error frame. */
    messagesPerMinute: z.number().int().min(1).max(600).default(20),
    maxConnections: z.number().int().min(1).max(100_000).default(2000),
    /**
     * Per client address, across all its connections: new sessions (a hello without a known session) and
     * new tickets a minute. More get a `rate_limited` error frame. Offices behind one NAT share an address.
     */
    newSessionsPerMinute: z.number().int().min(1).max(10_000).default(20),
    newTicketsPerMinute: z.number().int().min(1).max(10_000).default(10),
    /**
     * How often connected sessions look for replies a `spoc worker` process stored; replies handled in
     * this process are pushed at once.
     */
    pollIntervalMs: z.number().int().min(200).max(60_000).default(2000),
    /** Pings find dead connections (a laptop closed mid-chat) so their sessions stop being polled. */
    heartbeatMs: z.number().int().min(1000).max(300_000).default(30_000),
  })
  .strict()
  .prefault({});
export type ChatConfig = z.output<typeof chatConfigSchema>;
