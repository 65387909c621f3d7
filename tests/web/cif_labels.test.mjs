// The event column's codes named as the reader should see them in the competing-risks view: the
// labels given beside the codes (1 "progression", 2 "death without progression") head the view
// and the tables, title the figure's axis (in its SVG), name the codes in the methods, reach the
// CSV export, leave the numbers as the command line's `cif`, and are kept by a share link.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, dropFile, downloaded, svgFacts, setValue, noLeaks, reopenFromLink, ensureCli, cli, ROOT } from './harness.mjs';

/** survival's mgus2 (LGPL): event 0 censored, 1 progression to a plasma-cell malignancy, 2 death (tests/data/cif.R). */
const MGUS2 = join(ROOT, 'tests', 'data', 'cif_mgus2.csv');

let env;
before(async () => {
  ensureCli();
  env = await launch();
});
after(async () => { await env?.close(); });

const pct = (x) => `${(x * 100).toFixed(1)}%`;

/** What the labelled view shows, wherever the codes are named. */
async function assertLabelled(page) {
  assert.match(await page.textContent('#panel-cif h3'), /cumulative incidence of progression by sex/);
  const head = await page.$$eval('#cif-summary thead th', (t) => t.map((h) => h.textContent));
  assert.deepEqual(head.slice(2, 4), ['Events (progression)', 'Competing events (death without progression)']);
  assert.match(await page.textContent('#cif-coding'), /Event of interest: progression; competing: death without progression;/);
  assert.match(await page.textContent('#cif-tests'), /Gray's test \(cumulative incidence of progression\)/);
  assert.match(await page.textContent('#cif-methods'), /In “event”, “1” \(progression\) marked the event of interest and “2” \(death without progression\) a competing event/);
  assert.match(await page.textContent('#cif-methods'), /The cumulative incidence of progression was estimated/);
}

test('codes named: labels in headings, tables, figure, methods and CSV, numbers unchanged, kept by a share link', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  const csv = readFileSync(MGUS2, 'utf8');
  await dropFile(page, 'mgus2.csv', csv);
  await page.waitForSelector('#roles:not([hidden])');
  await page.check('#src-column');
  await page.selectOption('#ep-time', 'etime');
  await page.selectOption('#ep-event', 'event');
  await page.selectOption('#group', 'sex');
  await page.waitForSelector('#ep-open-cif');
  await page.click('#ep-open-cif');
  await page.waitForSelector('#cif-summary');
  // Unnamed, bare numbers read "event 1".
  assert.match(await page.textContent('#panel-cif h3'), /cumulative incidence of event 1 by sex/);
  await setValue(page, '#cif-code-label-1', 'progression');
  await setValue(page, '#cif-code-label-2', ' death without progression ');
  await setValue(page, '#cif-at', '60');
  await page.waitForFunction(() => document.querySelector('#cif-summary thead')?.textContent.includes('At 60.0'));
  await assertLabelled(page);

  // The numbers are the command line's: a label names a code, it does not change what is counted.
  const ref = cli('cif', MGUS2, '--time', 'etime', '--event', 'event', '--event-value', '1', '--competing-value', '2', '--group', 'sex', '--at', '60');
  const rows = await page.$$eval('#cif-summary tbody tr', (trs) => trs.map((r) => [...r.children].map((c) => c.textContent)));
  ref.groups.forEach((g, i) => {
    assert.deepEqual(rows[i].slice(0, 4), [g.name, String(g.n), String(g.events), String(g.competing_events)]);
    assert.equal(rows[i][5], `${pct(g.at[0].cif)} (${pct(g.at[0].lower)}–${pct(g.at[0].upper)})`);
  });

  const svg = await svgFacts(page, (await downloaded(page, '#cif-export-svg')).bytes);
  assert.ok(svg.texts.includes('Cumulative incidence of progression'), `the axis title: ${svg.texts.join('|')}`);
  const table = await downloaded(page, '#cif-summary-csv');
  assert.match(table.bytes.toString('utf8'), /Events \(progression\).*Competing events \(death without progression\)/);

  const second = await reopenFromLink(env, page, 'mgus2.csv', csv, '#cif-summary');
  assert.equal(await second.page.inputValue('#cif-code-label-1'), 'progression');
  assert.equal(await second.page.inputValue('#cif-code-label-2'), 'death without progression');
  await assertLabelled(second.page);
  await noLeaks(env, opened);
  await noLeaks(env, second);
});
