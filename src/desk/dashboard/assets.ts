import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { dashboardScript } from './client.js';
import { DASHBOARD_CSS } from './page.js';

/** A file the dashboard loads: its address carries a hash of its content, so browsers may keep it for a year. */
export interface Asset {
  path: string;
  type: string;
  body: Buffer;
  /** Compressed once at start (ECharts is 0.7 MB, 0.24 MB gzipped). */
  gzip: Buffer;
  etag: string;
}

function asset(name: string, ext: string, type: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  return { path: `/desk/assets/${name}-${hash}.${ext}`, type, body, gzip: gzipSync(body, { level: 9 }), etag: `"${hash}"` };
}

/**
 * ECharts from node_modules (its "common" build: bar, line, pie, with tooltip, legend and markLine; no CDN),
 * the page script and the page's style sheet.
 */
export function dashboardAssets(): { echarts: Asset; script: Asset; css: Asset } {
  const require = createRequire(import.meta.url);
  return {
    echarts: asset('echarts', 'js', 'text/javascript; charset=utf-8', readFileSync(require.resolve('echarts/dist/echarts.common.min.js'))),
    script: asset('dashboard', 'js', 'text/javascript; charset=utf-8', Buffer.from(dashboardScript)),
    css: asset('dashboard', 'css', 'text/css; charset=utf-8', Buffer.from(DASHBOARD_CSS)),
  };
}

/** Serves the assets, gzipped when the browser accepts it, immutable (a new content is a new address), 304 on a matching ETag. */
export function serveAssets(app: FastifyInstance, assets: readonly Asset[]): void {
  for (const a of assets) {
    app.get(a.path, { schema: { hide: true } }, async (req, reply) => {
      reply.header('content-type', a.type).header('cache-control', 'public, max-age=31536000, immutable').header('etag', a.etag).header('vary', 'accept-encoding').header('x-content-type-options', 'nosniff');
      if (req.headers['if-none-match'] === a.etag) return reply.status(304).send();
      if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(a.gzip);
      return reply.send(a.body);
    });
  }
}
