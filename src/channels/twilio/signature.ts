import twilio from 'twilio';

/** Form parameters as Twilio sent them; a repeated name keeps all its values (they are all signed). */
export type TwilioParams = Record<string, string | string[]>;

export type SignatureVerdict = 'ok' | 'missing' | 'invalid';

export interface SignedRequest {
  /** X-Twilio-Signature, if any. */
  signature: string | undefined;
  /** The URL Twilio requested: PUBLIC_BASE_URL + path + query (the address configured at Twilio). */
  url: string;
  /** Form parameters, for application/x-www-form-urlencoded requests. */
  params?: TwilioParams;
  /** The raw body of a JSON request; its SHA-256 is the URL's `bodySHA256` parameter. */
  jsonBody?: string;
}

/**
 * Checks a webhook the way Twilio signs it, with twilio-node's own validators: HMAC-SHA1 of the URL and
 * the sorted form parameters, or, for JSON bodies, of the URL carrying `bodySHA256`, whose value must be
 * the body's hash. Pure, so the published vectors test it directly.
 */
export function verifyTwilioSignature(authToken: string, req: SignedRequest): SignatureVerdict {
  if (!req.signature) return 'missing';
  const valid =
    req.jsonBody !== undefined
      ? twilio.validateRequestWithBody(authToken, req.signature, req.url, req.jsonBody)
      : twilio.validateRequest(authToken, req.signature, req.url, req.params ?? {});
  return valid ? 'ok' : 'invalid';
}

/** The public URL of a request: Twilio signs the address it was given, not the one the proxy forwards to. */
export function publicUrlOf(publicBaseUrl: string, pathAndQuery: string): string {
  return publicBaseUrl.replace(/\/+$/, '') + pathAndQuery;
}

/** Parses a form body keeping repeated names as arrays, as the signature needs them. */
export function parseForm(raw: string): TwilioParams {
  const out: TwilioParams = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
