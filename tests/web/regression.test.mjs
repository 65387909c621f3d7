// The regression view in chromium: linear and logistic models on lung equal the command line's
// `survcalc regression --json` as the page rounds them, the residual plot is drawn, the table
// exports, separation offers Firth's model, a share link restores the model, and screenshots are kept.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, privacyProblems, dropFile, ROOT, SCRATCH, cells, CLI, ensureCli } from './harness.mjs';

// survival's lung (tests/data/README.md): time and status make the page's endpoint.
const LUNG = join(ROOT, 'tests', 'data', 'regression_lung.csv');

let env;
before(async () => {
  ensureCli();
  env = await launch();
});
after(async () => { await env?.close(); });

/** The command line's `regression --json`: the reference the page must agree with. */
function cli(...args) {
  return JSON.parse(execFileSync(CLI, ['regression', LUNG, '--json', ...args], { encoding: 'utf8' }));
}

/** The page's element id for a control about a column (views.js controlId), as a selector. */
function byId(prefix, column) {
  const id = `${prefix}-${[...column].map((ch) => (/[A-Za-z0-9_-]/.test(ch) ? ch : `.${ch.codePointAt(0).toString(16)}`)).join('')}`;
  return `[id="${id}"]`;
}

const p3 = (p) => (p < 0.001 ? '<0.001' : p > 0.999 ? '>0.999' : p.toFixed(3));
/** As regression.js rounds a row: the standard error to two significant digits, 2 to 6 decimals. */
const decimals = (se) => Math.min(6, Math.max(2, 1 - Math.floor(Math.log10(se))));
/** A term's label as journals print it: a categorical level under its covariate. */
const label = (t) => (t.name === '(Intercept)' ? 'Intercept' : t.level ? `${t.variable}: ${t.level}` : t.name);

/** The table rows the page must show for a fit: reference levels on rows of their own. */
function expectedRows(terms, row, reference) {
  return terms.flatMap((t, i) => {
    const first = t.level && terms.findIndex((u) => u.variable === t.variable) === i;
    return first ? [reference(`${t.variable}: ${t.reference}`), row(t)] : [row(t)];
  });
}

async function noLeaks(opened) {
  assert.deepEqual(await privacyProblems(env, opened), { csp: [], foreign: [] });
  assert.deepEqual(opened.seen.errors, []);
}

/** lung dropped, the Regression tab opened. */
async function lungRegression() {
  const opened = await openPage(env);
  const { page } = opened;
  await dropFile(page, 'regression_lung.csv', readFileSync(LUNG, 'utf8'));
  await page.waitForSelector('#km-summary');
  await page.click('#view-tabs button[data-view=regression]');
  await page.waitForSelector('#reg-outcome');
  return opened;
}

/** Ticks covariates, marking some categorical. */
async function chooseCovariates(page, numeric, categorical) {
  for (const c of [...numeric, ...categorical]) {
    await page.check(byId('reg-use', c));
    await page.waitForSelector(byId('reg-kind', c));
  }
  for (const c of categorical) {
    await page.selectOption(byId('reg-kind', c), 'categorical');
    await page.waitForSelector(byId('reg-ref', c));
  }
}

/** Waits until the table shows `rows` body rows. */
async function tableRows(page, id, rows) {
  await page.waitForFunction(([id, n]) => document.querySelectorAll(`#${id} tbody tr`).length === n, [id, rows]);
  return cells(page, id);
}

test('linear regression equals lm through the command line; residual plot, exports and methods', async () => {
  const opened = await lungRegression();
  const { page } = opened;
  await page.selectOption('#reg-outcome', 'age');
  assert.equal(await page.inputValue('#reg-family'), 'linear', 'a measured outcome gets a linear model');
  await chooseCovariates(page, ['wt.loss'], ['sex', 'ph.ecog']);
  const ref = cli('--outcome', 'age', '--categorical', 'sex', '--categorical', 'ph.ecog', '--covariate', 'wt.loss');
  assert.equal(ref.family, 'linear');
  const want = expectedRows(ref.terms, (t) => {
    const d = decimals(t.se);
    return [label(t), t.estimate.toFixed(d), t.se.toFixed(d), `${t.lower.toFixed(d)} to ${t.upper.toFixed(d)}`, p3(t.p)];
  }, (name) => [name, '0 (reference)', '', '', '']);
  assert.deepEqual(await tableRows(page, 'reg-table', want.length), want);
  assert.deepEqual(await page.$$eval('#reg-table thead th', (th) => th.map((h) => h.textContent)), ['Term', 'Coefficient', 'SE', '95% CI', 'P']);
  assert.equal(await page.textContent('#reg-table caption'), `Linear regression of age (n = ${ref.n})`);
  const notes = await page.textContent('#reg-table tfoot');
  assert.ok(notes.includes(`R² ${ref.r_squared.toFixed(3)}, adjusted R² ${ref.adj_r_squared.toFixed(3)}`), notes);
  assert.ok(notes.includes(`F test of the model ${ref.f_test.statistic.toFixed(2)} on ${ref.f_test.df1} and ${ref.f_test.df2} df, P ${p3(ref.f_test.p)}`), notes);
  assert.ok(notes.includes(`t test on ${ref.df_residual} residual df`), notes);
  // Rows missing a covariate are listed, numbered as a spreadsheet shows them (header = row 1).
  assert.match(await page.textContent('#reg-excluded summary'), new RegExp(`^${ref.excluded.length} rows were excluded`));
  assert.deepEqual((await cells(page, 'reg-excluded-table')).map((r) => Number(r[0])), ref.excluded.map((e) => e.row + 1));

  const ink = await page.$eval('#reg-residual-plot', (c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let dark = 0;
    let blue = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] < 160 && data[i + 1] < 160 && data[i + 2] < 160) dark++;
      if (data[i + 2] > 150 && data[i] < 60) blue++;
    }
    return { dark, blue };
  });
  assert.ok(ink.dark > 2000, `points and axes drawn (${ink.dark} dark pixels)`);
  assert.ok(ink.blue > 150, `the zero line drawn (${ink.blue} blue pixels)`);
  assert.match(await page.getAttribute('#reg-residual-plot', 'aria-label'), new RegExp(`${ref.n} rows`));
  assert.match(await page.textContent('#reg-residual-caption'), new RegExp(`one point per patient analysed \\(${ref.n}\\).*dashed line is zero.*No smoother is drawn`));

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#reg-table-csv')]);
  assert.equal(download.suggestedFilename(), 'regression-age-linear.csv');
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '').split('\r\n');
  assert.equal(csv[0], 'Term,Coefficient,SE,95% CI,P');
  assert.equal(csv[1], want[0].join(','));
  await page.click('#reg-table-copy');
  await page.waitForFunction(() => document.querySelector('#reg-table-copy').textContent === 'Copied');
  const pasted = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(pasted.split('\n')[2], want[1].join('\t'));

  const methods = await page.textContent('#reg-methods');
  assert.match(methods, /^The outcome, age, was modelled by multiple linear regression \(ordinary least squares, R's lm\) on sex \(categorical, reference 1\), ph\.ecog \(categorical, reference 0\) and wt\.loss\./);
  assert.match(methods, new RegExp(`${ref.n} patients were analysed`));
  await page.screenshot({ path: join(SCRATCH, 'regression-linear.png'), fullPage: true });
  await noLeaks(opened);
});

test('logistic regression equals glm through the command line; the outcome\'s values chosen; separation offers Firth', async () => {
  const opened = await lungRegression();
  const { page } = opened;
  await page.selectOption('#reg-outcome', 'status');
  assert.equal(await page.inputValue('#reg-family'), 'logistic', 'a yes/no outcome gets a logistic model');
  await chooseCovariates(page, ['age'], ['sex', 'ph.ecog']);
  const check = async (ref) => {
    assert.equal(ref.family, 'logistic');
    const want = expectedRows(ref.terms, (t) => {
      if (t.infinite) return [label(t), '—', '—', 'not estimable (infinite)', '—'];
      const d = decimals(t.se);
      const or = t.name === '(Intercept)' ? '—' : `${t.odds_ratio.toFixed(2)} (${t.or_lower.toFixed(2)}–${t.or_upper.toFixed(2)})`;
      return [label(t), t.estimate.toFixed(d), t.se.toFixed(d), or, p3(t.p)];
    }, (name) => [name, '', '', '1 (reference)', '']);
    await page.waitForFunction((n) => document.querySelector('#reg-table caption')?.textContent.endsWith(`${n} with the outcome)`), ref.events);
    assert.deepEqual(await tableRows(page, 'reg-table', want.length), want);
    const notes = await page.textContent('#reg-table tfoot');
    assert.ok(notes.includes(`residual deviance ${ref.deviance.toFixed(2)} on ${ref.df_residual} df; AIC ${ref.aic.toFixed(2)}`), notes);
    assert.ok(notes.includes(`Likelihood-ratio test of the model ${ref.lr_test.chisq.toFixed(2)} on ${ref.lr_test.df} df, P ${p3(ref.lr_test.p)}`), notes);
    return want;
  };
  const args = ['--outcome', 'status', '--family', 'logistic', '--covariate', 'age', '--categorical', 'sex', '--categorical', 'ph.ecog'];
  const ref = cli(...args);
  await check(ref);
  assert.equal(await page.textContent('#reg-event-coding'), 'Modelled: “status” = 2 (y = 1) against 1 (y = 0).');
  assert.match(await page.textContent('#reg-methods'), /^The odds of the outcome \(status = 2, against 1\) were modelled by multiple logistic regression \(maximum likelihood, R's glm with the binomial family and logit link\) on age, sex \(categorical, reference 1\) and ph\.ecog \(categorical, reference 0\)\./);

  // One patient has ph.ecog 3 and the outcome: its odds ratio is infinite (separation), so Firth's model is offered.
  assert.ok(ref.separation && ref.terms.some((t) => t.infinite), 'lung with ph.ecog 3 separates');
  assert.match(await page.textContent('#reg-warnings'), /infinit|separat/i);
  await page.check('#reg-firth');
  await page.waitForSelector('#reg-firth-table');
  const firth = cli(...args, '--firth').firth;
  const firthRows = await cells(page, 'reg-firth-table');
  firth.terms.forEach((t, i) => {
    assert.equal(firthRows[i][1], t.estimate.toFixed(decimals(t.se)));
    if (t.name !== '(Intercept)') assert.equal(firthRows[i][3], `${t.odds_ratio.toFixed(2)} (${t.or_lower.toFixed(2)}–${t.or_upper.toFixed(2)})`);
    assert.equal(firthRows[i][4], p3(t.p));
  });
  assert.match(await page.textContent('#reg-methods'), /Firth's penalised likelihood/);
  await page.screenshot({ path: join(SCRATCH, 'regression-logistic.png'), fullPage: true });

  // The other value as the outcome: the command line's --event-value.
  await page.check(byId('reg-event', '1'));
  await check(cli(...args, '--event-value', '1'));
  assert.equal(await page.textContent('#reg-event-coding'), 'Modelled: “status” = 1 (y = 1) against any other value (y = 0).');
  await noLeaks(opened);
});

test('a share link restores the regression model once the file is given', async () => {
  const first = await lungRegression();
  await first.page.selectOption('#reg-outcome', 'age');
  await chooseCovariates(first.page, ['wt.loss'], ['ph.ecog']);
  await first.page.selectOption(byId('reg-ref', 'ph.ecog'), '1');
  await first.page.waitForFunction(() => document.querySelector('#reg-table tbody th')?.textContent === 'Intercept'
    && document.querySelector('#reg-methods')?.textContent.includes('reference 1'));
  const shown = await cells(first.page, 'reg-table');
  const ref = cli('--outcome', 'age', '--categorical', 'ph.ecog=1', '--covariate', 'wt.loss');
  assert.deepEqual(shown.map((r) => r[0]), ['Intercept', 'ph.ecog: 1', ...ref.terms.slice(1).map(label)]);
  await first.page.click('#copy-link');
  await first.page.waitForFunction(() => location.hash.startsWith('#s='));

  const second = await openPage(env, await first.page.evaluate(() => location.hash));
  const { page } = second;
  await dropFile(page, 'regression_lung.csv', readFileSync(LUNG, 'utf8'));
  await page.waitForSelector('#reg-table');
  assert.deepEqual(await cells(page, 'reg-table'), shown);
  assert.equal(await page.inputValue('#reg-outcome'), 'age');
  assert.equal(await page.inputValue(byId('reg-kind', 'ph.ecog')), 'categorical');
  assert.equal(await page.inputValue(byId('reg-ref', 'ph.ecog')), '1');
  assert.equal(await page.isChecked(byId('reg-use', 'wt.loss')), true);
  await noLeaks(first);
  await noLeaks(second);
});

test('a logistic outcome without a yes/no coding: the error names the view\'s own control, and ticking values fits the model', async () => {
  const opened = await lungRegression();
  const { page } = opened;
  await page.selectOption('#reg-outcome', 'ph.ecog');
  await page.selectOption('#reg-family', 'logistic');
  await chooseCovariates(page, ['age'], []);
  await page.waitForSelector('#reg-error');
  const error = await page.textContent('#reg-error');
  assert.doesNotMatch(error, /--/, 'no command-line flag in the page');
  assert.match(error, /found '1', '0', '2', '3'\. Tick the values meaning the event among “Values … meaning the outcome \(y = 1\)” in the Regression view \(for example: 1\)\./);
  assert.equal(await page.$eval('#reg-event-values', (n) => n.classList.contains('attention')), true, 'the values to tick are highlighted');
  assert.equal(await page.$eval('#ep-event-values', (n) => n.classList.contains('attention')), false, 'not the endpoint\'s event values');
  await page.check(byId('reg-event', '2'));
  await page.check(byId('reg-event', '3'));
  const ref = cli('--outcome', 'ph.ecog', '--family', 'logistic', '--event-value', '2', '--event-value', '3', '--covariate', 'age');
  await page.waitForSelector('#reg-table');
  const rows = await cells(page, 'reg-table');
  assert.equal(rows[1][3], `${ref.terms[1].odds_ratio.toFixed(2)} (${ref.terms[1].or_lower.toFixed(2)}–${ref.terms[1].or_upper.toFixed(2)})`);
  assert.equal(await page.textContent('#reg-event-coding'), 'Modelled: “ph.ecog” = 2 or 3 (y = 1) against any other value (y = 0).');
  assert.equal(await page.$$eval('.attention', (n) => n.length), 0, 'no control stays highlighted once the error is gone');
  await noLeaks(opened);
});
