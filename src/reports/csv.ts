import { stringify } from 'csv-stringify/sync';

/** One figure of a report as a CSV line: where it sits in the JSON, its value and the tickets behind it. */
export interface CsvFigure {
  report: string;
  path: string;
  value: string | number | boolean | null;
  link: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An array element's name in a path: its key or ticket number when it has one, else its position. */
function nameOf(item: unknown, index: number): string {
  if (isObject(item)) for (const k of ['key', 'number', 'id'] as const) if (typeof item[k] === 'string') return item[k] as string;
  return String(index);
}

/**
 * Every figure of a report's JSON, in document order. A figure's link is its object's `link`, or the
 * entry of its object's `links` named like it, so the CSV carries the same drill-downs as the JSON.
 */
export function figuresOf(report: string, value: unknown, path = '', inherited = ''): CsvFigure[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => figuresOf(report, item, `${path}[${nameOf(item, i)}]`, inherited));
  if (!isObject(value)) return [{ report, path, value: (value ?? null) as CsvFigure['value'], link: inherited }];
  const own = typeof value.link === 'string' ? value.link : inherited;
  const links = isObject(value.links) ? value.links : {};
  const out: CsvFigure[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (key === 'link' || key === 'links') continue;
    const link = typeof links[key] === 'string' ? (links[key] as string) : own;
    out.push(...figuresOf(report, child, path ? `${path}.${key}` : key, link));
  }
  return out;
}

/** A report as CSV (RFC 4180, header line first). */
export function toCsv(report: string, value: unknown): string {
  const rows = figuresOf(report, value);
  return stringify(rows, { header: true, columns: ['report', 'path', 'value', 'link'], cast: { boolean: (b) => String(b) } });
}
