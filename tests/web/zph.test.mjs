// The proportional-hazards plots in chromium: on the example's Cox model one figure per term
// drawn by the core (the smooth of R's plot.cox.zph, its band, R's time axis), the caption
// naming the smooth and the transform, the exports read back (SVG size in mm, PDF header and
// page size, all terms as one figure), the width and band controls, kept by a share link.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, privacyProblems, ROOT, SCRATCH, CLI, ensureCli } from './harness.mjs';

const EXAMPLE = join(ROOT, 'www', 'example', 'gist_simulated.csv');

let env;
before(async () => {
  ensureCli();
  env = await launch();
});
after(async () => { await env?.close(); });

/** The command line's cox.zph of the model the page fits on the example (its first endpoint). */
function cliZph() {
  return JSON.parse(execFileSync(CLI, ['cox', EXAMPLE, '--json', '--start-date', 'date_surgery',
    '--end-date', 'date_progression_or_last', '--unit', 'months', '--event', 'first_event',
    '--event-value', 'progression', '--event-value', 'death', '--covariate', 'resection',
    '--categorical', 'resection', '--covariate', 'age', '--zph'], { encoding: 'utf8' })).zph;
}

async function downloaded(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { bytes: readFileSync(await file.path()), name: file.suggestedFilename() };
}

/** An SVG's size, texts, and its polylines' and polygons' point counts. */
async function svgFacts(page, bytes) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    const count = (e) => (e.getAttribute('points') ?? '').trim().split(/\s+/).filter(Boolean).length;
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      width: root.getAttribute('width'),
      height: root.getAttribute('height'),
      texts: [...doc.querySelectorAll('text')].map((t) => t.textContent.trim()),
      polylines: [...doc.querySelectorAll('polyline')].map(count),
      polygons: [...doc.querySelectorAll('polygon')].map(count),
      circles: doc.querySelectorAll('circle').length,
    };
  }, bytes.toString('utf8'));
}

async function coxView(page) {
  await page.click('#example-button');
  await page.waitForSelector('#km-summary');
  await page.click('#view-tabs button[data-view=cox]');
  await page.waitForSelector('#zph-figures .zph-figure img');
}

test('the PH check shows one core-drawn plot per term with the smooth, and its files read back', async () => {
  const zph = cliZph();
  const terms = zph.residuals.map((r) => r.term);
  assert.deepEqual(terms, ['resection', 'age']);
  const opened = await openPage(env);
  const { page } = opened;
  await coxView(page);
  const figures = await page.$$eval('#zph-figures .zph-figure img', (imgs) => imgs.map((i) => [i.complete && i.naturalWidth > 0, i.alt]));
  assert.equal(figures.length, terms.length, 'one plot per term');
  figures.forEach(([loaded, alt], i) => {
    assert.ok(loaded, `plot ${i} drawn`);
    assert.match(alt, new RegExp(`^Proportional-hazards check.*${terms[i]}: test P`), 'the image says what it shows');
  });
  const caption = await page.textContent('#zph-caption');
  assert.match(caption, /natural cubic spline smooth \(4 degrees of freedom/);
  assert.match(caption, /±2 standard error band \(dashed\)/);
  assert.match(caption, /plot\.cox\.zph/);
  assert.match(caption, /Kaplan.Meier/, 'the transform of time is named');
  assert.match(await page.textContent('#cox-methods'), /natural cubic spline smooth \(4 degrees of freedom\) and its ±2 standard error band \(R's plot\.cox\.zph\)/);

  // Each term's SVG: its physical size, its title, the smooth (40 points) and the circles.
  for (const [i, term] of terms.entries()) {
    const file = await downloaded(page, `#zph-${i}-export-svg`);
    assert.match(file.name, new RegExp(`-ph-${term}\\.svg$`));
    const svg = await svgFacts(page, file.bytes);
    assert.equal(svg.error, null);
    assert.equal(svg.width, '85mm');
    assert.match(svg.height, /^\d+(\.\d+)?mm$/);
    assert.ok(svg.texts.includes(`Beta(t) for ${term}`), svg.texts.join('|'));
    assert.equal(svg.polylines.filter((n) => n === 40).length, 1, 'the smooth is drawn');
    const events = zph.residuals[i].values.filter((v) => v !== null).length;
    assert.ok(svg.circles > 0 && svg.circles <= events, `${svg.circles} circles for ${events} residuals`);
  }
  const heightMm = Number((await svgFacts(page, (await downloaded(page, '#zph-1-export-svg')).bytes)).height.replace('mm', ''));
  const pdf = await downloaded(page, '#zph-1-export-pdf');
  assert.equal(pdf.bytes.toString('latin1', 0, 5), '%PDF-');
  const box = pdf.bytes.toString('latin1').match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/);
  assert.ok(box, 'PDF has a page size');
  assert.ok(Math.abs(Number(box[1]) - (85 / 25.4) * 72) < 1, `PDF width ${box[1]} pt`);
  assert.ok(Math.abs(Number(box[2]) - (heightMm / 25.4) * 72) < 1, `PDF height ${box[2]} pt`);
  const png = (await downloaded(page, '#zph-0-export-png')).bytes;
  assert.equal(png.toString('latin1', 1, 4), 'PNG');

  // All terms as panels of one figure.
  const all = await svgFacts(page, (await downloaded(page, '#zph-all-export-svg')).bytes);
  for (const term of terms) assert.ok(all.texts.includes(`Beta(t) for ${term}`));
  assert.equal(all.polylines.filter((n) => n === 40).length, 2);
  await page.locator('#zph-figures').screenshot({ path: join(SCRATCH, 'zph.png') });
  assert.deepEqual(await privacyProblems(env, opened), { csp: [], foreign: [] });
  await opened.context.close();
});

test('width and band controls change the files, and a share link keeps them', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await coxView(page);
  await page.selectOption('#zph-size', 'double');
  await page.selectOption('#zph-band', 'shaded');
  await page.waitForFunction(() => document.querySelector('#zph-caption')?.textContent.includes('(shaded)'));
  const svg = await svgFacts(page, (await downloaded(page, '#zph-0-export-svg')).bytes);
  assert.equal(svg.width, '180mm');
  assert.equal(svg.polygons.filter((n) => n === 80).length, 1, 'the band is one shaded area of both limits\' 40 points');
  await page.click('#copy-link');
  await page.waitForFunction(() => location.hash.startsWith('#s='));
  const second = await openPage(env, await page.evaluate(() => location.hash));
  // The link holds the settings (the Cox view among them), not the data: load the example again.
  await second.page.click('#example-button');
  await second.page.waitForSelector('#zph-figures .zph-figure img');
  assert.equal(await second.page.$eval('#zph-size', (s) => s.value), 'double');
  assert.equal(await second.page.$eval('#zph-band', (s) => s.value), 'shaded');
  await second.context.close();
  await opened.context.close();
});
