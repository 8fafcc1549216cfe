import type { AddressObject, EmailAddress, ParsedMail } from 'mailparser';

/**
 * A header's raw value (unfolded, first occurrence). Read from the header lines rather than mailparser's
 * structured map, whose shape changes per header (List-* becomes an object, Content-Type a value/params pair).
 */
export function rawHeader(parsed: Pick<ParsedMail, 'headerLines'>, name: string): string | undefined {
  const key = name.toLowerCase();
  const line = parsed.headerLines?.find((h) => h.key === key)?.line;
  if (line === undefined) return undefined;
  return line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
}

/**
 * An address as mail gives it, made comparable: lower-cased, without the angle brackets or quotes some
 * clients leave, and without a trailing dot on the domain (`a@corp.example.`, a fully qualified name).
 * Local parts in UTF-8 (RFC 6532) stay as they are.
 */
export function cleanAddress(address: string): string {
  return address.trim().replace(/^[<"']+|[>"']+$/g, '').replace(/\.+$/, '').toLowerCase();
}

/** The first address of an address header (From), cleaned, and its display name. */
export function firstAddress(field: AddressObject | AddressObject[] | undefined): { address?: string; name?: string } {
  const list: AddressObject[] = Array.isArray(field) ? field : field ? [field] : [];
  for (const obj of list) {
    for (const a of obj.value) {
      const found = a.address ? a : a.group?.find((g: EmailAddress) => g.address);
      const address = found?.address ? cleanAddress(found.address) : '';
      if (address.includes('@')) return { address, name: found!.name?.trim() || undefined };
    }
  }
  return {};
}

/** Who wrote: the From address, or the Reply-To when From is missing or empty. */
export function senderOf(parsed: Pick<ParsedMail, 'from' | 'replyTo'>): { address?: string; name?: string } {
  const from = firstAddress(parsed.from);
  if (from.address) return from;
  const replyTo = firstAddress(parsed.replyTo);
  return replyTo.address ? { ...replyTo, name: replyTo.name ?? from.name } : from;
}
