// Shared by the browser tests: a static server on a free port, chromium via playwright-core, and a watch on every request.

import { mkdirSync, mkdtempSync } from 'node:fs';
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
