import { decodeCleanly, decodeUnlabelled, GB_LABELS, isUtf8Label, isValidUtf8 } from './charset.js';

/**
 * The charset label parse.ts's decoder reads as "check these bytes, they were declared `<inner>`": body
 * parts declared UTF-8 or ASCII (or nothing) are labelled with it here, since mailparser passes those
 * through without asking a decoder, and undeclared GB2312 would come out as U+FFFD.
 */
export const VERIFY_LABEL = 'x-spoc-verify-';

/** Hostile nesting or a part flood stop the walk; the parts beyond are parsed as they are. */
const MAX_DEPTH = 12;
const MAX_BLOCKS = 500;

interface HeaderBlock {
  start: number;
  end: number;
  /** A leaf part (not multipart): its body is text mailparser decodes by charset. */
  leaf: boolean;
}

const CRLF2 = Buffer.from('\r\n\r\n');
const LF2 = Buffer.from('\n\n');

/** Where a header block starting at `start` ends (before its blank line), within `limit`. */
function headerEnd(raw: Buffer, start: number, limit: number): number {
  const a = raw.indexOf(CRLF2, start);
  const b = raw.indexOf(LF2, start);
  const ends = [a, b].filter((i) => i >= 0 && i < limit);
  return ends.length ? Math.min(...ends) : limit;
}

/** A header's unfolded value in a block read as latin1 (every byte one character). */
function headerValue(block: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\n)${name}[ \\t]*:([^\\n]*(?:\\r?\\n[ \\t][^\\n]*)*)`, 'i').exec(block);
  return m?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim();
}

function param(value: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Every header block of the message: its own and each MIME part's, found by following the boundaries. */
function headerBlocks(raw: Buffer): HeaderBlock[] {
  const blocks: HeaderBlock[] = [];
  const walk = (start: number, limit: number, depth: number) => {
    if (blocks.length >= MAX_BLOCKS) return;
    const end = headerEnd(raw, start, limit);
    const contentType = headerValue(raw.toString('latin1', start, end), 'content-type') ?? '';
    const boundary = /^\s*multipart\//i.test(contentType) ? param(contentType, 'boundary') : undefined;
    blocks.push({ start, end, leaf: !boundary && !/^\s*message\//i.test(contentType) });
    if (!boundary || depth >= MAX_DEPTH) return;
    const delimiter = Buffer.from(`--${boundary}`, 'latin1');
    let at = raw.indexOf(delimiter, end);
    while (at >= 0 && at < limit && blocks.length < MAX_BLOCKS) {
      // A delimiter counts only at the start of a line.
      if (at > 0 && raw[at - 1] !== 0x0a) {
        at = raw.indexOf(delimiter, at + delimiter.length);
        continue;
      }
      const after = at + delimiter.length;
      if (raw[after] === 0x2d && raw[after + 1] === 0x2d) return;
      const lineEnd = raw.indexOf(0x0a, after);
      if (lineEnd < 0 || lineEnd >= limit) return;
      let next = raw.indexOf(delimiter, lineEnd);
      while (next >= 0 && raw[next - 1] !== 0x0a) next = raw.indexOf(delimiter, next + delimiter.length);
      const partEnd = next >= 0 && next < limit ? next : limit;
      walk(lineEnd + 1, partEnd, depth + 1);
      at = next >= 0 && next < limit ? next : -1;
    }
  };
  walk(0, raw.length, 0);
  return blocks;
}

const has8bit = (b: Buffer) => b.some((c) => c >= 0x80);

/** The lines of a block that hold 8-bit bytes: the sample a charset is guessed from. */
function linesWith8bit(block: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < block.length; ) {
    const nl = block.indexOf(0x0a, at);
    const end = nl < 0 ? block.length : nl + 1;
    const line = block.subarray(at, end);
    if (has8bit(line)) out.push(line);
    at = end;
  }
  return out;
}

/** `=?gb2312?B?…?=`: encoded words in a GB label, decoded as GB18030 so its four-byte characters survive. */
const ENCODED_WORD_CHARSET = /=\?([^?*\s]+)(\*[^?\s]*)?\?([bq])\?/gi;

function widenEncodedWords(line: string): string {
  return line.replace(ENCODED_WORD_CHARSET, (all, cs: string, lang: string | undefined, enc: string) => (GB_LABELS.test(cs) ? `=?gb18030${lang ?? ''}?${enc}?` : all));
}

/** The physical lines of a block's Content-Type header: the first, and the one after its last folded line. */
function contentTypeLines(lines: string[]): { first: number; last: number } | undefined {
  const first = lines.findIndex((l) => /^content-type[ \t]*:/i.test(l));
  if (first < 0) return undefined;
  let last = first;
  while (last + 1 < lines.length && /^[ \t]/.test(lines[last + 1]!)) last++;
  return { first, last };
}

/** Labels a leaf part's charset for checking (see VERIFY_LABEL) when it declares UTF-8, ASCII or nothing. */
function labelForCheck(block: string): string {
  const lines = block.split('\n');
  const at = contentTypeLines(lines);
  if (!at) return `${block}\r\nContent-Type: text/plain; charset="${VERIFY_LABEL}none"`;
  const header = lines.slice(at.first, at.last + 1).join('\n');
  const contentType = header.slice(header.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
  if (!/^text\//i.test(contentType)) return block;
  const declared = param(contentType, 'charset');
  if (declared !== undefined && !isUtf8Label(declared)) return block;
  const label = `charset="${VERIFY_LABEL}${declared ?? 'none'}"`;
  const relabelled =
    declared === undefined
      ? header.replace(/(\r?)$/, `; ${label}$1`)
      : header.replace(/charset\s*=\s*("[^"]*"|[^;\s]+)/i, label);
  return [...lines.slice(0, at.first), relabelled, ...lines.slice(at.last + 1)].join('\n');
}

/**
 * Readies a raw message for mailparser, which reads header bytes as UTF-8 and passes text declared UTF-8
 * or ASCII through unchecked: header lines in an undeclared 8-bit charset (a raw GB2312 Subject, From or
 * file name) are re-encoded as UTF-8 (RFC 6532) with the charset the message's bytes point to; NULs are
 * dropped from headers; GB-labelled encoded words become GB18030; and each text part declared UTF-8, ASCII
 * or nothing is labelled for parse.ts's decoder to check. The bodies' bytes are never touched.
 */
export function prepareRaw(raw: Buffer): Buffer {
  const blocks = headerBlocks(raw);
  const declared: string[] = [];
  const foreign: Buffer[] = [];
  for (const b of blocks) {
    const text = raw.toString('latin1', b.start, b.end);
    const cs = param(headerValue(text, 'content-type') ?? '', 'charset');
    if (cs && !isUtf8Label(cs)) declared.push(cs);
    for (const m of text.matchAll(ENCODED_WORD_CHARSET)) if (!isUtf8Label(m[1])) declared.push(m[1]!);
    const bytes = raw.subarray(b.start, b.end);
    if (has8bit(bytes) && !isValidUtf8(bytes)) foreign.push(...linesWith8bit(bytes));
  }
  // One guess for all of the message's undeclared header bytes: more text, a better guess.
  const charset = foreign.length ? decodeUnlabelled(Buffer.concat(foreign), declared).charset : undefined;

  const out: Buffer[] = [];
  let at = 0;
  for (const b of blocks) {
    const bytes = raw.subarray(b.start, b.end);
    const transcode = !!charset && has8bit(bytes) && !isValidUtf8(bytes);
    const text = transcode ? (decodeCleanly(bytes, charset) ?? decodeUnlabelled(bytes).text) : bytes.toString(has8bit(bytes) ? 'utf8' : 'latin1');
    let fixed = widenEncodedWords(text.replaceAll('\0', ''));
    if (b.leaf) fixed = labelForCheck(fixed);
    if (fixed === text && !transcode) continue;
    out.push(raw.subarray(at, b.start), Buffer.from(fixed, 'utf8'));
    at = b.end;
  }
  if (!out.length) return raw;
  out.push(raw.subarray(at));
  return Buffer.concat(out);
}
