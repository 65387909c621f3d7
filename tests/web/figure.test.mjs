// The figure controls in chromium: groups renamed, reordered and given a reference; the y axis
// titled and cut; a days column shown in months; hazard ratios on the plot equal the command
// line's; SVG, PDF, TIFF and PNG files with their physical size; forest plots drawn; every
// setting kept by a share link.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  launch, openPage, dropFile, setValue, groupsShown, downloaded, svgFacts, noLeaks, reopenFromLink, ensureCli, cli, ROOT, SCRATCH,
} from './harness.mjs';

const AML = join(ROOT, 'tests', 'data', 'aml.csv');
const LUNG = join(ROOT, 'tests', 'data', 'lung.csv');
const VETERAN = join(ROOT, 'tests', 'data', 'cox_subgroup_veteran.csv');

let env;
before(async () => {
  ensureCli();
  env = await launch();
});
after(async () => { await env?.close(); });

/** A TIFF's first image file directory: tag -> its first value (rationals as numbers). */
function tiffTags(bytes) {
  const little = bytes.toString('latin1', 0, 2) === 'II';
  const u16 = (at) => (little ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  const u32 = (at) => (little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  assert.equal(u16(2), 42, 'TIFF magic number');
  const ifd = u32(4);
  const tags = {};
  for (let i = 0; i < u16(ifd); i++) {
    const entry = ifd + 2 + i * 12;
    const [tag, type] = [u16(entry), u16(entry + 2)];
    if (type === 3) tags[tag] = u16(entry + 8);
    else if (type === 4) tags[tag] = u32(entry + 8);
    else if (type === 5) tags[tag] = u32(u32(entry + 8)) / u32(u32(entry + 8) + 4);
  }
  return tags;
}

test('groups renamed and reordered, y axis titled and cut, a days column in months: in the figure, tables and a share link', async () => {
  const first = await openPage(env);
  const { page } = first;
  await dropFile(page, 'lung.csv', readFileSync(LUNG, 'utf8'));
  await page.waitForSelector('#km-summary');
  await page.selectOption('#ep-time-unit', 'days');
  await page.selectOption('#group', 'sex');
  await groupsShown(page, ['1', '2']);

  await setValue(page, '#fig-label-1', 'Men');
  await groupsShown(page, ['Men', '2']);
  await setValue(page, '#fig-label-2', 'Women');
  await page.click('#fig-down-1');
  await groupsShown(page, ['Women', 'Men']);
  await setValue(page, '#plot-y-label', 'Overall survival');
  await setValue(page, '#plot-y-min', '0.2');
  await page.selectOption('#plot-display-unit', 'months');
  await page.waitForFunction(() => document.querySelector('#km-caption')?.textContent.includes('1 month = 30.4375 days'));

  const check = async (p) => {
    const svg = await svgFacts(p, (await downloaded(p, '#export-svg')).bytes);
    assert.equal(svg.error, null);
    assert.equal(svg.width, '85mm');
    assert.match(svg.height, /^\d+(\.\d+)?mm$/);
    assert.ok(svg.texts.includes('Overall survival'), `y title in ${svg.texts}`);
    assert.ok(svg.texts.includes('Time (months)'), 'x title in months');
    // lung runs to 1022 days (33.6 months): breaks every 6 months, the clinicians' step.
    for (const tick of ['0', '6', '12', '18', '24', '30']) assert.ok(svg.texts.includes(tick), `tick ${tick} in ${svg.texts}`);
    assert.ok(!svg.texts.includes('500'), 'no day ticks');
    // The cut axis starts at 0.2; nothing below it is labelled.
    assert.ok(svg.texts.includes('0.2') && svg.texts.includes('1.0') && !svg.texts.includes('0.0'), `y ticks in ${svg.texts}`);
    // Women first wherever the groups are listed (legend, number at risk), and no raw code left.
    const women = svg.texts.indexOf('Women');
    const men = svg.texts.indexOf('Men');
    assert.ok(women >= 0 && men > women, `order in ${svg.texts}`);
    assert.equal(await p.inputValue('#fig-label-1'), 'Men');
    assert.equal(await p.inputValue('#plot-y-label'), 'Overall survival');
    assert.equal(await p.inputValue('#plot-display-unit'), 'months');
    assert.equal(await p.inputValue('#plot-y-min'), '0.2');
    assert.match(await p.textContent('#km-caption'), /Time was recorded in days and is shown in months \(1 month = 30\.4375 days\)/);
  };
  await check(page);

  const second = await reopenFromLink(env, page, 'lung.csv', readFileSync(LUNG, 'utf8'));
  await groupsShown(second.page, ['Women', 'Men']);
  await check(second.page);
  await noLeaks(env, first);
  await noLeaks(env, second);
});

test('the hazard ratio on the plot equals the command line, for either reference group, by Mantel-Haenszel and Cox', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await dropFile(page, 'aml.csv', readFileSync(AML, 'utf8'));
  await page.waitForSelector('#km-summary');
  await page.selectOption('#group', 'x');
  await groupsShown(page, ['Maintained', 'Nonmaintained']);
  const km = cli('km', AML, '--time', 'time', '--event', 'status', '--group', 'x');
  const mh = km.hazard_ratio.estimates.find((e) => e.method === 'mantel-haenszel');
  assert.equal(km.hazard_ratio.reference, 'Maintained');
  const two = (x) => x.toFixed(2);
  // The note, wrapped over lines where the figure is narrow, read as one.
  const noteOf = async () => (await svgFacts(page, (await downloaded(page, '#export-svg')).bytes)).texts.join(' ').match(/(Mantel-Haenszel|Cox) HR .*?\)/)?.[0];

  await page.selectOption('#plot-hazard-ratio', 'mantel-haenszel');
  await page.waitForFunction(() => document.querySelector('#km-caption')?.textContent.includes('Mantel-Haenszel'));
  assert.equal(await noteOf(), `Mantel-Haenszel HR Nonmaintained vs Maintained: ${two(mh.hr)} (95% CI ${two(mh.lower)}–${two(mh.upper)})`);
  await page.check('#fig-reference-Nonmaintained');
  await page.waitForFunction(() => document.querySelector('#km-tests tfoot')?.textContent.includes('Maintained vs Nonmaintained'));
  assert.equal(await noteOf(), `Mantel-Haenszel HR Maintained vs Nonmaintained: ${two(1 / mh.hr)} (95% CI ${two(1 / mh.upper)}–${two(1 / mh.lower)})`);

  const cox = cli('cox', AML, '--time', 'time', '--event', 'status', '--categorical', 'x=Nonmaintained');
  const term = cox.terms[0];
  await page.selectOption('#plot-hazard-ratio', 'cox');
  await page.waitForFunction(() => document.querySelector('#km-caption')?.textContent.includes('Cox model'));
  assert.equal(await noteOf(), `Cox HR Maintained vs Nonmaintained: ${two(term.hr)} (95% CI ${two(term.hr_lower)}–${two(term.hr_upper)})`);
  await noLeaks(env, opened);
});

test('exports: SVG in millimetres, PDF, TIFF (LZW, resolution tags) and PNG at the chosen width and resolution; the export module fetched only then', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await dropFile(page, 'aml.csv', readFileSync(AML, 'utf8'));
  await page.waitForSelector('#km-summary');
  await page.selectOption('#group', 'x');
  await groupsShown(page, ['Maintained', 'Nonmaintained']);
  await page.selectOption('#plot-size', 'double');
  await page.selectOption('#plot-dpi', '600');
  await page.waitForSelector('#export-tiff:has-text("600 dpi")');
  const exporter = () => opened.seen.requests.filter((u) => u.includes('survcalc_export'));
  assert.deepEqual(exporter(), [], 'nothing of the export module before a file is asked for');

  const svg = await svgFacts(page, (await downloaded(page, '#export-svg')).bytes);
  assert.equal(svg.width, '180mm');
  const heightMm = Number(svg.height.replace('mm', ''));

  const pdf = await downloaded(page, '#export-pdf');
  assert.equal(pdf.name, 'survival-x-km.pdf');
  assert.equal(pdf.bytes.toString('latin1', 0, 5), '%PDF-');
  const box = pdf.bytes.toString('latin1').match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/);
  assert.ok(box, 'PDF has a page size');
  assert.ok(Math.abs(Number(box[1]) - (180 / 25.4) * 72) < 1, `PDF width ${box[1]} pt`);
  assert.ok(Math.abs(Number(box[2]) - (heightMm / 25.4) * 72) < 1, `PDF height ${box[2]} pt`);
  assert.match(pdf.bytes.toString('latin1'), /FontFile2|LiberationSans/, 'the font is embedded');
  assert.ok(exporter().length >= 2, `export module fetched: ${exporter()}`);

  const tiff = await downloaded(page, '#export-tiff');
  assert.equal(tiff.name, 'survival-x-km.tif');
  const tags = tiffTags(tiff.bytes);
  assert.ok(Math.abs(tags[256] - (180 / 25.4) * 600) <= 1, `width ${tags[256]} pixels`);
  assert.ok(Math.abs(tags[257] - (heightMm / 25.4) * 600) <= 1, 'height in pixels');
  assert.equal(tags[259], 5, 'LZW compression');
  assert.equal(tags[282], 600, 'x resolution');
  assert.equal(tags[283], 600, 'y resolution');
  assert.equal(tags[296], 2, 'resolution in inches');

  const png = (await downloaded(page, '#export-png')).bytes;
  assert.equal(png.toString('latin1', 1, 4), 'PNG');
  assert.ok(Math.abs(png.readUInt32BE(16) - (180 / 25.4) * 600) <= 1, 'PNG width in pixels');
  const phys = png.indexOf('pHYs');
  assert.ok(phys > 0, 'PNG carries its resolution');
  assert.equal(png.readUInt32BE(phys + 4), Math.round(600 / 0.0254));

  const second = await reopenFromLink(env, page, 'aml.csv', readFileSync(AML, 'utf8'));
  assert.equal(await second.page.inputValue('#plot-size'), 'double');
  assert.equal(await second.page.inputValue('#plot-dpi'), '600');
  await noLeaks(env, opened);
  await noLeaks(env, second);
});

test('forest plots in the Cox view: univariable and multivariable, with the groups\' labels; subgroups; kept by a share link', async () => {
  const first = await openPage(env);
  const { page } = first;
  await dropFile(page, 'veteran.csv', readFileSync(VETERAN, 'utf8'));
  await page.waitForSelector('#km-summary');
  assert.equal(await page.inputValue('#ep-time'), 'time');
  assert.equal(await page.inputValue('#ep-event'), 'status');
  await page.selectOption('#group', 'trt');
  await groupsShown(page, ['1', '2']);
  await setValue(page, '#fig-label-1', 'Standard');
  await setValue(page, '#fig-label-2', 'Test drug');
  await page.click('#tab-cox');
  await page.check('#cox-use-karno');
  await page.waitForSelector('#cox-forest-image');
  await page.waitForFunction(() => document.querySelector('#cox-forest-image')?.naturalWidth > 0);
  const forest = await svgFacts(page, (await downloaded(page, '#cox-forest-export-svg')).bytes);
  assert.equal(forest.error, null);
  assert.equal(forest.width, '180mm');
  assert.ok(forest.texts.includes('Test drug'), `group label in ${forest.texts}`);
  assert.ok(forest.texts.some((t) => /^Univariable/.test(t)) && forest.texts.some((t) => /^Multivariable/.test(t)), `both models in ${forest.texts}`);
  const fit = cli('cox', VETERAN, '--time', 'time', '--event', 'status', '--categorical', 'trt', '--covariate', 'karno');
  const karno = fit.terms.find((t) => t.name === 'karno');
  assert.ok(forest.texts.some((t) => t.startsWith(`${karno.hr.toFixed(2)} (`)), `karno's HR ${karno.hr} in ${forest.texts}`);

  await page.selectOption('#cox-forest-models', 'multivariable');
  await page.waitForFunction(() => !document.querySelector('#cox-forest-image')?.alt.includes('Univariable'));

  await page.check('#subgroup-use-celltype');
  await page.waitForSelector('#subgroup-forest-image');
  const sub = await svgFacts(page, (await downloaded(page, '#subgroup-forest-export-svg')).bytes);
  assert.ok(['squamous', 'smallcell', 'adeno', 'large'].every((l) => sub.texts.some((t) => t.includes(l))), `levels in ${sub.texts}`);
  assert.ok(sub.texts.some((t) => /interaction/i.test(t)), `interaction P in ${sub.texts}`);

  const second = await reopenFromLink(env, page, 'veteran.csv', readFileSync(VETERAN, 'utf8'), '#subgroup-forest-image');
  await second.page.waitForSelector('#cox-forest-image');
  assert.equal(await second.page.inputValue('#cox-forest-models'), 'multivariable');
  const again = await svgFacts(second.page, (await downloaded(second.page, '#cox-forest-export-svg')).bytes);
  assert.ok(again.texts.includes('Test drug'));
  assert.ok(!again.texts.some((t) => /^Univariable/.test(t)));
  await page.screenshot({ path: join(SCRATCH, 'forest.png'), fullPage: true });
  await noLeaks(env, first);
  await noLeaks(env, second);
});
