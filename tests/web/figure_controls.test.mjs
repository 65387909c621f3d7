// The figure's controls in chromium, read back from the exported SVG: the rows under the plot
// (number at risk, cumulative events, cumulative censored) on and off, their numbers under the
// ticks with long and with short group names; censored observations every / thinned / rug as
// the caption says; the legend inside, above or absent relative to the plot; each kept by a
// share link. A forest plot too wide for its width says so and keeps its controls.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  launch, openPage, dropFile, setValue, groupsShown, downloaded, svgDrawing, noLeaks, reopenFromLink, ensureCli, cli, ROOT,
} from './harness.mjs';

const LUNG = join(ROOT, 'tests', 'data', 'lung.csv');
const LUNG_TEXT = readFileSync(LUNG, 'utf8');
const SHORT = ['M', 'F'];
const LONG = ['Men, any performance status', 'Women, any performance status'];

let env;
before(async () => {
  ensureCli();
  env = await launch();
});
after(async () => { await env?.close(); });

/** lung by sex, the groups renamed `names` (for levels 1 and 2). */
async function lungBySex(names) {
  const opened = await openPage(env);
  const { page } = opened;
  await dropFile(page, 'lung.csv', LUNG_TEXT);
  await page.waitForSelector('#km-summary');
  await page.selectOption('#group', 'sex');
  await groupsShown(page, ['1', '2']);
  await setValue(page, '#fig-label-1', names[0]);
  await setValue(page, '#fig-label-2', names[1]);
  await groupsShown(page, names);
  return opened;
}

/** Sets a checkbox and waits for the figure to be drawn again. */
async function tick(page, selector, on) {
  if ((await page.isChecked(selector)) !== on) await page.click(selector);
  assert.equal(await page.isChecked(selector), on);
}

/** The exported SVG's drawing, with its plot frame and x axis ticks. */
async function exported(page) {
  const drawing = await svgDrawing(page, (await downloaded(page, '#export-svg')).bytes);
  // The plot frame: the widest black polyline turning from down to right (y axis, x axis).
  const frame = drawing.polylines
    .filter((l) => l.stroke === '#000000' && l.points.length === 3)
    .map((l) => l.points)
    .filter(([a, b, c]) => a[0] === b[0] && a[1] < b[1] && b[1] === c[1])
    .sort((p, q) => (q[2][0] - q[1][0]) - (p[2][0] - p[1][0]))[0];
  assert.ok(frame, 'a plot frame');
  const plot = { left: frame[1][0], bottom: frame[1][1], top: frame[0][1], right: frame[2][0] };
  const marks = drawing.polylines
    .map((l) => l.points)
    .filter((p) => p.length === 2 && p[0][0] === p[1][0] && p[0][1] === plot.bottom && p[1][1] > plot.bottom)
    .map((p) => p[0][0]);
  const below = drawing.texts.filter((t) => t.anchor === 'middle' && t.y > plot.bottom);
  const labelRow = Math.min(...below.map((t) => t.y));
  const ticks = below.filter((t) => t.y === labelRow).map((t) => t.x);
  assert.deepEqual([...ticks].sort((a, b) => a - b), [...marks].sort((a, b) => a - b), 'a label on every tick mark');
  // The rows of numbers under the plot: whole numbers centred below the tick labels, by row.
  const rows = new Map();
  for (const t of below.filter((t) => t.y > labelRow && /^\d+$/.test(t.text))) {
    rows.set(t.y, [...(rows.get(t.y) ?? []), t.x]);
  }
  return { ...drawing, plot, ticks, rows: [...rows.values()] };
}

/** The rows under the plot as the options ask: headings and labels present, numbers at the ticks. */
function assertTable(svg, { risk, events, censored }, names, what) {
  const texts = svg.texts.map((t) => t.text);
  const kinds = [risk, events, censored].filter(Boolean).length;
  assert.equal(svg.rows.length, kinds * names.length, `${what}: ${kinds} rows a group in ${texts}`);
  for (const row of svg.rows) {
    assert.deepEqual(row, svg.ticks, `${what}: one number under each tick, at its x`);
  }
  const kmunicate = events || censored;
  assert.equal(texts.includes('Number at risk'), risk && !kmunicate, `${what}: the number-at-risk heading`);
  assert.equal(texts.filter((t) => t === 'At risk').length, kmunicate && risk ? names.length : 0, `${what}: at-risk rows`);
  assert.equal(texts.filter((t) => t === 'Events').length, events ? names.length : 0, `${what}: events rows`);
  assert.equal(texts.filter((t) => t === 'Censored').length, censored ? names.length : 0, `${what}: censored rows`);
}

const TABLES = [
  { risk: true, events: false, censored: false },
  { risk: true, events: true, censored: false },
  { risk: true, events: true, censored: true },
  { risk: true, events: false, censored: true },
  { risk: false, events: true, censored: false },
  { risk: false, events: false, censored: false },
];

for (const names of [SHORT, LONG]) {
  test(`rows under the plot on and off, the numbers under the ticks, with ${names === LONG ? 'long' : 'short'} group names; kept by a share link`, async () => {
    const opened = await lungBySex(names);
    const { page } = opened;
    for (const table of TABLES) {
      await tick(page, '#plot-risk-table', table.risk);
      await tick(page, '#plot-risk-events', table.events);
      await tick(page, '#plot-risk-censored', table.censored);
      assertTable(await exported(page), table, names, JSON.stringify(table));
    }
    // The last setting, and one with every row, travel in the link.
    for (const table of [TABLES[5], TABLES[2]]) {
      await tick(page, '#plot-risk-table', table.risk);
      await tick(page, '#plot-risk-events', table.events);
      await tick(page, '#plot-risk-censored', table.censored);
      const second = await reopenFromLink(env, page, 'lung.csv', LUNG_TEXT);
      await groupsShown(second.page, names);
      assert.equal(await second.page.isChecked('#plot-risk-table'), table.risk);
      assert.equal(await second.page.isChecked('#plot-risk-events'), table.events);
      assert.equal(await second.page.isChecked('#plot-risk-censored'), table.censored);
      assertTable(await exported(second.page), table, names, `linked ${JSON.stringify(table)}`);
      await noLeaks(env, second);
    }
    await noLeaks(env, opened);
  });
}

test('censored observations: a mark at every time, thinned, or a rug, as the caption says; kept by a share link', async () => {
  const opened = await lungBySex(SHORT);
  const { page } = opened;
  // The times with censorings per group, as the command line's km counts them.
  const km = cli('km', LUNG, '--time', 'time', '--event', 'status', '--group', 'sex');
  const censoredTimes = km.groups.map((g) => g.steps.filter((s) => s.n_censor > 0).length);
  const total = censoredTimes.reduce((a, b) => a + b, 0);
  const crosses = (svg) => svg.polygons.filter((p) => p.points.length === 12).length;
  // Rug ticks: short vertical strokes standing inside the plot just above the x axis.
  const rugTicks = (svg) => svg.polylines.filter(({ points: p }) => p.length === 2 && p[0][0] === p[1][0]
    && p[0][0] >= svg.plot.left && p[0][0] <= svg.plot.right
    && Math.max(p[0][1], p[1][1]) < svg.plot.bottom && Math.min(p[0][1], p[1][1]) > svg.plot.bottom - 0.25 * (svg.plot.bottom - svg.plot.top)
    && Math.abs(p[0][1] - p[1][1]) < 0.05 * (svg.plot.bottom - svg.plot.top)).length;
  const caption = () => page.textContent('#km-caption');

  const check = async (p, style) => {
    const svg = await exported(p);
    const text = await p.textContent('#km-caption');
    if (style === 'every') {
      assert.equal(crosses(svg), total, 'a cross at every time with censorings');
      assert.match(text, /Crosses mark censored observations\./);
      assert.doesNotMatch(text, /one mark stands for several/);
    } else if (style === 'thinned') {
      assert.ok(crosses(svg) > 0 && crosses(svg) < total, `thinned: ${crosses(svg)} of ${total} crosses`);
      assert.match(text, /where marks would overlap, one mark stands for several/);
    } else {
      assert.equal(crosses(svg), 0, 'no crosses on the curves');
      assert.ok(rugTicks(svg) >= Math.max(...censoredTimes) / 2, `rug ticks: ${rugTicks(svg)}`);
      assert.match(text, /ticks along the time axis, one row per group/);
    }
    return svg;
  };
  for (const style of ['every', 'thinned', 'rug']) {
    await page.selectOption('#plot-censor-style', style);
    await page.waitForFunction((s) => document.querySelector('#plot-censor-style')?.value === s, style);
    await page.waitForFunction((s) => {
      const text = document.querySelector('#km-caption')?.textContent ?? '';
      return s === 'rug' ? text.includes('ticks along') : s === 'thinned' ? text.includes('stands for several') : text.includes('Crosses mark censored observations.') && !text.includes('several');
    }, style);
    assert.ok((await caption()).length > 0);
    await check(page, style);
    const second = await reopenFromLink(env, page, 'lung.csv', LUNG_TEXT);
    assert.equal(await second.page.inputValue('#plot-censor-style'), style);
    await check(second.page, style);
    await noLeaks(env, second);
  }
  await noLeaks(env, opened);
});

test('the legend inside the plot, above it, or none; kept by a share link', async () => {
  const names = ['Men', 'Women'];
  const opened = await lungBySex(names);
  const { page } = opened;
  // Legend entries are the names set from their left; the table's names end at its numbers.
  const entries = (svg) => svg.texts.filter((t) => names.includes(t.text) && t.anchor === 'start' && t.y < svg.plot.bottom);
  const check = async (p, legend) => {
    const svg = await exported(p);
    const found = entries(svg);
    if (legend === 'none') {
      assert.deepEqual(found, [], 'no legend');
      return;
    }
    assert.deepEqual(found.map((t) => t.text), names, `one entry a group, in order (${legend})`);
    for (const t of found) {
      if (legend === 'top') {
        assert.ok(t.y < svg.plot.top, `${t.text} above the plot (${t.y} < ${svg.plot.top})`);
      } else {
        assert.ok(t.y > svg.plot.top && t.y < svg.plot.bottom && t.x > svg.plot.left && t.x < svg.plot.right, `${t.text} inside the plot`);
      }
    }
    if (legend === 'top-right') {
      // In the top right quarter.
      assert.ok(found.every((t) => t.x > (svg.plot.left + svg.plot.right) / 2 && t.y < (svg.plot.top + svg.plot.bottom) / 2));
    }
  };
  for (const legend of ['top-right', 'top', 'none']) {
    await page.selectOption('#plot-legend', legend);
    await page.waitForFunction((v) => document.querySelector('#plot-legend')?.value === v, legend);
    await check(page, legend);
    const second = await reopenFromLink(env, page, 'lung.csv', LUNG_TEXT);
    await groupsShown(second.page, names);
    assert.equal(await second.page.inputValue('#plot-legend'), legend);
    await check(second.page, legend);
    await noLeaks(env, second);
  }
  await noLeaks(env, opened);
});

test('a forest plot too wide for one column says the width it needs and keeps its controls; wider, it is drawn', async () => {
  const VETERAN = join(ROOT, 'tests', 'data', 'cox_subgroup_veteran.csv');
  const opened = await openPage(env);
  const { page } = opened;
  await dropFile(page, 'veteran.csv', readFileSync(VETERAN, 'utf8'));
  await page.waitForSelector('#km-summary');
  await page.selectOption('#group', 'trt');
  await groupsShown(page, ['1', '2']);
  await page.click('#tab-cox');
  await page.check('#cox-use-karno');
  await page.waitForSelector('#cox-forest-image');
  // Both models side by side in 85 mm: refused, naming the millimetres needed.
  await page.selectOption('#cox-forest-size', 'single');
  await page.waitForSelector('#cox-forest .error');
  const message = await page.textContent('#cox-forest .error');
  const need = Number(message.match(/needs (\d+) mm/)?.[1]);
  assert.ok(need > 85 && /wider than the 85 mm asked/.test(message), message);
  assert.equal(await page.$('#cox-forest-image'), null, 'no overlapping picture');
  // The controls are still there: one model fits, or a wider figure.
  await page.selectOption('#cox-forest-models', 'multivariable');
  await page.waitForSelector('#cox-forest-image');
  const one = await svgDrawing(page, (await downloaded(page, '#cox-forest-export-svg')).bytes);
  assert.ok(one.texts.some((t) => t.text === 'HR (95% CI)'));
  await page.selectOption('#cox-forest-models', 'both');
  await page.waitForSelector('#cox-forest .error');
  await page.selectOption('#cox-forest-size', 'double');
  await page.waitForSelector('#cox-forest-image');
  await noLeaks(env, opened);
});
