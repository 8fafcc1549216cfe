import type { ParsedMail } from 'mailparser';
import { messageIds } from './thread.js';

/** What a delivery status notification says: which addresses failed, and which of our messages bounced. */
export interface DeliveryReport {
  /** Addresses whose Action is `failed` (lower-cased). */
  failed: string[];
  /** Status codes by address, e.g. `5.1.1`. */
  status: Record<string, string>;
  /** The Message-ID of the message that bounced, from the returned headers. */
  originalMessageId?: string;
}

function fieldBlocks(text: string): Array<Map<string, string>> {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\n[ \t]+/g, ' ')
    .split(/\n\s*\n/)
    .map((block) => {
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        const i = line.indexOf(':');
        if (i > 0) fields.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
      }
      return fields;
    });
}

/** Reads an RFC 3464 report parsed with `keepDeliveryStatus` (the status and returned headers are attachments). */
export function readDeliveryReport(parsed: Pick<ParsedMail, 'attachments' | 'messageId'>): DeliveryReport {
  const report: DeliveryReport = { failed: [], status: {} };
  for (const att of parsed.attachments) {
    const type = att.contentType.toLowerCase();
    const text = att.content.toString('utf8');
    if (type === 'message/delivery-status' || type === 'message/global-delivery-status') {
      for (const fields of fieldBlocks(text)) {
        const recipient = fields.get('final-recipient') ?? fields.get('original-recipient');
        const action = fields.get('action')?.toLowerCase();
        if (!recipient || !action) continue;
        const address = recipient.replace(/^[^;]*;/, '').trim().replace(/^<|>$/g, '').toLowerCase();
        if (action === 'failed') report.failed.push(address);
        const status = fields.get('status');
        if (status) report.status[address] = status;
      }
    } else if (!report.originalMessageId && (type === 'text/rfc822-headers' || type === 'message/rfc822' || type === 'message/global-headers')) {
      const header = fieldBlocks(text)[0]?.get('message-id');
      report.originalMessageId = messageIds(header)[0];
    }
  }
  return report;
}
