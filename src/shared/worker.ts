import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on one of spoc's own modules, given as the URL of its `.ts` source next to the
 * caller. From dist/ it runs the compiled `.js`. From source (tsx, vitest) the thread first registers tsx's
 * loader, because Node 20 does not apply `--import tsx` to a worker's entry module.
 */
export function startModuleWorker(source: URL, options: WorkerOptions = {}): Worker {
  if (!source.pathname.endsWith('.ts')) throw new Error(`startModuleWorker wants the .ts source URL, got ${source.href}`);
  const compiled = new URL(source.href.replace(/\.ts$/, '.js'));
  const fromSource = import.meta.url.endsWith('.ts');
  if (!fromSource) return new Worker(compiled, options);
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('tsx/package.json');
  const api = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  const tsxApi = pathToFileURL(join(dirname(pkg), api)).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

