// Covariate and level labels in the Cox view, in chromium: a label for a covariate ("age" ->
// "Age at surgery, per 10 years") and for a categorical covariate's levels name them in the Cox
// tables, the forest plot (ForestOptions.labels: a covariate's own name and "column=level"), the
// methods text and the CSV, refit nothing, and travel in a share link. The numbers beside the
// labels are the page's own before the labels (the Cox numbers against the command line's are
// tests/web/survival.test.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, privacyProblems, ROOT, openExample } from './harness.mjs';

const EXAMPLE = join(ROOT, 'www', 'example', 'gist_simulated.csv');

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

async function cells(page, id) {
  return page.$$eval(`#${id} tbody tr`, (rows) => rows.map((r) => [...r.children].map((c) => c.textContent.trim())));
}

async function setValue(page, selector, value) {
  await page.$eval(selector, (input, v) => {
    input.value = v;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, String(value));
}

/** The page's own id for a control of `prefix` and a name (views.js controlId). */
function idOf(page, prefix, name) {
  return page.evaluate(async ([p, n]) => `#${CSS.escape((await import('./views.js')).controlId(p, n))}`, [prefix, name]);
}

async function downloaded(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return readFileSync(await file.path(), 'utf8');
}

const svgText = (svg) => svg.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

test('Cox view: covariate and level labels in the tables, forest plot, methods and CSV, kept by a share link', async () => {
  const opened = await openExample(env);
  const { page } = opened;
  await page.click('#view-tabs button[data-view=cox]');
  await page.waitForSelector('#cox-multivariable');
  await setValue(page, '#cox-per-age', '10 years');
  await page.waitForFunction(() => [...document.querySelectorAll('#cox-table tbody tr')].some((r) => r.firstChild.textContent.trim() === 'age, per 10 years'));
  const before = await cells(page, 'cox-table');
  assert.deepEqual(before.map((r) => r[0]), ['resection', 'R0/1', 'R2', 'age, per 10 years']);
  assert.equal(await page.getAttribute('#cox-label-age', 'placeholder'), 'age, per 10 years');

  await setValue(page, '#cox-label-age', 'Age at surgery, per 10 years');
  await setValue(page, '#cox-label-resection', 'Extent of resection');
  await setValue(page, await idOf(page, 'cox-level-label', 'resection=R2'), 'Incomplete (R2)');
  await page.waitForFunction(() => document.querySelector('#cox-table tbody tr')?.firstChild.textContent.trim() === 'Extent of resection'
    && [...document.querySelectorAll('#cox-table tbody tr')].some((r) => r.firstChild.textContent.trim() === 'Incomplete (R2)'));
  const after = await cells(page, 'cox-table');
  assert.deepEqual(after, before.map((r, i) => [['Extent of resection', 'R0/1', 'Incomplete (R2)', 'Age at surgery, per 10 years'][i], ...r.slice(1)]));
  assert.deepEqual((await cells(page, 'cox-multivariable')).map((r) => r[0]), ['Extent of resection', 'R0/1', 'Incomplete (R2)', 'Age at surgery, per 10 years']);

  // The forest plot (the SVG file is the picture shown), the methods and the CSV.
  await page.waitForSelector('#cox-forest-image');
  const forest = svgText(await downloaded(page, '#cox-forest-export-svg'));
  for (const text of ['Extent of resection', 'Incomplete (R2)', 'Age at surgery, per 10 years']) assert.ok(forest.includes(text), `forest plot: ${text}`);
  assert.ok(!/>\s*age\s*</.test(forest), 'no bare column name');
  const methods = await page.textContent('#cox-methods');
  assert.match(methods, /\(Extent of resection; Age at surgery, per 10 years\) in one model/);
  assert.match(methods, /for Extent of resection as a whole/);
  const csv = await downloaded(page, '#cox-table-csv');
  assert.match(csv, /Incomplete \(R2\)/);
  assert.match(csv, /Age at surgery, per 10 years/);

  // A link keeps the labels.
  await page.click('#copy-link');
  await page.waitForFunction(() => location.hash.startsWith('#s='));
  const second = await openPage(env, await page.evaluate(() => location.hash));
  await second.page.setInputFiles('#file-input', EXAMPLE);
  await second.page.waitForSelector('#cox-table');
  await second.page.waitForFunction(() => document.querySelector('#cox-table tbody tr')?.firstChild.textContent.trim() === 'Extent of resection');
  assert.deepEqual(await cells(second.page, 'cox-table'), after);
  for (const o of [opened, second]) {
    assert.deepEqual(await privacyProblems(env, o), { csp: [], foreign: [] });
    assert.deepEqual(o.seen.errors, []);
  }
});
