// Builds dist/survcalc.html: the whole page in one file that works when opened from disk (file://)
// with no server and no network, and prints its SHA-256 (also written to dist/survcalc.html.sha256).
// Run by `make web` after www/pkg is built; plain node, no bundler.
//
// What goes in: the style sheet, the icon, the example's CSV, the page's ES modules joined into one
// inline module script, the worker's modules joined into a classic script (a data block the page
// turns into a blob: worker), and both wasm modules (the core and the spreadsheet reader) as base64 data
// blocks. Each ES module becomes a function scope whose exports are an object; an import becomes a
// destructuring of that object (modules are ordered so that a module's imports come first; a cycle
// is refused). Three things a file:// page cannot do are provided in those scopes instead:
// - wasm-bindgen's init() fetches its .wasm next to the script: here it is given the embedded bytes;
// - `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })` starts the embedded
//   worker from a blob: URL, as a classic script (Chromium refuses module workers to a file:// page);
// - `fetch(url)` answers the embedded files (the example) and refuses anything else, and a dynamic
//   `import('./x.js')` returns the embedded module.
// Anything else the build does not know (an export form, a file fetched, a new asset) stops it with
// a message, rather than writing a file that would fail in the browser.
//
// The Content-Security-Policy keeps the hosted page's spirit: no request at all (default-src 'none',
// connect-src 'none'), scripts and styles only by their hashes, wasm, and workers from blob: URLs.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WWW = join(ROOT, 'www');
const DIST = join(ROOT, 'dist');

/** Files the page fetches at run time, embedded and answered by the bundle's fetch (path as fetched). */
const EMBEDDED_FILES = { 'example/gist_simulated.csv': 'text/csv' };
/** The wasm modules, by the glue module that loads each. */
const WASM = { 'pkg/survcalc.js': 'pkg/survcalc_bg.wasm', 'pkg/survcalc_sheets.js': 'pkg/survcalc_sheets_bg.wasm' };

const read = (path) => readFileSync(join(WWW, path), 'utf8');

function fail(message) {
  throw new Error(`single_file: ${message}`);
}

/** `text` with `from` replaced by `to` (text, or a function giving it), which must occur exactly once. */
function replaceOnce(text, from, to, what) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) fail(`${what}: expected exactly one "${from}"`);
  return text.slice(0, at) + (typeof to === 'function' ? to() : to) + text.slice(at + from.length);
}

// ---- modules ----

const IMPORT = /^import\s+([\s\S]*?)\s+from\s+'([^']+)';?[ \t]*$/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*'([^']+)'\s*\)/g;
const ASSET_URL = /new URL\(\s*'([^']+)'\s*,\s*import\.meta\.url\s*\)/g;
const MODULE_WORKER = /new Worker\(\s*new URL\(\s*'([^']+)'\s*,\s*import\.meta\.url\s*\)\s*,\s*\{\s*type:\s*'module'\s*\}\s*\)/g;

/** A module's path (relative to www/) from a specifier in the module at `from`. */
function resolvePath(from, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) fail(`${from}: only relative imports are bundled, not '${specifier}'`);
  return relative(WWW, normalize(join(WWW, dirname(from), specifier))).split('\\').join('/');
}

/** The `const` lines an import clause becomes, given the variable holding the imported module. */
function importBindings(clause, holder, where) {
  const lines = [];
  let rest = clause.trim();
  const named = /\{([\s\S]*)\}/.exec(rest);
  if (named) {
    const parts = named[1].split(',').map((p) => p.trim()).filter(Boolean)
      .map((p) => p.replace(/^(\w+)\s+as\s+(\w+)$/, '$1: $2'));
    lines.push(`const { ${parts.join(', ')} } = ${holder};`);
    rest = rest.replace(named[0], '');
  }
  const star = /\*\s+as\s+(\w+)/.exec(rest);
  if (star) {
    lines.push(`const ${star[1]} = ${holder};`);
    rest = rest.replace(star[0], '');
  }
  const fallback = rest.replace(/,/g, ' ').trim();
  if (fallback) {
    if (!/^\w+$/.test(fallback)) fail(`${where}: cannot bundle the import clause '${clause}'`);
    lines.push(`const ${fallback} = ${holder}.default;`);
  }
  return lines;
}

/** A module's body with its `export` keywords removed, and the names it exports (local -> exported). */
function stripExports(source, where) {
  const exported = new Map();
  let body = source.replace(/^export\s+(async\s+function\*?|function\*?|class|const|let|var)\s+(\w+)/gm, (_, kind, name) => {
    exported.set(name, name);
    return `${kind} ${name}`;
  });
  body = body.replace(/^export\s*\{([^}]*)\};?[ \t]*$/gm, (_, list) => {
    for (const part of list.split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^(\w+)(?:\s+as\s+(\w+))?$/.exec(part);
      if (!m) fail(`${where}: cannot bundle 'export { ${part} }'`);
      exported.set(m[1], m[2] ?? m[1]);
    }
    return '';
  });
  const left = /^\s*export\b.*$/m.exec(body);
  if (left) fail(`${where}: cannot bundle '${left[0].trim()}'`);
  return { body, exported };
}

/**
 * The modules reachable from `entry` (static imports, and dynamic ones, which are bundled lazily),
 * in an order where each module's static imports come before it.
 */
function collect(entry) {
  const modules = new Map();
  const order = [];
  const visiting = new Set();
  const visit = (path, lazy) => {
    if (modules.has(path)) {
      if (!lazy) modules.get(path).lazy = false;
      if (visiting.has(path)) fail(`import cycle through ${path}`);
      return;
    }
    visiting.add(path);
    const source = read(path);
    const imports = [...source.matchAll(IMPORT)].map((m) => ({ text: m[0], clause: m[1], path: resolvePath(path, m[2]) }));
    const dynamic = [...source.matchAll(DYNAMIC_IMPORT)].map((m) => resolvePath(path, m[1]));
    const module = { path, source, imports, dynamic, lazy };
    modules.set(path, module);
    for (const i of imports) visit(i.path, false);
    for (const d of dynamic) visit(d, true);
    visiting.delete(path);
    order.push(module);
  };
  visit(entry, false);
  return order;
}

const holder = (path) => `__module_${path.replace(/[^A-Za-z0-9]/g, '_')}`;

/** One module as a function scope returning its exports. */
function wrap(module) {
  const where = module.path;
  let source = module.source;
  const head = [];
  for (const i of module.imports) {
    source = source.replace(i.text, '');
    head.push(...importBindings(i.clause, holder(i.path), where));
  }
  source = source.replace(DYNAMIC_IMPORT, (_, specifier) => `__import(${JSON.stringify(resolvePath(where, specifier))})`);
  source = source.replace(MODULE_WORKER, (_, specifier) => `__worker(${JSON.stringify(resolvePath(where, specifier))})`);
  // wasm-bindgen's default `new URL('..._bg.wasm', import.meta.url)` is never reached: init() is
  // always given the bytes. In a classic worker import.meta does not parse, so it is replaced.
  if (WASM[where]) source = source.replace(ASSET_URL, () => 'new URL("about:blank")');
  const left = /import\.meta|new Worker\(/.exec(source);
  if (left) fail(`${where}: cannot bundle '${left[0]}' here (only new Worker(new URL('./x.js', import.meta.url), { type: 'module' }))`);
  const { body, exported } = stripExports(source, where);
  // wasm-bindgen's init() and initSync() get the embedded module instead of fetching the .wasm file.
  const own = [...exported].filter(([, name]) => !(WASM[where] && ['default', 'initSync'].includes(name)));
  const entries = own.map(([local, name]) => `${JSON.stringify(name)}: ${local}`);
  if (WASM[where]) {
    const wasm = JSON.stringify(WASM[module.path]);
    entries.push(`"default": (options) => __wbg_init({ ...(options ?? {}), module_or_path: __wasm(${wasm}) })`);
    entries.push(`"initSync": () => initSync({ module: __wasm(${wasm}) })`);
  }
  const factory = `() => {\n${head.join('\n')}\n${body}\nreturn Object.freeze({ ${entries.join(', ')} });\n}`;
  return module.lazy
    ? `const ${holder(module.path)}_lazy = ((make) => { let made = null; return () => (made ??= make()); })(${factory});`
    : `const ${holder(module.path)} = (${factory})();`;
}

/** The modules from `entry` as one script, after `prelude` (which defines __files, __embedded and __worker). */
function bundle(entry, prelude) {
  const modules = collect(entry);
  const lazy = modules.filter((m) => m.lazy).map((m) => `${JSON.stringify(m.path)}: ${holder(m.path)}_lazy`);
  // __lazy comes last: the modules it lists are defined above it, and __import reads it only when called.
  const text = [prelude, RUNTIME, ...modules.map(wrap), `const __lazy = { ${lazy.join(', ')} };`].join('\n');
  for (const m of modules) {
    if (!m.lazy && modules.some((n) => n.dynamic.includes(m.path))) fail(`${m.path} is imported both statically and dynamically`);
  }
  return { text, paths: modules.map((m) => m.path) };
}

/** What every bundle shares: bytes from base64, the embedded wasm, fetch and import() answered from the bundle. */
const RUNTIME = String.raw`
const __bytes = (base64) => {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
};
const __wasm = (path) => __bytes(__embedded(path));
const __import = async (path) => {
  const make = __lazy[path];
  if (!make) throw new Error("this single-file copy of survcalc does not hold " + path);
  return make();
};
const fetch = async (url) => {
  const path = String(url);
  const type = __files[path];
  if (!type) throw new Error("this single-file copy of survcalc makes no request (asked for " + path + ")");
  return new Response(__bytes(__embedded(path)), { headers: { "content-type": type } });
};
`;

// ---- the page ----

const base64 = (path) => readFileSync(join(WWW, path)).toString('base64');

function sha256(data, encoding = 'hex') {
  return createHash('sha256').update(data).digest(encoding);
}

/** A data block: text the page reads (never runs); the text must not end the element early. */
function dataBlock(id, text) {
  if (/<\/script|<!--/i.test(text)) fail(`${id} holds "</script" or "<!--", which would end its element early`);
  return `<script type="text/plain" id="${id}">${text}</script>`;
}

function build() {
  const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'))?.[1] ?? fail('no version in Cargo.toml');
  const files = JSON.stringify(EMBEDDED_FILES);
  // The worker is a classic script (a file:// page may start a worker from a blob: URL, but not a
  // module worker), in a function scope; it gets the wasm modules with its source.
  const worker = bundle('worker.js', 'const __files = {};\nconst __embedded = (path) => __EMBEDDED[path];\nconst __worker = () => { throw new Error("no worker in the worker"); };');
  const pagePrelude = [
    `const __files = ${files};`,
    'const __embedded = (path) => document.getElementById(`embedded:${path}`).textContent;',
    'const __worker = (path) => {',
    '  if (path !== "worker.js") throw new Error("this single-file copy of survcalc does not hold " + path);',
    `  const embedded = JSON.stringify(Object.fromEntries(${JSON.stringify(Object.values(WASM))}.map((p) => [p, __embedded(p)])));`,
    '  const source = [`(() => {\\nconst __EMBEDDED = ${embedded};\\n`, __embedded("worker.js"), "\\n})();\\n"];',
    '  return new Worker(URL.createObjectURL(new Blob(source, { type: "text/javascript" })));',
    '};',
  ].join('\n');
  const page = bundle('main.js', pagePrelude);
  if (/<\/script|<!--/i.test(page.text)) fail('the page\'s script holds "</script" or "<!--", which would end its element early');
  for (const path of [...page.paths, ...worker.paths]) {
    const source = read(path);
    // The figure exporter (PDF, TIFF, PNG: a 3.7 MB module) is left out of the single file on
    // purpose: starting it throws ("does not hold export-worker.js"), which the page shows as a
    // notice; SVG export needs no worker and works.
    const workers = ['worker.js', 'export-worker.js'];
    for (const m of source.matchAll(MODULE_WORKER)) if (!workers.includes(resolvePath(path, m[1]))) fail(`${path}: the worker ${m[1]} is not embedded`);
    for (const m of source.matchAll(/\bfetch\(\s*[`'"]([^`'"$]*)/g)) {
      if (!Object.keys(EMBEDDED_FILES).some((f) => f.startsWith(m[1]))) fail(`${path} fetches ${m[1]}, which is not embedded`);
    }
  }

  const css = read('style.css');
  if (/url\(/.test(css)) fail('style.css refers to a file (url(...)), which is not embedded');
  const icon = `data:image/svg+xml;base64,${base64('favicon.svg')}`;
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256(page.text, 'base64')}' 'wasm-unsafe-eval'`,
    `style-src 'sha256-${sha256(css, 'base64')}'`,
    "style-src-attr 'unsafe-inline'",
    'img-src data: blob:',
    'worker-src blob:',
    "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');

  let html = read('index.html');
  html = html.replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, () => `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
  if (!html.includes(csp)) fail('index.html: no Content-Security-Policy meta element to replace');
  html = replaceOnce(html, '<link rel="icon" href="favicon.svg" type="image/svg+xml">', `<link rel="icon" href="${icon}" type="image/svg+xml">`, 'index.html icon');
  html = replaceOnce(html, '<img src="favicon.svg"', `<img src="${icon}"`, 'index.html logo');
  html = replaceOnce(html, '<link rel="stylesheet" href="style.css">', () => `<style>${css}</style>`, 'index.html style sheet');
  html = replaceOnce(html, '<script type="module" src="main.js"></script>', () => `<script type="module">${page.text}</script>`, 'index.html script');
  const footer = /<footer>[\s\S]*?<\/footer>/;
  if (!footer.test(html)) fail('index.html: no footer');
  html = html.replace(footer, () => [
    '<footer>',
    `  <p>survcalc <span id="version">${version}</span>, single-file copy: it works opened from disk, with no server and no network (it makes no request at all); estimates match R's <code>survival</code> package.</p>`,
    '  <p>To verify this file, compute its SHA-256 and compare it with the one published beside it (<code>survcalc.html.sha256</code>):',
    '    <code>sha256sum survcalc.html</code> (Linux), <code>shasum -a 256 survcalc.html</code> (macOS),',
    '    <code>certutil -hashfile survcalc.html SHA256</code> (Windows).</p>',
    '</footer>',
  ].join('\n'));
  const blocks = [
    dataBlock('embedded:worker.js', worker.text),
    ...Object.values(WASM).map((p) => dataBlock(`embedded:${p}`, base64(p))),
    ...Object.keys(EMBEDDED_FILES).map((p) => dataBlock(`embedded:${p}`, base64(p))),
  ];
  html = replaceOnce(html, '</body>', () => `${blocks.join('\n')}\n</body>`, 'index.html body');
  if (/\b(src|href)="(?!data:|#|https?:)[^"]+"/.test(html.replace(/<script type="text\/plain"[\s\S]*?<\/script>/g, ''))) {
    fail(`index.html still refers to a file: ${/\b(src|href)="(?!data:|#|https?:)[^"]+"/.exec(html)[0]}`);
  }

  mkdirSync(DIST, { recursive: true });
  const out = join(DIST, 'survcalc.html');
  writeFileSync(out, html);
  const digest = sha256(html);
  writeFileSync(`${out}.sha256`, `${digest}  survcalc.html\n`);
  console.log(`dist/survcalc.html: ${Buffer.byteLength(html)} bytes, survcalc ${version}`);
  console.log(`SHA-256 ${digest}  (written to dist/survcalc.html.sha256)`);
}

build();
