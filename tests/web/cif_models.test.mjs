// The competing-risks view's regression table with the Cox view's choices: a numeric covariate's
// hazard ratio per its unit (age per 10 years) in the cause-specific Cox and the Fine-Gray model
// alike, and the Cox view's strata in the cause-specific model (Fine-Gray, as crr, has none),
// set beside the covariate here or in the Cox view (settings.cox.per), each against the command line (`cox`, `finegray` --json; per 10 years = the per-year HR and
// limits to the 10th power, exp(10 b), P unchanged; R's crr on I(age / 10) in tests/data/cif.R).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, dropFile, setValue, noLeaks, ensureCli, cli, ROOT } from './harness.mjs';

/** survival's mgus2 (LGPL): event 0 censored, 1 progression to a plasma-cell malignancy, 2 death (tests/data/cif.R). */
const MGUS2 = join(ROOT, 'tests', 'data', 'cif_mgus2.csv');
const MODEL = ['--time', 'etime', '--event', 'event', '--event-value', '1', '--covariate', 'age', '--covariate', 'sex', '--categorical', 'sex'];

let env;
before(async () => {
  ensureCli();
  env = await launch();
});
after(async () => { await env?.close(); });

const p3 = (p) => (p < 0.001 ? '<0.001' : p > 0.999 ? '>0.999' : p.toFixed(3));
const hr = (h, lo, up) => `${h.toFixed(2)} (${lo.toFixed(2)}–${up.toFixed(2)})`;
const ten = (h) => h ** 10;

async function rows(page) {
  return page.$$eval('#cif-models-table tbody tr', (trs) => trs.map((r) => [...r.children].map((c) => c.textContent)));
}

/** The age row per 10 years and the sex row, against the fits' terms (cause-specific Cox, Fine-Gray). */
function assertRows(table, cox, fg) {
  const term = (fit, name) => fit.terms.find((t) => t.name === name);
  const per10 = (t) => [hr(ten(t.hr), ten(t.hr_lower), ten(t.hr_upper)), p3(t.p)];
  const asIs = (t) => [hr(t.hr, t.hr_lower, t.hr_upper), p3(t.p)];
  assert.deepEqual(table.find((r) => r[0] === 'age, per 10 years'), ['age, per 10 years', ...per10(term(cox, 'age')), ...per10(term(fg, 'age'))]);
  assert.deepEqual(table.find((r) => r[0] === 'sex: M'), ['sex: M', ...asIs(term(cox, 'sex=M')), ...asIs(term(fg, 'sex=M'))]);
}

test('competing risks: age per 10 years in both models and the Cox view\'s strata in the cause-specific model, equal to cox and finegray', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await dropFile(page, 'mgus2.csv', readFileSync(MGUS2, 'utf8'));
  await page.waitForSelector('#roles:not([hidden])');
  await page.check('#src-column');
  await page.selectOption('#ep-time', 'etime');
  await page.selectOption('#ep-event', 'event');
  await page.selectOption('#group', 'sex');
  await page.waitForSelector('#ep-open-cif');
  await page.click('#ep-open-cif');
  await page.waitForSelector('#cif-models-table');
  // Age per 10 years, the Cox view's choice, set here (the Cox view has no outcome while the event column holds three codes).
  await page.check('#cif-use-age');
  await page.waitForSelector('#cif-per-age');
  await setValue(page, '#cif-per-age', '10 years');
  await page.waitForFunction(() => [...document.querySelectorAll('#cif-models-table tbody tr')].some((r) => r.firstChild.textContent === 'age, per 10 years'));
  const fg = cli('finegray', MGUS2, ...MODEL, '--competing-value', '2');
  assertRows(await rows(page), cli('cox', MGUS2, ...MODEL), fg);
  const notes = await page.textContent('#cif-models');
  assert.match(notes, /In both models, the hazard ratio of age is per 10 years/);
  assert.match(await page.textContent('#cif-methods'), /hazard ratios of age per 10 years/);

  // Stratified by decade of age: the cause-specific model is coxph's with strata(decade); Fine-Gray is not, and says so.
  await page.selectOption('#strata', 'decade');
  await page.waitForFunction(() => document.querySelector('#cif-models')?.textContent.includes('stratified by decade (a baseline hazard per stratum'));
  assertRows(await rows(page), cli('cox', MGUS2, ...MODEL, '--strata', 'decade'), fg);
  assert.match(await page.textContent('#cif-models'), /not stratified \(crr has no strata; decade can enter as a covariate\)/);
  assert.match(await page.textContent('#cif-methods'), /method for ties, stratified by decade\)/);
  await noLeaks(env, opened);
});
