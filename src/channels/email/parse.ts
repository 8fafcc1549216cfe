import { Transform } from 'node:stream';
import iconv from 'iconv-lite';
import { MailParser, simpleParser, type ParsedMail } from 'mailparser';
import { decodeDeclared, decoderName } from './charset.js';
import { prepareRaw, VERIFY_LABEL } from './raw-headers.js';

/** mailparser's own decoder (iconv-lite plus its ISO-2022-JP path) for the charsets iconv-lite lacks. */
const defaultDecoder = (MailParser.prototype as unknown as { getDecoder(this: { options: object }): { decodeStream(cs: string): NodeJS.ReadWriteStream } })
  .getDecoder.call({ options: {} });

/** Collects a part's bytes and decodes them at the end, when all of them can be checked against the charset. */
function checkedDecoder(declared: string | undefined): Transform {
  const chunks: Buffer[] = [];
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      done();
    },
    flush(done) {
      done(null, Buffer.from(decodeDeclared(Buffer.concat(chunks), declared), 'utf8'));
    },
  });
}

/**
 * Handed to mailparser as its `Iconv` option: mailparser calls `new Iconv(charset, 'UTF-8')` and reads a
 * stream. A part is decoded under its declared charset when its bytes fit it (GB2312 and GBK as GB18030,
 * their superset), else by the detector's guess (charset.ts); parts declared UTF-8, ASCII or nothing
 * reach it through the label raw-headers.ts gives them.
 */
function CheckingIconv(charset: string): NodeJS.ReadWriteStream {
  const cs = (charset || 'ascii').trim();
  if (cs.toLowerCase().startsWith(VERIFY_LABEL)) {
    const inner = cs.slice(VERIFY_LABEL.length);
    return checkedDecoder(inner === 'none' ? undefined : inner);
  }
  // ISO-2022-JP and its kin are mailparser's (through encoding-japanese); a charset nobody knows
  // (`ansi_x3.110-1983`, `x-unknown`) is guessed like undeclared text.
  return iconv.encodingExists(decoderName(cs)) || !ISO_2022.test(cs) ? checkedDecoder(cs) : defaultDecoder.decodeStream(cs);
}

const ISO_2022 = /^(iso-?2022-|cp5022[0-2]$|csiso2022)/i;

/** Parses a raw RFC 5322 message; throws on input mailparser cannot read. */
export async function parseEmail(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(prepareRaw(raw), {
    Iconv: CheckingIconv as unknown as never,
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    keepCidLinks: true,
    // Delivery reports are read from their status part (see dsn.ts).
    keepDeliveryStatus: true,
  });
}

export type { ParsedMail };
