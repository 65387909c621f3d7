// Shared by the browser tests: a static server on a free port, chromium via playwright-core, and a watch on every request.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCRATCH = join(ROOT, 'tests', 'web', '.scratch');

/**
 * Starts the server (www/, and files missing there from the folders in `also`) and a headless
 * chromium whose profile and temp files stay in a scratch folder.
 */
export async function launch({ also = [] } = {}) {
  mkdirSync(SCRATCH, { recursive: true });
  const home = mkdtempSync(join(SCRATCH, 'chromium-'));
  process.env.XDG_CONFIG_HOME = join(home, 'config');
  process.env.XDG_CACHE_HOME = join(home, 'cache');
  process.env.TMPDIR = home;
  const served = await startServer({ root: join(ROOT, 'www'), also });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: { ...process.env, HOME: home },
  });
  return {
    ...served,
    browser,
    async close() {
      await browser.close();
      await new Promise((ok) => served.server.close(ok));
    },
  };
}

/**
 * Opens the page (with an optional fragment) and records every request, console error,
 * page error and CSP violation, so a test can assert that nothing left the origin.
 */
export async function openPage(env, fragment = '') {
  const context = await env.browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.url.replace(/\/$/, '') });
  const page = await context.newPage();
  const seen = { requests: [], errors: [], csp: [] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text());
    if (/Content.Security.Policy/i.test(m.text())) seen.csp.push(m.text());
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(env.url + fragment);
  await page.waitForSelector('html[data-ready=true]', { state: 'attached' });
  return { page, context, seen };
}

/** The page with the bundled example loaded and its Kaplan-Meier summary shown. */
export async function openExample(env) {
  const opened = await openPage(env);
  await opened.page.click('#example-button');
  await opened.page.waitForSelector('#km-summary');
  return opened;
}

/** Every violation and request seen so far that a privacy reviewer would object to. */
export async function privacyProblems(env, { page, seen }) {
  const csp = [...seen.csp, ...(await page.evaluate(() => window.__csp))];
  const foreign = seen.requests.filter((u) => !u.startsWith(env.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
  return { csp, foreign };
}

/** Drops a file (text, or an array of bytes) on the page as a browser does: dragenter, dragover, drop with a DataTransfer. */
export async function dropFile(page, name, content, type = 'text/csv') {
  await page.evaluate(({ name, content, type }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Array.isArray(content) ? new Uint8Array(content) : content], name, { type }));
    const target = document.querySelector('main');
    for (const kind of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, { name, content, type });
}

// ---- acting on the page and reading what it exports (shared by the figure tests) ----

/** Sets a text or number field as a user does (the page acts on `change`). */
export async function setValue(page, selector, value) {
  await page.$eval(selector, (input, v) => {
    input.value = v;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, String(value));
}

/** Waits until the Kaplan-Meier summary table's first column reads `names`. */
export async function groupsShown(page, names) {
  await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('#km-summary tbody th')].map((t) => t.textContent)) === JSON.stringify(want), names);
}

/** The file a button downloads, as bytes, with its suggested name. */
export async function downloaded(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { bytes: readFileSync(await file.path()), name: file.suggestedFilename() };
}

/** An SVG's root size and its text, in document order. */
export async function svgFacts(page, bytes) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      width: root.getAttribute('width'),
      height: root.getAttribute('height'),
      texts: [...doc.querySelectorAll('text')].map((t) => t.textContent.trim()),
      desc: doc.querySelector('desc')?.textContent ?? '',
    };
  }, bytes.toString('utf8'));
}

/**
 * An SVG's drawing in its pixel coordinates: texts ({ text, x, y, anchor, fill }), polylines
 * ({ points: [[x, y]...], stroke }) and polygons ({ points, fill }), in document order.
 */
export async function svgDrawing(page, bytes) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const points = (e) => (e.getAttribute('points') ?? '').trim().split(/\s+/).filter(Boolean).map((p) => p.split(',').map(Number));
    return {
      texts: [...doc.querySelectorAll('text')].map((t) => ({
        text: t.textContent.trim(),
        x: Number(t.getAttribute('x')),
        y: Number(t.getAttribute('y')),
        anchor: t.getAttribute('text-anchor') ?? 'start',
        fill: t.getAttribute('fill'),
      })),
      polylines: [...doc.querySelectorAll('polyline')].map((e) => ({ points: points(e), stroke: e.getAttribute('stroke') })),
      polygons: [...doc.querySelectorAll('polygon')].map((e) => ({ points: points(e), fill: e.getAttribute('fill') })),
    };
  }, bytes.toString('utf8'));
}

/** No CSP violation, no request leaving the origin, no error on the page. */
export async function noLeaks(env, opened) {
  assert.deepEqual(await privacyProblems(env, opened), { csp: [], foreign: [] });
  assert.deepEqual(opened.seen.errors, []);
}

/**
 * Copies the page's share link, opens it in a fresh page and drops the same file there (a link
 * carries settings, never data); resolves when `ready` (a selector) is shown.
 */
export async function reopenFromLink(env, page, name, content, ready = '#km-summary') {
  await page.click('#copy-link');
  await page.waitForFunction(() => location.hash.startsWith('#s='));
  const second = await openPage(env, await page.evaluate(() => location.hash));
  await dropFile(second.page, name, content);
  await second.page.waitForSelector(ready);
  return second;
}

/** The command line the page must agree with (built when missing). */
export const CLI = process.env.SURVCALC ?? join(ROOT, 'target', 'debug', 'survcalc');

export function ensureCli() {
  if (!existsSync(CLI)) execFileSync('cargo', ['build', '--bin', 'survcalc'], { cwd: ROOT, stdio: 'inherit' });
}

/** The command line's JSON for a command and file: the reference the page must agree with. */
export function cli(command, file, ...args) {
  return JSON.parse(execFileSync(CLI, [command, file, '--json', ...args], { encoding: 'utf8' }));
}

/** A table's body as text, row by row (what the reader sees in each cell). */
export async function cells(page, id) {
  return page.$$eval(`#${id} tbody tr`, (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
}
