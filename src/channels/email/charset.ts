import iconv from 'iconv-lite';
import jschardet from 'jschardet';

/** Labels that name GB2312 or GBK: senders use them for text that is really GBK or GB18030. */
export const GB_LABELS = /^(gb2312|gb_2312(-80)?|csgb2312|csiso58gb231280|gb231280|euc-?cn|gbk|x-gbk|cp936|ms936|windows-936|gb18030|x-gb18030)$/i;

const UTF8 = /^(utf-?8|us-?ascii|ascii|ansi_x3\.4-1968)$/i;
/** The multi-byte East Asian charsets a detector may name (the ones undeclared mail arrives in). */
const CJK = /^(gb18030|gb2312|gbk|big5|big5-hkscs|shift_jis|cp932|euc-jp|euc-kr|cp949|johab|euc-tw|iso-2022-.*)$/i;
const KOREAN = /^(euc-kr|cp949|johab)$/i;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A charset name iconv-lite decodes with, GB2312 and GBK widened to GB18030, their superset. */
export function decoderName(charset: string): string {
  const cs = charset.trim().toLowerCase();
  if (GB_LABELS.test(cs)) return 'gb18030';
  if (cs === 'cp932' || cs === 'windows-31j' || cs === 'x-sjis' || cs === 'sjis') return 'shift_jis';
  return cs;
}

export function isUtf8Label(charset: string | undefined): boolean {
  return !charset || UTF8.test(charset.trim());
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Decodes with `charset` when every byte fits it (no replacement character was needed); else undefined. */
export function decodeCleanly(bytes: Buffer, charset: string): string | undefined {
  const cs = decoderName(charset);
  if (cs === 'utf-8' || cs === 'utf8') return isValidUtf8(bytes) ? bytes.toString('utf8') : undefined;
  if (!iconv.encodingExists(cs)) return undefined;
  const text = iconv.decode(bytes, cs);
  return text.includes('\uFFFD') ? undefined : text;
}

function isSingleByte(charset: string): boolean {
  return !CJK.test(decoderName(charset)) && !/^utf/i.test(charset);
}

/**
 * The charset of 8-bit text that says none (or says a wrong one), best guess first. UTF-8 when it is
 * valid UTF-8 (RFC 6532 headers, modern clients); else what the message itself declares elsewhere
 * (`hints`: a raw GB2312 subject usually sits on a body declared GB2312), then jschardet's candidates.
 * Short samples are where detectors err: among East Asian candidates GB18030 wins unless another one is
 * clearly likelier (a desk in China gets mostly GB mail, and GB18030 decodes all of GB2312 and GBK),
 * and a single-byte guess beats them only when it is far likelier.
 */
export function guessCharsets(bytes: Buffer, hints: readonly string[] = []): string[] {
  if (isValidUtf8(bytes)) return ['utf-8'];
  const found = jschardet
    .detectAll(bytes, { minimumThreshold: 0 })
    .filter((r) => r.encoding && decodeCleanly(bytes, r.encoding) !== undefined)
    .map((r) => ({ name: decoderName(r.encoding as string), confidence: r.confidence }));
  const cjk = found.filter((r) => CJK.test(r.name));
  const gb = cjk.find((r) => r.name === 'gb18030');
  const [firstCjk] = cjk;
  const bestCjk = gb && firstCjk && (firstCjk === gb || KOREAN.test(firstCjk.name) || firstCjk.confidence < 2 * gb.confidence) ? gb : firstCjk;
  const [top] = found;
  const singleWins = top && isSingleByte(top.name) && (!bestCjk || top.confidence > 8 * bestCjk.confidence);
  const ordered = singleWins ? [top, ...(bestCjk ? [bestCjk] : [])] : [...(bestCjk ? [bestCjk] : []), ...(top ? [top] : [])];
  // A declared charset that fits the bytes comes first; a single-byte one (which fits any bytes) only
  // when the detector sees no East Asian text.
  const usable = hints.map(decoderName).filter((h) => decodeCleanly(bytes, h) !== undefined && (!isSingleByte(h) || !bestCjk || singleWins));
  return [...new Set([...usable, ...ordered.map((r) => r.name), ...found.map((r) => r.name), 'gb18030', 'windows-1252'])];
}

/** Decodes 8-bit text of unknown charset with the first guess that fits it; windows-1252 fits anything. */
export function decodeUnlabelled(bytes: Buffer, hints: readonly string[] = []): { text: string; charset: string } {
  for (const charset of guessCharsets(bytes, hints)) {
    const text = decodeCleanly(bytes, charset);
    if (text !== undefined) return { text, charset };
  }
  return { text: iconv.decode(bytes, 'windows-1252'), charset: 'windows-1252' };
}

/**
 * Decodes a body part's bytes under the charset it declares, unless the bytes do not fit it: text
 * declared UTF-8 or ASCII (or nothing) that is not, multi-byte text with bytes its charset lacks, or text
 * declared single-byte that the detector reads as East Asian with confidence, is decoded by its guess.
 */
export function decodeDeclared(bytes: Buffer, declared: string | undefined): string {
  const cs = declared && !isUtf8Label(declared) ? declared : 'utf-8';
  const text = decodeCleanly(bytes, cs);
  if (text !== undefined && !(isSingleByte(cs) && cs !== 'utf-8' && looksEastAsian(bytes))) return text;
  return decodeUnlabelled(bytes, declared && !isUtf8Label(declared) ? [declared] : []).text;
}

function looksEastAsian(bytes: Buffer): boolean {
  const best = jschardet.detect(bytes);
  return !!best.encoding && CJK.test(decoderName(best.encoding)) && best.confidence >= 0.5 && decodeCleanly(bytes, best.encoding) !== undefined;
}

/** Two or more UTF-8 sequences read as Latin-1 (`Ã¤` for `ä`): the mark of a name decoded under the wrong label. */
const MOJIBAKE = /[\u00c2-\u00f4][\u0080-\u00bf]/;

/**
 * Repairs text that is UTF-8 read as Latin-1 or Windows-1252 (`HofjÃ¤geralle` → `Hofjägeralle`), as
 * an RFC 2231 name labelled ISO-8859-1 over UTF-8 bytes comes out; anything else is returned as it is.
 */
export function repairMojibake(text: string): string {
  if (!MOJIBAKE.test(text)) return text;
  for (const cs of ['latin1', 'windows-1252']) {
    const bytes = iconv.encode(text, cs);
    // Only when the text is exactly those bytes (nothing was lost encoding it back) and they are UTF-8.
    if (iconv.decode(bytes, cs) === text && isValidUtf8(bytes)) {
      const fixed = bytes.toString('utf8');
      if (fixed !== text) return fixed;
    }
  }
  return text;
}
