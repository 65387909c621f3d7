// Table 1 and the Cox tables as journals print them, in chromium: the page's cells equal the
// command line's JSON on the same file (missing values, percent basis, decimals, the chi-square
// variant, SMD; categorical covariates by default, overall P on a covariate's row, HR per a
// chosen unit, the univariable screening beside the multivariable model), and screenshots.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, privacyProblems, dropFile, ROOT, SCRATCH, cells, CLI, ensureCli, openExample } from './harness.mjs';


/**
 * tests/data/table1_missing.csv (arm, site, grade 1-3, smoker, with missing cells; see
 * tests/data/table1.R) twice over, with a patient number, an entry date, an outcome, an age and
 * an ECOG score added by a fixed rule, so the page has an endpoint, Table 1 has columns it must
 * not tick, and one patient in 234 has ECOG 3 (0.4%).
 */
function patientsCsv() {
  const [header, ...once] = readFileSync(join(ROOT, 'tests', 'data', 'table1_missing.csv'), 'utf8').trim().split('\n');
  const rows = [...once, ...once];
  const lines = rows.map((row, i) => {
    const id = `P${String(i + 1).padStart(3, '0')}`;
    const day = String((i % 28) + 1).padStart(2, '0');
    const time = 10 + ((i * 37) % 500);
    const status = i % 3 === 0 ? 0 : 1;
    const age = i % 17 === 5 ? '' : String(40 + ((i * 7) % 35) + (i % 2 ? 0.5 : 0));
    const ecog = i === 7 ? 3 : i % 3;
    return `${id},2020-01-${day},${time},${status},${row},${age},${ecog}`;
  });
  return [`id,date_entry,time,status,${header.replaceAll('"', '')},age,ecog`, ...lines].join('\n') + '\n';
}

let env;
let file;
before(async () => {
  ensureCli();
  env = await launch();
  file = join(SCRATCH, 'tables-patients.csv');
  writeFileSync(file, patientsCsv());
});
after(async () => { await env?.close(); });

function cli(command, ...args) {
  return JSON.parse(execFileSync(CLI, [command, file, '--json', ...args], { encoding: 'utf8' }));
}

async function notes(page, id) {
  return page.$$eval(`#${id} tfoot td`, (n) => n.map((x) => x.textContent));
}

const p3 = (p) => (p < 0.001 ? '<0.001' : p > 0.999 ? '>0.999' : p.toFixed(3));
const hr = (h, lo, up) => `${h.toFixed(2)} (${lo.toFixed(2)}–${up.toFixed(2)})`;

/** The rows of one characteristic: its own row and those under it, up to the next characteristic. */
function block(rows, label) {
  const at = rows.findIndex((r) => r[0] === label);
  assert.ok(at >= 0, `no row ${label} in ${JSON.stringify(rows.map((r) => r[0]))}`);
  const end = rows.findIndex((r, i) => i > at && /,/.test(r[0]));
  return rows.slice(at, end < 0 ? rows.length : end);
}

async function openPatients() {
  const opened = await openPage(env);
  const { page } = opened;
  await dropFile(page, 'patients.csv', patientsCsv());
  await page.waitForSelector('#km-summary');
  await page.selectOption('#group', 'arm');
  return opened;
}

async function noLeaks(opened) {
  assert.deepEqual(await privacyProblems(env, opened), { csp: [], foreign: [] });
  assert.deepEqual(opened.seen.errors, []);
}

test('Table 1: defaults leave out the record number, the date and the outcome; grade 1-3 is categorical; missing values on their own line', async () => {
  const opened = await openPatients();
  const { page } = opened;
  await page.click('#tab-table1');
  await page.waitForSelector('#table1');
  const ticked = await page.$$eval('#table1-variables input[type=checkbox]', (n) => n.filter((x) => x.checked).map((x) => x.value));
  assert.deepEqual(ticked, ['site', 'grade', 'smoker', 'age', 'ecog']);
  const leftOut = await page.textContent('#table1-left-out');
  assert.match(leftOut, /date_entry: a date column/);
  assert.match(leftOut, /time: the outcome's time/);
  assert.match(leftOut, /status: the outcome's event/);
  assert.match(leftOut, /id: may identify patients/);
  assert.equal(await page.inputValue('#table1-summary-grade'), 'categorical');
  assert.equal(await page.inputValue('#table1-summary-age'), 'mean');

  const ref = cli('table1', '--group', 'arm', '--variable', 'site', '--variable', 'grade', '--variable', 'smoker', '--variable', 'age', '--variable', 'ecog');
  const rows = await cells(page, 'table1');
  const grade = ref.rows.find((r) => r.variable === 'grade');
  assert.equal(grade.kind, 'categorical');
  const shown = block(rows, 'grade, n (%)');
  const columns = [grade.overall, ...grade.by_group];
  grade.overall.levels.forEach((lv, i) => {
    assert.deepEqual(shown[i + 1], [lv.level, ...columns.map((c) => `${c.levels[i].count} (${c.levels[i].percent.toFixed(1)}%)`), '']);
  });
  assert.ok(columns.some((c) => c.missing > 0), 'the fixture has missing grades');
  assert.deepEqual(shown.at(-1), ['Missing', ...columns.map((c) => String(c.missing)), '']);
  const age = ref.rows.find((r) => r.variable === 'age');
  assert.deepEqual(block(rows, 'age, mean (SD)').at(-1), ['Missing', String(age.overall.missing), ...age.by_group.map((g) => String(g.missing)), '']);
  const footnotes = await notes(page, 'table1');
  assert.ok(footnotes.some((n) => /^n \(%\): percentages of each column's patients with the value recorded \(column %\)/.test(n)), footnotes.join('\n'));
  assert.ok(footnotes.some((n) => /^Missing: .* in no percentage/.test(n)));
  // The rows without a group are not in the table, and the table says so.
  assert.equal(ref.excluded.length, 6);
  assert.ok(footnotes.includes(`Left out: 6 rows, ${ref.excluded[0].reason}.`), footnotes.join('\n'));
  await noLeaks(opened);
});

test('Table 1: percent basis in the header and selectable, decimals selectable (0.4% is never 0%), chi-square variant named, SMD column', async () => {
  const opened = await openPatients();
  const { page } = opened;
  await page.click('#tab-table1');
  await page.waitForSelector('#table1');
  const vars = ['--group', 'arm', '--variable', 'site', '--variable', 'grade', '--variable', 'smoker', '--variable', 'age', '--variable', 'ecog'];

  await page.selectOption('#table1-percent', 'total');
  await page.waitForFunction(() => [...document.querySelectorAll('#table1 tbody th')].some((th) => th.textContent === 'grade, n (% of total)'));
  const total = cli('table1', ...vars, '--percent', 'total');
  assert.equal(total.percent, 'total');
  const site = total.rows.find((r) => r.variable === 'site');
  const siteRows = block(await cells(page, 'table1'), 'site, n (% of total)');
  site.overall.levels.forEach((lv, i) => {
    assert.deepEqual(siteRows[i + 1].slice(1, 4), [site.overall, ...site.by_group].map((c) => `${c.levels[i].count} (${c.levels[i].percent.toFixed(1)}%)`));
  });
  assert.ok((await notes(page, 'table1')).some((n) => n.includes('(% of total)')));

  // ECOG 3: one patient of 234, 0.4% at one decimal and "<1%" at none, never "0%".
  const ecog = total.rows.find((r) => r.variable === 'ecog');
  assert.equal(ecog.overall.levels[3].count, 1);
  assert.equal(block(await cells(page, 'table1'), 'ecog, n (% of total)')[4][1], `1 (${ecog.overall.levels[3].percent.toFixed(1)}%)`);
  assert.equal(ecog.overall.levels[3].percent.toFixed(1), '0.4');
  await page.selectOption('#table1-percent-decimals', '0');
  await page.selectOption('#table1-decimals', '2');
  await page.waitForFunction(() => [...document.querySelectorAll('#table1 tbody tr')]
    .some((tr) => tr.firstChild.textContent === 'age, mean (SD)' && /^\d+\.\d\d \(/.test(tr.children[1].textContent)));
  const rounded = await cells(page, 'table1');
  const gradeTotal = total.rows.find((r) => r.variable === 'grade');
  gradeTotal.by_group.forEach((g, k) => g.levels.forEach((lv, i) => {
    const want = lv.percent > 0 && Math.round(lv.percent) === 0 ? '<1' : lv.percent.toFixed(0);
    assert.equal(block(rounded, 'grade, n (% of total)')[i + 1][k + 2], `${lv.count} (${want}%)`);
  }));
  assert.equal(block(rounded, 'ecog, n (% of total)')[4][1], '1 (<1%)');
  const age = total.rows.find((r) => r.variable === 'age');
  assert.deepEqual(block(rounded, 'age, mean (SD)')[0].slice(1, 4), [age.overall, ...age.by_group].map((s) => `${s.mean.toFixed(2)} (${s.sd.toFixed(2)})`));

  // smoker is 2 x 2: Pearson without correction by default (SPSS), Yates' on request (R's default).
  const pearson = cli('table1', ...vars);
  const smokerP = (t) => t.rows.find((r) => r.variable === 'smoker');
  assert.equal(smokerP(pearson).test, 'chi-square');
  assert.match(block(rounded, 'smoker, n (% of total)')[0].at(-1), new RegExp(`^${p3(smokerP(pearson).p)} [a-j]$`));
  assert.ok((await notes(page, 'table1')).some((n) => n.includes('without continuity correction (SPSS\'s Pearson Chi-Square)') && n.includes('smoker')));
  await page.selectOption('#table1-chisq', 'yates');
  await page.waitForFunction(() => [...document.querySelectorAll('#table1 tfoot td')].some((td) => td.textContent.includes('Yates')));
  const yates = cli('table1', ...vars, '--yates');
  assert.equal(smokerP(yates).test, 'chi-square-yates');
  assert.notEqual(p3(smokerP(yates).p), p3(smokerP(pearson).p));
  const withYates = await cells(page, 'table1');
  assert.match(block(withYates, 'smoker, n (% of total)')[0].at(-1), new RegExp(`^${p3(smokerP(yates).p)} [a-j]$`));
  assert.ok((await notes(page, 'table1')).some((n) => n.includes('Yates\' continuity correction (R\'s default for 2 x 2 tables)') && n.includes('smoker')));

  await page.check('#table1-smd');
  await page.waitForFunction(() => [...document.querySelectorAll('#table1 thead th')].some((th) => th.textContent === 'SMD'));
  const smd = cli('table1', ...vars, '--smd');
  const heads = await page.$$eval('#table1 thead th', (t) => t.map((h) => h.textContent));
  const at = heads.indexOf('SMD');
  const withSmd = await cells(page, 'table1');
  for (const r of smd.rows) {
    const label = r.kind === 'continuous' ? `${r.variable}, mean (SD)` : `${r.variable}, n (% of total)`;
    assert.equal(block(withSmd, label)[0][at], r.smd.toFixed(2), `${r.variable} SMD`);
  }
  await noLeaks(opened);
});

test('Table 1: a stray word in a column of numbers is an error that offers to list it as a missing-value code', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  const lines = patientsCsv().split('\n');
  lines[3] = lines[3].replace(/,[\d.]+,(\d)$/, ',unknown,$1');
  assert.match(lines[3], /,unknown,\d$/);
  await dropFile(page, 'patients.csv', lines.join('\n'));
  await page.waitForSelector('#km-summary');
  await page.selectOption('#group', 'arm');
  await page.click('#tab-table1');
  await page.waitForSelector('#table1-error');
  assert.match(await page.textContent('#table1-error'), /column “age”, row 4 of the spreadsheet: 'unknown' is not a number.*add “unknown” to “Missing-value codes”/);
  await noLeaks(opened);
});

test('Cox: a ticked text column is categorical, grade 1-3 too; overall P on each categorical covariate\'s row; HR per 10 years; univariable beside multivariable', async () => {
  const opened = await openPatients();
  const { page } = opened;
  await page.click('#tab-cox');
  await page.waitForSelector('#cox-table');
  await page.check('#cox-use-site');
  await page.waitForFunction(() => [...document.querySelectorAll('#cox-table tbody th')].some((th) => th.textContent === 'site'));
  assert.equal(await page.$('#cox-error'), null, 'a text covariate is not an error');
  assert.equal(await page.$('#cox-kind-site'), null, 'text is categorical, with no numeric choice');
  await page.check('#cox-use-grade');
  await page.waitForFunction(() => [...document.querySelectorAll('#cox-table tbody th')].some((th) => th.textContent === 'grade'));
  assert.equal(await page.inputValue('#cox-kind-grade'), 'categorical');
  await page.check('#cox-use-age');
  await page.waitForSelector('#cox-per-age');
  await page.fill('#cox-per-age', '10 years');
  await page.press('#cox-per-age', 'Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('#cox-table tbody th')].some((th) => th.textContent === 'age, per 10 years'));

  const args = ['--time', 'time', '--event', 'status', '--categorical', 'arm', '--categorical', 'site', '--categorical', 'grade', '--covariate', 'age', '--univariate'];
  const ref = cli('cox', ...args);
  const heads = await page.$$eval('#cox-table thead th', (t) => t.map((h) => h.textContent));
  assert.deepEqual(heads, ['Characteristic', 'Univariable HR (95% CI)', 'P', 'Multivariable HR (95% CI)', 'P']);
  const rows = await cells(page, 'cox-table');
  const uni = new Map(ref.univariate.map((m) => [m.variable, m]));
  for (const c of ['arm', 'site', 'grade']) {
    const test = ref.covariate_tests.find((t) => t.covariate === c);
    const at = rows.findIndex((r) => r[0] === c);
    assert.deepEqual(rows[at], [c, '', p3(uni.get(c).wald_test.p), '', p3(test.wald_p)], `${c}: Wald P of all its levels, univariable and multivariable`);
    const terms = ref.terms.filter((t) => t.variable === c);
    assert.deepEqual(rows[at + 1], [terms[0].reference, '1 (reference)', '', '1 (reference)', '']);
    terms.forEach((t, i) => {
      const u = uni.get(c).rows.find((r) => r.level === t.level);
      assert.deepEqual(rows[at + 2 + i], [t.level, hr(u.hr, u.hr_lower, u.hr_upper), p3(u.p), hr(t.hr, t.hr_lower, t.hr_upper), p3(t.p)]);
    });
  }
  // Per 10 years: exp(10 b) and its limits exp(10 (b -+ z se)) = the per-year ones to the 10th power; P unchanged.
  const age = ref.terms.find((t) => t.name === 'age');
  const ageUni = uni.get('age').rows[0];
  const ten = (h) => h ** 10;
  assert.deepEqual(rows.find((r) => r[0] === 'age, per 10 years'),
    ['age, per 10 years', hr(ten(ageUni.hr), ten(ageUni.hr_lower), ten(ageUni.hr_upper)), p3(ageUni.p), hr(ten(age.hr), ten(age.hr_lower), ten(age.hr_upper)), p3(age.p)]);
  const footnotes = await notes(page, 'cox-table');
  assert.ok(footnotes.some((n) => n.startsWith('age: hazard ratio per 10 years')), footnotes.join('\n'));
  // The rows the multivariable model left out, counted by reason, as the command line lists them.
  const reasons = new Map();
  for (const e of ref.excluded) reasons.set(e.reason, (reasons.get(e.reason) ?? 0) + 1);
  assert.ok(reasons.size >= 2, 'rows without a group and rows without a covariate');
  assert.ok(footnotes.includes(`Multivariable model: left out: ${[...reasons].map(([r, n]) => `${n} rows, ${r}`).join('; ')}.`), footnotes.join('\n'));
  assert.ok(footnotes.some((n) => n.includes('Wald test of all its levels together (as SPSS prints it)')));
  assert.match(await page.textContent('#cox-methods'), /Hazard ratios are given for age per 10 years\./);
  const model = await cells(page, 'cox-multivariable');
  const ageRow = model.find((r) => r[0] === 'age, per 10 years');
  assert.equal(ageRow[1], (10 * age.coef).toFixed(3), 'the coefficient is scaled');

  // The likelihood-ratio test instead, on both tables' covariate rows.
  await page.selectOption('#cox-overall', 'lr');
  await page.waitForFunction(() => [...document.querySelectorAll('#cox-table tfoot td')].some((td) => td.textContent.includes('likelihood-ratio test of all its levels')));
  const lr = await cells(page, 'cox-table');
  for (const c of ['site', 'grade']) {
    const test = ref.covariate_tests.find((t) => t.covariate === c);
    assert.deepEqual(lr.find((r) => r[0] === c), [c, '', p3(uni.get(c).lr_test.p), '', p3(test.lr_p)]);
    assert.equal((await cells(page, 'cox-multivariable')).find((r) => r[0] === c)[4], p3(test.lr_p));
  }
  // A unit that is not a positive number is refused at its field; the last good one stays.
  await page.fill('#cox-per-age', '-5');
  await page.press('#cox-per-age', 'Enter');
  await page.waitForSelector('#cox-per-age-error');
  assert.match(await page.textContent('#cox-per-age-error'), /positive number/);
  assert.ok((await cells(page, 'cox-table')).some((r) => r[0] === 'age, per 10 years'));
  await noLeaks(opened);
});

test('screenshots of Table 1 and the Cox tables on the example, for a reviewer', async () => {
  const opened = await openExample(env);
  const { page } = opened;
  await page.click('#tab-table1');
  await page.waitForSelector('#table1');
  await page.check('#table1-smd');
  await page.waitForFunction(() => [...document.querySelectorAll('#table1 thead th')].some((th) => th.textContent === 'SMD'));
  await (await page.$('#panel-table1')).screenshot({ path: join(SCRATCH, 'table1.png') });
  await page.click('#tab-cox');
  await page.waitForSelector('#cox-table');
  await page.fill('#cox-per-age', '10 years');
  await page.press('#cox-per-age', 'Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('#cox-table tbody th')].some((th) => th.textContent === 'age, per 10 years'));
  await (await page.$('#panel-cox')).screenshot({ path: join(SCRATCH, 'cox.png') });
  await noLeaks(opened);
});
