// The figures' controls and exports: groups as the reader sees them (labels, order, reference,
// colours), axes, the rows under the curves, notes on the plot, legend, size, and SVG, PDF, TIFF
// and PNG files; the Cox view's forest plots. The core draws every figure (src/plot) on the
// canvas and as SVG; PDF, TIFF and PNG come from that SVG through the export module
// (export-worker.js), loaded only when a file is asked for.
//
// A curve view (Kaplan-Meier here, cumulative incidence in a competing-risks view) gives
// curveOptions() its groups, unit, endpoint and notes, shows figureBlock(), and puts
// figureControls() beside it: all settings live in the store (settings.plot, the endpoint's
// y_label/display_unit/time_step/x_max, settings.levels[group column]), so they travel in a link.

import * as core from './pkg/survcalc.js';
import { el, controlId } from './views.js';
import { download, slug } from './export.js';
import { errorBox } from './hints.js';
import {
  activeEndpoint, endpointStore, setSetting, unitOf, outcomeArgs, outcomeComplete, levelSettings,
  setLevels, setDisplayUnit, setBusy, setStatus, notify, dismiss,
} from './store.js';

/** Units the figure can show a time in (the core converts with 7, 30.4375 and 365.25 days). */
const UNITS = ['days', 'weeks', 'months', 'years'];
export const SIZES = [['single', 'single column (85 mm)'], ['one-and-half', '1.5 columns (140 mm)'], ['double', 'double column (180 mm)']];
const WIDTH_MM = { single: 85, 'one-and-half': 140, double: 180 };
const SCREEN_WIDTH_PX = 640;

// ---- groups as the reader sees them ----

/** The levels in the order chosen: those listed first (if present), the others after in their own order. */
export function orderedNames(names, levels) {
  const listed = levels.order.filter((n) => names.includes(n));
  return [...listed, ...names.filter((n) => !listed.includes(n))];
}

/** A level as the reader sees it. */
export function levelLabel(levels, name) {
  const text = levels.labels[name];
  return typeof text === 'string' && text.trim() ? text.trim() : name;
}

/** The reference level: the one chosen if present, else the first in the chosen order. */
export function referenceLevel(names, levels) {
  return names.includes(levels.reference) ? levels.reference : orderedNames(names, levels)[0];
}

/** The group column's level settings for the current state. */
export function groupLevels(state) {
  return levelSettings(state.settings, state.settings.group);
}

// ---- the figure's options for the core ----

/** Whether a unit is one the figure can convert from and to. */
function convertible(unit) {
  return UNITS.includes(unit);
}

/** The unit the time axis shows, and whether it differs from the data's. */
export function shownUnit(endpoint, unit) {
  return convertible(unit) && convertible(endpoint.display_unit) ? endpoint.display_unit : unit;
}

/**
 * The hazard ratio to print on the plot for two groups, as the core's HazardRatioNote: the
 * Mantel-Haenszel estimate of the km answer or the Cox model of the group alone (figureCoxJob),
 * for the chosen reference. Both are ratios of the two groups' hazards, so turning the
 * comparison round inverts the ratio and swaps its limits exactly (log HR changes sign, its SE
 * does not).
 */
export function hazardNote({ method, km, cox, names, levels }) {
  if (method === 'none' || names.length !== 2) return null;
  const reference = referenceLevel(names, levels);
  const group = names.find((n) => n !== reference);
  if (method === 'cox') {
    const term = cox?.terms?.length === 1 ? cox.terms[0] : null;
    if (!term || term.infinite || term.hr === null || term.reference !== reference) return null;
    return { hr: term.hr, lower: term.hr_lower, upper: term.hr_upper, method: 'cox', conf_level: cox.conf_level, group, reference };
  }
  const given = km.hazard_ratio;
  const mh = given?.estimates.find((e) => e.method === 'mantel-haenszel');
  if (!mh || mh.hr === null || mh.lower === null || mh.upper === null) return null;
  const same = given.reference === reference;
  return {
    hr: same ? mh.hr : 1 / mh.hr,
    lower: same ? mh.lower : 1 / mh.upper,
    upper: same ? mh.upper : 1 / mh.lower,
    method: 'mantel-haenszel', conf_level: given.conf_level, group, reference,
  };
}

/**
 * The core's PlotOptions for a figure of curves at `dpi`: `groups` as the analysis returns them,
 * `unit` the endpoint's, `curve` 'survival', 'cumulative-incidence' or 'cif' (curves given as
 * incidences), `test` { name, p }, `annotation` (more lines, with the test's when it is shown)
 * and `hazardRatio` (hazardNote) printed on the plot.
 */
export function curveOptions({ groups, unit, plot, endpoint, levels, curve = plot.curve, test = null, annotation = null, hazardRatio = null }, dpi) {
  const names = groups.map((g) => g.name);
  const custom = plot.palette === 'custom';
  return {
    x_label: 'Time',
    time_unit: unit || null,
    display_unit: convertible(unit) && convertible(endpoint.display_unit) ? endpoint.display_unit : null,
    endpoint: endpoint.name || null,
    y_label: endpoint.y_label?.trim() || null,
    curve,
    percent: plot.percent,
    y_min: Number(plot.y_min),
    y_max: Number(plot.y_max),
    conf_bands: plot.conf_bands,
    censor_marks: plot.censor_marks,
    censor_style: plot.censor_style,
    median_lines: plot.median_lines,
    risk_table: plot.risk_table,
    risk_table_events: plot.risk_table_events,
    risk_table_censored: plot.risk_table_censored,
    palette: custom ? 'okabe-ito' : plot.palette,
    labels: Object.fromEntries(names.map((n) => [n, levelLabel(levels, n)])),
    order: orderedNames(names, levels),
    colors: custom ? Object.fromEntries(names.filter((n) => levels.colors[n]).map((n) => [n, levels.colors[n]])) : {},
    size: plot.size,
    font_size: Number(plot.font_size),
    time_step: endpoint.time_step ? Number(endpoint.time_step) : null,
    x_max: endpoint.x_max ? Number(endpoint.x_max) : null,
    legend: groups.length > 1 ? plot.legend : 'none',
    title: endpoint.title || null,
    test: plot.show_p && test ? test : null,
    annotation: plot.show_p ? annotation : null,
    hazard_ratio: hazardRatio,
    dpi,
  };
}

/** Pixels per inch that make the figure SCREEN_WIDTH_PX CSS pixels wide (sharp on this screen). */
function screenDpi(plot) {
  return (SCREEN_WIDTH_PX * (window.devicePixelRatio || 1)) / ((WIDTH_MM[plot.size] ?? 85) / 25.4);
}

// ---- the figure on the page, and its files ----

/**
 * A figure of curves drawn by the core on a canvas, its caption (`summary`, then the core's
 * sentences on time units, censor marks and the hazard ratio's method) and its exports.
 * `figure` = { id (the canvas is `${id}-canvas`), what ("Kaplan-Meier plot"), groups (the
 * curves, as the analysis returns them), options(dpi) (curveOptions), plot (settings.plot),
 * fileBase, summary (the figure in words), exportPrefix (before the buttons' ids "export-svg"...;
 * '' for the Kaplan-Meier figure, e.g. 'cif-' for another on the same page) }.
 */
export function figureBlock(store, figure) {
  const { id, summary } = figure;
  const canvas = el('canvas', { id: `${id}-canvas`, role: 'img', 'aria-describedby': `${id}-caption`, 'aria-label': `${figure.what}. ${summary}` });
  const drawn = draw(canvas, figure);
  const notes = drawn === true ? captionNotes(figure) : '';
  return el('figure', { class: 'figure-block' },
    canvas,
    el('figcaption', { id: `${id}-caption`, class: 'muted', text: [summary, notes].filter(Boolean).join(' ') }),
    drawn === true ? null : errorBox(drawn, 'Figure', { id: `${id}-figure-error`, state: store.state }),
    exportButtons(store, figure.plot, figure.exportPrefix ?? '', () => core.km_svg(figure.groups, figure.options(Number(figure.plot.dpi))), `${figure.fileBase}-${id}`));
}

/** Draws the figure on the canvas at screen resolution; true, or the core's error. */
function draw(canvas, figure) {
  try {
    const options = figure.options(screenDpi(figure.plot));
    const [w, h] = core.figure_size(figure.groups, options);
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${w / (window.devicePixelRatio || 1)}px`;
    core.draw_km(canvas, figure.groups, options);
    return true;
  } catch (err) {
    return { message: err.message, detail: err.detail ?? null };
  }
}

function captionNotes(figure) {
  try {
    return core.km_caption(figure.groups, figure.options(Number(figure.plot.dpi)));
  } catch {
    return '';
  }
}

/** The export buttons of a figure; `svgOf()` gives its SVG at the chosen resolution. */
export function exportButtons(store, plot, prefix, svgOf, base) {
  const dpi = Number(plot.dpi);
  const button = (format, text) => el('button', {
    type: 'button', id: `${prefix}export-${format}`,
    onclick: () => exportFigure(store, svgOf, format, dpi, `${base}.${format === 'tiff' ? 'tif' : format}`),
  }, text);
  return el('div', { class: 'buttons' },
    button('svg', 'Download SVG'),
    button('pdf', 'Download PDF'),
    button('tiff', `Download TIFF (${dpi} dpi)`),
    button('png', `Download PNG (${dpi} dpi)`));
}

const MIME = { svg: 'image/svg+xml', pdf: 'application/pdf', tiff: 'image/tiff', png: 'image/png' };

/** Makes the file and offers it; a failure is reported as a notice naming the figure options. */
async function exportFigure(store, svgOf, format, dpi, name) {
  try {
    const svg = svgOf();
    const bytes = format === 'svg' ? svg : await exportBytes(store, svg, format, dpi);
    download(new Blob([bytes], { type: MIME[format] }), name);
    dismiss(store, 'figure-export');
    setStatus(store, `Saved ${name}.`);
  } catch (err) {
    notify(store, { id: 'figure-export', context: 'Figure', text: `the ${format.toUpperCase()} file could not be made: ${err.message}.`, controls: ['figure-options'] });
  }
}

/**
 * PDF, TIFF or PNG bytes of a figure's SVG, made in a worker that loads the export module (the
 * PDF writer, rasteriser and fonts: most of exporting's size), so the page's own module stays
 * small and the page answers while a 1200-dpi TIFF is made. The worker ends after one file.
 */
export function exportBytes(store, svg, format, dpi) {
  setBusy(store, `Making the ${format.toUpperCase()} file…`);
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./export-worker.js', import.meta.url), { type: 'module' });
    const done = () => { worker.terminate(); setBusy(store, null); };
    worker.onmessage = ({ data }) => {
      done();
      if (data.ok) resolve(data.bytes);
      else reject(Object.assign(new Error(data.error), { detail: data.detail }));
    };
    worker.onerror = (ev) => {
      done();
      reject(new Error(`the page's exporter did not load (${ev.message ?? 'unknown error'}); reload the page and try again`));
    };
    worker.postMessage({ svg, format, dpi });
  });
}

// ---- the Cox model of the group alone, for a hazard ratio on the plot ----

/** With two groups and "Cox" chosen for the plot: a Cox model of the group column, with the chosen reference. */
export const figureCoxJob = {
  name: 'figure_cox',
  request(state) {
    const { settings } = state;
    const names = state.results.outcome?.value?.groups ?? [];
    const endpoint = activeEndpoint(state);
    if (settings.view !== 'km' || settings.plot.hazard_ratio !== 'cox' || names.length !== 2 || !outcomeComplete(endpoint)) return null;
    const reference = referenceLevel(names, groupLevels(state));
    return {
      op: 'cox',
      args: {
        ...outcomeArgs(settings, endpoint),
        covariates: [{ column: settings.group, categorical: true, reference }],
        conf_level: Number(settings.km.conf_level),
      },
      label: 'Fitting the Cox model for the hazard ratio on the plot…',
      context: { endpoint: endpoint.id, group: settings.group, reference },
    };
  },
};

// ---- controls ----

export function control(label, input, check = false) {
  return el('label', { class: check ? 'check' : null, for: input.id || null }, ...(check ? [input, label] : [label, input]));
}

export function select(id, value, choices, onchange, attrs = {}) {
  const s = el('select', { id, ...attrs, onchange: (ev) => onchange(ev.target.value) },
    choices.map(([v, text]) => el('option', { value: v, text })));
  s.value = String(value);
  return s;
}

function checkbox(id, checked, onchange) {
  return el('input', { type: 'checkbox', id, checked, onchange: (ev) => onchange(ev.target.checked) });
}

function numberInput(id, value, onchange, attrs = {}) {
  return el('input', { type: 'number', id, value: value ?? '', min: 0, step: 'any', ...attrs, onchange: (ev) => onchange(ev.target.value === '' ? null : Number(ev.target.value)) });
}

/** The default colours the palette gives the curves, in the order shown, as #rrggbb. */
function paletteColours(count) {
  return core.palette_colors('okabe-ito', count);
}

/**
 * The group column's levels, one row each in the order shown: move up or down, the label
 * readers see, the colour (custom colours), and which level is the reference.
 */
function groupsBlock(state, store, names) {
  const column = state.settings.group;
  const levels = groupLevels(state);
  const shown = orderedNames(names, levels);
  const reference = referenceLevel(names, levels);
  const colours = paletteColours(shown.length);
  const custom = state.settings.plot.palette === 'custom';
  const move = (i, by) => {
    const next = [...shown];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setLevels(store, column, 'order', next);
  };
  const rows = shown.map((name, i) => el('tr', {},
    el('td', { class: 'order' },
      el('button', { type: 'button', id: controlId('fig-up', name), 'aria-label': `Move ${levelLabel(levels, name)} up`, disabled: i === 0, onclick: () => move(i, -1) }, '↑'),
      el('button', { type: 'button', id: controlId('fig-down', name), 'aria-label': `Move ${levelLabel(levels, name)} down`, disabled: i === shown.length - 1, onclick: () => move(i, 1) }, '↓')),
    el('th', { scope: 'row', text: name }),
    el('td', {}, el('input', {
      type: 'text', id: controlId('fig-label', name), value: levels.labels[name] ?? '', placeholder: name, autocomplete: 'off',
      'aria-label': `Label for ${column} = ${name}`,
      onchange: (ev) => setLevels(store, column, 'labels', { ...levels.labels, [name]: ev.target.value }),
    })),
    custom ? el('td', {}, el('input', {
      type: 'color', id: controlId('fig-color', name), value: levels.colors[name] ?? colours[i], 'aria-label': `Colour of ${levelLabel(levels, name)}`,
      onchange: (ev) => setLevels(store, column, 'colors', { ...levels.colors, [name]: ev.target.value }),
    })) : null,
    el('td', {}, el('input', {
      type: 'radio', name: 'fig-reference', id: controlId('fig-reference', name), checked: name === reference,
      'aria-label': `${levelLabel(levels, name)} is the reference group`,
      onchange: () => setLevels(store, column, 'reference', name),
    }))));
  return el('div', { id: 'figure-groups' },
    el('h4', { text: `Groups of ${column} (as the reader sees them)` }),
    el('table', { class: 'levels' },
      el('thead', {}, el('tr', {}, el('th', { text: 'Order' }), el('th', { text: 'Value' }), el('th', { text: 'Label' }),
        custom ? el('th', { text: 'Colour' }) : null, el('th', { text: 'Reference' }))),
      el('tbody', {}, rows)),
    el('p', { class: 'note', text: 'Labels and order apply to the figure, its legend and number-at-risk rows, the tables and the exports; the reference group is the comparator of hazard ratios (on the plot, in the tests table and in the Cox model), restricted-mean comparisons and the pairwise tests.' }));
}

/** The y range in the axis' own scale (percent or proportion), stored as proportions. */
function rangeInput(id, plot, key, set) {
  const scale = plot.percent ? 100 : 1;
  return numberInput(id, Math.round(Number(plot[key]) * scale * 1e6) / 1e6, (v) => set(key)(v === null ? (key === 'y_min' ? 0 : 1) : v / scale),
    { min: 0, max: scale, step: plot.percent ? 5 : 0.05 });
}

/**
 * The figure's controls for the active endpoint: groups (when compared), axes, rows under the
 * plot, notes on it, legend, size and resolution. `names` are the curves' levels; a view of
 * other curves (competing risks) leaves out the survival/incidence choice and the hazard ratio
 * and names its own test (`{ curve: false, hazardRatio: false, test: 'Gray's test' }`).
 */
export function figureControls(state, store, names, { curve = true, hazardRatio = true, test = 'log-rank' } = {}) {
  const p = state.settings.plot;
  const endpoint = activeEndpoint(state);
  const unit = unitOf(endpoint);
  const axisUnit = shownUnit(endpoint, unit);
  const unitWords = axisUnit ? `in ${axisUnit}` : 'in the time column\'s unit';
  const own = endpointStore(store);
  const plot = (key) => (v) => setSetting(store, ['plot', key], v);
  const mine = (key) => (v) => own.set(key, v);
  const defaultTitle = curve && p.curve === 'survival' ? `${endpoint.name || 'Survival'}${p.percent ? ' (%)' : ' probability'}` : `Cumulative incidence${p.percent ? ' (%)' : ''}`;
  const two = names.length === 2;
  return el('div', { id: 'figure-options' },
    state.settings.group && names.length > 1 ? groupsBlock(state, store, names) : null,
    el('h4', { text: `Axes of ${endpoint.name || 'this endpoint'}` }),
    el('div', { class: 'controls' },
      control('Y axis title', el('input', { type: 'text', id: 'plot-y-label', value: endpoint.y_label ?? '', placeholder: defaultTitle, onchange: (ev) => own.set('y_label', ev.target.value) })),
      control(`Y axis from${p.percent ? ' (%)' : ''}`, rangeInput('plot-y-min', p, 'y_min', plot)),
      control(`Y axis to${p.percent ? ' (%)' : ''}`, rangeInput('plot-y-max', p, 'y_max', plot)),
      control('Y axis reads', select('plot-percent', p.percent ? 'percent' : 'proportion', [['proportion', 'proportion (0–1)'], ['percent', 'percent (0–100)']], (v) => plot('percent')(v === 'percent'))),
      convertible(unit)
        ? control('Show time in', select('plot-display-unit', endpoint.display_unit || '', [['', `${unit} (as recorded)`], ...UNITS.filter((u) => u !== unit).map((u) => [u, u])], (v) => setDisplayUnit(store, v)))
        : null,
      control(`Time breaks every (${unitWords}; empty = natural steps)`, numberInput('plot-time-step', endpoint.time_step, mine('time_step'))),
      control(`Time axis ends at (${unitWords}; empty = the first break at or after the last time)`, numberInput('plot-x-max', endpoint.x_max, mine('x_max'))),
      control('Title', el('input', { type: 'text', id: 'plot-title', value: endpoint.title, onchange: (ev) => own.set('title', ev.target.value) }))),
    el('h4', { text: 'Figure (all endpoints)' }),
    el('div', { class: 'controls' },
      curve ? control('Curve', select('plot-curve', p.curve, [['survival', 'survival'], ['cumulative-incidence', 'cumulative incidence (1 − S)']], plot('curve'))) : null,
      control('Colours', select('plot-palette', p.palette, [['okabe-ito', 'colour-blind safe'], ['greyscale', 'greyscale, distinct line types'], ['custom', 'custom (choose per group)']], plot('palette'))),
      control('Legend', select('plot-legend', p.legend, [['auto', 'inside, in a free corner'], ['top-right', 'inside, top right'], ['top-left', 'inside, top left'], ['bottom-right', 'inside, bottom right'], ['bottom-left', 'inside, bottom left'], ['top', 'outside, above the plot'], ['none', 'none']], plot('legend'))),
      control('Censored observations', select('plot-censor-style', p.censor_marks ? p.censor_style : 'none', [['auto', 'marks, thinned when dense'], ['every', 'a mark at every time'], ['thinned', 'marks, thinned'], ['rug', 'ticks along the time axis (rug)'], ['none', 'not shown']], (v) => {
        if (v === 'none') return plot('censor_marks')(false);
        setSetting(store, ['plot', 'censor_marks'], true);
        return plot('censor_style')(v);
      })),
      control(' confidence bands', checkbox('plot-conf-bands', p.conf_bands, plot('conf_bands')), true),
      control(' median lines', checkbox('plot-median-lines', p.median_lines, plot('median_lines')), true),
      control(` ${test} P on the plot`, checkbox('plot-show-p', p.show_p, plot('show_p')), true),
      hazardRatio ? control(two ? 'Hazard ratio on the plot' : 'Hazard ratio on the plot (two groups)', select('plot-hazard-ratio', p.hazard_ratio, [['none', 'none'], ['mantel-haenszel', 'Mantel-Haenszel (log-rank)'], ['cox', 'Cox model']], plot('hazard_ratio'), { disabled: !two })) : null),
    el('h4', { text: 'Under the plot' }),
    el('div', { class: 'controls' },
      control(' number at risk', checkbox('plot-risk-table', p.risk_table, plot('risk_table')), true),
      control(' cumulative events', checkbox('plot-risk-events', p.risk_table_events, plot('risk_table_events')), true),
      control(' cumulative censored', checkbox('plot-risk-censored', p.risk_table_censored, plot('risk_table_censored')), true)),
    el('h4', { text: 'Size and files' }),
    el('div', { class: 'controls' },
      control('Width', select('plot-size', p.size, SIZES, plot('size'))),
      control('Resolution (TIFF, PNG)', select('plot-dpi', p.dpi, [['300', '300 dpi'], ['600', '600 dpi'], ['1200', '1200 dpi (line art)']], (v) => plot('dpi')(Number(v)))),
      control('Font size (pt)', numberInput('plot-font-size', p.font_size, (v) => plot('font_size')(v ?? 8), { min: 6, max: 16, step: 0.5 }))));
}

// ---- forest plots (Cox view) ----

/** The forest plot's labels: a categorical group column's levels as the reader sees them (keys "column=level"). */
function forestLabels(state) {
  const column = state.settings.group;
  const levels = groupLevels(state);
  return Object.fromEntries(Object.entries(levels.labels).filter(([, text]) => text?.trim()).map(([level, text]) => [`${column}=${level}`, text.trim()]));
}

/**
 * A forest plot drawn by the core as SVG (shown as an image, so the page shows exactly the file
 * saved), with its exports. `svgOf(options)` draws it; `id` names its elements.
 */
export function forestBlock(state, store, { id, title, svgOf, base, labels, controls = null }) {
  const p = state.settings.plot;
  const options = (dpi) => ({ labels, size: p.forest_size, font_size: Number(p.font_size), dpi, models: p.forest_models });
  let svg;
  try {
    svg = svgOf(options(Number(p.dpi)));
  } catch (err) {
    // The controls stay, so a width too narrow for the plot can be widened again.
    return el('div', { id }, el('h4', { text: title }), controls, errorBox({ message: err.message, detail: err.detail ?? null }, 'Forest plot'));
  }
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  const desc = new DOMParser().parseFromString(svg, 'image/svg+xml').querySelector('desc')?.textContent ?? title;
  return el('figure', { class: 'forest', id },
    el('h4', { text: title }),
    controls,
    el('img', { src: url, alt: desc, id: `${id}-image`, onload: () => setTimeout(() => URL.revokeObjectURL(url), 0) }),
    exportButtons(store, p, `${id}-`, () => svgOf(options(Number(p.dpi))), base));
}

/** A forest plot's width (its text columns need more room than a curve: double column by default). */
function forestSizeControl(state, store, id) {
  return control('Width', select(`${id}-size`, state.settings.plot.forest_size, SIZES, (v) => setSetting(store, ['plot', 'forest_size'], v)));
}

/** The choice of models in a Cox forest plot, and its width. */
function forestModelsControl(state, store) {
  return el('div', { class: 'controls' }, control('Models shown', select('cox-forest-models', state.settings.plot.forest_models,
    [['both', 'univariable and multivariable'], ['univariable', 'univariable'], ['multivariable', 'multivariable']],
    (v) => setSetting(store, ['plot', 'forest_models'], v))), forestSizeControl(state, store, 'cox-forest'));
}

/** A Cox fit's forest plot block; `labels` as ForestOptions' (the Cox view's covariate and level labels, coxlabels.js). */
export function coxForest(state, store, fit, endpointName, labels = forestLabels(state)) {
  return forestBlock(state, store, {
    id: 'cox-forest', title: 'Forest plot of hazard ratios',
    svgOf: (options) => core.cox_forest_svg(fit, options),
    labels,
    base: slug(`${endpointName}-cox-forest`),
    controls: forestModelsControl(state, store),
  });
}

const levels = (state, column) => levelSettings(state.settings, column);

/** A subgroup analysis' forest plot block. */
export function subgroupForest(state, store, analysis, endpointName) {
  return forestBlock(state, store, {
    id: 'subgroup-forest', title: `Hazard ratio of ${analysis.group} within subgroups`,
    svgOf: (options) => core.subgroup_forest_svg(analysis, options),
    // The compared groups by their labels (the subgroup columns' levels as they are).
    labels: Object.fromEntries(analysis.comparisons.concat(analysis.reference).map((n) => [n, levelLabel(levels(state, analysis.group), n)])),
    base: slug(`${endpointName}-subgroup-forest`),
    controls: el('div', { class: 'controls' }, forestSizeControl(state, store, 'subgroup-forest')),
  });
}
