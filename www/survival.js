// The survival view: Kaplan-Meier figure, summary and tests tables, exports and the methods paragraph.
//
// Estimates come from the worker (`km`, the command line's JSON object); the figure is drawn
// here by the same Rust drawing code that writes the SVG export.

import * as core from './pkg/survcalc.js';
import { el, dataTable, fmt, fmtP } from './views.js';
import { toCsv, toTsv, download, copyText, slug } from './export.js';
import { pngWithDpi } from './png.js';

const KM_DEFAULTS = { conf_type: 'log-log', conf_level: 0.95, tau: null, at: [], pairwise: 'holm', trend: false, fh: false, fh_p: 0, fh_q: 1 };
const PLOT_DEFAULTS = {
  curve: 'survival', percent: false, conf_bands: false, censor_marks: true, median_lines: false,
  risk_table: true, palette: 'okabe-ito', size: 'single', font_size: 8, time_step: null, x_max: null,
  legend: 'auto', show_p: true, title: '',
};
const SCREEN_WIDTH_PX = 640;
const TEST_NAMES = {
  'log-rank': 'Log-rank',
  'gehan-breslow': 'Gehan-Breslow (generalised Wilcoxon)',
  'tarone-ware': 'Tarone-Ware',
  'peto-peto': 'Peto-Peto',
};
const CONF_TYPE_WORDS = { 'log-log': 'log-log', log: 'log', plain: 'plain (linear)' };

let last = null;

/** Shows the survival results for the current settings; hides the section when the core has no estimator. */
export async function survivalView(ctx) {
  const body = document.getElementById('panel-km');
  if (!ctx.capabilities.includes('km')) {
    body.replaceChildren();
    document.getElementById('results').hidden = true;
    return;
  }
  const settings = ctx.state.settings;
  settings.km = { ...KM_DEFAULTS, ...settings.km };
  settings.plot = { ...PLOT_DEFAULTS, ...settings.plot };
  let km;
  try {
    const k = ctx.state.settings.km;
    const levels = ctx.groups ?? [];
    const trend = k.trend && levels.length > 2 ? { trend_scores: levels.map((_, i) => i + 1) } : {};
    km = await ctx.call('km', { ...ctx.outcome, ...kmOptions(settings.km), ...trend }, [], 'Computing Kaplan-Meier estimates and tests…');
  } catch (err) {
    if (!ctx.isCurrent()) return;
    body.replaceChildren();
    ctx.showError(err, 'Kaplan-Meier');
    return;
  }
  if (!ctx.isCurrent()) return;
  last = { ...ctx, km };
  render(body);
}

function kmOptions(k) {
  return {
    conf_type: k.conf_type,
    conf_level: Number(k.conf_level),
    tau: k.tau === null || k.tau === '' ? null : Number(k.tau),
    at: k.at.map(Number).filter((t) => Number.isFinite(t) && t >= 0),
    // 'none' on the page means no pairwise tests (the core's 'none' is tests without adjustment).
    pairwise: k.pairwise === 'none' ? null : k.pairwise,
    fleming_harrington: k.fh ? [Number(k.fh_p), Number(k.fh_q)] : null,
  };
}

/** "Fleming-Harrington (p = 0, q = 1)": the test's name with its weights, as tables and methods print it. */
function fhName(k) {
  return `Fleming-Harrington (p = ${k.fh_p}, q = ${k.fh_q})`;
}

function render(body) {
  const { km, endpoint, unit, state } = last;
  const twoOrMore = km.groups.length >= 2;
  const tables = [summaryTable(km, unit), ...(twoOrMore ? [testsTable(km, state.settings.km)] : []),
    ...(km.pairwise && km.groups.length > 2 ? [pairwiseTable(km)] : [])];
  const ids = ['km-summary', 'km-tests', 'km-pairwise'];
  body.replaceChildren(
    el('h3', { text: `${endpoint.name}: Kaplan-Meier${state.settings.group ? ` by ${state.settings.group}` : ''}` }),
    el('p', { class: 'note', id: 'km-definition', text: [km.time_description, km.event_coding && `event coding: ${km.event_coding}`].filter(Boolean).join('; ') }),
    ...(km.warnings.length ? [el('div', { class: 'warn', role: 'note' }, km.warnings.map((w) => el('p', { text: w })))] : []),
    el('div', { class: 'figure-row' }, figureBlock(), optionsBlock()),
    ...tables.map((t, i) => tableBlock(t, ids[i])),
    el('div', { id: 'endpoints-block' }),
    methodsBlock(),
  );
  draw();
  endpointsTable();
}

/** With several endpoints, one table of all of them side by side (as a paper's survival table). */
async function endpointsTable() {
  const { state, call, isCurrent, outcomeFor, unitOf } = last;
  const endpoints = state.settings.endpoints;
  const block = document.getElementById('endpoints-block');
  if (endpoints.length < 2 || !block) return;
  const rows = [];
  for (const e of endpoints) {
    let km;
    try {
      km = await call('km', { ...outcomeFor(e), ...kmOptions(state.settings.km) }, [], 'Computing every endpoint…');
    } catch (err) {
      rows.push([e.name, '', '', '', `not computed: ${last.errorText(err).text}`, '']);
      continue;
    }
    const logRank = km.tests.find((t) => t.name === 'log-rank');
    const unit = unitOf(e);
    km.groups.forEach((g, i) => rows.push([i === 0 ? `${e.name}${unit ? ` (${unit})` : ''}` : '', groupName(g, km), String(g.n), String(g.events),
      withCi(g.median, g.median_lower, g.median_upper), i === 0 && logRank ? fmtP(logRank.p) : '']));
  }
  if (!isCurrent()) return;
  const level = `${Math.round(state.settings.km.conf_level * 100)}%`;
  const table = {
    caption: 'All endpoints',
    head: ['Endpoint', 'Group', 'n', 'Events', `Median (${level} CI)`, 'Log-rank P'],
    body: rows,
    numeric: [2, 3, 4, 5],
    notes: [NR_NOTE],
  };
  block.replaceChildren(tableBlock(table, 'km-endpoints'));
}

// ---- figure ----

function plotOptions(dpi) {
  const { km, unit, state } = last;
  const p = state.settings.plot;
  const logRank = km.tests.find((t) => t.name === 'log-rank');
  return {
    x_label: 'Time',
    time_unit: unit || null,
    curve: p.curve,
    percent: p.percent,
    conf_bands: p.conf_bands,
    censor_marks: p.censor_marks,
    median_lines: p.median_lines,
    risk_table: p.risk_table,
    palette: p.palette,
    size: p.size,
    font_size: Number(p.font_size),
    time_step: p.time_step ? Number(p.time_step) : null,
    x_max: p.x_max ? Number(p.x_max) : null,
    legend: km.groups.length > 1 ? p.legend : 'none',
    title: p.title || null,
    annotation: p.show_p && logRank ? `Log-rank P ${pText(logRank.p)}` : null,
    dpi,
  };
}

/** "= 0.012" or "< 0.001", for a P placed in a sentence or on the plot. */
function pText(p) {
  const s = fmtP(p);
  return s.startsWith('<') || s.startsWith('>') ? `${s[0]} ${s.slice(1)}` : `= ${s}`;
}

function screenDpi() {
  const widthMm = last.state.settings.plot.size === 'double' ? 180 : 85;
  return (SCREEN_WIDTH_PX * (window.devicePixelRatio || 1)) / (widthMm / 25.4);
}

function figureBlock() {
  const canvas = el('canvas', { id: 'km-canvas', role: 'img' });
  const caption = el('figcaption', { id: 'km-caption', class: 'muted' }, plotSummary());
  canvas.setAttribute('aria-describedby', 'km-caption');
  return el('figure', { class: 'figure-block' },
    canvas,
    caption,
    el('div', { class: 'buttons' },
      el('button', { type: 'button', id: 'export-png', onclick: () => exportPng() }, 'Download PNG (300 dpi)'),
      el('button', { type: 'button', id: 'export-svg', onclick: () => exportSvg() }, 'Download SVG')));
}

function draw() {
  const canvas = document.getElementById('km-canvas');
  if (!canvas) return;
  try {
    const options = plotOptions(screenDpi());
    const [w, h] = core.figure_size(last.km.groups, options);
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${w / (window.devicePixelRatio || 1)}px`;
    core.draw_km(canvas, last.km.groups, options);
    canvas.setAttribute('aria-label', `Kaplan-Meier plot. ${plotSummary()}`);
  } catch (err) {
    last.showError(err, 'Figure');
  }
}

/** The plot in words, for screen readers and for anyone checking the figure. */
function plotSummary() {
  const { km, unit } = last;
  const groups = km.groups.map((g) => `${g.name === 'all' && km.groups.length === 1 ? 'All patients' : g.name}: `
    + `${g.n} patients, ${g.events} events, median ${g.median === null ? 'not reached' : `${fmt(g.median, 1)}${after(unit)}`}`);
  const logRank = km.tests.find((t) => t.name === 'log-rank');
  return `${groups.join('; ')}.${logRank ? ` Log-rank P ${pText(logRank.p)}.` : ''}`;
}

function fileBase() {
  return slug(`${last.endpoint.name}-${last.state.settings.group || 'all'}`);
}

async function exportPng() {
  try {
    const options = plotOptions(300);
    const [w, h] = core.figure_size(last.km.groups, options);
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    core.draw_km(canvas, last.km.groups, options);
    const blob = await new Promise((ok) => canvas.toBlob(ok, 'image/png'));
    download(await pngWithDpi(blob, 300), `${fileBase()}-km.png`);
  } catch (err) {
    last.showError(err, 'PNG export');
  }
}

function exportSvg() {
  try {
    const svg = core.km_svg(last.km.groups, plotOptions(300));
    download(new Blob([svg], { type: 'image/svg+xml' }), `${fileBase()}-km.svg`);
  } catch (err) {
    last.showError(err, 'SVG export');
  }
}

// ---- tables ----

/** " months" after a number, or nothing when the time unit is unspecified. */
function after(unit) {
  return unit ? ` ${unit}` : '';
}

/** The time unit for an option's label: the unit, or the time column's own when unspecified. */
function unitWords() {
  return last.unit || 'in the time column\'s unit';
}

const NR_NOTE = 'NR: not reached (the curve does not fall to 50%, or the confidence limit does not exist).';

function withCi(x, lo, hi, digits = 1) {
  const show = (v) => (v === null || v === undefined ? 'NR' : fmt(v, digits));
  return `${show(x)} (${show(lo)}–${show(hi)})`;
}

/** Survival at a chosen time in percent with its interval; "not estimable" past the last follow-up, never 0. */
function survivalAtCell(a) {
  if (a.surv === null) return 'not estimable';
  const pct = (v) => (v === null ? '—' : `${fmt(v * 100, 1)}%`);
  return `${pct(a.surv)} (${pct(a.lower)}–${pct(a.upper)})`;
}

function groupName(g, km) {
  return g.name === 'all' && km.groups.length === 1 ? 'All patients' : g.name;
}

function summaryTable(km, unit) {
  const level = `${Math.round(km.conf_level * 100)}%`;
  const at = km.groups[0]?.at ?? [];
  const u = unit ? `, ${unit}` : '';
  const head = ['Group', 'n', 'Events', `Median${u} (${level} CI)`, `Restricted mean${u} (SE)`, 'Limit',
    ...at.map((a) => `Survival at ${fmt(a.time, 1)}${after(unit)} (${level} CI)`),
    `Median follow-up${u}`];
  const body = km.groups.map((g) => [
    groupName(g, km),
    String(g.n),
    String(g.events),
    withCi(g.median, g.median_lower, g.median_upper),
    `${fmt(g.rmean, 1)} (${fmt(g.rmean_se, 2)})`,
    fmt(g.rmean_limit, 1),
    ...(g.at ?? []).map(survivalAtCell),
    g.follow_up?.median === null || g.follow_up?.median === undefined ? 'NR' : fmt(g.follow_up.median, 1),
  ]);
  const limit = km.rmean_restriction === 'tau'
    ? `Restricted mean: area under the curve up to the common limit τ = ${fmt(km.tau, 1)}${after(unit)}.`
    : `Restricted mean: area under each curve up to that group's last observed time (the "Limit" column); means with different limits are not comparable: set a common limit below.`;
  return {
    caption: 'Survival summary',
    head,
    body,
    numeric: head.map((_, i) => i).filter((i) => i > 0),
    notes: [NR_NOTE, `Confidence intervals: ${CONF_TYPE_WORDS[km.conf_type]} transformation, as R's survfit (conf.type = "${km.conf_type}").`, limit,
      'Median follow-up: reverse Kaplan-Meier (censorings counted as events); NR when too few patients were censored to estimate it.'],
  };
}

function testsTable(km, k) {
  const body = km.tests.map((t) => [TEST_NAMES[t.name] ?? t.name, fmt(t.chisq, 2), String(t.df), fmtP(t.p)]);
  const fh = km.fleming_harrington;
  if (fh) body.push([fhName(k), fmt(fh.chisq, 2), String(fh.df), fmtP(fh.p)]);
  if (km.trend) body.push([`Log-rank test for trend (scores ${km.trend.scores.join(', ')} in the order ${km.groups.map((g) => g.name).join(', ')})`, fmt(km.trend.chisq, 2), String(km.trend.df), fmtP(km.trend.p)]);
  const notes = ['Mantel-Haenszel (hypergeometric) variance; df = groups with a non-zero expected count minus 1, as R\'s survdiff.'];
  if (fh) notes.push(`${fhName(k)}: weights Ŝ(t−)^p (1 − Ŝ(t−))^q, Ŝ the Kaplan-Meier estimate of all groups pooled, as R's survdiff(rho = p) when q = 0.`);
  if (km.hazard_ratio) {
    const hr = km.hazard_ratio;
    const lvl = `${Math.round(hr.conf_level * 100)}%`;
    for (const e of hr.estimates) {
      notes.push(`Hazard ratio ${hr.group} vs ${hr.reference} (${e.method === 'mantel-haenszel' ? 'Mantel-Haenszel' : 'O/E'} method): `
        + `${fmt(e.hr, 2)} (${lvl} CI ${fmt(e.lower, 2)}–${fmt(e.upper, 2)}).`);
    }
  }
  if (km.strata?.length) notes.push(`Stratified by ${km.strata.join(', ')}.`);
  return { caption: 'Tests between groups', head: ['Test', 'Chi-square', 'df', 'P'], body, numeric: [1, 2, 3], notes };
}

function pairwiseTable(km) {
  const pw = km.pairwise;
  const adjust = { holm: 'Holm', bonferroni: 'Bonferroni', BH: 'Benjamini-Hochberg' }[pw.adjust] ?? pw.adjust;
  return {
    caption: 'Pairwise log-rank tests',
    head: ['Groups', 'Chi-square', 'df', 'P', `P (${adjust})`],
    body: pw.comparisons.map((c) => [`${c.group1} vs ${c.group2}`, fmt(c.chisq, 2), String(c.df), fmtP(c.p), fmtP(c.p_adjusted)]),
    numeric: [1, 2, 3, 4],
    notes: [`P adjusted for ${pw.comparisons.length} comparisons by the ${adjust} method.`],
  };
}

function tableBlock(table, id) {
  const name = `${fileBase()}-${slug(table.caption)}`;
  return el('div', { class: 'table-block' },
    el('div', { class: 'scroll' }, dataTable(table, { id })),
    el('div', { class: 'buttons' },
      el('button', { type: 'button', onclick: () => download(new Blob([toCsv(table)], { type: 'text/csv' }), `${name}.csv`) }, 'Download CSV'),
      el('button', {
        type: 'button',
        onclick: async (ev) => {
          const ok = await copyText(toTsv(table));
          ev.target.textContent = ok ? 'Copied' : 'Copy failed';
          setTimeout(() => { ev.target.textContent = 'Copy for Word/Excel'; }, 1500);
        },
      }, 'Copy for Word/Excel')));
}

// ---- options ----

function control(label, input, check = false) {
  return el('label', { class: check ? 'check' : null }, ...(check ? [input, label] : [label, input]));
}

function select(value, choices, onchange) {
  const s = el('select', { onchange: (ev) => onchange(ev.target.value) },
    choices.map(([v, text]) => el('option', { value: v, text })));
  s.value = String(value);
  return s;
}

function checkbox(checked, onchange) {
  return el('input', { type: 'checkbox', checked, onchange: (ev) => onchange(ev.target.checked) });
}

function numberInput(value, onchange, attrs = {}) {
  return el('input', { type: 'number', value: value ?? '', min: 0, step: 'any', ...attrs, onchange: (ev) => onchange(ev.target.value === '' ? null : Number(ev.target.value)) });
}

function optionsBlock() {
  const { state, refresh, km } = last;
  const k = state.settings.km;
  const p = state.settings.plot;
  const recompute = (fn) => (v) => { fn(v); refresh(); };
  const redraw = (fn) => (v) => { fn(v); draw(); };
  return el('details', { class: 'options', open: true },
    el('summary', { text: 'Options' }),
    el('h4', { text: 'Estimates' }),
    el('div', { class: 'controls' },
      control('Confidence interval', select(k.conf_type, [['log-log', 'log-log (Stata and SAS default)'], ['log', 'log (R survfit default)'], ['plain', 'plain, untransformed (SPSS)']], recompute((v) => { k.conf_type = v; }))),
      control('Confidence level', select(k.conf_level, [['0.9', '90%'], ['0.95', '95%'], ['0.99', '99%']], recompute((v) => { k.conf_level = Number(v); }))),
      control(`Restricted mean: common limit (${unitWords()}; empty = each group's last time)`, numberInput(k.tau, recompute((v) => { k.tau = v; }), { id: 'opt-tau' })),
      control(`Survival at times (${unitWords()}, comma-separated)`, el('input', {
        type: 'text', id: 'opt-at', value: k.at.join(', '),
        onchange: recompute((ev) => { k.at = ev.target.value.split(/[,;\s]+/).map(Number).filter((t) => Number.isFinite(t) && t >= 0); }),
      })),
      ...(km.groups.length >= 2 ? fhControls(k, recompute) : []),
      ...(km.groups.length > 2 ? [control(' test for trend (groups ordered as listed)', checkbox(k.trend, recompute((v) => { k.trend = v; })), true)] : []),
      ...(km.groups.length > 2 ? [control('Pairwise comparisons', select(k.pairwise ?? 'none', [['holm', 'Holm'], ['bonferroni', 'Bonferroni'], ['BH', 'Benjamini-Hochberg'], ['none', 'none']], recompute((v) => { k.pairwise = v; })))] : [])),
    el('h4', { text: 'Figure' }),
    el('div', { class: 'controls' },
      control('Curve', select(p.curve, [['survival', 'survival'], ['cumulative-incidence', 'cumulative incidence (1 − S)']], redraw((v) => { p.curve = v; }))),
      control('Colours', select(p.palette, [['okabe-ito', 'colour-blind safe'], ['greyscale', 'greyscale (journal print)']], redraw((v) => { p.palette = v; }))),
      control('Size', select(p.size, [['single', 'single column (85 mm)'], ['double', 'double column (180 mm)']], redraw((v) => { p.size = v; }))),
      control('Font size (pt)', numberInput(p.font_size, redraw((v) => { p.font_size = v ?? 8; }), { min: 5, max: 16, step: 0.5 })),
      control(`Time breaks every (${unitWords()}; empty = automatic)`, numberInput(p.time_step, redraw((v) => { p.time_step = v; }))),
      control(`Time axis ends at (${unitWords()}; empty = last time)`, numberInput(p.x_max, redraw((v) => { p.x_max = v; }))),
      control('Legend', select(p.legend, [['auto', 'automatic'], ['top-right', 'top right'], ['bottom-left', 'bottom left'], ['bottom-right', 'bottom right'], ['top-left', 'top left'], ['none', 'none']], redraw((v) => { p.legend = v; }))),
      control('Title', el('input', { type: 'text', value: p.title, onchange: redraw((ev) => { p.title = ev.target.value; }) })),
      control(' percent (0–100)', checkbox(p.percent, redraw((v) => { p.percent = v; })), true),
      control(' confidence bands', checkbox(p.conf_bands, redraw((v) => { p.conf_bands = v; })), true),
      control(' censoring marks', checkbox(p.censor_marks, redraw((v) => { p.censor_marks = v; })), true),
      control(' median lines', checkbox(p.median_lines, redraw((v) => { p.median_lines = v; })), true),
      control(' number at risk', checkbox(p.risk_table, redraw((v) => { p.risk_table = v; })), true),
      control(' log-rank P on the plot', checkbox(p.show_p, redraw((v) => { p.show_p = v; })), true)));
}

/** The Fleming-Harrington test: off by default; when ticked, its p and q. */
function fhControls(k, recompute) {
  const weight = (key) => numberInput(k[key], recompute((v) => { k[key] = v ?? 0; }), { id: `opt-${key.replace('_', '-')}`, min: 0, step: 0.5 });
  return [
    control(' Fleming-Harrington (p, q) test', checkbox(k.fh, recompute((v) => { k.fh = v; })), true),
    ...(k.fh ? [control('p (weight Ŝ(t−)^p: early differences)', weight('fh_p')),
      control('q (weight (1 − Ŝ(t−))^q: late differences)', weight('fh_q'))] : []),
  ];
}

// ---- methods ----

/** A methods paragraph naming every method and convention used, to adapt for a manuscript. */
function methodsText() {
  const { km, unit, endpoint, state } = last;
  const level = `${Math.round(km.conf_level * 100)}%`;
  const e = endpoint;
  // Left unspecified on the page, the unit is a blank for the author to fill in the manuscript.
  const unitText = unit || '[time unit]';
  const time = e.source === 'dates'
    ? `${e.name} was measured from the date in “${e.start_date}” to the date in “${e.end_date}”, in ${unit} (a month taken as 30.4375 days, a year as 365.25 days)`
    : `${e.name} was taken from the column “${e.time}” (${unitText})`;
  const parts = [
    `${time}; the event indicator was “${e.event}”${e.event_values.length ? ` (event = ${e.event_values.join(' or ')})` : ''}, and patients without the event were censored at their last follow-up.`,
    `Survival was estimated with the Kaplan-Meier method, with Greenwood standard errors and pointwise ${level} confidence intervals on the ${CONF_TYPE_WORDS[km.conf_type]} scale; the confidence interval of the median is where that band crosses 50% (as R's survfit).`,
    km.rmean_restriction === 'tau'
      ? `Restricted mean survival time was computed up to a common limit of ${fmt(km.tau, 1)} ${unitText}.`
      : 'Restricted mean survival time was computed up to each group\'s last observed time.',
    'Median follow-up was estimated with the reverse Kaplan-Meier method.',
  ];
  if (km.groups.length >= 2) {
    parts.push(`Groups defined by ${state.settings.group} were compared with the log-rank test (Mantel-Haenszel variance)`
      + `${km.strata?.length ? `, stratified by ${state.settings.strata}` : ''}; the Gehan-Breslow, Tarone-Ware and Peto-Peto weighted tests are reported alongside.`
      + (km.fleming_harrington ? ` The Fleming-Harrington G(p, q) test with p = ${state.settings.km.fh_p} and q = ${state.settings.km.fh_q} (weights Ŝ(t−)^p (1 − Ŝ(t−))^q) was also computed.` : '')
      + (km.hazard_ratio ? ' The hazard ratio was estimated from the log-rank quantities (Mantel-Haenszel method).' : '')
      + (km.pairwise && km.groups.length > 2 ? ` Pairwise log-rank P values were adjusted by the ${km.pairwise.adjust === 'BH' ? 'Benjamini-Hochberg' : km.pairwise.adjust === 'holm' ? 'Holm' : 'Bonferroni'} method.` : ''));
  }
  if (km.excluded.length) parts.push(`${km.excluded.length} rows were excluded (missing or invalid time or event).`);
  parts.push(`P values are two-sided. Analyses used survcalc ${core.version()}, whose estimates match R's survival package.`);
  return parts.join(' ');
}

function methodsBlock() {
  const text = methodsText();
  return el('div', {},
    el('h4', { text: 'Methods (to adapt for your manuscript)' }),
    el('p', { class: 'methods', id: 'methods-text', text }),
    el('div', { class: 'buttons' }, el('button', { type: 'button', onclick: () => copyText(text) }, 'Copy methods text')));
}
