// The regression view: linear (R's lm) or logistic (R's glm, binomial) regression of an outcome
// column on chosen covariates, as a journal prints it, with the residual plot of a linear model.
//
// A job (what to ask the worker for the current state) and a panel (nodes built from the state);
// choices go to the store under settings.regression (null until the user makes one), so a share
// link carries them. The numbers are the core's `regression` object, never computed here.

import { el, fmt, fmtP, tableBlock, controlId, exclusions, docxButton } from './views.js';
import { slug } from './export.js';
import { errorBox, CONTROLS } from './hints.js';
import { looksLikeIdentifier } from './roles.js';
import { columnPicker, methodsBlock } from './models.js';
import { residualPlot } from './residuals.js';
import { setSetting } from './store.js';

const DEFAULTS = { outcome: '', family: 'linear', event_values: [], covariates: [], categorical: [], reference: {}, firth: false };

/** The regression choices: the user's, completed with the defaults (nothing chosen yet). */
export function regressionSettings(state) {
  return { ...DEFAULTS, ...state.settings.regression };
}

function setRegression(store, changes) {
  setSetting(store, ['regression'], { ...regressionSettings(store.state), ...changes });
}

/** Columns that may enter a model: numbers, yes/no and categories; never identifiers or dates. */
function modelColumns(state) {
  const analysable = ['integer', 'number', 'yes-no', 'category'];
  return (state.data?.profile.columns ?? []).filter((c) => analysable.includes(c.kind) && !looksLikeIdentifier(c));
}

/** A column that cannot be read as numbers (text categories, yes/no words) enters a model as categorical. */
const textual = (col) => col.kind === 'category' || (col.kind === 'yes-no' && (col.min === null || col.min === undefined));

/**
 * A new outcome: a yes/no column is modelled by logistic regression, anything else by linear;
 * the outcome leaves the covariates, and the values chosen for the old one are forgotten.
 */
function chooseOutcome(store, outcome) {
  const col = modelColumns(store.state).find((c) => c.name === outcome);
  const r = regressionSettings(store.state);
  setRegression(store, {
    outcome,
    family: col?.kind === 'yes-no' ? 'logistic' : 'linear',
    event_values: [],
    covariates: r.covariates.filter((c) => c !== outcome),
    firth: false,
  });
}

/** Ticked covariates: a column holding words is entered as categorical at once (as numbers it could not be read). */
function chooseCovariates(store, next) {
  const r = regressionSettings(store.state);
  const added = modelColumns(store.state).filter((c) => next.includes(c.name) && !r.covariates.includes(c.name) && textual(c)).map((c) => c.name);
  setRegression(store, { covariates: next, categorical: [...new Set([...r.categorical.filter((c) => next.includes(c)), ...added])] });
}

export const regressionJob = {
  name: 'regression',
  request(state) {
    const r = regressionSettings(state);
    if (state.settings.view !== 'regression' || !r.outcome || !r.covariates.length) return null;
    const logistic = r.family === 'logistic';
    return {
      op: 'regression',
      args: {
        outcome: r.outcome,
        family: r.family,
        event_values: logistic ? r.event_values : [],
        covariates: r.covariates.map((c) => ({ column: c, categorical: r.categorical.includes(c), reference: r.categorical.includes(c) ? r.reference[c] || null : null })),
        firth: logistic && Boolean(r.firth),
      },
      label: `Fitting the ${logistic ? 'logistic' : 'linear'} regression…`,
      context: { outcome: r.outcome, family: r.family },
    };
  },
};

/**
 * This view's controls for the choices the core's hints name (the page's own are the endpoint's);
 * `tick` when the outcome's values are boxes to tick (else a text box).
 */
function scope(tick) {
  return {
    controls: {
      ...CONTROLS,
      event: ['“Outcome” (Regression view)', ['reg-outcome']],
      event_values: [tick ? '“Values … meaning the outcome (y = 1)” in the Regression view' : '“Values meaning the outcome” in the Regression view', ['reg-event-values']],
      covariates: ['the covariate boxes (Regression view)', ['reg-covariates']],
      categorical: ['“categorical” next to the covariate (Regression view)', ['reg-covariates']],
    },
    kind: (column) => controlId('reg-kind', column),
    view: 'the Regression view',
    tick,
  };
}

/** The values of a column a logistic model's outcome may be coded by: all of them, when the profile lists all. */
function levelsOf(col) {
  return col && !col.levels_truncated ? col.levels.map((l) => l.value) : [];
}

function holding(r) {
  return (column) => [
    ...(column === r.outcome ? ['reg-outcome'] : []),
    ...(r.covariates.includes(column) ? [controlId('reg-kind', column)] : []),
  ];
}

/** The regression panel: outcome, model, covariates, then the fit. */
export function regressionPanel(state, store) {
  const r = regressionSettings(state);
  const columns = modelColumns(state);
  const result = state.results.regression;
  const fit = result?.value;
  const controls = [
    el('div', { class: 'grid' },
      el('label', {}, 'Outcome', el('select', { id: 'reg-outcome', onchange: (ev) => chooseOutcome(store, ev.target.value) },
        el('option', { value: '', text: '(choose)', selected: !r.outcome }),
        columns.map((c) => el('option', { value: c.name, text: c.name, selected: c.name === r.outcome })))),
      el('label', {}, 'Model', el('select', { id: 'reg-family', onchange: (ev) => setRegression(store, { family: ev.target.value, firth: false }) },
        el('option', { value: 'linear', text: 'linear (a measured outcome)', selected: r.family === 'linear' }),
        el('option', { value: 'logistic', text: 'logistic (a yes/no outcome)', selected: r.family === 'logistic' })))),
    r.family === 'logistic' && r.outcome ? eventValues(state, store, r, columns) : null,
    covariatePicker(store, r, columns),
    r.family === 'logistic' && (r.firth || fit?.separation) ? el('label', { class: 'check' }, el('input', {
      type: 'checkbox', id: 'reg-firth', checked: Boolean(r.firth),
      onchange: (ev) => setRegression(store, { firth: ev.target.checked }),
    }), ' Firth\'s penalised likelihood (finite odds ratios despite the separation)') : null,
  ];
  if (!r.outcome) return [...controls, el('p', { class: 'note', text: 'Choose the outcome to model, then tick the covariates.' })];
  if (!r.covariates.length) return [...controls, el('p', { class: 'note', text: 'Tick one or more covariates to fit the model.' })];
  if (!result) return controls;
  if (result.error) {
    const tick = levelsOf(columns.find((c) => c.name === r.outcome)).length > 0;
    return [...controls, errorBox(result.error, 'Regression', { id: 'reg-error', holding: holding(r), scope: scope(tick) })];
  }
  const where = { header_row: state.data.preview.header_row ?? 1, sheet: state.data.profile.source.sheet ?? null, id: 'reg-excluded' };
  const excluded = exclusions(fit.excluded, where);
  return [...controls, ...(fit.family === 'linear' ? linearResults(fit, result.context, excluded) : logisticResults(fit, result.context, excluded))];
}

/**
 * The values of a logistic model's outcome meaning "yes" (y = 1), ticked among the column's
 * values; none ticked: read as an event column is (1 of 0/1, 2 of 1/2, yes, dead...).
 */
function eventValues(state, store, r, columns) {
  const col = columns.find((c) => c.name === r.outcome);
  const levels = levelsOf(col);
  const answer = state.results.regression;
  const coding = answer?.context.outcome === r.outcome ? answer.value?.event_coding : null;
  const detected = el('p', { class: 'muted', id: 'reg-event-coding', text: coding ? `Modelled: ${codingWords(coding, r.outcome)}.` : 'None ticked: detected as for an event column (1 of 0/1, 2 of 1/2, yes, dead…).' });
  const set = (values) => setRegression(store, { event_values: values });
  if (!levels.length) {
    return el('div', {}, el('label', {}, 'Values meaning the outcome (y = 1, separated by commas) ', el('input', {
      type: 'text', id: 'reg-event-values', value: r.event_values.join(', '), autocomplete: 'off',
      onchange: (ev) => set(ev.target.value.split(',').map((v) => v.trim()).filter(Boolean)),
    })), detected);
  }
  return el('fieldset', { class: 'picker', id: 'reg-event-values' },
    el('legend', { text: `Values of “${r.outcome}” meaning the outcome (y = 1)` }),
    el('div', { class: 'controls' }, levels.map((v) => el('label', { class: 'check' }, el('input', {
      type: 'checkbox', id: controlId('reg-event', v), checked: r.event_values.includes(v),
      onchange: (ev) => set(levels.filter((x) => (x === v ? ev.target.checked : r.event_values.includes(x)))),
    }), ` ${v}`))),
    detected);
}

/**
 * The core's event coding ("event = 2, censored = 1", or "event = a or b; any other value =
 * censored") in a logistic model's words: the values modelled (y = 1) and the rest (y = 0);
 * `short` for a sentence ("status = 2, against 1").
 */
function codingWords(coding, outcome, short = false) {
  const inferred = /^event = (.*), censored = (.*)$/.exec(coding);
  const listed = /^event = (.*); any other value = censored$/.exec(coding);
  const [yes, no] = inferred ? [inferred[1], inferred[2]] : listed ? [listed[1], 'any other value'] : [null, null];
  if (!yes) return coding;
  return short ? `${outcome} = ${yes}, against ${no}` : `“${outcome}” = ${yes} (y = 1) against ${no} (y = 0)`;
}

/** The covariate boxes, each ticked one with how it enters (numeric or categorical) and a categorical one's reference level. */
function covariatePicker(store, r, columns) {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const setKind = (c, categorical) => setRegression(store, {
    categorical: categorical ? [...new Set([...r.categorical, c])] : r.categorical.filter((x) => x !== c),
  });
  const extra = (c) => {
    if (!r.covariates.includes(c)) return null;
    const kind = el('select', { id: controlId('reg-kind', c), 'aria-label': `${c} enters the model as`, onchange: (ev) => setKind(c, ev.target.value === 'categorical') },
      el('option', { value: 'numeric', text: 'numeric', selected: !r.categorical.includes(c) }),
      el('option', { value: 'categorical', text: 'categorical', selected: r.categorical.includes(c) }));
    const levels = byName.get(c)?.levels.map((l) => l.value) ?? [];
    if (!r.categorical.includes(c) || !levels.length) return kind;
    const reference = el('select', {
      id: controlId('reg-ref', c), 'aria-label': `${c}: reference level`,
      onchange: (ev) => setRegression(store, { reference: { ...r.reference, [c]: ev.target.value || undefined } }),
    }, el('option', { value: '', text: `reference: ${levels[0]} (first)`, selected: !r.reference[c] }),
    levels.map((v) => el('option', { value: v, text: `reference: ${v}`, selected: r.reference[c] === v })));
    return [kind, reference];
  };
  return columnPicker({
    id: 'reg-covariates', legend: 'Covariates', prefix: 'reg-use', columns: columns.map((c) => c.name).filter((c) => c !== r.outcome),
    chosen: r.covariates, onchange: (next) => chooseCovariates(store, next), extra,
  });
}

// ---- the tables ----

/** Decimals for a row: enough to show its standard error to two significant digits (2 to 6). */
function decimalsFor(se) {
  return se > 0 && Number.isFinite(se) ? Math.min(6, Math.max(2, 1 - Math.floor(Math.log10(se)))) : 3;
}

/** A confidence interval as "lower to upper" (a dash between negative limits reads as a minus). */
function interval(lower, upper, digits) {
  return lower === null || upper === null ? '—' : `${fmt(lower, digits)} to ${fmt(upper, digits)}`;
}

const label = (t) => (t.name === '(Intercept)' ? 'Intercept' : t.level ? `${t.variable}: ${t.level}` : t.name);

/**
 * Rows in model order with, before a categorical covariate's first level, its reference level
 * on a row of its own (as journals print it): `row(term)` and `reference(name)` make the cells.
 */
function termRows(terms, row, reference) {
  return terms.flatMap((t, i) => {
    const first = t.level && terms.findIndex((u) => u.variable === t.variable) === i;
    return first && t.reference ? [reference(`${t.variable}: ${t.reference}`), row(t)] : [row(t)];
  });
}

/** The covariates in words for the methods: "age, sex (categorical, reference 1) and wt.loss". */
function covariateWords(terms) {
  const seen = new Map();
  for (const t of terms) if (t.name !== '(Intercept)' && !seen.has(t.variable)) seen.set(t.variable, t.reference);
  const words = [...seen].map(([v, ref]) => (ref ? `${v} (categorical, reference ${ref})` : v));
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : words[0];
}

function warnings(fit) {
  return fit.warnings.length ? el('div', { class: 'warn', role: 'note', id: 'reg-warnings' }, fit.warnings.map((w) => el('p', { text: w }))) : null;
}

function linearResults(fit, context, excluded) {
  const level = `${Math.round(fit.conf_level * 100)}%`;
  const table = {
    caption: `Linear regression of ${context.outcome} (n = ${fit.n})`,
    head: ['Term', 'Coefficient', 'SE', `${level} CI`, 'P'],
    body: termRows(fit.terms, (t) => {
      if (t.aliased) return [label(t), 'not estimable (collinear)', '', '', ''];
      const d = decimalsFor(t.se);
      return [label(t), fmt(t.estimate, d), fmt(t.se, d), interval(t.lower, t.upper, d), fmtP(t.p)];
    }, (name) => [name, '0 (reference)', '', '', '']),
    numeric: [1, 2, 3, 4],
    notes: [
      `Coefficient: the change in ${context.outcome} per unit of a numeric covariate, or against the reference level; CI from the t distribution (R's confint); P: t test on ${fit.df_residual} residual df.`,
      `R² ${fmt(fit.r_squared, 3)}, adjusted R² ${fmt(fit.adj_r_squared, 3)}; residual standard error ${fmt(fit.sigma, decimalsFor(fit.sigma))} on ${fit.df_residual} df`
        + (fit.f_test ? `; F test of the model ${fmt(fit.f_test.statistic, 2)} on ${fit.f_test.df1} and ${fit.f_test.df2} df, P ${fmtP(fit.f_test.p)}.` : '.'),
    ],
  };
  const methods = `The outcome, ${context.outcome}, was modelled by multiple linear regression (ordinary least squares, R's lm) on ${covariateWords(fit.terms)}. `
    + `Coefficients are reported with ${level} confidence intervals from the t distribution and P values from t tests; `
    + 'the F test compares the model with the intercept alone, and R² and adjusted R² describe the fit. '
    + 'Residuals were plotted against fitted values to check linearity and constant variance. '
    + `${fit.n} patients were analysed.`;
  return [
    warnings(fit),
    tableBlock(table, 'reg-table', slug(`regression-${context.outcome}-linear`)),
    excluded,
    fit.residuals?.length ? residualFigure(fit, context) : null,
    ...methodsBlock('reg-methods', methods, wordButton(context, 'linear', [table], methods)),
  ];
}

function residualFigure(fit, context) {
  return el('figure', { class: 'residual-figure' },
    residualPlot(fit.residuals, context.outcome),
    el('figcaption', {
      class: 'muted', id: 'reg-residual-caption',
      text: `Residuals (observed minus fitted ${context.outcome}) against fitted values, one point per patient analysed (${fit.residuals.length}). `
        + 'The dashed line is zero: the points should scatter evenly around it. A curved pattern suggests a relation that is not linear, '
        + 'a funnel that the spread changes with the fitted value (unequal variance). No smoother is drawn: R\'s plot.lm adds a lowess curve, which survcalc does not compute.',
    }));
}

/** A logistic term's odds ratio with its limits (the JSON's term fields and odds ratio side by side). */
function orCell(t) {
  if (t.infinite) return 'not estimable (infinite)';
  if (t.aliased) return 'not estimable (collinear)';
  if (t.name === '(Intercept)') return '—';
  return `${fmt(t.odds_ratio, 2)} (${fmt(t.or_lower, 2)}–${fmt(t.or_upper, 2)})`;
}

function logisticResults(fit, context, excluded) {
  const level = `${Math.round(fit.conf_level * 100)}%`;
  const outcome = fit.event_coding ? codingWords(fit.event_coding, context.outcome) : context.outcome;
  const table = {
    caption: `Logistic regression of ${context.outcome} (n = ${fit.n}, ${fit.events} with the outcome)`,
    head: ['Term', 'Coefficient', 'SE', `OR (${level} CI)`, 'P'],
    body: termRows(fit.terms, (t) => {
      if (t.infinite || t.aliased) return [label(t), '—', '—', orCell(t), '—'];
      const d = decimalsFor(t.se);
      return [label(t), fmt(t.estimate, d), fmt(t.se, d), orCell(t), fmtP(t.p)];
    }, (name) => [name, '', '', '1 (reference)', '']),
    numeric: [1, 2, 3, 4],
    notes: [
      `Modelled: ${outcome}. OR: odds ratio per unit of a numeric covariate, or against the reference level; `
        + `Wald ${level} CI, exp(coefficient ± z × SE), as R's confint.default and SPSS; P: Wald z test. The intercept is the log odds with every covariate at 0 or its reference level.`,
      `Null deviance ${fmt(fit.null_deviance, 2)} on ${fit.df_null} df, residual deviance ${fmt(fit.deviance, 2)} on ${fit.df_residual} df; AIC ${fmt(fit.aic, 2)}. `
        + `Likelihood-ratio test of the model ${fmt(fit.lr_test.chisq, 2)} on ${fit.lr_test.df} df, P ${fmtP(fit.lr_test.p)}.`,
      ...(fit.converged ? [] : [`The fit did not converge in ${fit.iterations} iterations (as R's glm would warn): read the estimates with care.`]),
    ],
  };
  const blocks = [warnings(fit), tableBlock(table, 'reg-table', slug(`regression-${context.outcome}-logistic`)), excluded];
  const firth = fit.firth ? firthTable(fit, context, level) : null;
  if (firth) blocks.push(tableBlock(firth, 'reg-firth-table', slug(`regression-${context.outcome}-firth`)));
  const modelled = fit.event_coding ? codingWords(fit.event_coding, context.outcome, true) : context.outcome;
  const methods = `The odds of the outcome (${modelled}) were modelled by multiple logistic regression (maximum likelihood, R's glm with the binomial family and logit link) on ${covariateWords(fit.terms)}. `
    + `Odds ratios are reported with ${level} Wald confidence intervals and P values from Wald z tests; the model was compared with the intercept-only model by a likelihood-ratio test, and its AIC is given. `
    + (fit.firth ? 'Because of separation (an odds ratio without a finite estimate), Firth\'s penalised likelihood (Firth 1993; Heinze and Schemper 2002) was also used, with profile penalised-likelihood confidence intervals and penalised likelihood-ratio P values. ' : '')
    + `${fit.n} patients, ${fit.events} with the outcome, were analysed.`;
  blocks.push(...methodsBlock('reg-methods', methods, wordButton(context, 'logistic', [table, firth].filter(Boolean), methods)));
  return blocks;
}

/** The model's tables and the methods paragraph as a Word document. */
function wordButton(context, family, tables, methods) {
  return docxButton('reg-docx', { title: `${family === 'linear' ? 'Linear' : 'Logistic'} regression of ${context.outcome}`, tables, methods }, slug(`regression-${context.outcome}-${family}`));
}

function firthTable(fit, context, level) {
  return {
    caption: `Logistic regression of ${context.outcome} with Firth's penalised likelihood`,
    head: ['Term', 'Coefficient', 'SE', `OR (${level} CI)`, 'P'],
    body: fit.firth.terms.map((t) => {
      const d = decimalsFor(t.se);
      const or = t.name === '(Intercept)' ? '—' : `${fmt(t.odds_ratio, 2)} (${fmt(t.or_lower, 2)}–${fmt(t.or_upper, 2)})`;
      return [t.name === '(Intercept)' ? 'Intercept' : t.name.replace('=', ': '), fmt(t.estimate, d), fmt(t.se, d), or, fmtP(t.p)];
    }),
    numeric: [1, 2, 3, 4],
    notes: [`Profile penalised-likelihood intervals and penalised likelihood-ratio P values, as R's logistf. Penalised likelihood-ratio test of the model ${fmt(fit.firth.lr_test.chisq, 2)} on ${fit.firth.lr_test.df} df, P ${fmtP(fit.firth.lr_test.p)}.`],
  };
}
