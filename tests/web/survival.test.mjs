// The page end to end in chromium: drop, pick and paste a file; the numbers shown are the command line's;
// the figure is drawn and exports; a share link restores settings; a broken file is survived; nothing leaves.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, privacyProblems, dropFile, ROOT, SCRATCH, cells, CLI, ensureCli, openExample } from './harness.mjs';

const AML = join(ROOT, 'tests', 'data', 'aml.csv');
const CLEAN = join(ROOT, 'tests', 'data', 'input', 'clean.csv');
const EXAMPLE = join(ROOT, 'www', 'example', 'gist_simulated.csv');

let env;
before(async () => {
  ensureCli();
  env = await launch();
});
after(async () => { await env?.close(); });

/** The command line's `km --json` for a file: the reference the page must agree with. */
function cli(file, ...args) {
  return JSON.parse(execFileSync(CLI, ['km', file, '--json', ...args], { encoding: 'utf8' }));
}

/** The body cells of a results table, row by row. */
const f = (x, d) => (x === null ? 'NR' : x.toFixed(d));
const p3 = (p) => (p < 0.001 ? '<0.001' : p > 0.999 ? '>0.999' : p.toFixed(3));

/** Checks the summary and tests tables against the command line's JSON, as the page rounds them. */
async function assertMatchesCli(page, ref) {
  const summary = await cells(page, 'km-summary');
  assert.equal(summary.length, ref.groups.length);
  ref.groups.forEach((g, i) => {
    const [name, n, events, median, rmean, limit] = summary[i];
    assert.equal(name, g.name === 'all' ? 'All patients' : g.name);
    assert.equal(Number(n), g.n);
    assert.equal(Number(events), g.events);
    assert.equal(median, `${f(g.median, 1)} (${f(g.median_lower, 1)}–${f(g.median_upper, 1)})`);
    assert.equal(rmean, `${f(g.rmean, 1)} (${f(g.rmean_se, 2)})`);
    assert.equal(limit, f(g.rmean_limit, 1));
  });
  if (ref.tests.length) {
    const tests = await cells(page, 'km-tests');
    ref.tests.forEach((t, i) => {
      assert.equal(tests[i][1], t.chisq.toFixed(2), `${t.name} chi-square`);
      assert.equal(Number(tests[i][2]), t.df);
      assert.equal(tests[i][3], p3(t.p), `${t.name} P`);
    });
  }
}

/** Share of the canvas's pixels that are not white, and whether any is strongly coloured (a curve). */
async function inked(page) {
  return page.$eval('#km-canvas', (c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let ink = 0;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      if (r < 240 || g < 240 || b < 240) ink++;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 80) coloured++;
    }
    return { ink: ink / (data.length / 4), coloured };
  });
}

async function noLeaks(opened) {
  assert.deepEqual(await privacyProblems(env, opened), { csp: [], foreign: [] });
  assert.deepEqual(opened.seen.errors, []);
}

test('a dropped CSV: roles edited, numbers equal the command line, canvas drawn, SVG and PNG export', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await dropFile(page, 'aml.csv', readFileSync(AML, 'utf8'));
  await page.waitForSelector('#km-summary');
  assert.equal(await page.inputValue('#ep-time'), 'time');
  assert.equal(await page.inputValue('#ep-event'), 'status');
  await page.selectOption('#group', 'x');
  await page.waitForFunction(() => document.querySelectorAll('#km-summary tbody tr').length === 2);
  await assertMatchesCli(page, cli(AML, '--time', 'time', '--event', 'status', '--group', 'x'));

  const { ink, coloured } = await inked(page);
  assert.ok(ink > 0.01 && ink < 0.5, `canvas ink ${ink}`);
  assert.ok(coloured > 200, `coloured pixels ${coloured}`);

  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
  const svg = readFileSync(await svgDownload.path(), 'utf8');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: doc.documentElement.nodeName,
      lines: doc.querySelectorAll('path, polyline, line').length,
      text: [...doc.querySelectorAll('text')].map((t) => t.textContent).join('|'),
    };
  }, svg);
  assert.equal(parsed.error, null);
  assert.equal(parsed.root, 'svg');
  assert.ok(parsed.lines >= 2, `SVG has ${parsed.lines} lines`);
  assert.match(parsed.text, /Maintained/);
  assert.match(parsed.text, /Nonmaintained/);

  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
  const png = readFileSync(await pngDownload.path());
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  const phys = png.indexOf('pHYs');
  assert.ok(phys > 0, 'PNG carries its resolution');
  assert.equal(png.readUInt32BE(phys + 4), Math.round(300 / 0.0254));
  assert.ok(png.readUInt32BE(16) >= 1000, 'single column at 300 dpi is about 1004 pixels wide');

  await page.screenshot({ path: join(SCRATCH, 'aml.png'), fullPage: true });
  await noLeaks(opened);
});

test('a picked file: guessed roles give the command line numbers', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await page.setInputFiles('#file-input', CLEAN);
  await page.waitForSelector('#km-summary');
  assert.equal(await page.inputValue('#group'), 'arm');
  await assertMatchesCli(page, cli(CLEAN, '--time', 'time', '--event', 'status', '--group', 'arm'));
  assert.match(await page.textContent('#warnings'), /'id' may identify patients/);
  const profile = await cells(page, 'profile-table');
  assert.deepEqual(profile.map((r) => r[0]), ['A: id', 'B: time', 'C: status', 'D: arm', 'E: age', 'F: sex']);
  await noLeaks(opened);
});

test('cells pasted from a spreadsheet, in the box and anywhere on the page', async () => {
  const tsv = readFileSync(AML, 'utf8').replace(/"/g, '').replace(/,/g, '\t');
  const ref = cli(AML, '--time', 'time', '--event', 'status', '--group', 'x');
  const opened = await openPage(env);
  const { page } = opened;
  await page.click('#paste-toggle');
  await page.fill('#paste-area', tsv);
  await page.click('#paste-use');
  await page.waitForSelector('#km-summary');
  assert.equal(await page.inputValue('#group'), 'x', 'the core suggests the two-level column as the group');
  await assertMatchesCli(page, ref);

  const other = await openPage(env);
  await other.page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, tsv);
  await other.page.waitForSelector('#km-summary');
  await assertMatchesCli(other.page, ref);
  await noLeaks(opened);
  await noLeaks(other);
});

test('the example: three endpoints, each equal to the command line', async () => {
  const opened = await openExample(env);
  const { page } = opened;
  // PFS counts progression or death (first_event), the OS endpoints death.
  const endpoints = [
    ['PFS', 'date_surgery', 'date_progression_or_last', ['--event', 'first_event', '--event-value', 'progression', '--event-value', 'death']],
    ['OS from surgery', 'date_surgery', 'date_death_or_last', ['--event', 'died']],
    ['OS from drug start', 'date_drug_start', 'date_death_or_last', ['--event', 'died']],
  ];
  for (const [name, start, end, event] of endpoints) {
    await page.click(`#endpoint-tabs button:text-is("${name}")`);
    await page.waitForFunction((n) => document.querySelector('#panel-km h3')?.textContent.startsWith(n), name);
    await assertMatchesCli(page, cli(EXAMPLE, '--start-date', start, '--end-date', end, '--unit', 'months',
      ...event, '--group', 'resection'));
  }
  await page.waitForSelector('#km-endpoints');
  const all = await cells(page, 'km-endpoints');
  assert.deepEqual(all.map((r) => r[0]).filter(Boolean), endpoints.map(([name]) => `${name} (months)`));
  assert.equal(all.length, 6, 'two groups for each of three endpoints');
  assert.match(await page.textContent('#status'), /simulated/);
  await page.screenshot({ path: join(SCRATCH, 'example.png'), fullPage: true });
  await noLeaks(opened);
});

test('a share link restores the settings once the file is given, and holds no data', async () => {
  const first = await openPage(env);
  await first.page.click('#example-button');
  await first.page.waitForSelector('#km-summary');
  await first.page.click('#endpoint-tabs button:text-is("OS from surgery")');
  await first.page.waitForFunction(() => document.querySelector('#panel-km h3')?.textContent.startsWith('OS from surgery'));
  await first.page.getByLabel('Confidence interval').selectOption('log');
  await first.page.waitForFunction(() => document.querySelector('#km-summary tfoot')?.textContent.includes('"log"'));
  await first.page.fill('#opt-tau', '60');
  await first.page.dispatchEvent('#opt-tau', 'change');
  await first.page.waitForFunction(() => document.querySelector('#km-summary tfoot')?.textContent.includes('τ = 60.0'));
  await first.page.click('#copy-link');
  await first.page.waitForFunction(() => location.hash.startsWith('#s='));
  const link = await first.page.evaluate(() => location.href);
  assert.doesNotMatch(Buffer.from(link.split('#s=')[1], 'base64url').toString(), /P01|2017-04-08/, 'no data in the link');

  const second = await openPage(env, `#s=${link.split('#s=')[1]}`);
  const { page } = second;
  assert.match(await page.textContent('#restore-note'), /choose or drop the file/);
  await page.setInputFiles('#file-input', EXAMPLE);
  await page.waitForSelector('#km-summary');
  const selected = await page.$eval('#endpoint-tabs button[aria-selected=true]', (b) => b.textContent);
  assert.equal(selected, 'OS from surgery');
  assert.equal(await page.getByLabel('Confidence interval').inputValue(), 'log');
  assert.equal(await page.inputValue('#opt-tau'), '60');
  const ref = cli(EXAMPLE, '--start-date', 'date_surgery', '--end-date', 'date_death_or_last', '--unit', 'months',
    '--event', 'died', '--group', 'resection', '--conf-type', 'log', '--tau', '60');
  await assertMatchesCli(page, ref);
  await noLeaks(first);
  await noLeaks(second);
});

test('a broken file shows a readable error and the page keeps working', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await dropFile(page, 'broken.csv', 'time,time\n1,2\n');
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error'), /“broken.csv” could not be read: .*'time'.*Rename one of them/);

  // A zip signature and nothing else: what a truncated download of a workbook looks like.
  await dropFile(page, 'garbage.xlsx', [0x50, 0x4b, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'application/octet-stream');
  await page.waitForFunction(() => document.querySelector('#error')?.textContent.includes('garbage.xlsx'));
  assert.match(await page.textContent('#error'), /could not be read: .*xlsx.*Save it again/);

  await dropFile(page, 'empty.csv', 'time,status\n');
  await page.waitForFunction(() => document.querySelector('#error')?.textContent.includes('empty.csv'));
  assert.match(await page.textContent('#error'), /no data rows/);

  // A date column chosen as the time: the error names the page's controls (never a flag),
  // the spreadsheet's row number, and highlights the choice to change.
  await dropFile(page, 'dates.csv', 'op,last,status\n2020-01-01,2020-05-01,1\n2020-02-01,2020-09-01,0\n2020-03-01,2020-04-15,1\n');
  await page.waitForSelector('#km-summary');
  await page.check('#src-column');
  await page.selectOption('#ep-time', 'last');
  // The error shows under the endpoint's controls, where the fix is made.
  await page.waitForFunction(() => document.querySelector('#outcome-error')?.textContent.includes('is a date'));
  const dateError = await page.textContent('#outcome-error');
  assert.doesNotMatch(dateError, /--/);
  assert.match(dateError, /column “last”, row 2 of the spreadsheet: '2020-05-01' is a date, not a follow-up time\. To compute time from dates, choose “start and end dates”/);
  assert.equal(await page.$eval('#src-dates', (n) => n.classList.contains('attention')), true);

  await dropFile(page, 'aml.csv', readFileSync(AML, 'utf8'));
  await page.waitForSelector('#km-summary');
  await page.selectOption('#ep-event', 'x');
  await page.waitForFunction(() => document.querySelector('#outcome-error')?.textContent.includes('Values meaning the event happened'));
  assert.match(await page.textContent('#outcome-error'), /found 'maintained', 'nonmaintained'\. Type the values meaning the event/);
  assert.equal(await page.$eval('#ep-event-values', (n) => n.classList.contains('attention')), true);
  await page.selectOption('#ep-event', 'status');
  await page.waitForSelector('#km-summary');
  await page.waitForSelector('#outcome-error', { state: 'detached' });
  assert.equal(await page.isHidden('#error'), true);
  assert.equal(await page.$$eval('.attention', (n) => n.length), 0, 'no control stays highlighted once the error is gone');
  await noLeaks(opened);
});

test('Cox and Table 1 views on the example', async () => {
  const opened = await openExample(env);
  const { page } = opened;
  await page.click('#view-tabs button[data-view=cox]');
  await page.waitForSelector('#cox-multivariable');
  const terms = await cells(page, 'cox-multivariable');
  const ref = JSON.parse(execFileSync(CLI, ['cox', EXAMPLE, '--json', '--start-date', 'date_surgery',
    '--end-date', 'date_progression_or_last', '--unit', 'months', '--event', 'first_event',
    '--event-value', 'progression', '--event-value', 'death', '--covariate', 'resection', '--categorical', 'resection', '--covariate', 'age'], { encoding: 'utf8' }));
  // The covariate on its own row with its overall P, then its levels, the reference first, as journals print it.
  assert.deepEqual(terms.map((t) => t[0]), ['resection', 'R0/1', 'R2', 'age']);
  assert.equal(terms[0][4], p3(ref.covariate_tests[0].wald_p));
  assert.equal(terms[1][3], '1 (reference)');
  ref.terms.forEach((t, i) => {
    assert.equal(terms[i + 2][3], `${t.hr.toFixed(2)} (${t.hr_lower.toFixed(2)}–${t.hr_upper.toFixed(2)})`);
    assert.equal(terms[i + 2][4], p3(t.p));
  });
  await page.waitForSelector('#cox-table');
  // The proportional-hazards plots: tests/web/zph.test.mjs.
  await page.click('#view-tabs button[data-view=table1]');
  await page.waitForSelector('#table1');
  const t1 = await cells(page, 'table1');
  assert.match(t1[0][0], /^age, mean \(SD\)/);
  assert.ok(t1.some((r) => r[0].trim() === 'female'));
  await page.screenshot({ path: join(SCRATCH, 'models.png'), fullPage: true });
  await noLeaks(opened);
});

test('data put in a link after the warning open without asking for the file', async () => {
  const first = await openPage(env);
  await first.page.click('#example-button');
  await first.page.waitForSelector('#km-summary');
  assert.equal(await first.page.isHidden('#share-warning'), true);
  await first.page.check('#share-data');
  assert.match(await first.page.textContent('#share-warning'), /Anyone who gets this link can read every row/);
  await first.page.click('#copy-link');
  await first.page.waitForFunction(() => location.hash.includes('&d='));
  const fragment = await first.page.evaluate(() => location.hash);
  const shown = await cells(first.page, 'km-summary');

  const second = await openPage(env, fragment);
  await second.page.waitForSelector('#km-summary');
  assert.deepEqual(await cells(second.page, 'km-summary'), shown);
  assert.match(await second.page.textContent('#restore-note'), /carried its data/);
  await noLeaks(first);
  await noLeaks(second);
});

test('the page works under a sub-path, as on GitHub Pages', async () => {
  const { startServer } = await import('../../scripts/serve.mjs');
  const served = await startServer({ root: ROOT });
  try {
    const page = await env.browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${served.url}www/`);
    await page.waitForSelector('html[data-ready=true]', { state: 'attached' });
    await page.click('#example-button');
    await page.waitForSelector('#km-summary');
    assert.ok(served.log.every((p) => p.startsWith('/www/')), served.log.join(' '));
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await new Promise((ok) => served.server.close(ok));
  }
});

test('a picked .xlsx workbook gives the command line numbers for the same file', async () => {
  const workbook = join(ROOT, 'tests', 'data', 'input', 'workbook.xlsx');
  const opened = await openPage(env);
  const { page } = opened;
  await page.setInputFiles('#file-input', workbook);
  await page.waitForSelector('#km-summary');
  await page.check('#src-column');
  await page.selectOption('#ep-time', 'time');
  await page.selectOption('#ep-event', 'status');
  await page.selectOption('#group', 'arm');
  await page.waitForFunction(() => document.querySelectorAll('#km-summary tbody tr').length === 2);
  await assertMatchesCli(page, cli(workbook, '--time', 'time', '--event', 'status', '--group', 'arm'));
  await noLeaks(opened);
});

test('the spreadsheet module is fetched for the first workbook only, never for a CSV; workbooks give the command line numbers', async () => {
  const opened = await openPage(env);
  const { page, seen } = opened;
  const sheetFiles = () => seen.requests.map((u) => new URL(u).pathname).filter((p) => p.includes('survcalc_sheets'));
  await dropFile(page, 'aml.csv', readFileSync(AML, 'utf8'));
  await page.waitForSelector('#km-summary');
  assert.ok(seen.requests.some((u) => u.endsWith('/pkg/survcalc_bg.wasm')), 'the request log sees the worker\'s fetches');
  assert.deepEqual(sheetFiles(), [], 'a CSV needs no spreadsheet module');
  assert.match(await page.textContent('#file-label'), /UTF-8 text, delimiter “,”/);

  const xlsx = join(ROOT, 'tests', 'data', 'input', 'workbook.xlsx');
  await page.setInputFiles('#file-input', xlsx);
  await page.waitForFunction(() => document.querySelector('#file-label')?.textContent.includes('xlsx'));
  assert.deepEqual(sheetFiles(), ['/pkg/survcalc_sheets.js', '/pkg/survcalc_sheets_bg.wasm']);
  assert.match(await page.textContent('#file-label'), /read as xlsx sheet “Data”/);
  await page.check('#src-column');
  await page.selectOption('#ep-time', 'time');
  await page.selectOption('#group', 'arm');
  await page.waitForFunction(() => document.querySelectorAll('#km-summary tbody tr').length === 2);
  await assertMatchesCli(page, cli(xlsx, '--time', 'time', '--event', 'status', '--group', 'arm'));

  // An .xls (OLE, not zip) is recognised too, and the module already loaded is reused.
  const xls = join(ROOT, 'tests', 'data', 'input', 'workbook.xls');
  await page.setInputFiles('#file-input', xls);
  await page.waitForFunction(() => document.querySelector('#file-label')?.textContent.includes('xls sheet'));
  await page.check('#src-dates');
  await page.selectOption('#ep-start', 'start');
  await page.selectOption('#ep-end', 'end');
  await page.selectOption('#ep-event', 'status');
  await page.selectOption('#group', 'sex');
  await page.waitForFunction(() => document.querySelector('#panel-km h3')?.textContent.includes('by sex'));
  await assertMatchesCli(page, cli(xls, '--start-date', 'start', '--end-date', 'end', '--unit', 'months',
    '--event', 'status', '--group', 'sex'));
  assert.deepEqual(sheetFiles(), ['/pkg/survcalc_sheets.js', '/pkg/survcalc_sheets_bg.wasm'], 'loaded once');
  await noLeaks(opened);
});

test('four groups: trend test and Holm-adjusted pairwise tests equal the command line', async () => {
  const veteran = join(ROOT, 'tests', 'data', 'veteran.csv');
  const opened = await openPage(env);
  const { page } = opened;
  await page.setInputFiles('#file-input', veteran);
  await page.waitForSelector('#km-summary');
  await page.selectOption('#ep-time', 'time');
  await page.selectOption('#ep-event', 'status');
  await page.selectOption('#group', 'celltype');
  await page.waitForFunction(() => document.querySelectorAll('#km-summary tbody tr').length === 4);
  await page.getByLabel('test for trend').check();
  await page.waitForFunction(() => document.querySelector('#km-tests')?.textContent.includes('trend'));
  const ref = cli(veteran, '--time', 'time', '--event', 'status', '--group', 'celltype', '--trend-scores', '1,2,3,4', '--pairwise');
  await assertMatchesCli(page, ref);
  const trend = (await cells(page, 'km-tests')).at(-1);
  assert.deepEqual(trend.slice(1), [ref.trend.chisq.toFixed(2), String(ref.trend.df), p3(ref.trend.p)]);
  const pairs = await cells(page, 'km-pairwise');
  assert.deepEqual(pairs.map((r) => [r[0], r[4]]),
    ref.pairwise.comparisons.map((c) => [`${c.group1} vs ${c.group2}`, p3(c.p_adjusted)]));
  await noLeaks(opened);
});

test('Table 1: a skewed variable as median (IQR) with a rank test, as the command line', async () => {
  const opened = await openExample(env);
  const { page } = opened;
  await page.click('#view-tabs button[data-view=table1]');
  await page.waitForSelector('#table1');
  await page.getByLabel('age summarised as').selectOption('median');
  await page.waitForFunction(() => document.querySelector('#table1 tbody th')?.textContent.includes('median'));
  const ref = JSON.parse(execFileSync(CLI, ['table1', EXAMPLE, '--json', '--group', 'resection', '--variable', 'age',
    '--nonnormal', 'age'], { encoding: 'utf8' }));
  const [age] = await cells(page, 'table1');
  const row = ref.rows[0];
  const iqr = (s) => `${s.median.toFixed(1)} (${s.q1.toFixed(1)}–${s.q3.toFixed(1)})`;
  assert.equal(row.test, 'mann-whitney');
  assert.deepEqual(age, ['age, median (IQR)', iqr(row.overall), ...row.by_group.map(iqr), `${p3(row.p)} a`]);
  await noLeaks(opened);
});

test('the tab lists answer the keyboard as WAI-ARIA tabs: arrows, Home and End select, focus follows', async () => {
  const opened = await openExample(env);
  const { page } = opened;
  const tabState = (list) => page.evaluate((id) => {
    const tabs = [...document.querySelectorAll(`#${id} [role=tab]`)];
    return {
      focused: document.activeElement?.id,
      selected: tabs.filter((t) => t.getAttribute('aria-selected') === 'true').map((t) => t.id),
      tabindex: tabs.map((t) => t.tabIndex),
      // The endpoint tabs share one panel (the endpoint's form), so panels are counted once.
      shown: [...new Set(tabs.map((t) => document.getElementById(t.getAttribute('aria-controls'))))]
        .filter((p) => p && !p.hidden && p.getAttribute('role') === 'tabpanel').map((p) => `${p.id} labelled by ${p.getAttribute('aria-labelledby')}`),
    };
  }, list);
  const view = (name, tabindex) => ({ focused: `tab-${name}`, selected: [`tab-${name}`], tabindex, shown: [`panel-${name} labelled by tab-${name}`] });

  // The views in their order: km, cif, cox, regression, table1.
  await page.focus('#tab-km');
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await tabState('view-tabs'), view('cif', [-1, 0, -1, -1, -1]));
  await page.waitForSelector('#cif-summary');
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await tabState('view-tabs'), view('cox', [-1, -1, 0, -1, -1]));
  await page.waitForSelector('#cox-multivariable');
  await page.keyboard.press('End');
  assert.deepEqual(await tabState('view-tabs'), view('table1', [-1, -1, -1, -1, 0]));
  await page.waitForSelector('#table1');
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await tabState('view-tabs'), view('km', [0, -1, -1, -1, -1]), 'Right on the last tab wraps to the first');
  await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await tabState('view-tabs'), view('table1', [-1, -1, -1, -1, 0]), 'Left on the first tab wraps to the last');
  await page.keyboard.press('Home');
  assert.deepEqual(await tabState('view-tabs'), view('km', [0, -1, -1, -1, -1]));

  // The endpoint tabs are drawn again on every change: focus must land on the new tab all the same.
  await page.focus('#endpoint-tab-0');
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await tabState('endpoint-tabs'), {
    focused: 'endpoint-tab-1', selected: ['endpoint-tab-1'], tabindex: [-1, 0, -1], shown: ['endpoint-panel labelled by endpoint-tab-1'],
  });
  await page.waitForFunction(() => document.querySelector('#panel-km h3')?.textContent.startsWith('OS from surgery'));
  assert.equal(await page.inputValue('#ep-name'), 'OS from surgery');
  // Only the selected tab is in the Tab order: Tab leaves the list for the panel's first field.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'ep-name');
  await noLeaks(opened);
});

test('the Fleming-Harrington (p, q) test: off by default, equal to the command line, named in the methods and kept by a share link', async () => {
  const first = await openPage(env);
  const { page } = first;
  await dropFile(page, 'aml.csv', readFileSync(AML, 'utf8'));
  await page.waitForSelector('#km-summary');
  await page.selectOption('#group', 'x');
  await page.waitForFunction(() => document.querySelectorAll('#km-summary tbody tr').length === 2);
  assert.equal(await page.isVisible('#opt-fh-p'), false, 'p and q are hidden until the test is asked for');
  await page.getByLabel('Fleming-Harrington (p, q) test').check();
  await page.waitForFunction(() => document.querySelector('#km-tests')?.textContent.includes('Fleming-Harrington'));
  await page.fill('#opt-fh-q', '1');
  await page.dispatchEvent('#opt-fh-q', 'change');
  await page.waitForFunction(() => document.querySelector('#km-tests')?.textContent.includes('p = 0, q = 1'));
  const ref = cli(AML, '--time', 'time', '--event', 'status', '--group', 'x', '--fh', '0,1');
  const row = (await cells(page, 'km-tests')).find((r) => r[0].startsWith('Fleming-Harrington'));
  const fh = ref.fleming_harrington;
  assert.deepEqual(row, ['Fleming-Harrington (p = 0, q = 1)', fh.chisq.toFixed(2), String(fh.df), p3(fh.p)]);
  await assertMatchesCli(page, ref);
  assert.match(await page.textContent('#methods-text'), /Fleming-Harrington G\(p, q\) test with p = 0 and q = 1/);

  await page.click('#copy-link');
  await page.waitForFunction(() => location.hash.startsWith('#s='));
  const second = await openPage(env, await page.evaluate(() => location.hash));
  await dropFile(second.page, 'aml.csv', readFileSync(AML, 'utf8'));
  await second.page.waitForFunction(() => document.querySelector('#km-tests')?.textContent.includes('p = 0, q = 1'));
  assert.deepEqual((await cells(second.page, 'km-tests')).find((r) => r[0].startsWith('Fleming-Harrington')), row);
  assert.equal(await second.page.inputValue('#opt-fh-q'), '1');

  await second.page.fill('#opt-fh-p', '-1');
  await second.page.dispatchEvent('#opt-fh-p', 'change');
  // The error shows beside the options that caused it, and highlights the control to change.
  await second.page.waitForSelector('#km-error');
  assert.match(await second.page.textContent('#km-error'), /p = -1, q = 1: both must be numbers of 0 or more/);
  assert.equal(await second.page.getAttribute('#opt-fh-p', 'aria-invalid'), 'true');
  await noLeaks(first);
  await noLeaks(second);
});

test('the time unit of a plain time column: guessed from its name or unspecified, editable, in the tables, axis, methods and link', async () => {
  const first = await openPage(env);
  const { page } = first;
  await dropFile(page, 'aml.csv', readFileSync(AML, 'utf8'));
  await page.waitForSelector('#km-summary');
  // 'time' says nothing about its unit: no unit is made up.
  assert.equal(await page.inputValue('#ep-time-unit'), '');
  const heads = () => page.$$eval('#km-summary thead th', (th) => th.map((h) => h.textContent));
  assert.equal((await heads())[3], 'Median (95% CI)');
  assert.match(await page.textContent('#methods-text'), /column “time” \(\[time unit\]\)/);
  const axis = async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
    return readFileSync(await download.path(), 'utf8').match(/>\s*(Time[^<]*?)\s*</)?.[1];
  };
  assert.equal(await axis(), 'Time');

  await page.selectOption('#ep-time-unit', 'weeks');
  await page.waitForFunction(() => document.querySelector('#km-summary thead')?.textContent.includes('Median, weeks'));
  assert.equal(await axis(), 'Time (weeks)');
  assert.match(await page.textContent('#methods-text'), /column “time” \(weeks\)/);
  assert.match(await page.textContent('#km-caption'), /median \d+\.\d weeks/);

  await page.click('#copy-link');
  await page.waitForFunction(() => location.hash.startsWith('#s='));
  const second = await openPage(env, await page.evaluate(() => location.hash));
  await dropFile(second.page, 'aml.csv', readFileSync(AML, 'utf8'));
  await second.page.waitForSelector('#km-summary');
  assert.equal(await second.page.inputValue('#ep-time-unit'), 'weeks');

  // A name that says its unit pre-fills the control.
  await dropFile(second.page, 'os.csv', 'os_months,dead\n5,1\n8,0\n12,1\n');
  await second.page.waitForFunction(() => document.querySelector('#km-summary thead')?.textContent.includes('Median, months'));
  assert.equal(await second.page.inputValue('#ep-time-unit'), 'months');
  await noLeaks(first);
  await noLeaks(second);
});
