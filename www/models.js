// The Cox regression view, as journals print it: covariates chosen by checkbox (text columns and
// few whole numbers categorical by default, as in Table 1), hazard ratios per a chosen unit, the
// univariable screening beside the multivariable model in one table with each categorical
// covariate's overall P on its own row; and the column pickers the Table 1 view shares.
//
// The view is a job (what to ask the worker for the current state) and a panel (nodes built from
// the state); choices go to the store (settings.cox: null until the user changes the defaults;
// then { covariates, categorical, numeric, per, firth, overall }: `categorical` and `numeric`
// the numeric columns the user set against their default, `per` each numeric covariate's unit as
// typed ("10 years"), `overall` the test of a categorical covariate as a whole, 'wald' or 'lr',
// `labels` each covariate's name as the reader sees it, coxlabels.js).

import { el, fmt, fmtP, tableBlock, controlId, docxButton } from './views.js';
import { copyText, slug } from './export.js';
import { zphFigures } from './zph.js';
import { rScriptButton } from './rscript.js';
import { errorBox } from './hints.js';
import { looksLikeIdentifier } from './roles.js';
import { activeEndpoint, outcomeArgs, outcomeComplete, setSetting, unitOf, refuse, accept, levelSettings } from './store.js';
import { coxForest, subgroupForest, groupLevels, referenceLevel, levelLabel } from './figure.js';
import { givenLabel, termName, forestLabels, labelsBlock } from './coxlabels.js';

/** Columns that may be covariates or characteristics: not an endpoint's own, not identifiers, not dates. */
export function candidates(state) {
  const used = new Set(state.settings.endpoints.flatMap((e) => [e.time, e.start_date, e.end_date, e.event]));
  const analysable = ['integer', 'number', 'yes-no', 'category'];
  return (state.data?.profile.columns ?? []).filter((c) => !used.has(c.name) && !looksLikeIdentifier(c) && analysable.includes(c.kind))
    .map((c) => c.name);
}

/** Whether a column holds numbers (so it may be summarised or modelled as numbers), by the core's profile. */
export function isNumeric(state, column) {
  const kind = state.data?.profile.columns.find((c) => c.name === column)?.kind;
  return kind === 'integer' || kind === 'number';
}

/** A footnote counting the rows an analysis left out, by reason ("Left out: 6 rows, missing group ('arm')."); null when none was. */
export function excludedNote(excluded) {
  if (!excluded?.length) return null;
  const counts = new Map();
  for (const e of excluded) counts.set(e.reason, (counts.get(e.reason) ?? 0) + 1);
  return `Left out: ${[...counts].map(([reason, n]) => `${n} row${n === 1 ? '' : 's'}, ${reason}`).join('; ')}.`;
}

/** A checkbox list of columns (ids from `prefix`); `extra(c)` adds a control after a ticked column. */
export function columnPicker({ id, legend, prefix, columns, chosen, onchange, extra }) {
  return el('fieldset', { class: 'picker', id },
    el('legend', { text: legend }),
    el('div', { class: 'controls' }, columns.map((c) => el('label', { class: 'check' },
      el('input', {
        type: 'checkbox', id: controlId(prefix, c), value: c, checked: chosen.includes(c),
        onchange: (ev) => onchange(columns.filter((x) => (x === c ? ev.target.checked : chosen.includes(x)))),
      }), ` ${c}`, extra ? extra(c) : null))));
}

function hrCell(hr, lo, hi, infinite) {
  if (infinite) return 'not estimable (infinite)';
  return hr === null ? '—' : `${fmt(hr, 2)} (${fmt(lo, 2)}–${fmt(hi, 2)})`;
}

/** The methods paragraph, with its copy button and the view's other buttons (a Word document, an R script). */
export function methodsBlock(id, text, ...buttons) {
  return [el('h4', { text: 'Methods (to adapt for your manuscript)' }), el('p', { class: 'methods', id, text }),
    el('div', { class: 'buttons' }, el('button', { type: 'button', id: `${id}-copy`, onclick: () => copyText(text) }, 'Copy methods text'), ...buttons)];
}

// ---- Cox ----

const COX_OPTIONS = { covariates: [], categorical: [], numeric: [], per: {}, firth: false, overall: 'wald', subgroups: [], labels: {} };

/** The Cox choices: the user's (completed with the options' defaults), or by default the group column. */
export function coxSettings(state) {
  const { group } = state.settings;
  return { ...COX_OPTIONS, covariates: group ? [group] : [], ...state.settings.cox };
}

export function setCox(store, key, value) {
  setSetting(store, ['cox'], { ...coxSettings(store.state), [key]: value });
}

/**
 * How a covariate enters the model: text is categorical; a numeric column as the user set it,
 * else by the core's rule (few whole numbers, such as grade 1-3, categorical), as in Table 1.
 */
export function kindOf(state, cox, column) {
  if (!isNumeric(state, column)) return 'categorical';
  if (cox.categorical.includes(column)) return 'categorical';
  if (cox.numeric.includes(column)) return 'numeric';
  const profile = state.data?.profile.columns.find((c) => c.name === column);
  return profile?.default_kind === 'categorical' ? 'categorical' : 'numeric';
}

/** A unit as typed ("10", "10 years", "0,5 mm"): its number and the words after it; null when it is not a positive number. */
export function parseUnit(text) {
  const m = /^\s*(\d+(?:[.,]\d+)?|[.,]\d+)\s*(.*?)\s*$/.exec(text ?? '');
  const value = m ? Number(m[1].replace(',', '.')) : NaN;
  return value > 0 && Number.isFinite(value) ? { value, words: m[2] } : null;
}

/** The units of the numeric covariates that have one: { column: { value, words } }. */
function unitsOf(state, cox) {
  const units = {};
  for (const c of cox.covariates) {
    const unit = kindOf(state, cox, c) === 'numeric' ? parseUnit(cox.per[c]) : null;
    if (unit && unit.value !== 1) units[c] = unit;
  }
  return units;
}

/** A covariate's name with its unit, as the tables print it: "age, per 10 years". */
function withUnit(column, unit) {
  return unit ? `${column}, per ${unit.value}${unit.words ? ` ${unit.words}` : ''}` : column;
}

/**
 * The reference level of the group column when the user chose one or reordered the groups
 * (under Figure), else none: the core's default, the first level, is the page's too.
 */
function chosenReference(state) {
  const levels = groupLevels(state);
  const names = state.results.outcome?.value?.groups ?? [];
  return (levels.reference || levels.order.length) && names.length ? referenceLevel(names, levels) : null;
}

export const coxJob = {
  name: 'cox',
  request(state) {
    const endpoint = activeEndpoint(state);
    const cox = coxSettings(state);
    if (state.settings.view !== 'cox' || !outcomeComplete(endpoint) || !cox.covariates.length) return null;
    const units = unitsOf(state, cox);
    return {
      op: 'cox',
      args: {
        ...outcomeArgs(state.settings, endpoint),
        covariates: cox.covariates.map((c) => {
          const categorical = kindOf(state, cox, c) === 'categorical';
          const reference = categorical && c === state.settings.group ? chosenReference(state) : null;
          return { column: c, categorical, per: units[c]?.value ?? null, ...(reference ? { reference } : {}) };
        }),
        univariate: true,
        zph: true,
        firth: Boolean(cox.firth),
      },
      label: 'Fitting the Cox model…',
      context: { endpoint: endpoint.name, unit: unitOf(endpoint), covariates: cox.covariates, firth: Boolean(cox.firth), units, overall: cox.overall },
    };
  },
};

/** Next to a ticked covariate: how it enters the model (numbers only; text is categorical) and, if numeric, its unit. */
function covariateControls(state, store, cox, c) {
  if (!cox.covariates.includes(c)) return null;
  const kind = kindOf(state, cox, c);
  if (!isNumeric(state, c)) return el('span', { class: 'muted', text: ' categorical' });
  const setKind = (value) => setSetting(store, ['cox'], {
    ...cox,
    categorical: value === 'categorical' ? [...new Set([...cox.categorical, c])] : cox.categorical.filter((x) => x !== c),
    numeric: value === 'numeric' ? [...new Set([...cox.numeric, c])] : cox.numeric.filter((x) => x !== c),
  });
  const select = el('select', { id: controlId('cox-kind', c), 'aria-label': `${c} enters the model as`, onchange: (ev) => setKind(ev.target.value) },
    el('option', { value: 'numeric', text: 'numeric', selected: kind === 'numeric' }),
    el('option', { value: 'categorical', text: 'categorical', selected: kind === 'categorical' }));
  if (kind !== 'numeric') return select;
  const id = controlId('cox-per', c);
  const refused = state.invalid[id];
  const setUnit = (text) => {
    if (text.trim() !== '' && !parseUnit(text)) return refuse(store, id, text, 'give a positive number, optionally with its unit (10 years)');
    accept(store, id);
    return setCox(store, 'per', { ...cox.per, [c]: text.trim() });
  };
  return [select, el('span', { class: 'per' }, ' HR per ', el('input', {
    type: 'text', id, size: 8, value: refused ? refused.text : cox.per[c] ?? '', placeholder: '1 unit', autocomplete: 'off',
    'aria-label': `${c}: hazard ratio per how many units`,
    'aria-invalid': refused ? 'true' : null, onchange: (ev) => setUnit(ev.target.value),
  })), refused ? el('span', { class: 'field-error', id: `${id}-error`, text: ` Not applied: ${refused.message}.` }) : null];
}

/** The Cox panel for the active endpoint: the covariates, and the model's tables. */
export function coxPanel(state, store) {
  const cox = coxSettings(state);
  const head = el('div', {},
    columnPicker({
      id: 'cox-covariates', legend: 'Covariates', prefix: 'cox-use', columns: candidates(state), chosen: cox.covariates,
      onchange: (next) => setCox(store, 'covariates', next), extra: (c) => covariateControls(state, store, cox, c),
    }),
    el('div', { class: 'controls' },
      el('label', {}, 'P of a categorical covariate as a whole ', el('select', { id: 'cox-overall', onchange: (ev) => setCox(store, 'overall', ev.target.value) },
        el('option', { value: 'wald', text: 'Wald test (as SPSS prints it)', selected: cox.overall !== 'lr' }),
        el('option', { value: 'lr', text: 'likelihood-ratio test (R\'s anova/drop1)', selected: cox.overall === 'lr' }))),
      el('label', { class: 'check' }, el('input', {
        type: 'checkbox', id: 'cox-firth', checked: Boolean(cox.firth),
        onchange: (ev) => setCox(store, 'firth', ev.target.checked),
      }), ' Firth\'s penalised likelihood (finite estimates when a group has no events; for small samples)')));
  if (!cox.covariates.length) return [head, el('p', { class: 'note', text: 'Tick one or more covariates to fit a Cox model.' }), subgroupBlock(state, store)];
  const result = state.results.cox;
  if (!result) return [head];
  if (result.error) return [head, errorBox(result.error, 'Cox model', { id: 'cox-error', state }), subgroupBlock(state, store)];
  return [head, ...coxResults(result.value, result.context, result, state, store), subgroupBlock(state, store)];
}

/** Words for the test of a categorical covariate as a whole. */
const OVERALL = {
  wald: 'Wald test of all its levels together (as SPSS prints it)',
  lr: 'likelihood-ratio test of all its levels together (R\'s anova/drop1)',
};

/**
 * One row per numeric covariate; a categorical covariate's own row (its overall P) above one row
 * per level, the reference first. `cells(level)` gives a level's cells (level null: the
 * numeric covariate's), `overall(covariate)` the P cells of the covariate's own row; `nameOf`
 * and `label` name covariates and levels as the reader sees them.
 */
function covariateRows(covariates, levelsOf, cells, overall, nameOf, label) {
  return covariates.flatMap((c) => {
    const levels = levelsOf(c);
    if (!levels) return [[nameOf(c), ...cells(c, null)]];
    return [[nameOf(c), ...overall(c)], ...levels.map((l) => [`    ${label(c, l)}`, ...cells(c, l)])];
  });
}

/** A term's HR (CI) and P cells, or the reference's. */
function hrAndP(row, isReference) {
  if (isReference) return ['1 (reference)', ''];
  if (!row) return ['—', ''];
  return [hrCell(row.hr, row.hr_lower, row.hr_upper, row.infinite), fmtP(row.p)];
}

/**
 * The univariable screening beside the multivariable model, one table (the layout of the seed
 * paper's Table 3): characteristic, level, HR (CI) and P of each.
 */
function journalTable(fit, context, level, label, nameOf) {
  const models = new Map((fit.univariate ?? []).map((m) => [m.variable, m]));
  const tests = new Map(fit.covariate_tests.map((t) => [t.covariate, t]));
  const multiTerms = (c) => fit.terms.filter((t) => t.variable === c);
  const reference = (c) => multiTerms(c).find((t) => t.reference)?.reference ?? models.get(c)?.rows.find((r) => r.reference)?.level;
  const levelsOf = (c) => {
    const uni = (models.get(c)?.rows ?? []).filter((r) => r.level !== null && r.level !== undefined).map((r) => r.level);
    const multi = multiTerms(c).filter((t) => t.level).map((t) => t.level);
    if (!uni.length && !multi.length) return null;
    const ref = reference(c);
    return [...new Set([ref, ...uni, ...multi].filter((l) => l !== undefined && l !== null))];
  };
  const cells = (c, l) => {
    const uni = models.get(c)?.rows.find((r) => (r.level ?? null) === l && !r.reference);
    const multi = multiTerms(c).find((t) => (t.level ?? null) === l);
    const isRef = l !== null && l === reference(c);
    return [...hrAndP(uni, isRef && Boolean(models.get(c))), ...hrAndP(multi, isRef)];
  };
  const overall = (c) => {
    const m = models.get(c);
    const t = tests.get(c);
    const uniP = m ? (context.overall === 'lr' ? m.lr_test.p : m.wald_test.p) : null;
    const multiP = t ? (context.overall === 'lr' ? t.lr_p : t.wald_p) : null;
    return ['', fmtP(uniP), '', fmtP(multiP)];
  };
  const ns = (fit.univariate ?? []).map((m) => m.n);
  const range = ns.length ? (Math.min(...ns) === Math.max(...ns) ? `n = ${ns[0]}` : `n = ${Math.min(...ns)} to ${Math.max(...ns)}`) : '';
  const notes = [
    `HR: hazard ratio; CI: confidence interval. Univariable: each covariate alone, on the patients with it recorded${range ? ` (${range})` : ''}; `
      + `multivariable: all covariates in one model (n = ${fit.n}, ${fit.events} events).`,
    ...[excludedNote(fit.excluded)].filter(Boolean).map((n) => `Multivariable model: ${n[0].toLowerCase()}${n.slice(1)}`),
    `P on a categorical covariate's own row: ${OVERALL[context.overall === 'lr' ? 'lr' : 'wald']}; on a level's row: Wald test of that level against the reference; on a numeric covariate's row: Wald test.`,
    ...Object.entries(context.units).map(([c, u]) => `${c}: hazard ratio per ${u.value}${u.words ? ` ${u.words}` : ' units'} (the coefficient per unit times ${u.value}).`),
  ];
  return {
    caption: `Hazard ratios for ${context.endpoint}: univariable and multivariable Cox regression`,
    head: ['Characteristic', `Univariable HR (${level} CI)`, 'P', `Multivariable HR (${level} CI)`, 'P'],
    body: covariateRows(context.covariates, levelsOf, cells, overall, nameOf, label),
    numeric: [1, 2, 3, 4],
    notes,
  };
}

/** The multivariable model in full: coefficients and SEs, each categorical covariate's overall P on its row. */
function modelTable(fit, context, level, label, nameOf) {
  const tests = new Map(fit.covariate_tests.map((t) => [t.covariate, t]));
  const termsOf = (c) => fit.terms.filter((t) => t.variable === c);
  const levelsOf = (c) => {
    const own = termsOf(c).filter((t) => t.level);
    return own.length ? [own[0].reference, ...own.map((t) => t.level)] : null;
  };
  const cells = (c, l) => {
    const t = termsOf(c).find((x) => (x.level ?? null) === l);
    if (!t) return l === null ? ['—', '—', '—', ''] : ['', '', '1 (reference)', ''];
    return [fmt(t.coef, 3), fmt(t.se, 3), hrCell(t.hr, t.hr_lower, t.hr_upper, t.infinite), fmtP(t.p)];
  };
  const overall = (c) => {
    const t = tests.get(c);
    return ['', '', '', fmtP(t ? (context.overall === 'lr' ? t.lr_p : t.wald_p) : null)];
  };
  return {
    caption: `Multivariable Cox model (n = ${fit.n}, ${fit.events} events)`,
    head: ['Term', 'Coefficient', 'SE', `HR (${level} CI)`, 'P'],
    body: covariateRows(context.covariates, levelsOf, cells, overall, nameOf, label),
    numeric: [1, 2, 3, 4],
    notes: [
      `P: Wald test of each term; on a categorical covariate's own row, ${OVERALL[context.overall === 'lr' ? 'lr' : 'wald']}.`,
      `Likelihood-ratio test ${fmt(fit.lr_test.chisq, 2)} on ${fit.lr_test.df} df, P ${fmtP(fit.lr_test.p)}; `
        + `Wald ${fmt(fit.wald_test.chisq, 2)}, P ${fmtP(fit.wald_test.p)}; score (log-rank) ${fmt(fit.score_test.chisq, 2)}, P ${fmtP(fit.score_test.p)}.`,
      `Concordance ${fmt(fit.concordance, 3)}. Ties: ${fit.ties === 'efron' ? 'Efron' : 'Breslow'} method, as R's coxph.`,
    ],
  };
}

function coxResults(fit, context, answer, state, store) {
  const level = `${Math.round(fit.conf_level * 100)}%`;
  const base = slug(`${context.endpoint}-cox`);
  // A level under the label the user gave it (the group column's levels, named under Figure).
  const label = (c, l) => levelLabel(levelSettings(state.settings, c), l);
  // A covariate as the reader sees it: the user's label, else its name with its unit ("age, per 10 years").
  const cox = coxSettings(state);
  const nameOf = (c) => givenLabel(cox, c) ?? withUnit(c, context.units[c]);
  const blocks = [labelsBlock(state, store, fit, cox, (c) => withUnit(c, context.units[c]), (next) => setCox(store, 'labels', next))];
  if (fit.warnings.length) blocks.push(el('div', { class: 'warn', role: 'note' }, fit.warnings.map((w) => el('p', { text: w }))));
  const journal = journalTable(fit, context, level, label, nameOf);
  const model = modelTable(fit, context, level, label, nameOf);
  blocks.push(tableBlock(journal, 'cox-table', `${base}-hazard-ratios`), tableBlock(model, 'cox-multivariable', `${base}-multivariable`),
    coxForest(state, store, fit, context.endpoint, forestLabels(state, fit, context.covariates, nameOf)));
  const firth = fit.firth && {
    caption: 'Multivariable Cox model with Firth\'s penalised likelihood',
    head: ['Term', 'Coefficient', 'SE', `HR (${level} CI)`, 'P'],
    body: fit.firth.terms.map((t) => [termName(state, t.name, nameOf), fmt(t.coef, 3), fmt(t.se, 3), hrCell(t.hr, t.hr_lower, t.hr_upper, false), fmtP(t.p)]),
    numeric: [1, 2, 3, 4],
    notes: [`Breslow ties, profile penalised-likelihood intervals and tests, as R's coxphf. Penalised likelihood-ratio test ${fmt(fit.firth.lr_test.chisq, 2)} on ${fit.firth.lr_test.df} df, P ${fmtP(fit.firth.lr_test.p)}.`],
  };
  if (firth) blocks.push(tableBlock(firth, 'cox-firth-table', `${base}-firth`));
  if (fit.zph) blocks.push(...zphBlocks(fit, context, base, state, store, (term) => termName(state, term, nameOf)));
  const units = Object.entries(context.units).map(([c, u]) => `${c} per ${u.value}${u.words ? ` ${u.words}` : ' units'}`);
  const categorical = [...new Set(fit.terms.filter((t) => t.level).map((t) => t.variable))];
  const methods = `Hazard ratios with ${level} confidence intervals were estimated by Cox proportional hazards regression `
    + `(${fit.ties === 'efron' ? 'Efron' : 'Breslow'} method for tied times), first for each covariate alone and then with all of them `
    + `(${context.covariates.map(nameOf).join('; ')}) in one model${fit.strata ? ', stratified' : ''}; P values are from Wald tests`
    + (categorical.length ? `, and for ${categorical.map(nameOf).join('; ')} as a whole from the ${context.overall === 'lr' ? 'likelihood-ratio' : 'Wald'} test of all levels together` : '')
    + '. '
    + (units.length ? `Hazard ratios are given for ${units.join(', ')}. ` : '')
    + (fit.zph ? 'The proportional-hazards assumption was checked with scaled Schoenfeld residuals against the Kaplan-Meier transform of time (R\'s cox.zph), '
      + 'plotted with a natural cubic spline smooth (4 degrees of freedom) and its ±2 standard error band (R\'s plot.cox.zph). ' : '')
    + (context.firth ? 'Because of few events, Firth\'s penalised likelihood with profile-likelihood intervals was also used. ' : '')
    + `${fit.n} patients with ${fit.events} events were analysed.`;
  const tables = [journal, model, firth, fit.zph ? zphTable(fit, (term) => termName(state, term, nameOf)) : null].filter(Boolean);
  const word = docxButton('cox-methods-docx', { title: `${context.endpoint}: Cox regression`, tables, methods }, `${base}-tables`);
  blocks.push(...methodsBlock('cox-methods', methods, word, rScriptButton('cox', answer, base)));
  return blocks;
}

/** The group's hazard ratio within each level of the chosen subgroup columns (the subgroup forest plot). */
export const subgroupJob = {
  name: 'subgroups',
  request(state) {
    const endpoint = activeEndpoint(state);
    const { subgroups } = coxSettings(state);
    const { group, view } = state.settings;
    if (view !== 'cox' || !group || !subgroups.length || !outcomeComplete(endpoint)) return null;
    return {
      op: 'subgroups',
      args: { ...outcomeArgs(state.settings, endpoint), strata: null, subgroups, reference: chosenReference(state) },
      label: 'Fitting the subgroup Cox models…',
      context: { endpoint: endpoint.name, group },
    };
  },
};

/** The subgroup forest plot's choices and result: columns to split by (not the group's own). */
function subgroupBlock(state, store) {
  const { group } = state.settings;
  if (!group) return null;
  const cox = coxSettings(state);
  const picker = columnPicker({
    id: 'subgroup-variables', legend: `Subgroups: the hazard ratio of ${group} within each level of`, prefix: 'subgroup-use',
    columns: candidates(state).filter((c) => c !== group), chosen: cox.subgroups, onchange: (next) => setCox(store, 'subgroups', next),
  });
  const result = state.results.subgroups;
  if (!cox.subgroups.length || !result) return el('div', { id: 'subgroup-block' }, picker);
  if (result.error) return el('div', { id: 'subgroup-block' }, picker, errorBox(result.error, 'Subgroup analysis', { id: 'subgroup-error', state }));
  const warnings = result.value.subgroups.flatMap((v) => v.warnings);
  return el('div', { id: 'subgroup-block' }, picker,
    warnings.length ? el('div', { class: 'warn', role: 'note' }, warnings.map((w) => el('p', { text: w }))) : null,
    subgroupForest(state, store, result.value, result.context.endpoint));
}

/** The proportional-hazards test table; `label(term)` names a term as the reader sees it. */
function zphTable(fit, label = (term) => term) {
  return {
    caption: 'Proportional-hazards check (scaled Schoenfeld residuals against 1 − KM time, as R\'s cox.zph)',
    head: ['Term', 'Chi-square', 'df', 'P'],
    body: [...fit.zph.terms.map((t) => [label(t.term), fmt(t.chisq, 2), String(t.df), fmtP(t.p)]),
      ['Global', fmt(fit.zph.global.chisq, 2), String(fit.zph.global.df), fmtP(fit.zph.global.p)]],
    numeric: [1, 2, 3],
    notes: ['A small P suggests the hazard ratio changes over time (proportional hazards doubtful).'],
  };
}

/** The proportional-hazards test table and each term's plot (drawn by the core, zph.js). */
function zphBlocks(fit, context, base, state, store, label) {
  return [
    tableBlock(zphTable(fit, label), 'cox-zph', `${base}-ph-check`),
    zphFigures(state, store, fit, context, label, base),
  ];
}
