// The competing-risks view: which codes of the event column are the event of interest, which
// compete with it (the rest censored), the cumulative incidence per group drawn by the core with
// the number at risk under it, the incidence at chosen times, Gray's test, and the Fine-Gray model
// beside the cause-specific Cox model, with exports and a methods paragraph.
//
// The codes' meaning belongs to an endpoint (`competing`: { event_values, competing_values }, or
// null while the page's guess from the codes stands); the figure's look, the confidence level and
// the covariates are the ones the other views use (settings.plot, settings.km, settings.cox); the
// figure, its controls and its files are figure.js's, as for the Kaplan-Meier figure.
//
// Beside it, when the endpoint asks (`cif_naive`), the naive 1 − Kaplan-Meier with the competing
// events censored: the core's Kaplan-Meier (as R's survfit) on the event of interest alone,
// dash-dotted on the figure and as columns of the incidence table, to show how much it overstates.

import * as core from './pkg/survcalc.js';
import { el, fmt, fmtP, tableBlock, controlId, docxButton } from './views.js';
import { copyText, slug } from './export.js';
import { errorBox } from './hints.js';
import { rScriptButton } from './rscript.js';
import { curveOptions, figureBlock, figureControls, groupLevels, levelLabel } from './figure.js';
import { parseTimes } from './survival.js';
import { isCurrent } from './runner.js';
import { candidates, coxSettings, setCox, columnPicker, kindOf, parseUnit } from './models.js';
import {
  activeEndpoint, endpointStore, setSetting, unitOf, outcomeArgs, outcomeComplete, endpointContext, refuse, accept,
} from './store.js';

/** An event column with more distinct values than this is not a column of codes. */
const MAX_CODES = 12;
const ROLE_WORDS = { event: 'event of interest', competing: 'competing event', censored: 'censored' };

// ---- the codes and what they mean ----

/** The event column's values with their counts (from the core's profile), or null when it holds no short list of codes. */
export function eventCodes(state, endpoint = activeEndpoint(state)) {
  const column = state.data?.profile.columns.find((c) => c.name === endpoint.event);
  if (!column || column.levels_truncated || !column.levels?.length || column.levels.length > MAX_CODES) return null;
  return column.levels;
}

/** Whether the endpoint's event column holds three or more codes: a competing-risks outcome, probably. */
export function severalCodes(state, endpoint = activeEndpoint(state)) {
  return (eventCodes(state, endpoint)?.length ?? 0) >= 3;
}

/**
 * The page's guess of a code's meaning, before the user says: numbers as cmprsk's `fstatus`
 * (0 censored, 1 the event of interest, 2 and more competing), words by what they say
 * (none, alive, censored: censored; death, died: competing), anything else the event of interest.
 */
function guessRole(value) {
  const v = value.trim().toLowerCase();
  const number = Number(v);
  if (v !== '' && Number.isFinite(number)) return number === 0 ? 'censored' : number === 1 ? 'event' : 'competing';
  if (/^(none|no|censor(ed)?|alive|event[- ]?free|lost|no event|free)$/.test(v)) return 'censored';
  if (/death|dead|died|deceased/.test(v)) return 'competing';
  return 'event';
}

/**
 * What each code of the endpoint's event column means: the endpoint's choice, else the guess.
 * { codes: [{ value, count, role }], event_values, competing_values, guessed } or null without codes.
 */
export function causeRoles(state, endpoint = activeEndpoint(state)) {
  const codes = eventCodes(state, endpoint);
  if (!codes) return null;
  const chosen = endpoint.competing;
  const role = (value) => {
    if (!chosen) return guessRole(value);
    const same = (list) => list.some((v) => v.trim().toLowerCase() === value.trim().toLowerCase());
    return same(chosen.event_values) ? 'event' : same(chosen.competing_values) ? 'competing' : 'censored';
  };
  let roles = codes.map((c) => ({ value: c.value, count: c.count, role: role(c.value) }));
  // A guess always names an event of interest: the first code not taken as a censoring.
  if (!chosen && !roles.some((r) => r.role === 'event')) {
    const first = roles.find((r) => r.role !== 'censored') ?? roles[0];
    roles = roles.map((r) => (r === first ? { ...r, role: 'event' } : r));
  }
  const of = (name) => roles.filter((r) => r.role === name).map((r) => r.value);
  return { codes: roles, event_values: of('event'), competing_values: of('competing'), guessed: !chosen };
}

/** The values that end follow-up with an event of either kind, for checking the outcome while this view is shown. */
export function anyEventValues(state, endpoint = activeEndpoint(state)) {
  const roles = causeRoles(state, endpoint);
  return roles ? [...roles.event_values, ...roles.competing_values] : null;
}

function setRole(store, value, role) {
  const roles = causeRoles(store.state);
  const next = roles.codes.map((c) => (c.value === value ? { ...c, role } : c));
  const of = (name) => next.filter((c) => c.role === name).map((c) => c.value);
  endpointStore(store).set('competing', { event_values: of('event'), competing_values: of('competing') });
}

// ---- the worker's requests ----

/** The outcome as the cif and finegray operations take it: the event of interest as `event_values`. */
function competingArgs(settings, endpoint, roles) {
  return {
    ...outcomeArgs(settings, endpoint),
    strata: null,
    event_values: roles.event_values,
    competing_values: roles.competing_values,
    conf_level: Number(settings.km.conf_level),
  };
}

function ready(state) {
  const endpoint = activeEndpoint(state);
  if (state.settings.view !== 'cif' || !state.data?.capabilities.includes('cif') || !outcomeComplete(endpoint)) return null;
  const roles = causeRoles(state, endpoint);
  return roles?.event_values.length ? { endpoint, roles } : null;
}

/** The label the user gave a code ("progression" for 1), or ''. */
function labelOf(value, labels) {
  return labels?.[value]?.trim() ?? '';
}

const isNumber = (v) => /^\s*-?\d+(\.\d+)?\s*$/.test(v);

/** Codes as headers show them: their labels, else as written ("progression or relapse", "1"); "none" for no code. */
function words(values, labels) {
  return values.length ? values.map((v) => labelOf(v, labels) || v).join(' or ') : 'none';
}

/** Codes as a reader says them in a sentence or a title: their labels, "progression", and bare numbers as "event 1". */
function named(values, labels) {
  if (values.some((v) => labelOf(v, labels))) return values.map((v) => labelOf(v, labels) || (isNumber(v) ? `event ${v}` : v)).join(' or ');
  return values.length && values.every(isNumber) ? `event ${words(values)}` : words(values);
}

/** Codes quoted in a sentence, with their labels: “1” (progression) or “2”. */
function quoted(values, labels) {
  return values.map((v) => `“${v}”${labelOf(v, labels) ? ` (${labelOf(v, labels)})` : ''}`).join(' or ');
}

/** The endpoint's labels of its event codes: presentation, read from the settings as they are now. */
function codeLabels(endpoint) {
  return endpoint?.code_labels && typeof endpoint.code_labels === 'object' ? endpoint.code_labels : {};
}

/** The active endpoint's cumulative incidence per group, with Gray's test. */
export const cifJob = {
  name: 'cif',
  request(state) {
    const given = ready(state);
    if (!given) return null;
    const { endpoint, roles } = given;
    const { settings } = state;
    return {
      op: 'cif',
      args: { ...competingArgs(settings, endpoint, roles), at: endpoint.at },
      label: 'Computing cumulative incidence…',
      context: {
        endpoint: withoutNaive(endpointContext(endpoint)), group: settings.group, strata: settings.strata,
        event_values: roles.event_values, competing_values: roles.competing_values,
      },
    };
  },
};

/** The endpoint without the naive curve's choice and the codes' labels, which ask nothing of the cumulative incidence. */
function withoutNaive(endpoint) {
  const { cif_naive: _naive, code_labels: _labels, ...rest } = endpoint;
  return rest;
}

/**
 * The naive 1 − Kaplan-Meier, when the endpoint asks for it: the core's Kaplan-Meier with the
 * event of interest as the only event value, so that a competing event is a censoring (as R's
 * survfit on Surv(time, status == 1)), at the same times, with the Kaplan-Meier view's limits.
 */
export const cifKmJob = {
  name: 'cifKm',
  request(state) {
    const given = ready(state);
    if (!given?.endpoint.cif_naive) return null;
    const { endpoint, roles } = given;
    const { settings } = state;
    return {
      op: 'km',
      args: {
        ...outcomeArgs(settings, endpoint), strata: null, event_values: roles.event_values, at: endpoint.at,
        conf_type: settings.km.conf_type, conf_level: Number(settings.km.conf_level),
      },
      label: 'Computing 1 − Kaplan-Meier…',
      context: { event_values: roles.event_values, competing_values: roles.competing_values },
    };
  },
};

/** The naive Kaplan-Meier answer when it is shown and current, else null. */
function naiveKm(state) {
  const result = state.results.cifKm;
  return activeEndpoint(state).cif_naive && result?.value && isCurrent(state, cifKmJob) ? result.value : null;
}

/** With covariates: the cause-specific Cox model (competing events censored) and the Fine-Gray model, answered together. */
export const cifModelsJob = {
  name: 'cifModels',
  request(state) {
    const given = ready(state);
    const cox = coxSettings(state);
    if (!given || !cox.covariates.length) return null;
    const { endpoint, roles } = given;
    const args = competingArgs(state.settings, endpoint, roles);
    // The Cox view's choices: how each covariate enters, and a numeric one's unit (age per 10 years) in both models.
    const units = {};
    const covariates = cox.covariates.map((c) => {
      const categorical = kindOf(state, cox, c) === 'categorical';
      const unit = categorical ? null : parseUnit(cox.per[c]);
      if (unit && unit.value !== 1) units[c] = unit;
      return { column: c, categorical, per: units[c]?.value ?? null };
    });
    const strata = state.settings.strata || null;
    const context = {
      endpoint: endpoint.name, covariates: cox.covariates, event_values: roles.event_values, competing_values: roles.competing_values, units, strata,
    };
    // Cause-specific: a Cox model whose event is the event of interest; every other value, the competing ones too, is a
    // censoring; stratified as the Cox view is (Fine and Gray's model, as crr, has no strata).
    const { competing_values: _competing, ...coxOutcome } = args;
    return [
      { op: 'cox', args: { ...coxOutcome, strata, covariates, univariate: false, zph: false, firth: false }, label: 'Fitting the cause-specific Cox model…', context },
      { op: 'finegray', args: { ...args, covariates }, label: 'Fitting the Fine-Gray model…', context },
    ];
  },
};

// ---- the view ----

/** The competing-risks panel for the state: nodes to put in #panel-cif. */
export function cifPanel(state, store) {
  const endpoint = activeEndpoint(state);
  const roles = causeRoles(state, endpoint);
  if (!roles) {
    const column = state.data?.profile.columns.find((c) => c.name === endpoint.event);
    return [el('p', { class: 'note', id: 'cif-no-codes', text: `The event column “${endpoint.event}” holds ${column?.distinct ?? 'many'} different values: competing risks need a column of a few codes, for example 0 censored, 1 relapse, 2 death without relapse. Choose it as this endpoint's event column.` })];
  }
  const chooser = causesBlock(state, store, endpoint, roles);
  if (!roles.event_values.length) return [chooser, el('p', { class: 'note', id: 'cif-need-event', text: 'Mark at least one value as the event of interest.' })];
  const result = state.results.cif;
  if (!result) return [chooser, el('p', { class: 'note', text: 'Computing…' })];
  if (result.error) return [chooser, errorBox(result.error, 'Cumulative incidence', { id: 'cif-error', state }), optionsBlock(state, store)];
  const figureEndpoint = state.settings.endpoints.find((e) => e.id === result.context.endpoint.id) ?? result.context.endpoint;
  // The codes' labels are presentation: those of the settings now (renaming asks the worker nothing).
  const context = { ...result.context, labels: codeLabels(figureEndpoint) };
  const cif = result.value;
  const view = { cif, context, unit: context.endpoint.unit_label, plot: state.settings.plot, endpoint: figureEndpoint, levels: groupLevels(state), answer: result, km: naiveKm(state) };
  const base = fileBase(view);
  const tables = [[incidenceTable(view), 'cif-summary']];
  if (cif.gray_test) tables.push([grayTable(view), 'cif-tests']);
  return [
    el('h3', { text: `${context.endpoint.name}: cumulative incidence of ${named(context.event_values, context.labels)}${context.group ? ` by ${context.group}` : ''}` }),
    el('p', { class: 'note', id: 'cif-definition', text: [cif.time_description, `event coding: ${cif.event_coding}`].filter(Boolean).join('; ') }),
    chooser,
    cif.warnings.length ? el('div', { class: 'warn', role: 'note', id: 'cif-warnings' }, cif.warnings.map((w) => el('p', { text: w }))) : null,
    context.strata ? el('p', { class: 'note', text: `Not stratified by ${context.strata}: the cumulative incidence, Gray's test and the Fine-Gray model here are computed without strata; the cause-specific Cox model is stratified by it, as in the Cox view.` }) : null,
    el('div', { class: 'figure-row' }, figureBlock(store, cifFigure(view)),
      el('div', { class: 'options-column' }, optionsBlock(state, store),
        el('details', { class: 'options', id: 'figure-settings', open: true }, el('summary', { text: 'Figure' }),
          figureControls(state, store, cif.groups.map((g) => g.name), { curve: false, hazardRatio: false, test: 'Gray\'s test' })))),
    ...tables.map(([t, id]) => tableBlock(t, id, `${base}-${slug(t.caption)}`)),
    modelsBlock(state, store, view),
    methodsBlock(view, state.results.cifModels, tables.map(([t]) => t)),
  ];
}

/** What each code means, one choice per code, and its label as the reader should see it; the rest is censored, said under it. */
function causesBlock(state, store, endpoint, roles) {
  const labels = codeLabels(endpoint);
  const setLabel = (value, text) => endpointStore(store).set('code_labels', { ...labels, [value]: text.trim() });
  const rows = roles.codes.map((c) => el('tr', {},
    el('th', { scope: 'row', text: c.value }),
    el('td', { class: 'num', text: String(c.count) }),
    el('td', {}, el('select', {
      id: controlId('cif-cause', c.value), 'aria-label': `“${c.value}” means`,
      onchange: (ev) => setRole(store, c.value, ev.target.value),
    }, Object.entries(ROLE_WORDS).map(([v, text]) => el('option', { value: v, text, selected: v === c.role })))),
    el('td', {}, el('input', {
      type: 'text', id: controlId('cif-code-label', c.value), value: labels[c.value] ?? '', autocomplete: 'off', size: 24,
      placeholder: isNumber(c.value) ? `event ${c.value}` : c.value, 'aria-label': `“${c.value}” is called`,
      onchange: (ev) => setLabel(c.value, ev.target.value),
    }))));
  const censored = roles.codes.filter((c) => c.role === 'censored').map((c) => c.value);
  return el('fieldset', { class: 'picker', id: 'cif-causes' },
    el('legend', { text: `What the values of “${endpoint.event}” mean` }),
    el('table', { class: 'data' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Value' }), el('th', { scope: 'col', class: 'num', text: 'Rows' }), el('th', { scope: 'col', text: 'Counts as' }),
        el('th', { scope: 'col', text: 'Called (headings, tables, figure, methods)' }))),
      el('tbody', {}, rows)),
    el('p', { class: 'note', id: 'cif-coding' },
      `Event of interest: ${words(roles.event_values, labels)}; competing: ${words(roles.competing_values, labels)}; `
      + `censored at their time: ${censored.length ? `${censored.join(', ')} and ` : ''}any other value (an empty cell leaves the row out, listed above).`
      + (roles.guessed ? ' Guessed from the codes: change any of them.' : '')));
}

// ---- figure ----

/** The competing-risks figure for figure.js: the incidences drawn as given (curve 'cif'), Gray's P, the caption in words. */
function cifFigure(view) {
  const { cif, unit, plot, endpoint, context, levels } = view;
  const gray = cif.gray_test ? { name: 'Gray\'s test', p: cif.gray_test.p } : null;
  // The y title names the event of interest unless the endpoint has its own.
  const title = `Cumulative incidence of ${named(context.event_values, context.labels)}${plot.percent ? ' (%)' : ''}`;
  return {
    id: 'cif',
    what: 'Cumulative incidence plot',
    groups: cif.groups,
    plot,
    options: (dpi) => ({
      ...curveOptions({ groups: cif.groups, unit, plot, endpoint, levels, curve: 'cif', test: gray }, dpi),
      y_label: endpoint.y_label?.trim() || title,
      comparison: view.km ? naiveCurves(view.km) : {},
    }),
    fileBase: fileBase(view),
    summary: plotSummary(view),
    exportPrefix: 'cif-',
  };
}

/** Each group's 1 − Kaplan-Meier as steps the figure draws as they are (curve 'cif'), without limits. */
function naiveCurves(km) {
  return Object.fromEntries(km.groups.map((g) => [g.name, g.steps.map((s) => ({
    time: s.time, n_risk: s.n_risk, n_event: s.n_event, n_censor: s.n_censor, surv: 1 - s.surv,
  }))]));
}

/** Why the naive curve is shown above the Aalen-Johansen one: one sentence for caption, notes and methods. */
function overstates(context) {
  return `1 − Kaplan-Meier censors patients with a competing event (${named(context.competing_values, context.labels)}) as if they could still have ${named(context.event_values, context.labels)} later, so it overstates the cumulative incidence whenever competing events occur; the Aalen-Johansen estimate counts them as no longer at risk.`;
}

/** The plot in words, for screen readers and for anyone checking the figure. */
function plotSummary({ cif, context, levels, km }) {
  const groups = cif.groups.map((g) => `${groupName(g, cif, levels)}: ${g.n} patients, ${g.events} with ${named(context.event_values, context.labels)}, ${g.competing_events} with a competing event (${named(context.competing_values, context.labels)})`);
  const gray = cif.gray_test ? ` Gray's test P ${pText(cif.gray_test.p)}.` : '';
  const naive = km ? ` Solid: cumulative incidence (Aalen-Johansen); dash-dotted, in each group's colour: 1 − Kaplan-Meier. ${overstates(context)}` : '';
  return `${groups.join('; ')}.${gray}${naive}`;
}

/** "= 0.012" or "< 0.001", for a P placed in a sentence. */
function pText(p) {
  const s = fmtP(p);
  return s.startsWith('<') || s.startsWith('>') ? `${s[0]} ${s.slice(1)}` : `= ${s}`;
}

function fileBase(view) {
  return slug(`${view.context.endpoint.name}-${view.context.group || 'all'}`);
}

// ---- tables ----

function groupName(g, cif, levels) {
  return g.name === 'all' && cif.groups.length === 1 ? 'All patients' : levelLabel(levels, g.name);
}

function after(unit) {
  return unit ? ` ${unit}` : '';
}

/** An incidence in percent with its interval; the interval is "—" where it does not exist (an incidence of 0 or 1). */
function incidenceCell(a) {
  if (a.cif === null || a.cif === undefined) return 'not estimable';
  const pct = (v) => `${fmt(v * 100, 1)}%`;
  return a.lower === null || a.upper === null ? `${pct(a.cif)} (—)` : `${pct(a.cif)} (${pct(a.lower)}–${pct(a.upper)})`;
}

/** 1 − S(t) with the Kaplan-Meier limits turned round (1 − upper, 1 − lower); "—" where a limit does not exist. */
function naiveCell(a) {
  if (!a || a.surv === null || a.surv === undefined) return 'not estimable';
  return incidenceCell({ cif: 1 - a.surv, lower: a.upper === null ? null : 1 - a.upper, upper: a.lower === null ? null : 1 - a.lower });
}

function incidenceTable({ cif, unit, context, levels, km }) {
  const level = `${Math.round(cif.conf_level * 100)}%`;
  const at = cif.groups[0]?.at ?? [];
  // With the naive curve, each time's incidence is followed by its 1 − Kaplan-Meier.
  const naiveAt = (g) => km?.groups.find((k) => k.name === g.name)?.at ?? [];
  const head = ['Group', 'n', `Events (${words(context.event_values, context.labels)})`, `Competing events (${words(context.competing_values, context.labels)})`, 'Censored',
    ...at.flatMap((a) => [`At ${fmt(a.time, 1)}${after(unit)} (${level} CI)`, ...(km ? [`1 − KM at ${fmt(a.time, 1)}${after(unit)} (${level} CI)`] : [])])];
  const body = cif.groups.map((g) => [groupName(g, cif, levels), String(g.n), String(g.events), String(g.competing_events),
    String(g.n - g.events - g.competing_events), ...g.at.flatMap((a, i) => [incidenceCell(a), ...(km ? [naiveCell(naiveAt(g)[i])] : [])])]);
  const notes = [
    `Cumulative incidence of ${named(context.event_values, context.labels)} (Aalen-Johansen estimator), ${context.competing_values.length ? `with ${named(context.competing_values, context.labels)} as the competing event` : 'with no competing event marked (it then equals 1 − Kaplan-Meier)'}; variance as R's cmprsk::cuminc.`,
    `Confidence intervals: pointwise, on the log(−log) scale (Pintilie's formula, as R's tidycmprsk); “—” where the incidence is 0 or 1 and the interval does not exist.`,
  ];
  if (km) {
    notes.push(`1 − KM: one minus the Kaplan-Meier estimate with ${named(context.competing_values, context.labels)} censored (as R's survival::survfit on the event of interest alone), its ${km.conf_type} limits turned round. ${overstates(context)}`);
  }
  if (cif.groups.some((g) => g.at.some((a) => a.cif === null))) notes.push('Not estimable: past the group\'s last follow-up time (as cuminc\'s NA).');
  if (!at.length) notes.push('Give times under Options to read the incidence at them (for example 12, 36, 60).');
  return { caption: 'Cumulative incidence', head, body, numeric: head.map((_, i) => i).filter((i) => i > 0), notes };
}

function grayTable({ cif, context }) {
  const t = cif.gray_test;
  return {
    caption: 'Gray\'s test between groups',
    head: ['Test', 'Chi-square', 'df', 'P'],
    body: [[`Gray's test (cumulative incidence of ${named(context.event_values, context.labels)})`, fmt(t.chisq, 2), String(t.df), fmtP(t.p)]],
    numeric: [1, 2, 3],
    notes: [`Gray's k-sample test with weights (1 − F(t−))^ρ, ρ = ${t.rho ?? 0}, as R's cmprsk::cuminc.`],
  };
}

function hrCell(t) {
  if (t.infinite) return 'not estimable (infinite)';
  return t.hr === null || t.hr === undefined ? '—' : `${fmt(t.hr, 2)} (${fmt(t.hr_lower, 2)}–${fmt(t.hr_upper, 2)})`;
}

/** A numeric term's name with the unit its hazard ratio is per, as the Cox view prints it: "age, per 10 years". */
function perUnit(t, units) {
  const unit = t.per ? units?.[t.variable] : null;
  return unit ? `${t.name}, per ${unit.value}${unit.words ? ` ${unit.words}` : ''}` : t.name;
}

/** The rows of a model's terms by name, with a reference row before a categorical covariate's first level. */
function termRows(terms, units) {
  const rows = [];
  for (const t of terms) {
    const first = t.level && terms.find((u) => u.variable === t.variable) === t;
    if (first && t.reference) rows.push({ key: `${t.variable}=${t.reference} (reference)`, label: `${t.variable}: ${t.reference}`, reference: true });
    rows.push({ key: t.name, label: t.level ? `${t.variable}: ${t.level}` : perUnit(t, units), term: t });
  }
  return rows;
}

/** The cause-specific Cox model and the Fine-Gray model, term by term, side by side. */
function modelsTable(cox, fg, context) {
  const level = `${Math.round((fg?.conf_level ?? cox?.conf_level ?? 0.95) * 100)}%`;
  const coxRows = cox ? termRows(cox.terms, context.units) : [];
  const fgRows = fg ? termRows(fg.terms, context.units) : [];
  const keys = [...new Set([...coxRows, ...fgRows].map((r) => r.key))];
  const cells = (rows, key, fit) => {
    const row = rows.find((r) => r.key === key);
    if (!fit) return ['not fitted', ''];
    if (!row) return ['—', ''];
    return row.reference ? ['1 (reference)', ''] : [hrCell(row.term), fmtP(row.term.p)];
  };
  const body = keys.map((key) => {
    const row = coxRows.find((r) => r.key === key) ?? fgRows.find((r) => r.key === key);
    return [row.label, ...cells(coxRows, key, cox), ...cells(fgRows, key, fg)];
  });
  const interest = named(context.event_values, context.labels);
  const competing = named(context.competing_values, context.labels);
  const notes = [];
  const stratified = context.strata ? `, stratified by ${context.strata} (a baseline hazard per stratum, as coxph's strata())` : '';
  if (cox) notes.push(`Cause-specific hazard ratio: Cox regression of ${interest}, patients with a competing event (${competing}) censored at its time (n = ${cox.n}, ${cox.events} events; ${cox.ties === 'breslow' ? 'Breslow' : 'Efron'} ties, as R's coxph)${stratified}; Wald P.`);
  if (fg) {
    notes.push(`Subdistribution hazard ratio: Fine and Gray's model, as R's cmprsk::crr, with robust (sandwich) standard errors (n = ${fg.n}, ${fg.events} events of interest, ${fg.competing_events} competing)${context.strata ? `, not stratified (crr has no strata; ${context.strata} can enter as a covariate)` : ''}; Wald P.`);
    if (!fg.converged) notes.push('The Fine-Gray model did not converge: its estimates are not reliable.');
  }
  const units = Object.entries(context.units ?? {});
  if (units.length) notes.push(`In both models, ${units.map(([c, u]) => `the hazard ratio of ${c} is per ${u.value}${u.words ? ` ${u.words}` : ' units'}`).join(', ')} (the Cox view's choice; as R on I(${units[0][0]} / ${units[0][1].value})).`);
  notes.push('The cause-specific hazard ratio describes the rate of the event among patients still free of both events; the subdistribution hazard ratio describes the effect on its cumulative incidence.');
  return {
    caption: `Hazard ratios for ${interest}: cause-specific (Cox) and subdistribution (Fine-Gray)`,
    head: ['Term', `Cause-specific HR (${level} CI)`, 'P', `Subdistribution HR (${level} CI)`, 'P'],
    body,
    numeric: [1, 2, 3, 4],
    notes,
  };
}

/** A numeric covariate's unit for its hazard ratios ("10 years"), shared with the Cox view (settings.cox.per). */
function perInput(state, store, cox, c) {
  const id = controlId('cif-per', c);
  const refused = state.invalid[id];
  const setUnit = (text) => {
    if (text.trim() !== '' && !parseUnit(text)) return refuse(store, id, text, 'give a positive number, optionally with its unit (10 years)');
    accept(store, id);
    return setCox(store, 'per', { ...cox.per, [c]: text.trim() });
  };
  return el('span', { class: 'per' }, ' HR per ', el('input', {
    type: 'text', id, size: 8, value: refused ? refused.text : cox.per[c] ?? '', placeholder: '1 unit', autocomplete: 'off',
    'aria-label': `${c}: hazard ratio per how many units`, 'aria-invalid': refused ? 'true' : null, onchange: (ev) => setUnit(ev.target.value),
  }), refused ? el('span', { class: 'field-error', text: ` Not applied: ${refused.message}.` }) : null);
}

/** The covariates (the Cox view's) and the two models' table. */
function modelsBlock(state, store, view) {
  const cox = coxSettings(state);
  // How each covariate enters is the Cox view's choice (categorical or numeric), shown here; a numeric one's unit
  // (hazard ratio per 10 years) is the Cox view's too, and set here as well, since an event column of several codes
  // leaves the Cox view without an outcome.
  const kind = (c) => {
    if (!cox.covariates.includes(c)) return null;
    const shown = kindOf(state, cox, c);
    return [el('span', { class: 'muted', text: ` ${shown}` }), shown === 'numeric' ? perInput(state, store, cox, c) : null];
  };
  const picker = columnPicker({
    id: 'cif-covariates', legend: 'Covariates (the same as in the Cox regression view, where how each enters is chosen)', prefix: 'cif-use',
    columns: candidates(state), chosen: cox.covariates, onchange: (next) => setCox(store, 'covariates', next), extra: kind,
  });
  const parts = [el('h4', { text: 'Regression: cause-specific and subdistribution hazards' }), picker];
  if (!cox.covariates.length) return el('div', { id: 'cif-models' }, ...parts, el('p', { class: 'note', text: 'Tick one or more covariates to fit the cause-specific Cox and Fine-Gray models.' }));
  const result = state.results.cifModels;
  if (!result?.value) return el('div', { id: 'cif-models' }, ...parts, el('p', { class: 'note', text: 'Fitting…' }));
  const [coxAnswer, fgAnswer] = result.value;
  const errors = [[coxAnswer, 'Cause-specific Cox model', 'cif-cox-error'], [fgAnswer, 'Fine-Gray model', 'cif-finegray-error']]
    .filter(([a]) => a.error).map(([a, what, id]) => errorBox(a.error, what, { id, state }));
  const warnings = [...(coxAnswer.value?.warnings ?? []), ...(fgAnswer.value?.warnings ?? []).map((w) => `Fine-Gray: ${w}`)];
  const fitted = coxAnswer.value || fgAnswer.value;
  return el('div', { id: 'cif-models' }, ...parts, ...errors,
    warnings.length ? el('div', { class: 'warn', role: 'note', id: 'cif-models-warnings' }, warnings.map((w) => el('p', { text: w }))) : null,
    fitted ? tableBlock(modelsTable(coxAnswer.value, fgAnswer.value, { ...result.context[0], labels: view.context.labels }), 'cif-models-table', `${fileBase(view)}-hazard-ratios`) : null);
}

// ---- options ----

function control(label, input) {
  return el('label', { for: input.id || null }, label, input);
}

function select(id, value, choices, onchange) {
  const s = el('select', { id, onchange: (ev) => onchange(ev.target.value) }, choices.map(([v, text]) => el('option', { value: v, text })));
  s.value = String(value);
  return s;
}



function optionsBlock(state, store) {
  const endpoint = activeEndpoint(state);
  const unit = unitOf(endpoint);
  const unitWords = unit || 'in the time column\'s unit';
  const own = endpointStore(store);
  const refused = state.invalid['cif-at'];
  const setTimes = (text) => {
    const parsed = parseTimes(text, unit);
    if (parsed.error) return refuse(store, 'cif-at', text, parsed.error);
    accept(store, 'cif-at');
    return own.set('at', parsed.times);
  };
  const at = el('input', {
    type: 'text', id: 'cif-at', value: refused ? refused.text : endpoint.at.join(', '), autocomplete: 'off',
    'aria-invalid': refused ? 'true' : null, 'aria-describedby': refused ? 'cif-at-error' : null, onchange: (ev) => setTimes(ev.target.value),
  });
  return el('details', { class: 'options', id: 'cif-options', open: true },
    el('summary', { text: 'Estimates' }),
    el('div', { class: 'controls' },
      control('Confidence level (all analyses)', select('cif-conf-level', state.settings.km.conf_level, [['0.9', '90%'], ['0.95', '95%'], ['0.99', '99%']], (v) => setSetting(store, ['km', 'conf_level'], Number(v)))),
      el('label', { for: 'cif-naive' }, el('input', {
        type: 'checkbox', id: 'cif-naive', checked: Boolean(endpoint.cif_naive), onchange: (ev) => own.set('cif_naive', ev.target.checked),
      }), ' Show 1 − Kaplan-Meier beside it (competing events censored; dash-dotted on the figure)'),
      el('label', { for: 'cif-at' }, `Estimates at times (${unitWords}; the same times as “Survival at times”; for example 12, 36, 60)`, at,
        refused ? el('span', { class: 'field-error', id: 'cif-at-error', text: `Not applied: ${refused.message}.` }) : null)));
}

// ---- methods ----

/** A methods paragraph naming every method and convention used, to adapt for a manuscript. */
function methodsText({ cif, unit, context, km }, models) {
  const level = `${Math.round(cif.conf_level * 100)}%`;
  const e = context.endpoint;
  const unitText = unit || '[time unit]';
  const interest = named(context.event_values, context.labels);
  const time = e.source === 'dates'
    ? `Time was measured from the date in “${e.start_date}” to the date in “${e.end_date}”${cif.time_description ? ` (${cif.time_description})` : `, in ${unitText}`}`
    : `Time was taken from the column “${e.time}” (${unitText})`;
  const parts = [
    `${time}. In “${e.event}”, ${quoted(context.event_values, context.labels)} marked the event of interest${context.competing_values.length ? ` and ${quoted(context.competing_values, context.labels)} a competing event` : ', and no competing event was marked'}; patients with any other value were censored at their last follow-up.`,
    `The cumulative incidence of ${interest} was estimated with the Aalen-Johansen estimator, with its variance as R's cmprsk::cuminc and pointwise ${level} confidence intervals on the log(−log) scale (Pintilie's formula).`,
  ];
  if (km) parts.push(`For comparison, 1 − Kaplan-Meier with competing events censored is shown (dash-dotted); ${overstates(context)}`);
  if (cif.gray_test) parts.push(`Groups defined by ${context.group} were compared with Gray's test.`);
  const fits = models?.value;
  if (fits && fits[0]?.value && fits[1]?.value) {
    const covariates = models.context[0].covariates.join(', ');
    const { strata, units } = models.context[0];
    const per = Object.entries(units ?? {}).map(([c, u]) => `${c} per ${u.value}${u.words ? ` ${u.words}` : ' units'}`);
    parts.push(`Subdistribution hazard ratios were estimated with Fine and Gray's proportional subdistribution hazards model (robust standard errors, as cmprsk::crr) and cause-specific hazard ratios with Cox regression in which competing events were censored (${fits[0].value.ties === 'breslow' ? 'Breslow' : 'Efron'} method for ties${strata ? `, stratified by ${strata}` : ''}), both with ${covariates}${per.length ? ` (hazard ratios of ${per.join(', ')})` : ''}; P values are from Wald tests.`);
  }
  if (cif.excluded.length) parts.push(`${cif.excluded.length} rows were excluded (missing or invalid time or event).`);
  parts.push(`P values are two-sided. Analyses used survcalc ${core.version()}, whose estimates match R's cmprsk and survival packages.`);
  return parts.join(' ');
}

/** The methods paragraph, to copy, and with the view's tables (the models' when fitted) as a Word document. */
function methodsBlock(view, models, tables) {
  const text = methodsText(view, models);
  const [coxAnswer, fgAnswer] = models?.value ?? [];
  const fitted = coxAnswer?.value || fgAnswer?.value ? [modelsTable(coxAnswer.value, fgAnswer.value, { ...models.context[0], labels: view.context.labels })] : [];
  const title = `${view.context.endpoint.name}: cumulative incidence of ${named(view.context.event_values, view.context.labels)}${view.context.group ? ` by ${view.context.group}` : ''}`;
  return el('div', {},
    el('h4', { text: 'Methods (to adapt for your manuscript)' }),
    el('p', { class: 'methods', id: 'cif-methods', text }),
    el('div', { class: 'buttons' }, el('button', { type: 'button', id: 'cif-copy-methods', onclick: () => copyText(text) }, 'Copy methods text'),
      docxButton('cif-docx', { title, tables: [...tables, ...fitted], methods: text }, `${fileBase(view)}-tables`),
      rScriptButton('cif', view.answer, `${fileBase(view)}-cif`)));
}
