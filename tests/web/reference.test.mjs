// The reference group chosen with the figure (Groups: "Reference") in chromium: the core computes
// the hazard ratio, the RMST comparison and the pairwise listing against it, and the tables,
// their notes and the methods show the groups by their labels in the chosen order.
//
// Expected numbers come from the command line's JSON with the same reference (`km --reference`),
// and also from its default reference (the first group) turned round: a hazard ratio and an RMST
// ratio invert (their limits swap and invert), an RMST difference changes sign (its limits swap
// and change sign), P values and pairwise chi-squares do not change. The core's results for a
// chosen reference are checked against R in tests/rmst_matches_r.rs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, privacyProblems, dropFile, ROOT, cells, CLI, ensureCli } from './harness.mjs';

const AML = join(ROOT, 'tests', 'data', 'aml.csv');
const VETERAN = join(ROOT, 'tests', 'data', 'veteran.csv');

let env;
before(async () => {
  ensureCli();
  env = await launch();
});
after(async () => { await env?.close(); });

function cli(file, ...args) {
  return JSON.parse(execFileSync(CLI, ['km', file, '--json', ...args], { encoding: 'utf8' }));
}

async function setValue(page, selector, value) {
  await page.$eval(selector, (input, v) => {
    input.value = v;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, String(value));
}

async function noLeaks(opened) {
  assert.deepEqual(await privacyProblems(env, opened), { csp: [], foreign: [] });
  assert.deepEqual(opened.seen.errors, []);
}

const f = (x, d) => (x === null ? '—' : x.toFixed(d));
const p3 = (p) => (p === null ? '—' : p < 0.001 ? '<0.001' : p > 0.999 ? '>0.999' : p.toFixed(3));
const ci = (x, lo, hi) => `${f(x, 2)} (${f(lo, 2)} to ${f(hi, 2)})`;

test('two groups: with the second group as reference, the RMST comparison and the hazard ratio are turned round, by their labels', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await dropFile(page, 'aml.csv', readFileSync(AML, 'utf8'));
  await page.waitForSelector('#km-summary');
  await page.selectOption('#group', 'x');
  await setValue(page, '#opt-tau', 40);
  await page.waitForSelector('#km-rmst');
  await setValue(page, '#fig-label-Maintained', 'Maintenance chemotherapy');
  await page.check('#fig-reference-Nonmaintained');
  await page.waitForFunction(() => document.querySelector('#km-rmst tbody tr')?.firstChild.textContent === 'Nonmaintained');

  // The command line's default: Nonmaintained against Maintained.
  const ref = cli(AML, '--time', 'time', '--event', 'status', '--group', 'x', '--tau', '40');
  const c = ref.rmst_comparison[0];
  assert.deepEqual([c.group, c.reference], ['Nonmaintained', 'Maintained']);
  const byName = Object.fromEntries(ref.groups.map((g) => [g.name, g]));
  const rmst = (g) => `${f(g.rmean, 2)} (${f(g.rmean_se, 2)})`;
  assert.deepEqual(await cells(page, 'km-rmst'), [
    ['Nonmaintained', rmst(byName.Nonmaintained), 'reference', '', 'reference', ''],
    ['Maintenance chemotherapy', rmst(byName.Maintained),
      ci(-c.difference, -c.difference_upper, -c.difference_lower), p3(c.difference_p),
      ci(1 / c.ratio, 1 / c.ratio_upper, 1 / c.ratio_lower), p3(c.ratio_p)],
  ]);
  assert.match(await page.$eval('#km-rmst tfoot', (t) => t.textContent), /Against Nonmaintained \(the reference group\)/);
  // The command line asked for the same reference gives the same rows.
  const turned = cli(AML, '--time', 'time', '--event', 'status', '--group', 'x', '--tau', '40', '--reference', 'Nonmaintained');
  const t = turned.rmst_comparison[0];
  assert.deepEqual([t.group, t.reference, turned.hazard_ratio.group, turned.hazard_ratio.reference], ['Maintained', 'Nonmaintained', 'Maintained', 'Nonmaintained']);
  assert.deepEqual((await cells(page, 'km-rmst'))[1].slice(2), [ci(t.difference, t.difference_lower, t.difference_upper), p3(t.difference_p),
    ci(t.ratio, t.ratio_lower, t.ratio_upper), p3(t.ratio_p)]);

  const mh = ref.hazard_ratio.estimates.find((e) => e.method === 'mantel-haenszel');
  const oe = ref.hazard_ratio.estimates.find((e) => e.method === 'o/e');
  const two = (x) => x.toFixed(2);
  const tests = await page.$eval('#km-tests tfoot', (t) => t.textContent);
  const mhTurned = turned.hazard_ratio.estimates.find((e) => e.method === 'mantel-haenszel');
  assert.ok(tests.includes(`(Mantel-Haenszel method): ${two(mhTurned.hr)} (95% CI ${two(mhTurned.lower)}–${two(mhTurned.upper)})`));
  assert.match(tests, new RegExp(`Hazard ratio Maintenance chemotherapy vs Nonmaintained \\(Mantel-Haenszel method\\): ${two(1 / mh.hr)} \\(95% CI ${two(1 / mh.upper)}–${two(1 / mh.lower)}\\)`));
  assert.match(tests, new RegExp(`Hazard ratio Maintenance chemotherapy vs Nonmaintained \\(O/E method\\): ${two(1 / oe.hr)} \\(95% CI ${two(1 / oe.upper)}–${two(1 / oe.lower)}\\)`));
  const methods = await page.textContent('#methods-text');
  assert.match(methods, /hazard ratio of Maintenance chemotherapy against Nonmaintained \(the reference group\)/);
  assert.match(methods, /difference and ratio against Nonmaintained \(the reference group\)/);

  // The exported table is the one shown; the choice travels in a link.
  const shown = await cells(page, 'km-rmst');
  await page.click('#copy-link');
  await page.waitForFunction(() => location.hash.startsWith('#s='));
  const second = await openPage(env, await page.evaluate(() => location.hash));
  await dropFile(second.page, 'aml.csv', readFileSync(AML, 'utf8'));
  await second.page.waitForFunction(() => document.querySelector('#km-rmst tbody tr')?.firstChild.textContent === 'Nonmaintained');
  assert.deepEqual(await cells(second.page, 'km-rmst'), shown);

  // Back to the first group: the command line's numbers as they are.
  await page.check('#fig-reference-Maintained');
  await page.waitForFunction(() => document.querySelector('#km-rmst tbody tr')?.firstChild.textContent === 'Maintenance chemotherapy');
  assert.equal((await cells(page, 'km-rmst'))[1][2], ci(c.difference, c.difference_lower, c.difference_upper));
  await noLeaks(opened);
  await noLeaks(second);
});

test('four groups: the pairwise tests list the reference\'s pairs first, the groups in the chosen order, each test as the command line', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await page.setInputFiles('#file-input', VETERAN);
  await page.waitForSelector('#km-summary');
  await page.selectOption('#group', 'celltype');
  await page.waitForSelector('#km-pairwise');
  await page.check('#fig-reference-smallcell');
  await page.waitForFunction(() => document.querySelector('#km-pairwise tbody tr')?.firstChild.textContent.startsWith('smallcell vs'));
  const ref = cli(VETERAN, '--time', 'time', '--event', 'status', '--group', 'celltype', '--pairwise');
  const pair = (a, b) => ref.pairwise.comparisons.find((p) => (p.group1 === a && p.group2 === b) || (p.group1 === b && p.group2 === a));
  // The chosen order is the levels' (adeno, large, smallcell, squamous) with smallcell first as the reference.
  const expected = [['smallcell', 'adeno'], ['smallcell', 'large'], ['smallcell', 'squamous'], ['adeno', 'large'], ['adeno', 'squamous'], ['large', 'squamous']]
    .map(([a, b]) => { const p = pair(a, b); return [`${a} vs ${b}`, f(p.chisq, 2), String(p.df), p3(p.p), p3(p.p_adjusted)]; });
  assert.deepEqual(await cells(page, 'km-pairwise'), expected);
  // The command line with the same reference lists the pairs in the same order.
  const turned = cli(VETERAN, '--time', 'time', '--event', 'status', '--group', 'celltype', '--pairwise', '--reference', 'smallcell');
  assert.deepEqual(turned.pairwise.comparisons.map((p) => `${p.group1} vs ${p.group2}`), expected.map((r) => r[0]));

  // Moving squamous up twice (past smallcell, then large) puts its pairs before large's.
  await page.click('#fig-up-squamous');
  await page.waitForFunction(() => [...document.querySelectorAll('#figure-groups tbody th')].map((t) => t.textContent).join() === 'adeno,large,squamous,smallcell');
  await page.click('#fig-up-squamous');
  await page.waitForFunction(() => document.querySelectorAll('#km-pairwise tbody tr')[1]?.firstChild.textContent === 'smallcell vs squamous'
    && document.querySelectorAll('#km-pairwise tbody tr')[3]?.firstChild.textContent === 'adeno vs squamous');
  assert.deepEqual((await cells(page, 'km-pairwise')).map((r) => r[0]),
    ['smallcell vs adeno', 'smallcell vs squamous', 'smallcell vs large', 'adeno vs squamous', 'adeno vs large', 'squamous vs large']);
  await noLeaks(opened);
});
