import { verifySlackRequest } from '@slack/bolt';

/** Slack's replay window: a request signed more than this far from our clock, either way, is refused. */
export const MAX_SKEW_SECONDS = 5 * 60;

export interface SignedRequest {
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
}

/**
 * Checks `X-Slack-Signature` over `v0:<timestamp>:<raw body>` with Bolt's own verifier. Bolt only refuses
 * stale timestamps; a timestamp from the future is refused here too, so a captured request cannot be
 * pre-signed for later replay. Returns the reason when the request is not Slack's.
 */
export function checkSlackSignature(signingSecret: string, req: SignedRequest, nowMs = Date.now()): { ok: true } | { ok: false; reason: string } {
  const ts = Number(req.timestamp);
  if (!req.signature || !req.timestamp || !Number.isInteger(ts)) return { ok: false, reason: 'missing or malformed signature headers' };
  if (ts - Math.floor(nowMs / 1000) > MAX_SKEW_SECONDS) return { ok: false, reason: 'timestamp is in the future' };
  try {
    verifySlackRequest({
      signingSecret,
      body: req.rawBody,
      headers: { 'x-slack-signature': req.signature, 'x-slack-request-timestamp': ts },
      nowMilliseconds: nowMs,
    });
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: (err as Error).message.replace(/^Failed to verify authenticity: /, '') };
  }
}
