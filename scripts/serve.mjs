// A static file server for www/ on 127.0.0.1, used by `make serve` and by the browser tests.
//
// Plain node, no dependencies: every file is served with its correct type (application/wasm
// matters: streaming compilation refuses anything else) and nothing outside the root is reachable.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.sha256': 'text/plain; charset=utf-8',
};

/**
 * Serves `root` on `host:port` (port 0 picks a free one), and files missing there from the folders
 * in `also` (dist/, so the page's "download for offline use" link works as when published);
 * resolves to { server, url, log }.
 */
export async function startServer({ root, also = [], port = 0, host = '127.0.0.1', quiet = true }) {
  const bases = [root, ...also].map((r) => resolve(r));
  const log = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    log.push(path);
    for (const base of bases) {
      let file = normalize(join(base, path));
      if (file !== base && !file.startsWith(base + sep)) {
        res.writeHead(403).end();
        return;
      }
      try {
        if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
        const body = await readFile(file);
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-cache',
        });
        res.end(body);
        if (!quiet) console.log(`200 ${path}`);
        return;
      } catch {
        // Not in this folder: the next one, or 404.
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    if (!quiet) console.log(`404 ${path}`);
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const url = `http://${host}:${server.address().port}/`;
  return { server, url, log };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [root = 'www', ...also] = process.argv.slice(2);
  const port = Number(process.env.PORT ?? 8080);
  const { url } = await startServer({ root, also, port, quiet: false });
  console.log(`survcalc: serving ${[root, ...also].join(' and ')} on ${url} (Ctrl-C stops)`);
}
