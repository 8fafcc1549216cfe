import { XMLParser } from 'fast-xml-parser';
import twilio from 'twilio';

/** One TwiML verb, in document order, with its attributes, text and nested verbs. */
export interface Verb {
  verb: string;
  attrs: Record<string, string>;
  text: string;
  children: Verb[];
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false });

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

function toVerbs(nodes: Node[]): Verb[] {
  const out: Verb[] = [];
  for (const node of nodes) {
    const tag = Object.keys(node).find((k) => k !== ':@');
    if (!tag || tag === '#text' || tag === '?xml') continue;
    const inner = (node[tag] as Node[]) ?? [];
    const text = inner.map((n) => (typeof n['#text'] === 'string' ? n['#text'] : '')).join('');
    out.push({ verb: tag, attrs: node[':@'] ?? {}, text, children: toVerbs(inner) });
  }
  return out;
}

/** The verbs of a TwiML `<Response>` (parsed as XML, never matched as text). */
export function parseTwiml(xml: string): Verb[] {
  const doc = toVerbs(parser.parse(xml) as Node[]);
  const response = doc.find((v) => v.verb === 'Response');
  if (!response) throw new Error(`not TwiML: ${xml.slice(0, 200)}`);
  return response.children;
}

/** Every verb, nested ones included, in document order. */
export function flatten(verbs: Verb[]): Verb[] {
  return verbs.flatMap((v) => [v, ...flatten(v.children)]);
}

/** What the caller hears, in order: `[language, text]` of every `<Say>`. */
export function spoken(verbs: Verb[]): Array<[string, string]> {
  return flatten(verbs)
    .filter((v) => v.verb === 'Say')
    .map((v) => [v.attrs.language ?? '', v.text]);
}

export function only(verbs: Verb[], name: string): Verb {
  const found = flatten(verbs).filter((v) => v.verb === name);
  if (found.length !== 1) throw new Error(`expected one <${name}>, found ${found.length}`);
  return found[0]!;
}

/** A webhook as Twilio sends it: form-encoded, signed with the real helper over the public URL. */
export async function postSigned(
  opts: { baseUrl: string; publicBaseUrl: string; authToken: string },
  pathOrUrl: string,
  params: Record<string, string>,
  signature: 'valid' | 'missing' | 'wrong' = 'valid',
): Promise<{ status: number; body: string }> {
  const path = pathOrUrl.startsWith('http') ? pathOrUrl.slice(opts.publicBaseUrl.replace(/\/+$/, '').length) : pathOrUrl;
  const publicUrl = opts.publicBaseUrl.replace(/\/+$/, '') + path;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (signature !== 'missing') {
    headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(signature === 'valid' ? opts.authToken : 'not-the-token', publicUrl, params);
  }
  const res = await fetch(opts.baseUrl.replace(/\/+$/, '') + path, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  return { status: res.status, body: await res.text() };
}
