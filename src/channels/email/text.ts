import { compile } from 'html-to-text';

const toText = compile({
  wordwrap: false,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'head', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
  ],
});

/**
 * Plain text from HTML: scripts, styles and images dropped, links kept as text, so raw HTML is never shown
 * or stored as a body.
 */
export function htmlToPlain(html: string): string {
  return toText(html).trim();
}

/** Lines that open a quoted earlier message, in the forms English and Chinese mail clients write them. */
const QUOTE_OPENERS: RegExp[] = [
  /^-{2,}\s*(original message|forwarded message)\s*-{2,}\s*$/i,
  /^-{2,}\s*(原始邮件|原始郵件|转发邮件|轉寄郵件)\s*-{2,}\s*$/,
  /^(发件人|寄件者|發件人)\s*[:：]/,
  /^在.{1,200}(写道|寫道)\s*[:：]\s*$/,
  /^On\s.{1,300}\swrote:\s*$/i,
  /^Am\s.{1,300}\sschrieb.{0,40}:\s*$/i,
];

/** An Outlook header block ("From: … / Sent: …") quoting the previous message. */
const OUTLOOK_FROM = /^\*?(From|Von)\s*:/i;
const OUTLOOK_NEXT = /^\*?(Sent|Date|To|Subject|Gesendet|An|发送时间|日期|收件人|主题)\s*[:：]/i;
const SIGNATURE = /^--\s?$/;
const MOBILE_FOOTER = /^(Sent from my \w+|发自我的\S+|從我的\S+傳送)\s*$/i;

/** Separators only a forward writes (Gmail, Apple Mail, Outlook in German and Chinese, Foxmail). */
const FORWARD_SEPARATORS: RegExp[] = [
  /^-{2,}\s*(forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado)\s*-{2,}\s*$/i,
  /^begin forwarded message:\s*$/i,
  /^-{2,}\s*(转发邮件|转发的邮件|轉寄郵件|转发消息)\s*-{2,}\s*$/,
];
/** The first prefix of a forwarded subject ("Fwd:", "WG:", "转发:"), not a reply to one ("Re: Fwd:"). */
const FORWARD_SUBJECT = /^\s*(fwd?|fw|wg|tr|rv|转发|轉寄|转寄)\s*[:：]/i;

/**
 * True for a forward: its forwarded part is the request (a customer's message passed on to IT), not
 * history to trim. Known by a forward's subject or by a separator only forwards write.
 */
export function isForward(subject: string, text: string): boolean {
  if (FORWARD_SUBJECT.test(subject)) return true;
  return text.split(/\r?\n/).some((line) => FORWARD_SEPARATORS.some((re) => re.test(line.trim())));
}

/**
 * Trims quoted history and the signature from a reply, keeping the new text the sender wrote. When
 * nothing is left (a message that is all quote) the text is kept whole rather than lost.
 */
export function trimQuoted(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    const joined = `${line} ${(lines[i + 1] ?? '').trim()}`;
    const opensQuote =
      QUOTE_OPENERS.some((re) => re.test(line)) ||
      (/^On\s/i.test(line) && !/wrote:\s*$/i.test(line) && /wrote:\s*$/i.test(joined)) ||
      (OUTLOOK_FROM.test(line) && lines.slice(i + 1, i + 4).some((l) => OUTLOOK_NEXT.test(l.trim()))) ||
      (/^_{10,}$/.test(line) && /^(\*?From|发件人)\s*[:：]/i.test((lines[i + 1] ?? '').trim()));
    if (opensQuote || SIGNATURE.test(lines[i] ?? '') || MOBILE_FOOTER.test(line)) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end);
  // A trailing block of "> " lines is the quoted message in bottom-posting clients that add no opener.
  while (kept.length && (/^\s*>/.test(kept[kept.length - 1] ?? '') || (kept[kept.length - 1] ?? '').trim() === '')) kept.pop();
  const result = kept.join('\n').trim();
  return result || text.trim();
}

