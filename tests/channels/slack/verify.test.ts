import { describe, expect, it } from 'vitest';
import { checkSlackSignature } from '../../../src/channels/slack/verify.js';

// Slack's worked example from "Verifying requests from Slack" (api.slack.com/authentication/verifying-requests-from-slack).
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const AT = Number(TIMESTAMP) * 1000;

describe('checkSlackSignature', () => {
  it("accepts Slack's published example", () => {
    expect(checkSlackSignature(SECRET, { rawBody: BODY, signature: SIGNATURE, timestamp: TIMESTAMP }, AT + 30_000)).toEqual({ ok: true });
  });

  it('refuses a tampered body, signature or secret', () => {
    const tampered = BODY.replace('text=', 'text=rm%20-rf');
    expect(checkSlackSignature(SECRET, { rawBody: tampered, signature: SIGNATURE, timestamp: TIMESTAMP }, AT).ok).toBe(false);
    expect(checkSlackSignature(SECRET, { rawBody: BODY, signature: SIGNATURE.replace(/.$/, '4'), timestamp: TIMESTAMP }, AT).ok).toBe(false);
    expect(checkSlackSignature('another-secret', { rawBody: BODY, signature: SIGNATURE, timestamp: TIMESTAMP }, AT).ok).toBe(false);
    // The timestamp is signed too: moving it breaks the signature.
    expect(checkSlackSignature(SECRET, { rawBody: BODY, signature: SIGNATURE, timestamp: String(Number(TIMESTAMP) + 1) }, AT).ok).toBe(false);
  });

  it('refuses requests signed more than five minutes ago or ahead', () => {
    const req = { rawBody: BODY, signature: SIGNATURE, timestamp: TIMESTAMP };
    expect(checkSlackSignature(SECRET, req, AT + 5 * 60_000).ok).toBe(true);
    expect(checkSlackSignature(SECRET, req, AT + 5 * 60_000 + 1000)).toMatchObject({ ok: false, reason: expect.stringMatching(/stale/) });
    expect(checkSlackSignature(SECRET, req, AT - 5 * 60_000).ok).toBe(true);
    expect(checkSlackSignature(SECRET, req, AT - 5 * 60_000 - 1000)).toEqual({ ok: false, reason: 'timestamp is in the future' });
  });

  it('refuses missing or malformed headers', () => {
    expect(checkSlackSignature(SECRET, { rawBody: BODY, signature: undefined, timestamp: TIMESTAMP }, AT).ok).toBe(false);
    expect(checkSlackSignature(SECRET, { rawBody: BODY, signature: SIGNATURE, timestamp: 'yesterday' }, AT).ok).toBe(false);
    expect(checkSlackSignature(SECRET, { rawBody: BODY, signature: 'v1=abc', timestamp: TIMESTAMP }, AT).ok).toBe(false);
  });
});
