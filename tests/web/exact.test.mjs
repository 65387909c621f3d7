// The Kaplan-Meier view's small-sample and restricted-mean parts in chromium: the permutation
// log-rank P (exact, and Monte Carlo with its resamples and seed), the RMST comparison at a
// proposed τ and SPSS's means, each equal to the command line's JSON (`km --exact`, `--tau`,
// `--spss-means`), named in the methods and kept by a share link.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, privacyProblems, dropFile, ROOT, SCRATCH, cells, CLI, ensureCli } from './harness.mjs';

// 15 patients shaped like the reference cohort: 10 R0/1, 5 R2 (tests/data/exact.R).
const COHORT = join(ROOT, 'tests', 'data', 'exact_cohort15.csv');
// lung's ph.ecog (0, 1, 2): three groups, so the permutation P is a Monte Carlo estimate.
const ECOG = join(ROOT, 'tests', 'data', 'exact_ecog.csv');

let env;
before(async () => {
  ensureCli();
  env = await launch();
});
after(async () => { await env?.close(); });

/** The command line's `km --json`: the reference the page must agree with. */
function cli(file, ...args) {
  return JSON.parse(execFileSync(CLI, ['km', file, '--json', ...args], { encoding: 'utf8' }));
}

async function notes(page, id) {
  return page.$eval(`#${id} tfoot`, (t) => t.textContent);
}

const f = (x, d) => (x === null ? '—' : x.toFixed(d));
const p3 = (p) => (p === null ? '—' : p < 0.001 ? '<0.001' : p > 0.999 ? '>0.999' : p.toFixed(3));

/** Opens the 15-patient cohort compared by resection, times in months. */
async function openCohort(page) {
  await dropFile(page, 'cohort15.csv', readFileSync(COHORT, 'utf8'));
  await page.waitForSelector('#km-summary');
  await page.selectOption('#group', 'resection');
  await page.selectOption('#ep-time-unit', 'months');
  await page.waitForFunction(() => document.querySelector('#km-summary thead')?.textContent.includes('months')
    && document.querySelectorAll('#km-summary tbody tr').length === 2);
}

async function noLeaks(opened) {
  assert.deepEqual(await privacyProblems(env, opened), { csp: [], foreign: [] });
  assert.deepEqual(opened.seen.errors, []);
}

test('15 patients: the permutation P is advised and, asked for, equals the command line beside the log-rank P', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await openCohort(page);
  // R2 has 5 patients: the page says why the exact P is the one to report, before it is asked for.
  assert.match(await notes(page, 'km-tests'), /Advice: R0\/1 has 10 patients and 6 events, R2 has 5 patients and 4 events: with fewer than about 20 patients or 10 events in a group, the chi-square approximation/);
  assert.match(await page.textContent('label[for=opt-exact]'), /advised here/);
  assert.equal(await page.isVisible('#opt-resamples'), false, 'Monte Carlo settings only once the test is asked for');

  await page.check('#opt-exact');
  await page.waitForFunction(() => document.querySelector('#km-tests')?.textContent.includes('permutation P'));
  const ref = cli(COHORT, '--time', 'time', '--event', 'status', '--group', 'resection', '--exact');
  const t = ref.exact_test;
  assert.equal(t.method, 'exact');
  const rows = await cells(page, 'km-tests');
  const at = rows.findIndex((r) => r[0] === 'Log-rank');
  assert.deepEqual(rows[at + 1], ['Log-rank, permutation P (exact)', t.statistic.toFixed(2), '', p3(t.p)], 'right under the log-rank row');
  assert.equal(rows[at][3], p3(ref.tests.find((x) => x.name === 'log-rank').p));
  // The figure (its caption and the P drawn on it) gives both P values.
  assert.match(await page.textContent('#km-caption'), new RegExp(`Log-rank P = ${rows[at][3]}; exact permutation P = ${p3(t.p)}\\.`));
  assert.match(await notes(page, 'km-tests'), /from the exact permutation distribution.*Report the permutation P here: R0\/1 has 10 patients/);
  assert.match(await page.textContent('#methods-text'), /Because some groups were small, the log-rank test was also computed as a permutation \(conditional\) test, its P obtained from the exact permutation distribution \(as R's coin::logrank_test, distribution = "exact"\)/);

  // A second endpoint (a copy of this one, so also asking for it): the table of all endpoints
  // gives each endpoint's permutation P beside its log-rank P.
  await page.click('#ep-add');
  await page.waitForSelector('#km-endpoints');
  assert.deepEqual(await page.$$eval('#km-endpoints thead th', (th) => th.map((h) => h.textContent).slice(-2)), ['Log-rank P', 'Permutation P']);
  const all = await cells(page, 'km-endpoints');
  assert.deepEqual(all.filter((r) => r[0]).map((r) => r.slice(-2)), [[rows[at][3], p3(t.p)], [rows[at][3], p3(t.p)]]);
  await noLeaks(opened);
});

test('three or more groups: a Monte Carlo P with the resamples, seed and standard error shown, equal to the command line', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await dropFile(page, 'ecog.csv', readFileSync(ECOG, 'utf8'));
  await page.waitForSelector('#km-summary');
  await page.selectOption('#group', 'ph.ecog');
  await page.waitForFunction(() => document.querySelectorAll('#km-summary tbody tr').length === 3);
  await page.check('#opt-exact');
  await page.waitForSelector('#opt-resamples');
  await page.fill('#opt-resamples', '20000');
  await page.dispatchEvent('#opt-resamples', 'change');
  await page.fill('#opt-seed', '7');
  await page.dispatchEvent('#opt-seed', 'change');
  await page.waitForFunction(() => document.querySelector('#km-tests tfoot')?.textContent.includes('seed 7'));
  const ref = cli(ECOG, '--time', 'time', '--event', 'status', '--group', 'ph.ecog', '--exact', '--resamples', '20000', '--seed', '7');
  const t = ref.exact_test;
  assert.equal(t.method, 'monte-carlo');
  const row = (await cells(page, 'km-tests')).find((r) => r[0].startsWith('Log-rank, permutation'));
  assert.deepEqual(row, [`Log-rank, permutation P (Monte Carlo ± ${t.mc_se.toPrecision(2)})`, t.statistic.toFixed(2), '', p3(t.p)]);
  assert.match(await notes(page, 'km-tests'), /from 20,000 random permutations \(Monte Carlo, seed 7; Monte Carlo standard error of P/);
  assert.match(await page.textContent('#methods-text'), /20,000 random permutations.*distribution = approximate\(\)/);

  // No resamples: the core's error shows where the fix is made, naming and highlighting the control.
  await page.fill('#opt-resamples', '0');
  await page.dispatchEvent('#opt-resamples', 'change');
  await page.waitForSelector('#km-error');
  assert.match(await page.textContent('#km-error'), /resamples must be at least 1.*Change “Monte Carlo resamples” \(for example 100000\)/);
  assert.equal(await page.getAttribute('#opt-resamples', 'aria-invalid'), 'true');
  await noLeaks(opened);
});

test('RMST at the proposed τ and SPSS\'s means equal the command line, warn past follow-up, and travel in a share link', async () => {
  const first = await openPage(env);
  const { page } = first;
  await openCohort(page);
  // The smallest of the groups' largest follow-up times: R2's 45.7 (R0/1 reaches 66.9).
  assert.match(await page.textContent('#tau-advice'), /R0\/1 66\.9, R2 45\.7/);
  await page.click('#opt-tau-propose');
  await page.waitForSelector('#km-rmst');
  assert.equal(await page.inputValue('#opt-tau'), '45.7');
  assert.equal(await page.isVisible('#opt-tau-propose'), false, 'nothing left to propose');
  const ref = cli(COHORT, '--time', 'time', '--event', 'status', '--group', 'resection', '--tau', '45.7', '--spss-means');
  const rmst = (g) => `${f(g.rmean, 2)} (${f(g.rmean_se, 2)})`;
  const ci = (x, lo, hi) => `${f(x, 2)} (${f(lo, 2)} to ${f(hi, 2)})`;
  const c = ref.rmst_comparison[0];
  assert.deepEqual(await cells(page, 'km-rmst'), [
    ['R0/1', rmst(ref.groups[0]), 'reference', '', 'reference', ''],
    ['R2', rmst(ref.groups[1]), ci(c.difference, c.difference_lower, c.difference_upper), p3(c.difference_p),
      ci(c.ratio, c.ratio_lower, c.ratio_upper), p3(c.ratio_p)],
  ]);
  assert.match(await page.$eval('#km-rmst caption', (n) => n.textContent), /τ = 45\.7 months/);
  assert.match(await page.textContent('#methods-text'), /Restricted mean survival times at τ = 45\.7 months were compared between groups by their difference and ratio against R0\/1.*survRM2::rmst2/);
  assert.equal(await page.isVisible('#tau-warning'), false);

  await page.check('#opt-spss-means');
  await page.waitForSelector('#km-spss-means');
  const spss = await cells(page, 'km-spss-means');
  assert.deepEqual(spss, ref.spss_means.map((r) => [r.group, `${f(r.mean, 3)}${r.limit_censored ? 'ᵃ' : ''}`, f(r.se, 3), f(r.lower, 3), f(r.upper, 3), String(r.limit)]));
  assert.deepEqual(spss.map((r) => r[0]), ['R0/1', 'R2', 'Overall']);
  assert.ok(ref.spss_means[1].limit_censored, 'R2\'s largest time (45.7) is a censoring');
  const spssNotes = await notes(page, 'km-spss-means');
  assert.match(spssNotes, /a\. Estimation is limited to the largest survival time if it is censored/);
  assert.match(spssNotes, /SPSS's convention.*R gives the same mean and SE with print\(fit, rmean = "individual"\)/);
  assert.match(spssNotes, /Brookmeyer-Crowley/);
  assert.match(await page.textContent('#methods-text'), /as SPSS's Kaplan-Meier procedure gives them/);
  await page.screenshot({ path: join(SCRATCH, 'exact-rmst-spss.png'), fullPage: true });

  // The settings are the endpoint's, and a link carries them.
  await page.check('#opt-exact');
  await page.waitForFunction(() => document.querySelector('#km-tests')?.textContent.includes('permutation P'));
  const tests = await cells(page, 'km-tests');
  await page.click('#copy-link');
  await page.waitForFunction(() => location.hash.startsWith('#s='));
  const second = await openPage(env, await page.evaluate(() => location.hash));
  await dropFile(second.page, 'cohort15.csv', readFileSync(COHORT, 'utf8'));
  await second.page.waitForSelector('#km-spss-means');
  await second.page.waitForSelector('#km-rmst');
  await second.page.waitForFunction(() => document.querySelector('#km-tests')?.textContent.includes('permutation P'));
  assert.equal(await second.page.isChecked('#opt-exact'), true);
  assert.equal(await second.page.isChecked('#opt-spss-means'), true);
  assert.equal(await second.page.inputValue('#opt-tau'), '45.7');
  assert.deepEqual(await cells(second.page, 'km-tests'), tests);
  assert.deepEqual(await cells(second.page, 'km-spss-means'), spss);

  // A τ past R2's follow-up is computed as asked, and said to be unsupported, at the control and under the table.
  await second.page.fill('#opt-tau', '60');
  await second.page.dispatchEvent('#opt-tau', 'change');
  await second.page.waitForSelector('#tau-warning');
  assert.match(await second.page.textContent('#tau-warning'), /τ = 60 is past the last follow-up of R2 \(45\.7\)/);
  assert.match(await notes(second.page, 'km-rmst'), /Caution: τ lies past the last follow-up of R2 \(45\.7\).*no larger than 45\.7/);
  const ref60 = cli(COHORT, '--time', 'time', '--event', 'status', '--group', 'resection', '--tau', '60');
  assert.equal((await cells(second.page, 'km-rmst'))[1][2], ci(ref60.rmst_comparison[0].difference, ref60.rmst_comparison[0].difference_lower, ref60.rmst_comparison[0].difference_upper));
  await noLeaks(first);
  await noLeaks(second);
});
