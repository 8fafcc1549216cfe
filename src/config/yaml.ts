import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { SpocError } from '../shared/errors.js';

/** A path into a parsed document, as zod reports it: `['rules', 3, 'when', 'keywords', 'any']`. */
export type ConfigPath = ReadonlyArray<PropertyKey>;

/**
 * A configuration mistake, located: the file, the 1-based line (when known) and the reason. The message
 * reads `config/rules.yaml:42: rules[3].when.keywords.any: expected array` so an editor can jump to it.
 */
export class ConfigError extends SpocError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super('config_invalid', `${file}${line === undefined ? '' : `:${line}`}: ${reason}`, 500, { file, line, reason });
    this.name = 'ConfigError';
  }
}

/** Finds the line of a path in the source and builds located errors; code that validates config after parsing uses it. */
export interface ConfigSource {
  file: string;
  /** 1-based line of the deepest node of `path` that exists in the file. */
  lineOf(path: ConfigPath): number | undefined;
  /** A ConfigError at `path`, with the path spelled out in front of the reason. */
  error(path: ConfigPath, reason: string): ConfigError;
}

/** `['rules', 3, 'when']` → `rules[3].when`. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** A source without positions, for configuration built in code (tests, the HTTP explain endpoint). */
export function inlineSource(file: string): ConfigSource {
  return sourceWith(file, () => undefined);
}

function sourceWith(file: string, lineOf: (path: ConfigPath) => number | undefined): ConfigSource {
  return {
    file,
    lineOf,
    error: (path, reason) => new ConfigError(file, lineOf(path), path.length ? `${formatPath(path)}: ${reason}` : reason),
  };
}

function childOf(node: unknown, seg: PropertyKey): { node: unknown; keyOffset?: number } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
    if (!pair) return undefined;
    const key = pair.key as Node;
    return { node: pair.value, keyOffset: key.range?.[0] };
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg];
    return item === undefined ? undefined : { node: item };
  }
  return undefined;
}

/**
 * Parses YAML text keeping node positions, validates it with `schema`, and returns the value and its
 * source (for errors found later, e.g. a rule naming an unknown team). Throws ConfigError on bad YAML or
 * on the first schema issue.
 */
export function parseYamlText<S extends z.ZodType>(text: string, file: string, schema: S): { value: z.output<S>; source: ConfigSource } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = firstError.linePos?.[0] ?? lineCounter.linePos(firstError.pos[0]);
    throw new ConfigError(file, pos.line, firstError.message.split('\n')[0] ?? 'invalid YAML');
  }
  const lineOf = (path: ConfigPath): number | undefined => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0];
    for (const seg of path) {
      const child = childOf(node, seg);
      if (!child) break;
      node = child.node;
      const own = (node as Node | null)?.range?.[0];
      offset = child.keyOffset ?? own ?? offset;
      // A key's own line is where an editor should land, but a sequence item has no key: use the item.
      if (child.keyOffset === undefined && own !== undefined) offset = own;
    }
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  const source = sourceWith(file, lineOf);
  let data: unknown;
  try {
    data = doc.toJS() ?? {};
  } catch (err) {
    // An alias to an anchor that is not defined (yet) is found only when the document is resolved.
    throw new ConfigError(file, undefined, (err as Error).message.split('\n')[0] ?? 'invalid YAML');
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw zodIssueError(source, parsed.error.issues[0]);
  return { value: parsed.data, source };
}

/**
 * A union ("a word or a list of words") fails as a whole; the branch that got furthest into the value
 * says what is actually wrong.
 */
function mostSpecific(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || !issue.errors.length) return issue;
  const branches = issue.errors
    .map((branch) => branch[0])
    .filter((i): i is z.core.$ZodIssue => i !== undefined)
    .map((i) => mostSpecific({ ...i, path: [...issue.path, ...i.path] }));
  return branches.sort((a, b) => b.path.length - a.path.length)[0] ?? issue;
}

/** Maps a zod issue to a located ConfigError; an unknown key points at the key itself. */
export function zodIssueError(source: ConfigSource, first: z.core.$ZodIssue | undefined): ConfigError {
  if (!first) return source.error([], 'invalid configuration');
  const issue = mostSpecific(first);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return source.error([...issue.path, key], `unknown key "${key}"`);
  }
  return source.error(issue.path, issue.message.replace(/^Invalid input: /, ''));
}

/** How errors name a file: relative to the working directory when it lies inside it (`config/rules.yaml`). */
function displayPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Reads and validates a YAML file, keeping its source for later located errors. */
export function readYamlFile<S extends z.ZodType>(path: string, schema: S, displayName = displayPath(path)): { value: z.output<S>; source: ConfigSource } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(displayName, undefined, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseYamlText(text, displayName, schema);
}

