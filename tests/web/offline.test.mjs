// The page with no network (issue 15): the single-file copy dist/survcalc.html opened from disk
// (file://) reads the example and a workbook, draws the curve and shows the command line's numbers
// while making no request at all; the hosted page, once visited, opens and works with the network
// cut (Playwright's offline mode) from its service worker's cache, which holds its own files only.
//
// Expected numbers: survcalc's command line (`km --json`, target/debug/survcalc) on the same file.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, openPage, privacyProblems, dropFile, ROOT, SCRATCH, cells, CLI, ensureCli } from './harness.mjs';

const DIST = join(ROOT, 'dist');
const SINGLE = join(DIST, 'survcalc.html');
const EXAMPLE = join(ROOT, 'www', 'example', 'gist_simulated.csv');
const WORKBOOK = join(ROOT, 'tests', 'data', 'input', 'workbook.xlsx');
const VERSION = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'))[1];

let env;
before(async () => {
  ensureCli();
  assert.ok(existsSync(SINGLE), 'dist/survcalc.html is built by `make web`');
  env = await launch({ also: [DIST] });
});
after(async () => { await env?.close(); });

/** The command line's Kaplan-Meier of the example's first endpoint (PFS by resection), as the page sets it up. */
function exampleKm() {
  return JSON.parse(execFileSync(CLI, ['km', EXAMPLE, '--json', '--start-date', 'date_surgery', '--end-date', 'date_progression_or_last',
    '--unit', 'months', '--event', 'first_event', '--event-value', 'progression', '--event-value', 'death', '--group', 'resection'], { encoding: 'utf8' }));
}

const f = (x, d) => (x === null ? 'NR' : x.toFixed(d));

/** The example's summary and log-rank rows equal the command line's, as the page rounds them. */
async function assertExampleNumbers(page) {
  const ref = exampleKm();
  const summary = await cells(page, 'km-summary');
  assert.equal(summary.length, ref.groups.length);
  ref.groups.forEach((g, i) => {
    assert.equal(summary[i][0], g.name);
    assert.equal(Number(summary[i][1]), g.n);
    assert.equal(Number(summary[i][2]), g.events);
    assert.equal(summary[i][3], `${f(g.median, 1)} (${f(g.median_lower, 1)}–${f(g.median_upper, 1)})`);
  });
  const tests = await cells(page, 'km-tests');
  assert.equal(tests[0][1], ref.tests[0].chisq.toFixed(2));
}

/** Whether the figure has a coloured curve on it (not a blank canvas). */
async function curveDrawn(page) {
  return page.$eval('#km-canvas', (c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 80) coloured++;
    }
    return coloured > 50;
  });
}

test('dist/survcalc.html: its SHA-256 is the one written beside it, and it refers to no other file', () => {
  const html = readFileSync(SINGLE);
  const [digest, name] = readFileSync(`${SINGLE}.sha256`, 'utf8').trim().split(/\s+/);
  assert.equal(name, 'survcalc.html');
  assert.equal(createHash('sha256').update(html).digest('hex'), digest);
  const text = html.toString('utf8');
  assert.match(text, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+' 'wasm-unsafe-eval';[^"]*connect-src 'none'/);
  assert.doesNotMatch(text, /<script[^>]+src=|<link[^>]+href="(?!data:)/, 'no script or style sheet loaded from a file');
});

test('the single file opened from disk: example and workbook read, curve drawn, the command line\'s numbers, no request at all', async () => {
  // Alone in a folder, so nothing beside it could be loaded even by mistake.
  const dir = join(SCRATCH, 'offline-file');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'survcalc.html');
  copyFileSync(SINGLE, file);
  const url = pathToFileURL(file).href;

  const context = await env.browser.newContext({ acceptDownloads: true, offline: true, viewport: { width: 1280, height: 1000 } });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  await page.waitForSelector('html[data-ready=true]', { state: 'attached' });

  assert.equal(await page.textContent('#version'), VERSION);
  const footer = await page.textContent('footer');
  assert.match(footer, /single-file copy/);
  assert.match(footer, /sha256sum survcalc\.html/);
  assert.equal(await page.$('#offline-copy'), null, 'no link to download the file one already has');

  await page.click('#example-button');
  await page.waitForSelector('#km-summary');
  assert.ok(await curveDrawn(page), 'the curve is drawn');
  await assertExampleNumbers(page);
  // The worker does the rest too: the Cox model.
  await page.click('#view-tabs button[data-view=cox]');
  await page.waitForSelector('#cox-multivariable');

  // The spreadsheet reader is in the file as well.
  await dropFile(page, 'workbook.xlsx', [...readFileSync(WORKBOOK)], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  await page.waitForFunction(() => /read as xlsx sheet/.test(document.querySelector('#file-label')?.textContent));
  assert.match(await page.textContent('#status'), /workbook\.xlsx.*: 30 rows/);

  assert.deepEqual(await page.evaluate(() => window.__csp), []);
  assert.deepEqual(errors, []);
  // The document itself is the only request: the worker and the wasm come from the page's memory.
  assert.deepEqual(requests.filter((u) => u !== url && !u.startsWith('blob:') && !u.startsWith('data:')), []);
  assert.deepEqual(requests.filter((u) => u === url), [url]);
  await context.close();
});

test('the hosted page, visited once, opens and works with the network cut; its cache holds its own files only', async () => {
  const opened = await openPage(env);
  const { page, context } = opened;
  // The footer links the single-file copy, served beside the page with its checksum.
  assert.equal(await page.getAttribute('#offline-copy a[download]', 'href'), 'survcalc.html');
  const served = Buffer.from(await (await fetch(`${env.url}survcalc.html`)).arrayBuffer());
  const listed = (await (await fetch(`${env.url}survcalc.html.sha256`)).text()).split(/\s+/)[0];
  assert.equal(createHash('sha256').update(served).digest('hex'), listed);

  const version = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    return (await caches.keys()).filter((k) => k.startsWith('survcalc-'));
  });
  assert.equal(version.length, 1, `one versioned cache: ${version}`);
  // A file read on the page (never requested) stays out of the cache.
  await dropFile(page, 'private.csv', 'time,status,arm\n5,1,A\n8,0,B\n12,1,A\n3,1,B\n');
  await page.waitForSelector('#km-summary');

  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('html[data-ready=true]', { state: 'attached' });
  assert.ok(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'the page is served by its worker');
  await page.click('#example-button');
  await page.waitForSelector('#km-summary');
  assert.ok(await curveDrawn(page), 'the curve is drawn offline');
  await assertExampleNumbers(page);

  const keys = await page.evaluate(async () => {
    const cache = await caches.open((await caches.keys()).find((k) => k.startsWith('survcalc-')));
    return (await cache.keys()).map((r) => r.url);
  });
  const assets = readFileSync(join(ROOT, 'www', 'pkg', 'assets.js'), 'utf8');
  const own = JSON.parse(assets.slice(assets.indexOf('{'), assets.lastIndexOf('}') + 1)).files.map((p) => `${env.url}${p}`);
  for (const key of keys) assert.ok(key === env.url || own.includes(key), `only the page's own files are cached, not ${key}`);
  assert.ok(own.every((u) => keys.includes(u)), 'every file of the page is cached');
  assert.ok(!keys.some((k) => k.includes('private')), 'the data are not cached');
  await context.setOffline(false);
  assert.deepEqual((await privacyProblems(env, opened)).csp, []);
  await context.close();
});
