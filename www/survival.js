// The survival view: Kaplan-Meier figure, summary and tests tables, exports and the methods paragraph.
//
// Estimates come from the worker (`km`, the command line's JSON object, in state.results.km); the
// figure is drawn here by the same Rust drawing code that writes the SVG export. Everything shown
// is a function of the state: the tables and the methods of the answer's own request (its
// context), the figure's look and the options of the current settings.

import * as core from './pkg/survcalc.js';
import { el, fmt, fmtP, tableBlock, docxButton } from './views.js';
import { copyText, slug } from './export.js';
import { rScriptButton } from './rscript.js';
import { errorBox } from './hints.js';
import { tableTime, kmInUnit, toShown, toRecorded } from './units.js';
import {
  exactArgs, exactControls, exactMethods, exactTestNotes, exactTestRow, rmstTable, spssTable, tauAdvice,
} from './exact.js';
import {
  curveOptions, figureBlock, figureControls, orderedNames, levelLabel, hazardNote, referenceLevel,
} from './figure.js';
import {
  activeEndpoint, endpointStore, setSetting, unitOf, outcomeArgs, outcomeComplete, endpointContext,
  refuse, accept, levelSettings,
} from './store.js';

const TEST_NAMES = {
  'log-rank': 'Log-rank',
  'gehan-breslow': 'Gehan-Breslow (generalised Wilcoxon)',
  'tarone-ware': 'Tarone-Ware',
  'peto-peto': 'Peto-Peto',
};

/**
 * The confidence-interval transforms, with the software that uses each by default (the same
 * words in the control, the table's note and the methods).
 */
const CONF_TYPES = {
  'log-log': {
    option: 'log-log (Stata\'s and SAS\'s default)',
    scale: 'log-log',
    who: 'the default of Stata and SAS; R\'s survfit defaults to the log scale',
    note: 'log-log transformation, the default of Stata and SAS (R\'s survfit gives it with conf.type = "log-log"; its own default is "log")',
  },
  log: {
    option: 'log (R survfit\'s default)',
    scale: 'log',
    who: 'the default of R\'s survfit; Stata and SAS default to the log-log scale',
    note: 'log transformation, the default of R\'s survfit (conf.type = "log")',
  },
  plain: {
    option: 'plain, untransformed (SPSS)',
    scale: 'plain (untransformed)',
    who: 'as SPSS gives them',
    note: 'plain (untransformed) intervals, as SPSS gives them (R\'s survfit with conf.type = "plain")',
  },
};
const ADJUST_NAMES = { holm: 'Holm', bonferroni: 'Bonferroni', BH: 'Benjamini-Hochberg' };

// ---- the worker's requests ----

function kmArgs(settings, endpoint, groups, reference = null) {
  const k = settings.km;
  return {
    ...outcomeArgs(settings, endpoint),
    conf_type: k.conf_type,
    conf_level: Number(k.conf_level),
    tau: endpoint.tau,
    at: endpoint.at,
    // 'none' on the page means no pairwise tests (the core's 'none' is tests without adjustment).
    pairwise: k.pairwise === 'none' ? null : k.pairwise,
    fleming_harrington: k.fh ? [Number(k.fh_p), Number(k.fh_q)] : null,
    ...(k.trend && groups > 2 ? { trend_scores: Array.from({ length: groups }, (_, i) => i + 1) } : {}),
    ...exactArgs(endpoint),
    // The figure's reference group: the comparator of the hazard ratio, RMST and pairwise tests.
    reference,
  };
}

/**
 * The reference group chosen with the figure, once the group column's levels are known; null for
 * the core's own (the first level), so that the answer asked before the levels were known stays.
 */
function kmReference(state) {
  const names = state.results.outcome?.value?.groups ?? [];
  if (!state.settings.group || names.length < 2) return null;
  const reference = referenceLevel(names, levelSettings(state.settings, state.settings.group));
  return reference === names[0] ? null : reference;
}

/** Levels of the group column among the rows used, from the outcome's answer (0 until it is known). */
function groupCount(state) {
  return state.results.outcome?.value?.groups?.length ?? 0;
}

/** The active endpoint's Kaplan-Meier estimates and tests. */
export const kmJob = {
  name: 'km',
  request(state) {
    if (!state.data?.capabilities.includes('km')) return null;
    const endpoint = activeEndpoint(state);
    if (!outcomeComplete(endpoint)) return null;
    const { settings } = state;
    return {
      op: 'km',
      args: kmArgs(settings, endpoint, groupCount(state), kmReference(state)),
      label: 'Computing Kaplan-Meier estimates and tests…',
      context: { endpoint: endpointContext(endpoint), group: settings.group, strata: settings.strata, km: settings.km },
    };
  },
};

/** With several endpoints, each one's estimates for the table of all endpoints. */
export const endpointsJob = {
  name: 'endpoints',
  request(state) {
    const { settings } = state;
    if (!state.data?.capabilities.includes('km') || settings.endpoints.length < 2) return null;
    return settings.endpoints.map((e) => ({
      op: 'km',
      args: kmArgs(settings, e, groupCount(state), kmReference(state)),
      label: 'Computing every endpoint…',
      context: { name: e.name, unit: unitOf(e), complete: outcomeComplete(e) },
    }));
  },
};

// ---- the view ----

/** The survival panel for the state: nodes to put in #panel-km. */
export function survivalPanel(state, store) {
  const result = state.results.km;
  if (!result) return [el('p', { class: 'note', text: 'Computing…' })];
  if (result.error) return [errorBox(result.error, 'Kaplan-Meier', { id: 'km-error', state }), optionsBlock(state, store, groupCount(state))];
  const { context, value: km } = result;
  // The figure's own options live in the endpoint (in its unit); the answer's endpoint may have been removed since.
  const endpoint = state.settings.endpoints.find((e) => e.id === context.endpoint.id) ?? context.endpoint;
  // Labels, order and the reference are presentation: read from the settings now (changing them asks the worker nothing).
  const levels = levelSettings(state.settings, context.group);
  const view = { km, context, unit: context.endpoint.unit_label, plot: state.settings.plot, endpoint, answer: result, levels, figureCox: state.results.figure_cox };
  // The tables, their words and the methods in the unit the figure shows (the figure converts the answer itself).
  const shown = inShownUnit(view);
  const { time } = shown;
  const twoOrMore = km.groups.length >= 2;
  const tables = [
    [summaryTable(shown.km, time, levels), 'km-summary'],
    ...(twoOrMore ? [[testsTable(km, context.km, levels), 'km-tests']] : []),
    ...(km.pairwise && km.groups.length > 2 ? [[pairwiseTable(km, levels), 'km-pairwise']] : []),
    [rmstTable(shown.km, time.unit, levels, time.note), 'km-rmst'],
    [spssTable(shown.km, time.unit, levels, time.note), 'km-spss-means'],
  ].filter(([t]) => t);
  const all = endpointsTable(state, view);
  return [
    el('h3', { text: `${context.endpoint.name}: Kaplan-Meier${context.group ? ` by ${context.group}` : ''}` }),
    el('p', { class: 'note', id: 'km-definition', text: [km.time_description, km.event_coding && `event coding: ${km.event_coding}`].filter(Boolean).join('; ') }),
    km.warnings.length ? el('div', { class: 'warn', role: 'note', id: 'km-warnings' }, km.warnings.map((w) => el('p', { text: w }))) : null,
    el('div', { class: 'figure-row' }, figureBlock(store, kmFigure(view)),
      el('div', { class: 'options-column' }, optionsBlock(state, store, groupCount(state)),
        el('details', { class: 'options', id: 'figure-settings', open: true }, el('summary', { text: 'Figure' }),
          figureControls(state, store, km.groups.map((g) => g.name))))),
    ...tables.map(([t, id]) => tableBlock(t, id, `${fileBase(view)}-${slug(t.caption)}`)),
    all ? el('div', { id: 'endpoints-block' }, tableBlock(all, 'km-endpoints', `${slug(context.group || 'all')}-all-endpoints`)) : null,
    methodsBlock(shown, [...tables.map(([t]) => t), ...(all ? [all] : [])]),
  ];
}

/** With several endpoints, one table of all of them side by side (as a paper's survival table). */
function endpointsTable(state, view) {
  const result = state.results.endpoints;
  if (state.settings.endpoints.length < 2 || !result?.value) return null;
  const rows = [];
  // The permutation P beside the log-rank P, when any endpoint asked for it.
  const exact = result.value.some((answer) => answer.value?.exact_test);
  const converted = [];
  result.value.forEach((answer, i) => {
    const { name, unit: recorded, complete } = result.context[i];
    // Each endpoint in the unit its own figure shows (the settings' endpoint i, asked for as this answer's i).
    const own = state.settings.endpoints[i];
    const time = own?.name === name ? tableTime(own, recorded) : { unit: recorded, factor: 1, note: null };
    if (time.note) converted.push(`${name}: ${time.note}`);
    const unit = time.unit;
    const label = `${name}${unit ? ` (${unit})` : ''}`;
    if (answer.error) {
      rows.push([label, '', '', '', complete ? `not computed: ${answer.error.message}` : 'not computed: choose its time and event columns', '', ...(exact ? [''] : [])]);
      return;
    }
    const km = kmInUnit(answer.value, time.factor);
    const logRank = km.tests.find((t) => t.name === 'log-rank');
    ordered(km, view.levels).forEach((g, j) => rows.push([j === 0 ? label : '', groupName(g, km, view.levels), String(g.n), String(g.events),
      withCi(g.median, g.median_lower, g.median_upper), j === 0 && logRank ? fmtP(logRank.p) : '',
      ...(exact ? [j === 0 && km.exact_test ? fmtP(km.exact_test.p) : ''] : [])]));
  });
  const level = `${Math.round(view.context.km.conf_level * 100)}%`;
  return {
    caption: 'All endpoints',
    head: ['Endpoint', 'Group', 'n', 'Events', `Median (${level} CI)`, 'Log-rank P', ...(exact ? ['Permutation P'] : [])],
    body: rows,
    numeric: [2, 3, 4, 5, 6],
    notes: [NR_NOTE, ...(converted.length ? [`Times as each endpoint's figure shows them: ${converted.join('; ')}.`] : [])],
  };
}

// ---- figure ----

/** The Kaplan-Meier figure for figure.js: the curves, the options at a dpi, the caption in words. */
function kmFigure(view) {
  const { km, unit, plot, endpoint, levels, figureCox } = view;
  const logRank = km.tests.find((t) => t.name === 'log-rank');
  const names = km.groups.map((g) => g.name);
  // The Cox answer for this endpoint, group column and reference only (an older one is not shown).
  const asked = figureCox?.context;
  const cox = figureCox?.value && asked.endpoint === endpoint.id && asked.group === view.context.group
    && asked.reference === referenceLevel(names, levels) ? figureCox.value : null;
  const hazardRatio = hazardNote({ method: plot.hazard_ratio, km, cox, names, levels });
  return {
    id: 'km',
    what: 'Kaplan-Meier plot',
    groups: km.groups,
    plot,
    options: (dpi) => curveOptions({ groups: km.groups, unit, plot, endpoint, levels, test: logRank ? { name: 'Log-rank', p: logRank.p } : null, annotation: exactLine(km), hazardRatio }, dpi),
    fileBase: fileBase(view),
    summary: plotSummary(inShownUnit(view)),
  };
}

/** The view with the answer's times in the unit the figure shows (tableTime), for words and tables. */
function inShownUnit(view) {
  const time = tableTime(view.endpoint, view.unit);
  return { ...view, km: kmInUnit(view.km, time.factor), unit: time.unit, time };
}

/** "Log-rank P = 0.21", with the permutation P beside it when it was asked for; null with one group. */
/** The permutation test's P, on the plot under the log-rank P when it was computed. */
function exactLine(km) {
  const t = km.exact_test;
  return t ? `${t.method === 'exact' ? 'Exact' : 'Monte Carlo'} permutation P ${pText(t.p)}` : null;
}

function pLine(km) {
  const logRank = km.tests.find((t) => t.name === 'log-rank');
  if (!logRank) return null;
  const t = km.exact_test;
  return `Log-rank P ${pText(logRank.p)}${t ? `; ${t.method === 'exact' ? 'exact' : 'Monte Carlo'} permutation P ${pText(t.p)}` : ''}`;
}

/** "= 0.012" or "< 0.001", for a P placed in a sentence or on the plot. */
function pText(p) {
  const s = fmtP(p);
  return s.startsWith('<') || s.startsWith('>') ? `${s[0]} ${s.slice(1)}` : `= ${s}`;
}

/** The plot in words, for screen readers and for anyone checking the figure. */
function plotSummary({ km, unit, levels }) {
  const groups = ordered(km, levels).map((g) => `${groupName(g, km, levels)}: `
    + `${g.n} patients, ${g.events} events, median ${g.median === null ? 'not reached' : `${fmt(g.median, 1)}${after(unit)}`}`);
  const line = pLine(km);
  return `${groups.join('; ')}.${line ? ` ${line}.` : ''}`;
}

function fileBase(view) {
  return slug(`${view.context.endpoint.name}-${view.context.group || 'all'}`);
}

// ---- tables ----

/** " months" after a number, or nothing when the time unit is unspecified. */
function after(unit) {
  return unit ? ` ${unit}` : '';
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

/** A group as the reader sees it: its label, or "All patients" without groups. */
function groupName(g, km, levels) {
  return g.name === 'all' && km.groups.length === 1 ? 'All patients' : levelLabel(levels, g.name);
}

/** The groups in the order chosen for the figure and tables. */
function ordered(km, levels) {
  const names = orderedNames(km.groups.map((g) => g.name), levels);
  return names.map((n) => km.groups.find((g) => g.name === n));
}

function summaryTable(km, time, levels) {
  const { unit } = time;
  const level = `${Math.round(km.conf_level * 100)}%`;
  const at = km.groups[0]?.at ?? [];
  const u = unit ? `, ${unit}` : '';
  const head = ['Group', 'n', 'Events', `Median${u} (${level} CI)`, `Restricted mean${u} (SE)`, 'Limit',
    ...at.map((a) => `Survival at ${fmt(a.time, 1)}${after(unit)} (${level} CI)`),
    `Median follow-up${u}`];
  const body = ordered(km, levels).map((g) => [
    groupName(g, km, levels),
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
    : 'Restricted mean: area under each curve up to that group\'s last observed time (the "Limit" column); means with different limits are not comparable: set a common limit under Options.';
  return {
    caption: `Survival summary${time.note ? `, times in ${time.note}` : ''}`,
    head,
    body,
    numeric: head.map((_, i) => i).filter((i) => i > 0),
    notes: [NR_NOTE, `Confidence intervals: pointwise, ${CONF_TYPES[km.conf_type].note}.`, limit,
      'Median follow-up: reverse Kaplan-Meier (censorings counted as events); NR when too few patients were censored to estimate it.'],
  };
}

/** "Fleming-Harrington (p = 0, q = 1)": the test's name with its weights, as tables and methods print it. */
function fhName(k) {
  return `Fleming-Harrington (p = ${k.fh_p}, q = ${k.fh_q})`;
}

function testsTable(km, k, levels) {
  const body = km.tests.map((t) => [TEST_NAMES[t.name] ?? t.name, fmt(t.chisq, 2), String(t.df), fmtP(t.p)]);
  const exact = exactTestRow(km);
  if (exact) body.splice(km.tests.findIndex((t) => t.name === 'log-rank') + 1, 0, exact);
  const fh = km.fleming_harrington;
  if (fh) body.push([fhName(k), fmt(fh.chisq, 2), String(fh.df), fmtP(fh.p)]);
  if (km.trend) body.push([`Log-rank test for trend (scores ${km.trend.scores.join(', ')} in the order ${km.groups.map((g) => levelLabel(levels, g.name)).join(', ')})`, fmt(km.trend.chisq, 2), String(km.trend.df), fmtP(km.trend.p)]);
  const notes = ['Mantel-Haenszel (hypergeometric) variance; df = groups with a non-zero expected count minus 1, as R\'s survdiff.'];
  if (fh) notes.push(`${fhName(k)}: weights Ŝ(t−)^p (1 − Ŝ(t−))^q, Ŝ the Kaplan-Meier estimate of all groups pooled, as R's survdiff(rho = p) when q = 0.`);
  if (km.hazard_ratio) {
    const hr = km.hazard_ratio;
    const lvl = `${Math.round(hr.conf_level * 100)}%`;
    // The core computes it against the reference chosen with the figure (kmArgs' `reference`).
    for (const e of hr.estimates) {
      notes.push(`Hazard ratio ${levelLabel(levels, hr.group)} vs ${levelLabel(levels, hr.reference)} (${e.method === 'mantel-haenszel' ? 'Mantel-Haenszel' : 'O/E'} method): `
        + `${fmt(e.hr, 2)} (${lvl} CI ${fmt(e.lower, 2)}–${fmt(e.upper, 2)}).`);
    }
  }
  if (km.strata?.length) notes.push(`Stratified by ${km.strata.join(', ')}.`);
  notes.push(...exactTestNotes(km));
  return { caption: 'Tests between groups', head: ['Test', 'Chi-square', 'df', 'P'], body, numeric: [1, 2, 3], notes };
}

function pairwiseTable(km, levels) {
  const pw = km.pairwise;
  const adjust = ADJUST_NAMES[pw.adjust] ?? pw.adjust;
  return {
    caption: 'Pairwise log-rank tests',
    head: ['Groups', 'Chi-square', 'df', 'P', `P (${adjust})`],
    body: inChosenOrder(pw.comparisons, km, levels).map((c) => [`${levelLabel(levels, c.group1)} vs ${levelLabel(levels, c.group2)}`, fmt(c.chisq, 2), String(c.df), fmtP(c.p), fmtP(c.p_adjusted)]),
    numeric: [1, 2, 3, 4],
    notes: [`P adjusted for ${pw.comparisons.length} comparisons by the ${adjust} method.`],
  };
}

/**
 * The pairs with the reference's first, then in the groups' chosen order, each pair's groups in
 * that order (the tests are symmetric; the core lists the reference first, the rest as coded).
 */
function inChosenOrder(comparisons, km, levels) {
  const names = km.groups.map((g) => g.name);
  const reference = referenceLevel(names, levels);
  const order = [reference, ...orderedNames(names, levels).filter((n) => n !== reference)];
  const at = (n) => order.indexOf(n);
  return comparisons
    .map((c) => (at(c.group1) <= at(c.group2) ? c : { ...c, group1: c.group2, group2: c.group1 }))
    .sort((a, b) => at(a.group1) - at(b.group1) || at(a.group2) - at(b.group2));
}

// ---- options ----

/**
 * "Survival at times" as typed: a list of numbers, or why it is not one. A comma between two
 * digits is refused: it may be a decimal comma (1826,25) or a list typed without spaces, and a
 * wrong guess would report survival at the wrong time without anyone noticing.
 */
export function parseTimes(text, unit, whose = 'this endpoint\'s unit') {
  const typed = text.trim();
  if (!typed) return { times: [] };
  const inUnit = unit ? `in ${unit} (${whose})` : 'in the time column\'s unit';
  const squeezed = typed.match(/\d+,\d+/);
  if (squeezed) {
    return { error: `“${squeezed[0]}” is ambiguous: a comma between digits may be a decimal comma (${squeezed[0].replace(',', '.')}) or two times. Write decimals with a point and separate the times with a comma and a space, for example 12, 36, 60` };
  }
  const times = [];
  for (const piece of typed.split(/[,;]/).map((p) => p.trim()).filter(Boolean)) {
    const words = piece.split(/\s+/);
    if (!words.every((w) => /^[-+]?(\d+\.?\d*|\.\d+)$/.test(w))) {
      return { error: `“${piece}” is not a number: give each time as a number ${inUnit}, separated by commas, for example 12, 36, 60` };
    }
    times.push(...words.map(Number));
  }
  const negative = times.find((t) => t < 0);
  if (negative !== undefined) return { error: `${negative} is before the start of follow-up: times are 0 or more` };
  return { times: [...new Set(times)].sort((a, b) => a - b) };
}

function control(label, input, check = false) {
  return el('label', { class: check ? 'check' : null, for: input.id || null }, ...(check ? [input, label] : [label, input]));
}

function select(id, value, choices, onchange) {
  const s = el('select', { id, onchange: (ev) => onchange(ev.target.value) },
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

/** A text field whose input the page may refuse: the refused text stays in it, with the reason under it. */
function checkedText(state, id, value, onchange) {
  const refused = state.invalid[id];
  const input = el('input', {
    type: 'text', id, value: refused ? refused.text : value, autocomplete: 'off',
    'aria-invalid': refused ? 'true' : null, 'aria-describedby': refused ? `${id}-error` : null,
    onchange: (ev) => onchange(ev.target.value),
  });
  return [input, refused ? el('span', { class: 'field-error', id: `${id}-error`, text: `Not applied: ${refused.message}.` }) : null];
}

function optionsBlock(state, store, groups) {
  const k = state.settings.km;
  const endpoint = activeEndpoint(state);
  const unit = unitOf(endpoint);
  const unitWords = unit || 'in the time column\'s unit';
  // "Survival at" times are typed in the unit the figure and tables show, kept in the recorded one.
  const time = tableTime(endpoint, unit);
  const atWords = time.note ? `in ${time.note}, as the figure` : unitWords;
  const own = endpointStore(store);
  const km = (key) => (v) => setSetting(store, ['km', key], v);
  const setTimes = (text) => {
    const parsed = parseTimes(text, time.unit, time.note ? 'the unit the figure shows' : undefined);
    if (parsed.error) return refuse(store, 'opt-at', text, parsed.error);
    accept(store, 'opt-at');
    return own.set('at', parsed.times.map((t) => toRecorded(time, t)));
  };
  const [atInput, atError] = checkedText(state, 'opt-at', endpoint.at.map((t) => toShown(time, t)).join(', '), setTimes);
  return el('details', { class: 'options', id: 'km-options', open: true },
    el('summary', { text: 'Options' }),
    el('h4', { text: 'Estimates (all endpoints)' }),
    el('div', { class: 'controls' },
      control('Confidence interval', select('opt-conf-type', k.conf_type, Object.entries(CONF_TYPES).map(([v, c]) => [v, c.option]), km('conf_type'))),
      control('Confidence level', select('opt-conf-level', k.conf_level, [['0.9', '90%'], ['0.95', '95%'], ['0.99', '99%']], (v) => km('conf_level')(Number(v)))),
      ...(groups >= 2 ? fhControls(k, km) : []),
      ...(groups > 2 ? [control(' test for trend (groups ordered as listed)', checkbox('opt-trend', k.trend, km('trend')), true)] : []),
      ...(groups > 2 ? [control('Pairwise comparisons', select('opt-pairwise', k.pairwise ?? 'none', [['holm', 'Holm'], ['bonferroni', 'Bonferroni'], ['BH', 'Benjamini-Hochberg'], ['none', 'none']], km('pairwise')))] : [])),
    el('h4', { text: `${endpoint.name || 'This endpoint'} (times ${time.unit ? `in ${time.unit}` : 'in the time column\'s unit'})` }),
    el('div', { class: 'controls' },
      control(`Restricted mean: common limit τ (${atWords}; empty = each group's last time)`,
        numberInput('opt-tau', endpoint.tau === null ? null : toShown(time, endpoint.tau), (v) => own.set('tau', v === null ? null : toRecorded(time, v)))),
      tauAdvice(state, store),
      ...exactControls(state, store, groups),
      el('label', { for: 'opt-at' }, `Survival at times (${atWords}; for example 12, 36, 60)`, atInput, atError)));
}

/** The Fleming-Harrington test: off by default; when ticked, its p and q. */
function fhControls(k, km) {
  const weight = (key) => numberInput(`opt-${key.replace('_', '-')}`, k[key], (v) => km(key)(v ?? 0), { min: 0, step: 0.5 });
  return [
    control(' Fleming-Harrington (p, q) test', checkbox('opt-fh', k.fh, km('fh')), true),
    ...(k.fh ? [control('p (weight Ŝ(t−)^p: early differences)', weight('fh_p')),
      control('q (weight (1 − Ŝ(t−))^q: late differences)', weight('fh_q'))] : []),
  ];
}

// ---- methods ----

/** A methods paragraph naming every method and convention used, to adapt for a manuscript. */
function methodsText({ km, unit, context, levels, time: shown }) {
  const level = `${Math.round(km.conf_level * 100)}%`;
  const e = context.endpoint;
  // Left unspecified on the page, the unit is a blank for the author to fill in the manuscript.
  const unitText = unit || '[time unit]';
  const recorded = e.unit_label || '[time unit]';
  // How dates became times (the divisor of a month or a year) is the core's statement.
  const time = e.source === 'dates'
    ? `${e.name} was measured from the date in “${e.start_date}” to the date in “${e.end_date}”${km.time_description ? ` (${km.time_description})` : `, in ${recorded}`}`
    : `${e.name} was taken from the column “${e.time}” (${recorded})`;
  const k = context.km;
  const conf = CONF_TYPES[km.conf_type];
  const parts = [
    `${time}; the event indicator was “${e.event}” (${km.event_coding}), and patients without the event were censored at their last follow-up.`,
    `Survival was estimated with the Kaplan-Meier method, with Greenwood standard errors and pointwise ${level} confidence intervals on the ${conf.scale} scale (${conf.who}); the confidence interval of the median is where that band crosses 50% (as R's survfit).`,
    km.rmean_restriction === 'tau'
      ? `Restricted mean survival time was computed up to a common limit of ${fmt(km.tau, 1)} ${unitText}.`
      : 'Restricted mean survival time was computed up to each group\'s last observed time.',
    'Median follow-up was estimated with the reverse Kaplan-Meier method.',
  ];
  if (km.groups.length >= 2) {
    // The values behind the labels, so a reader can match the figure to the data set.
    const named = ordered(km, levels).filter((g) => levelLabel(levels, g.name) !== g.name);
    const coding = named.length ? ` (${named.map((g) => `${g.name}: ${levelLabel(levels, g.name)}`).join('; ')})` : '';
    parts.push(`Groups defined by ${context.group}${coding} were compared with the log-rank test (Mantel-Haenszel variance)`
      + `${km.strata?.length ? `, stratified by ${context.strata}` : ''}; the Gehan-Breslow, Tarone-Ware and Peto-Peto weighted tests are reported alongside.`
      + (km.fleming_harrington ? ` The Fleming-Harrington G(p, q) test with p = ${k.fh_p} and q = ${k.fh_q} (weights Ŝ(t−)^p (1 − Ŝ(t−))^q) was also computed.` : '')
      + (km.hazard_ratio ? ` The hazard ratio of ${levelLabel(levels, km.hazard_ratio.group)} against ${levelLabel(levels, km.hazard_ratio.reference)} (the reference group) was estimated from the log-rank quantities (Mantel-Haenszel method).` : '')
      + (km.pairwise && km.groups.length > 2 ? ` Pairwise log-rank P values were adjusted by the ${ADJUST_NAMES[km.pairwise.adjust] ?? km.pairwise.adjust} method.` : ''));
  }
  if (shown?.note) parts.push(`Times are reported in ${shown.note}, as the figure shows them.`);
  parts.push(...exactMethods(km, unitText, levels));
  if (km.excluded.length) parts.push(`${km.excluded.length} rows were excluded (missing or invalid time or event).`);
  parts.push(`P values are two-sided. Analyses used survcalc ${core.version()}, whose estimates match R's survival package.`);
  return parts.join(' ');
}

/** The methods paragraph, to copy, and with the view's tables as a Word document. */
function methodsBlock(view, tables) {
  const text = methodsText(view);
  const title = `${view.context.endpoint.name}: Kaplan-Meier${view.context.group ? ` by ${view.context.group}` : ''}`;
  return el('div', {},
    el('h4', { text: 'Methods (to adapt for your manuscript)' }),
    el('p', { class: 'methods', id: 'methods-text', text }),
    el('div', { class: 'buttons' },
      el('button', { type: 'button', id: 'copy-methods', onclick: () => copyText(text) }, 'Copy methods text'),
      docxButton('km-docx', { title, tables, methods: text }, `${fileBase(view)}-tables`),
      rScriptButton('km', view.answer, `${fileBase(view)}-km`)));
}
