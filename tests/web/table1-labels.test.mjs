// Group labels and order (set with the figure, Groups) in Table 1, in chromium: the group column's
// levels as the reader sees them become the column headers, in the chosen order, in the table
// shown, its CSV and its Word document; a characteristic's own level labels name its rows.
// The numbers are the page's own table before the labels, moved with their columns (the table's
// numbers against the command line's are tests/web/tables.test.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, privacyProblems, ROOT, cells } from './harness.mjs';

const VETERAN = join(ROOT, 'tests', 'data', 'veteran.csv');

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

const heads = (page) => page.$$eval('#table1 thead th', (th) => th.map((h) => h.textContent));

async function setValue(page, selector, value) {
  await page.$eval(selector, (input, v) => {
    input.value = v;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, String(value));
}

async function downloaded(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return await file.path();
}

test('Table 1: the group labels head the columns in the chosen order, in the table, its CSV and its .docx', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await page.setInputFiles('#file-input', VETERAN);
  await page.waitForSelector('#km-summary');
  // celltype's own labels, set while it is the group column, name its levels in Table 1 later.
  await page.selectOption('#group', 'celltype');
  await page.waitForSelector('#fig-label-smallcell');
  await setValue(page, '#fig-label-smallcell', 'Small cell');
  await page.selectOption('#group', 'trt');
  await page.waitForSelector('#fig-label-1');
  await page.click('#tab-table1');
  await page.waitForSelector('#table1');
  const before = await cells(page, 'table1');
  assert.deepEqual((await heads(page)).slice(0, 4), ['Characteristic', 'All (n = 137)', '1 (n = 69)', '2 (n = 68)']);

  await page.click('#tab-km');
  await setValue(page, '#fig-label-1', 'Standard');
  await setValue(page, '#fig-label-2', 'Test drug');
  await page.click('#fig-up-2');
  await page.waitForFunction(() => [...document.querySelectorAll('#figure-groups tbody th')].map((t) => t.textContent).join() === '2,1');
  await page.click('#tab-table1');
  await page.waitForSelector('#table1');
  const head = await heads(page);
  assert.deepEqual(head.slice(0, 4), ['Characteristic', 'All (n = 137)', 'Test drug (n = 68)', 'Standard (n = 69)']);
  const after = await cells(page, 'table1');
  const swapped = before.map((r) => [r[0] === 'smallcell' ? 'Small cell' : r[0], r[1], r[3], r[2], ...r.slice(4)]);
  assert.deepEqual(after, swapped);
  assert.ok(after.some((r) => r[0] === 'Small cell'), 'celltype\'s level by its label');
  const footnotes = await page.$eval('#table1 tfoot', (t) => t.textContent);
  assert.match(footnotes, /Groups: Test drug \(trt = 2\); Standard \(trt = 1\)\./);

  // The CSV and the Word document carry the same headers.
  const csv = readFileSync(await downloaded(page, '#table1-csv'), 'utf8');
  assert.match(csv.split(/\r?\n/).find((l) => l.includes('Characteristic')), /Test drug \(n = 68\).*Standard \(n = 69\)/);
  const docx = await downloaded(page, '#table1-docx');
  const xml = execFileSync('unzip', ['-p', docx, 'word/document.xml'], { encoding: 'utf8' });
  const text = xml.replace(/<[^>]+>/g, ' ');
  assert.ok(text.indexOf('Test drug (n = 68)') >= 0 && text.indexOf('Test drug (n = 68)') < text.indexOf('Standard (n = 69)'), 'the .docx has the labels in the chosen order');
  assert.match(text, /Small cell/);

  assert.deepEqual(await privacyProblems(env, opened), { csp: [], foreign: [] });
  assert.deepEqual(opened.seen.errors, []);
});
