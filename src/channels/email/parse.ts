import iconv from 'iconv-lite';
import { MailParser, simpleParser, type ParsedMail } from 'mailparser';

/** Labels that name GB2312 or GBK: senders use them for text that is really GBK or GB18030. */
const GB_LABELS = /^(gb2312|gb_2312(-80)?|csgb2312|csiso58gb231280|gb231280|euc-?cn|gbk|x-gbk|cp936|ms936|windows-936|gb18030)$/i;

/** mailparser's own decoder (iconv-lite plus its ISO-2022-JP path) for every charset we do not widen. */
const defaultDecoder = (MailParser.prototype as unknown as { getDecoder(this: { options: object }): { decodeStream(cs: string): NodeJS.ReadWriteStream } })
  .getDecoder.call({ options: {} });

/**
 * Handed to mailparser as its `Iconv` option: mailparser calls `new Iconv(charset, 'UTF-8')` and reads a
 * stream. GB-labelled parts decode as GB18030 (a superset of GB2312 and GBK), so characters outside the
 * label's repertoire survive; every other charset keeps mailparser's default decoder.
 */
function WideningIconv(charset: string): NodeJS.ReadWriteStream {
  const cs = (charset || 'ascii').trim();
  return GB_LABELS.test(cs) ? iconv.decodeStream('gb18030') : defaultDecoder.decodeStream(cs);
}

/** Parses a raw RFC 5322 message; throws on input mailparser cannot read. */
export async function parseEmail(raw: Buffer): Promise<ParsedMail> {
  return simpleParser(raw, {
    Iconv: WideningIconv as unknown as never,
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    keepCidLinks: true,
    // Delivery reports are read from their status part (see dsn.ts).
    keepDeliveryStatus: true,
  });
}

export type { ParsedMail };
