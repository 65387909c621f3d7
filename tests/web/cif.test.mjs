// The competing-risks view in chromium: an event column of several codes is recognised, the codes'
// meaning is chosen, the cumulative incidence is drawn by the core with the number at risk, and the
// incidence, Gray's test and the two regression models equal the command line's (`cif`, `cox`,
// `finegray` --json); the example is one click away and a share link keeps the codes' meaning.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, privacyProblems, dropFile, ROOT, SCRATCH } from './harness.mjs';

const CLI = process.env.SURVCALC ?? join(ROOT, 'target', 'debug', 'survcalc');
/** survival's mgus2 (LGPL): event 0 censored, 1 progression to a plasma-cell malignancy, 2 death (tests/data/cif.R). */
const MGUS2 = join(ROOT, 'tests', 'data', 'cif_mgus2.csv');
const EXAMPLE = join(ROOT, 'www', 'example', 'gist_simulated.csv');
const EXAMPLE_PFS = ['--start-date', 'date_surgery', '--end-date', 'date_progression_or_last', '--unit', 'months', '--event', 'first_event'];

let env;
before(async () => {
  if (!existsSync(CLI)) execFileSync('cargo', ['build', '--bin', 'survcalc'], { cwd: ROOT, stdio: 'inherit' });
  env = await launch();
});
after(async () => { await env?.close(); });

/** The command line's JSON for a command: the reference the page must agree with. */
function cli(command, file, ...args) {
  return JSON.parse(execFileSync(CLI, [command, file, '--json', ...args], { encoding: 'utf8' }));
}

async function cells(page, id) {
  return page.$$eval(`#${id} tbody tr`, (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
}

const p3 = (p) => (p < 0.001 ? '<0.001' : p > 0.999 ? '>0.999' : p.toFixed(3));
const pct = (x) => `${(x * 100).toFixed(1)}%`;

/** The incidence table and Gray's test against `cif --json`, as the page rounds them. */
async function assertCifMatchesCli(page, ref) {
  const rows = await cells(page, 'cif-summary');
  assert.equal(rows.length, ref.groups.length);
  ref.groups.forEach((g, i) => {
    const [name, n, events, competing, censored, ...at] = rows[i];
    assert.equal(name, g.name === 'all' ? 'All patients' : g.name);
    assert.deepEqual([n, events, competing, censored].map(Number), [g.n, g.events, g.competing_events, g.n - g.events - g.competing_events]);
    const shown = (a) => (a.cif === null ? 'not estimable' : a.lower === null ? `${pct(a.cif)} (—)` : `${pct(a.cif)} (${pct(a.lower)}–${pct(a.upper)})`);
    assert.deepEqual(at, g.at.map(shown), `${g.name} at times`);
  });
  if (ref.gray_test) {
    const [[, chisq, df, p]] = await cells(page, 'cif-tests');
    assert.deepEqual([chisq, Number(df), p], [ref.gray_test.chisq.toFixed(2), ref.gray_test.df, p3(ref.gray_test.p)]);
  }
}

/** The side-by-side table against `cox --json` (cause-specific) and `finegray --json`, term by term. */
async function assertModelsMatchCli(page, cox, fg) {
  const rows = await cells(page, 'cif-models-table');
  const hr = (t) => `${t.hr.toFixed(2)} (${t.hr_lower.toFixed(2)}–${t.hr_upper.toFixed(2)})`;
  const label = (t) => (t.level ? `${t.variable}: ${t.level}` : t.name);
  for (const [fit, column] of [[cox, 1], [fg, 3]]) {
    for (const t of fit.terms) {
      const row = rows.find((r) => r[0] === label(t));
      assert.ok(row, `a row for ${label(t)}`);
      assert.deepEqual(row.slice(column, column + 2), [hr(t), p3(t.p)], `${label(t)}, ${column === 1 ? 'cause-specific' : 'Fine-Gray'}`);
      if (t.reference) assert.equal(rows.find((r) => r[0] === `${t.variable}: ${t.reference}`)?.[column], '1 (reference)');
    }
  }
}

/** Share of the canvas's pixels that are not white, and how many are strongly coloured (curves). */
async function inked(page) {
  return page.$eval('#cif-canvas', (c) => {
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

async function setTimes(page, text) {
  await page.fill('#cif-at', text);
  await page.dispatchEvent('#cif-at', 'change');
}

test('a dropped file coded 0/1/2: recognised, curves drawn with the number at risk, numbers equal to cif, cox and finegray', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await dropFile(page, 'mgus2.csv', readFileSync(MGUS2, 'utf8'));
  await page.waitForSelector('#roles:not([hidden])');
  await page.check('#src-column');
  await page.selectOption('#ep-time', 'etime');
  await page.selectOption('#ep-event', 'event');
  await page.selectOption('#group', 'sex');
  // Three codes fit no yes/no reading: the page says so beside the event column and offers the view.
  await page.waitForSelector('#ep-open-cif');
  assert.match(await page.textContent('#ep-several-codes'), /“event” holds 3 codes \(0, 1, 2\)/);
  await page.click('#ep-open-cif');
  await page.waitForSelector('#cif-summary');
  assert.equal(await page.getAttribute('#tab-cif', 'aria-selected'), 'true');
  // Guessed as cmprsk's fstatus: 0 censored, 1 the event of interest, 2 competing; said, and the rest censored.
  assert.deepEqual(await page.$$eval('#cif-causes select', (s) => s.map((x) => x.value)), ['censored', 'event', 'competing']);
  assert.match(await page.textContent('#cif-coding'), /Event of interest: 1; competing: 2; censored at their time: 0 and any other value.*Guessed/);

  await setTimes(page, '12, 60, 120');
  await page.waitForFunction(() => document.querySelector('#cif-summary thead')?.textContent.includes('At 120.0'));
  const ref = cli('cif', MGUS2, '--time', 'etime', '--event', 'event', '--event-value', '1', '--competing-value', '2', '--group', 'sex', '--at', '12,60,120');
  await assertCifMatchesCli(page, ref);
  assert.match(await page.textContent('#cif-definition'), /event of interest = 1; competing = 2; any other value = censored/);

  const { ink, coloured } = await inked(page);
  assert.ok(ink > 0.01 && ink < 0.5, `canvas ink ${ink}`);
  assert.ok(coloured > 200, `coloured pixels ${coloured}`);

  // The covariates default to the group (categorical); add age.
  await page.waitForSelector('#cif-models-table');
  await page.check('#cif-use-age');
  await page.waitForFunction(() => document.querySelectorAll('#cif-models-table tbody tr').length === 3);
  const model = ['--time', 'etime', '--event', 'event', '--event-value', '1', '--covariate', 'age', '--covariate', 'sex', '--categorical', 'sex'];
  // Cause-specific: Cox with the competing event (2) counted as censored, as the listed event value makes it.
  await assertModelsMatchCli(page, cli('cox', MGUS2, ...model), cli('finegray', MGUS2, ...model, '--competing-value', '2'));

  // An incidence of 10-20% reads better on an axis that ends at 0.3 (the figure's own control).
  await page.fill('#plot-y-max', '0.3');
  await page.dispatchEvent('#plot-y-max', 'change');
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#cif-export-svg')]);
  const text = await page.evaluate((svg) => [...new DOMParser().parseFromString(svg, 'image/svg+xml').querySelectorAll('text')]
    .map((t) => t.textContent).join('|'), readFileSync(await svgDownload.path(), 'utf8'));
  const labels = text.split('|').map((l) => l.trim());
  assert.ok(labels.some((l) => /^0\.30?$/.test(l)) && !labels.includes('1.0') && !labels.includes('0.8'), `the axis ends at 0.3: ${text}`);
  assert.match(text, /Number at risk/);
  assert.match(text, /Cumulative incidence of event 1/);
  assert.match(text, /Gray's test P/);
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('#cif-export-png')]);
  const png = readFileSync(await pngDownload.path());
  assert.equal(png.readUInt32BE(png.indexOf('pHYs') + 4), Math.round(300 / 0.0254), 'PNG at 300 dpi');

  const methods = await page.textContent('#cif-methods');
  assert.match(methods, /Aalen-Johansen/);
  assert.match(methods, /Gray's test/);
  assert.match(methods, /Fine and Gray/);
  await page.locator('#cif-canvas').screenshot({ path: join(SCRATCH, 'cif-figure.png') });
  await page.screenshot({ path: join(SCRATCH, 'cif.png'), fullPage: true });
  await noLeaks(opened);
});

test('the example: competing risks one click away; the codes\' meaning changed, equal to the command line, and kept by a share link', async () => {
  const first = await openPage(env);
  const { page } = first;
  await page.click('#example-button');
  await page.waitForSelector('#km-summary');
  await page.click('#tab-cif');
  await page.waitForSelector('#cif-summary');
  assert.deepEqual(await page.$$eval('#cif-causes select', (s) => s.map((x) => x.value)), ['competing', 'censored', 'event'], 'death, none, progression');
  await assertCifMatchesCli(page, cli('cif', EXAMPLE, ...EXAMPLE_PFS, '--event-value', 'progression', '--competing-value', 'death', '--group', 'resection'));
  const model = [...EXAMPLE_PFS, '--event-value', 'progression', '--covariate', 'resection', '--categorical', 'resection', '--covariate', 'age'];
  await page.waitForSelector('#cif-models-table');
  await assertModelsMatchCli(page, cli('cox', EXAMPLE, ...model), cli('finegray', EXAMPLE, ...model, '--competing-value', 'death'));
  await page.screenshot({ path: join(SCRATCH, 'cif-example.png'), fullPage: true });

  // The other way round: the incidence of death without progression, progression competing.
  await page.selectOption('#cif-cause-death', 'event');
  await page.selectOption('#cif-cause-progression', 'competing');
  await page.waitForFunction(() => document.querySelector('#panel-cif h3')?.textContent.includes('cumulative incidence of death by'));
  await setTimes(page, '24, 60');
  await page.waitForFunction(() => document.querySelector('#cif-summary thead')?.textContent.includes('At 60.0'));
  const deathFirst = cli('cif', EXAMPLE, ...EXAMPLE_PFS, '--event-value', 'death', '--competing-value', 'progression', '--group', 'resection', '--at', '24,60');
  await assertCifMatchesCli(page, deathFirst);

  await page.click('#copy-link');
  await page.waitForFunction(() => location.hash.startsWith('#s='));
  const link = await page.evaluate(() => location.href);
  const second = await openPage(env, `#s=${link.split('#s=')[1]}`);
  await second.page.setInputFiles('#file-input', EXAMPLE);
  await second.page.waitForSelector('#cif-summary');
  assert.equal(await second.page.getAttribute('#tab-cif', 'aria-selected'), 'true');
  assert.deepEqual(await second.page.$$eval('#cif-causes select', (s) => s.map((x) => x.value)), ['event', 'censored', 'competing'], 'death, none, progression');
  assert.equal(await second.page.inputValue('#cif-at'), '24, 60');
  await assertCifMatchesCli(second.page, deathFirst);
  await noLeaks(first);
  await noLeaks(second);
});
