// The Kaplan-Meier tables in the figure's display unit, in chromium: with the example's dates
// counted in days and the figure showing months, the summary (median and its CI, survival at
// times, restricted mean), the RMST comparison and SPSS's means are in months, their captions
// and the methods state the conversion (days ÷ 30.4375, the core's TimeUnit constant the figure
// uses), and "survival at" times are typed in months. Expected values: the command line's JSON in
// days (`--unit days`), divided by 30.4375.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, privacyProblems, ROOT, cells, CLI, ensureCli, openExample } from './harness.mjs';

const EXAMPLE = join(ROOT, 'www', 'example', 'gist_simulated.csv');
const MONTH = 30.4375;

let env;
before(async () => {
  ensureCli();
  env = await launch();
});
after(async () => { await env?.close(); });

function cli(...args) {
  return JSON.parse(execFileSync(CLI, ['km', EXAMPLE, '--json', ...args], { encoding: 'utf8' }));
}

const heads = (page, id) => page.$$eval(`#${id} thead th`, (th) => th.map((h) => h.textContent));
const caption = (page, id) => page.$eval(`#${id} caption`, (c) => c.textContent);

async function setValue(page, selector, value) {
  await page.$eval(selector, (input, v) => {
    input.value = v;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, String(value));
}

const f = (x, d) => (x === null ? '—' : x.toFixed(d));
const nr = (x) => (x === null ? 'NR' : x.toFixed(1));
const months = (x) => (x === null ? null : x / MONTH);

test('the example in days shown in months: medians, survival at typed months, RMST and their captions in months, as the command line in days ÷ 30.4375', async () => {
  const opened = await openExample(env);
  const { page } = opened;
  await page.selectOption('#ep-unit', 'days');
  await page.waitForFunction(() => document.querySelector('#km-summary thead')?.textContent.includes('days'));
  await page.selectOption('#plot-display-unit', 'months');
  await page.waitForFunction(() => document.querySelector('#km-summary caption')?.textContent.includes('months (days ÷ 30.4375)'));
  assert.equal(await caption(page, 'km-summary'), 'Survival summary, times in months (days ÷ 30.4375)');
  assert.match(await page.textContent('label[for=opt-at]'), /Survival at times \(in months \(days ÷ 30\.4375\), as the figure/);

  // Survival at 12 and 24 months, typed in months: the core is asked at 365.25 and 730.5 days.
  await setValue(page, '#opt-at', '12, 24');
  await page.waitForFunction(() => document.querySelector('#km-summary thead')?.textContent.includes('Survival at 24.0 months'));
  assert.equal(await page.inputValue('#opt-at'), '12, 24');
  // τ typed in months too, kept as 1826.25 days.
  await setValue(page, '#opt-tau', 60);
  await page.waitForSelector('#km-rmst');
  assert.equal(await page.inputValue('#opt-tau'), '60');

  const ref = cli('--start-date', 'date_surgery', '--end-date', 'date_progression_or_last', '--unit', 'days',
    '--event', 'first_event', '--event-value', 'progression', '--event-value', 'death', '--group', 'resection',
    '--at', `${12 * MONTH},${24 * MONTH}`, '--tau', String(60 * MONTH));
  const head = await heads(page, 'km-summary');
  assert.deepEqual(head.slice(3, 8), ['Median, months (95% CI)', 'Restricted mean, months (SE)', 'Limit',
    'Survival at 12.0 months (95% CI)', 'Survival at 24.0 months (95% CI)']);
  const pct = (v) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
  const rows = await cells(page, 'km-summary');
  for (const g of ref.groups) {
    const row = rows.find((r) => r[0] === g.name);
    assert.ok(row, g.name);
    assert.equal(row[3], `${nr(months(g.median))} (${nr(months(g.median_lower))}–${nr(months(g.median_upper))})`, `${g.name} median in months`);
    assert.equal(row[4], `${f(months(g.rmean), 1)} (${f(months(g.rmean_se), 2)})`);
    assert.equal(row[5], f(months(g.rmean_limit), 1));
    assert.deepEqual(row.slice(6, 8), g.at.map((a) => (a.surv === null ? 'not estimable' : `${pct(a.surv)} (${pct(a.lower)}–${pct(a.upper)})`)));
  }

  // The table of all endpoints gives PFS in months too, with the same medians.
  await page.waitForSelector('#km-endpoints');
  const all = await cells(page, 'km-endpoints');
  assert.equal(all[0][0], 'PFS (months)');
  assert.equal(all[0][4], rows.find((r) => r[0] === all[0][1])[3]);
  assert.match(await page.$eval('#km-endpoints tfoot', (t) => t.textContent), /PFS: months \(days ÷ 30\.4375\)/);

  // The RMST comparison: τ = 60 months; differences in months (ratios and P as they are).
  assert.equal(await caption(page, 'km-rmst'), 'Restricted mean survival time at τ = 60 months, times in months (days ÷ 30.4375)');
  const c = ref.rmst_comparison[0];
  const rmst = await cells(page, 'km-rmst');
  assert.equal(rmst[1][2], `${f(months(c.difference), 2)} (${f(months(c.difference_lower), 2)} to ${f(months(c.difference_upper), 2)})`);
  assert.equal(rmst[1][4], `${f(c.ratio, 2)} (${f(c.ratio_lower, 2)} to ${f(c.ratio_upper, 2)})`);

  // The proposed τ and the groups' follow-up, said in months.
  const lastMonths = ref.groups.map((g) => `${g.name} ${String(Number((g.steps.at(-1).time / MONTH).toPrecision(10)))}`).join(', ');
  assert.ok((await page.textContent('#tau-advice')).includes(lastMonths), lastMonths);
  const methods = await page.textContent('#methods-text');
  assert.match(methods, /Times are reported in months \(days ÷ 30\.4375\), as the figure shows them\./);
  assert.match(methods, /common limit of 60\.0 months/);

  // The CSV has the same headers.
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#km-summary-csv')]);
  const csv = readFileSync(await file.path(), 'utf8');
  assert.match(csv, /Median, months \(95% CI\)/);

  // Back to days: the typed months stay the same times, shown in days.
  await page.selectOption('#plot-display-unit', '');
  await page.waitForFunction(() => document.querySelector('#km-summary thead')?.textContent.includes('Survival at 730.5 days'));
  assert.equal(await page.inputValue('#opt-at'), '365.25, 730.5');
  assert.equal(await page.inputValue('#opt-tau'), '1826.25');
  assert.deepEqual(await privacyProblems(env, opened), { csp: [], foreign: [] });
  assert.deepEqual(opened.seen.errors, []);
});
