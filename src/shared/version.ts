import { readFileSync } from 'node:fs';

/** Read from package.json, which sits one level above src/ and two above dist/src/. */
export const VERSION: string = (() => {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'spoc' && pkg.version) return pkg.version;
    } catch {
      // Not at this depth: try the next.
    }
  }
  return '0.0.0';
})();
