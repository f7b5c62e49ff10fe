import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipped = promisify(gzip);

/**
 * GraphiQL on `GET /graphql`, every asset served by the router itself (air-gapped installs have no CDN):
 * `@graphql-yoga/graphiql` ships React, GraphiQL, Monaco and its workers prebuilt, fonts inlined.
 */
export type GraphiqlOptions = {
  /** Request headers the page starts with (the demo key in development; nothing in production). */
  headers?: Record<string, string>;
  /** The query in the editor on a first visit. */
  defaultQuery?: string;
};

/** Off in production unless `DCRM_GRAPHIQL=on`; it needs introspection too (its schema comes from it). */
export function graphiqlEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV !== 'production' || env.DCRM_GRAPHIQL === 'on';
}

// Content-addressed paths let browsers keep the 7 MB of assets for good.
const ASSETS_PREFIX = '/graphql/assets/';
// Monaco asks for a worker by label; the page maps each label to a file served below.
const WORKERS = { editorWorkerService: 'editor.worker.js', json: 'json.worker.js', graphql: 'graphql.worker.js' };
// The policy allows no inline script: the page keeps its options in a JSON block this script reads.
const BOOT = `(() => {
  const options = JSON.parse(document.getElementById('graphiql-options').textContent);
  const base = new URL(options.assets, location.href);
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: (_moduleId, label) => new URL(options.workers[label] ?? options.workers.editorWorkerService, base).href,
  };
  // The page keeps the edited query in its URL; on a reload that one wins over the default.
  const fromUrl = new URLSearchParams(location.search).get('query');
  addEventListener('DOMContentLoaded', () =>
    YogaGraphiQL.renderYogaGraphiQL(document.getElementById('graphiql'), {
      endpoint: new URL(options.endpoint, location.href).href,
      subscriptionsProtocol: 'WS',
      title: 'dcrm GraphiQL',
      ...options.props,
      ...(fromUrl ? { query: fromUrl } : {}),
    }),
  );
})();
`;

type Asset = { type: string; file?: string; text?: string };

function bundledAssets(): { tag: string; assets: Map<string, Asset> } {
  const pkg = createRequire(import.meta.url).resolve('@graphql-yoga/graphiql/package.json');
  const dist = join(dirname(pkg), 'dist');
  const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version: string };
  const js = 'text/javascript; charset=utf-8';
  const assets = new Map<string, Asset>([
    ['graphiql.css', { type: 'text/css; charset=utf-8', file: join(dist, 'graphiql.css') }],
    ['graphiql.js', { type: js, file: join(dist, 'yoga-graphiql.umd.js') }],
    ['boot.js', { type: js, text: BOOT }],
    [WORKERS.editorWorkerService, { type: js, file: join(dist, 'monacoeditorwork', 'editor.worker.bundle.js') }],
    [WORKERS.json, { type: js, file: join(dist, 'monacoeditorwork', 'json.worker.bundle.js') }],
    // Sic: the package names this one with two dots.
    [WORKERS.graphql, { type: js, file: join(dist, 'monacoeditorwork', 'graphql.worker..bundle.js') }],
  ]);
  const tag = createHash('sha256').update(`${version}\n${BOOT}`).digest('hex').slice(0, 12);
  return { tag, assets };
}

/** The page's policy: nothing but this origin (fonts are data: URLs; Monaco and React set inline styles). */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const escapeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function page(tag: string, options: GraphiqlOptions): string {
  // Relative URLs, so the page works behind a proxy that mounts the API under a prefix.
  const assets = `graphql/assets/${tag}/`;
  const props = {
    // Over graphql-ws the browser cannot send headers: the same credentials go as connectionParams.
    ...(options.headers ? { headers: JSON.stringify(options.headers, null, 2), connectionParams: options.headers } : {}),
    // Yoga's name for the first query.
    ...(options.defaultQuery ? { query: options.defaultQuery } : {}),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>dcrm GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assets}graphiql.css">
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script id="graphiql-options" type="application/json">${escapeJson({ assets, endpoint: 'graphql', workers: WORKERS, props })}</script>
<script src="${assets}boot.js"></script>
<script src="${assets}graphiql.js"></script>
</body>
</html>
`;
}

const wantsHtml = (req: IncomingMessage) => req.method === 'GET' && String(req.headers.accept ?? '').includes('text/html');

/**
 * Answers `GET /graphql` from a browser and `/graphql/assets/…`; returns false for every other request.
 * With `false`, those requests get a short 404 instead (no page, no assets).
 */
export function graphiqlRoutes(options: GraphiqlOptions | false): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  if (!options) {
    return (req, res, path) => {
      if (!(path === '/graphql' && wantsHtml(req)) && !path.startsWith(ASSETS_PREFIX)) return false;
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('GraphiQL is off here. Send GraphQL as POST /graphql.\n');
      return true;
    };
  }
  const { tag, assets } = bundledAssets();
  const html = page(tag, options);
  // Compressed once, on first request (the main bundle shrinks from 5 MB to about 1.5 MB).
  const compressedCache = new Map<string, Promise<Buffer>>();
  const compressed = (name: string, asset: Asset) => {
    let pending = compressedCache.get(name);
    if (!pending) {
      pending = (asset.text !== undefined ? Promise.resolve(Buffer.from(asset.text)) : readFile(asset.file ?? '')).then((raw) =>
        gzipped(raw),
      );
      compressedCache.set(name, pending);
    }
    return pending;
  };

  return (req, res, path) => {
    if (path === '/graphql' && wantsHtml(req)) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': GRAPHIQL_CSP,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.end(html);
      return true;
    }
    if (!path.startsWith(ASSETS_PREFIX)) return false;
    const [assetTag, name, ...rest] = path.slice(ASSETS_PREFIX.length).split('/');
    const asset = assetTag === tag && !rest.length ? assets.get(name) : undefined;
    if (!asset || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
      return true;
    }
    const headers = {
      'content-type': asset.type,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      vary: 'accept-encoding',
    };
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      compressed(name, asset).then(
        (body) => {
          res.writeHead(200, { ...headers, 'content-encoding': 'gzip', 'content-length': body.length });
          res.end(req.method === 'HEAD' ? undefined : body);
        },
        () => {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('Asset unavailable\n');
        },
      );
      return true;
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else if (asset.text !== undefined) res.end(asset.text);
    else createReadStream(asset.file ?? '').pipe(res);
    return true;
  };
}
