import iconv from 'iconv-lite';

/**
 * A reproducible corpus of desk mail: plain English, GBK-encoded Chinese, HTML-only with a quoted reply,
 * and a message with a small attachment, in rotation. Every message has its own Message-ID.
 */
export function makeCorpus(n: number, runId = Date.now().toString(36)): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const id = `<bench-${runId}-${i}@corp.example>`;
    const head = (subject: string, contentType: string, extra = '') =>
      `From: User ${i} <user${i % 50}@corp.example>\r\nTo: it@corp.example\r\nSubject: ${subject}\r\nMessage-ID: ${id}\r\nDate: Tue, 17 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n${extra}Content-Type: ${contentType}\r\n`;
    switch (i % 4) {
      case 0:
        out.push(Buffer.from(`${head(`VPN disconnects every few minutes (${i})`, 'text/plain; charset=utf-8')}\r\nHi,\r\n\r\nMy VPN drops every few minutes since this morning. I am on the 3rd floor.\r\n\r\nThanks\r\n-- \r\nUser ${i}\r\n`));
        break;
      case 1: {
        const body = iconv.encode(`你好，\n三楼的打印机无法打印，显示脱机，朱镕基楼也一样。(${i})\n\n谢谢`, 'gb18030').toString('base64');
        const subject = `=?GB2312?B?${iconv.encode(`打印机故障 ${i}`, 'gb18030').toString('base64')}?=`;
        out.push(Buffer.from(`${head(subject, 'text/plain; charset="GB2312"', '')}Content-Transfer-Encoding: base64\r\n\r\n${body}\r\n`));
        break;
      }
      case 2:
        out.push(Buffer.from(`${head(`Re: Outlook keeps asking for my password (${i})`, 'text/html; charset=utf-8')}\r\n<html><body><p>It is still happening after the restart.</p><p>On Mon, 16 Nov 2026, IT Desk wrote:</p><blockquote><p>Please restart Outlook.</p></blockquote></body></html>\r\n`));
        break;
      default: {
        const attachment = Buffer.alloc(2048, i % 256).toString('base64').replace(/.{76}/g, '$&\r\n');
        out.push(Buffer.from(`${head(`Screenshot of the error ${i}`, 'multipart/mixed; boundary="b1"')}\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe ERP shows error 500 when I save an order.\r\n--b1\r\nContent-Type: image/png; name="error-${i}.png"\r\nContent-Disposition: attachment; filename="error-${i}.png"\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--b1--\r\n`));
      }
    }
  }
  return out;
}
