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

/** The first address of an address header (From), lower-cased, and its display name. */
export function firstAddress(field: AddressObject | AddressObject[] | undefined): { address?: string; name?: string } {
  const list: AddressObject[] = Array.isArray(field) ? field : field ? [field] : [];
  for (const obj of list) {
    for (const a of obj.value) {
      if (a.address) return { address: a.address.toLowerCase(), name: a.name || undefined };
      const inner = a.group?.find((g: EmailAddress) => g.address);
      if (inner?.address) return { address: inner.address.toLowerCase(), name: inner.name || undefined };
    }
  }
  return {};
}
