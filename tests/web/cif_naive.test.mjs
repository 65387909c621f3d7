// The naive 1 − Kaplan-Meier beside the cumulative incidence in the competing-risks view: dash-dotted in
// each group's colour on the figure, a column after each time's incidence equal to the command
// line's `km` on the event of interest alone (the competing event then censored: 1 − surv, the
// limits turned round), the reason it overstates the incidence said, and the choice kept by a link.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, dropFile, downloaded, svgDrawing, noLeaks, reopenFromLink, ensureCli, cli, setValue, ROOT } from './harness.mjs';

/** survival's mgus2 (LGPL): event 0 censored, 1 progression to a plasma-cell malignancy, 2 death (tests/data/cif.R). */
const MGUS2 = join(ROOT, 'tests', 'data', 'cif_mgus2.csv');
const OUTCOME = ['--time', 'etime', '--event', 'event', '--group', 'sex', '--at', '12,60,120'];

let env;
before(async () => {
  ensureCli();
  env = await launch();
});
after(async () => { await env?.close(); });

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const shown = (value, lower, upper) => (lower === null ? `${pct(value)} (—)` : `${pct(value)} (${pct(lower)}–${pct(upper)})`);

async function rows(page) {
  return page.$$eval('#cif-summary tbody tr', (trs) => trs.map((r) => [...r.children].map((c) => c.textContent)));
}

/** Lines in the two groups' colours (Okabe-Ito's first two): curves, legend samples and, when shown, the dashes. */
function dashes(drawing) {
  return drawing.polylines.filter((l) => ['#0072B2', '#D55E00'].includes(l.stroke?.toUpperCase()));
}

/** Each time's incidence and 1 − KM against `cif --json` and `km --json --event-value 1` (2 then censored). */
function assertColumns(table, cif, km) {
  cif.groups.forEach((g, i) => {
    const k = km.groups.find((x) => x.name === g.name);
    const at = table[i].slice(5);
    assert.equal(at.length, 2 * g.at.length, `${g.name}: an incidence and a 1 − KM per time`);
    g.at.forEach((a, j) => {
      assert.equal(at[2 * j], shown(a.cif, a.lower, a.upper), `${g.name} incidence at ${a.time}`);
      const s = k.at[j];
      assert.equal(s.time, a.time);
      assert.equal(at[2 * j + 1], shown(1 - s.surv, s.upper === null ? null : 1 - s.upper, s.lower === null ? null : 1 - s.lower), `${g.name} 1 − KM at ${a.time}`);
      // With deaths competing, the naive estimate is the larger (Aalen-Johansen <= 1 − KM always).
      assert.ok(1 - s.surv >= a.cif - 1e-12, `${g.name} at ${a.time}: 1 − KM ${1 - s.surv} >= CIF ${a.cif}`);
    });
  });
}

test('1 − Kaplan-Meier beside the cumulative incidence: dash-dotted curves, columns equal to km with the competing event censored, the reason said, kept by a link', async () => {
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
  await setValue(page, '#cif-at', '12, 60, 120');
  await page.waitForFunction(() => document.querySelector('#cif-summary thead')?.textContent.includes('At 120.0'));
  // Off by default: no naive column.
  assert.doesNotMatch(await page.textContent('#cif-summary thead'), /1 − KM/);
  // Off by default: the groups' colours draw only their curves and legend samples.
  const plain = await svgDrawing(page, (await downloaded(page, '#cif-export-svg')).bytes);

  await page.check('#cif-naive');
  await page.waitForFunction(() => document.querySelector('#cif-summary thead')?.textContent.includes('1 − KM at 120.0'));
  const cif = cli('cif', MGUS2, ...OUTCOME, '--event-value', '1', '--competing-value', '2');
  const km = cli('km', MGUS2, ...OUTCOME, '--event-value', '1');
  assertColumns(await rows(page), cif, km);

  const caption = await page.textContent('#cif-caption');
  assert.match(caption, /dash-dotted, in each group's colour: 1 − Kaplan-Meier/);
  assert.match(caption, /overstates the cumulative incidence whenever competing events occur/);
  assert.match(await page.textContent('#panel-cif'), /1 − KM: one minus the Kaplan-Meier estimate with event 2 censored/);
  assert.match(await page.textContent('#cif-methods'), /1 − Kaplan-Meier with competing events censored is shown \(dash-dotted\)/);
  const drawn = await svgDrawing(page, (await downloaded(page, '#cif-export-svg')).bytes);
  for (const colour of ['#0072B2', '#D55E00']) {
    const count = (d) => dashes(d).filter((l) => l.stroke.toUpperCase() === colour).length;
    assert.ok(count(drawn) > count(plain) + 10, `dashes in ${colour}: ${count(plain)} before, ${count(drawn)} after`);
  }

  const second = await reopenFromLink(env, page, 'mgus2.csv', csv, '#cif-summary');
  await second.page.waitForFunction(() => document.querySelector('#cif-summary thead')?.textContent.includes('1 − KM at 120.0'));
  assert.equal(await second.page.isChecked('#cif-naive'), true);
  assertColumns(await rows(second.page), cif, km);
  await noLeaks(env, opened);
  await noLeaks(env, second);
});
