// Writes www/pkg/assets.js: the hosted page's own files and a version for its service worker
// (www/sw.js), so the page works offline after its first visit. Run by `make web` after www/pkg is
// built. The version is the crate's and a digest of every listed file, so any change to the page
// makes a new version (a new cache) and the browser sees the worker's script change.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WWW = join(ROOT, 'www');
/** Not part of the page: documentation, the README's screenshot, the worker and this list themselves. */
const LEFT_OUT = new Set(['example/README.md', 'example/screenshot.png', 'sw.js', 'pkg/assets.js']);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.name.startsWith('.')) return [];
    return entry.isDirectory() ? walk(path) : [relative(WWW, path).split('\\').join('/')];
  });
}

const files = walk(WWW).filter((f) => !LEFT_OUT.has(f)).sort();
if (!files.includes('pkg/survcalc_bg.wasm')) throw new Error('offline_assets: www/pkg is not built (run make web)');
const digest = createHash('sha256');
for (const f of files) digest.update(`${f}\0`).update(readFileSync(join(WWW, f))).update('\0');
const crate = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'))[1];
const version = `${crate}-${digest.digest('hex').slice(0, 12)}`;
writeFileSync(join(WWW, 'pkg', 'assets.js'),
  `// Written by scripts/offline_assets.mjs (make web): the files www/sw.js keeps for offline use.\nself.SURVCALC_ASSETS = ${JSON.stringify({ version, files }, null, 1)};\n`);
console.log(`www/pkg/assets.js: ${files.length} files for offline use, version ${version}`);
