/**
 * The new text of a contact: what the writer wrote this time, without the quoted or forwarded history, the
 * legal footer and the signature under a closing. The router decides on the new text; a follow-up that quotes
 * an old "production is down" is a question about that ticket, not a second outage. When nothing is left
 * (a bare forward), the whole text is kept: then the forwarded mail is the contact.
 */

/** A line that opens quoted or forwarded history: everything from it down is history. */
const HISTORY =
  /^\s*(-{2,}\s*(original message|forwarded message|原始邮件|转发邮件)\s*-{2,}|-{5,}|_{5,}|on .{4,80} wrote:|在.{2,60}写道[:：]|(from|发件人|寄件者)\s*[:：].+)\s*$/imu;
/** Quoted lines ("> …"). */
const QUOTED = /^\s*>.*$/gmu;
/** A legal or confidentiality footer paragraph. */
const FOOTER = /^.*(confidential|intended solely|intended only|disclaimer|免责声明|保密信息|本邮件及其附件|如果您不是本邮件).*$/imu;
/** A closing alone on its line; what follows it (name, title, phone) is the signature. */
const CLOSING = /^\s*(best regards|kind regards|regards|best|thanks|thank you|cheers|br|此致|敬礼|祝好|谢谢|谢谢！|顺祝商祺)[,，.!！]?\s*$/imu;
/** A signature longer than this many lines is probably not one, and is kept. */
const SIGNATURE_LINES = 6;

export interface NewText {
  text: string;
  /** What was left out, for the trace. */
  removed: string[];
}

export function newText(body: string): NewText {
  // History, quotes, footers and closings each start a line below the new text: one line has none of them.
  if (!body.includes('\n')) return { text: body.trim(), removed: [] };
  const removed: string[] = [];
  let text = body;
  const history = HISTORY.exec(text);
  if (history && text.slice(0, history.index).trim()) {
    text = text.slice(0, history.index);
    removed.push('quoted or forwarded history');
  }
  const unquoted = text.replace(QUOTED, '');
  if (unquoted !== text && unquoted.trim()) {
    text = unquoted;
    removed.push('quoted lines');
  }
  const footer = FOOTER.exec(text);
  if (footer && text.slice(0, footer.index).trim()) {
    text = text.slice(0, footer.index);
    removed.push('legal footer');
  }
  const closing = CLOSING.exec(text);
  if (closing && text.slice(0, closing.index).trim()) {
    const after = text.slice(closing.index + closing[0].length).trim();
    if (after.split('\n').length <= SIGNATURE_LINES) {
      text = text.slice(0, closing.index);
      removed.push('signature');
    }
  }
  return { text: text.trim(), removed };
}
