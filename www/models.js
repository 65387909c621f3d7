// The Cox regression and Table 1 views: variables chosen by checkbox, results as real tables with exports.
//
// Each view is a job (what to ask the worker for the current state) and a panel (nodes built from
// the state); choices go to the store (settings.cox, settings.table1: null until the user changes
// the defaults).

import { el, fmt, fmtP, tableBlock, controlId } from './views.js';
import { copyText, slug } from './export.js';
import { zphPlot } from './zph.js';
import { errorBox } from './hints.js';
import { looksLikeIdentifier } from './roles.js';
import { activeEndpoint, outcomeArgs, outcomeComplete, setSetting, unitOf } from './store.js';

/** Columns that may be covariates or characteristics: not an endpoint's own, not identifiers, not dates. */
export function candidates(state) {
  const used = new Set(state.settings.endpoints.flatMap((e) => [e.time, e.start_date, e.end_date, e.event]));
  const analysable = ['integer', 'number', 'yes-no', 'category'];
  return (state.data?.profile.columns ?? []).filter((c) => !used.has(c.name) && !looksLikeIdentifier(c) && analysable.includes(c.kind))
    .map((c) => c.name);
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

export function methodsBlock(id, text) {
  return [el('h4', { text: 'Methods (to adapt for your manuscript)' }), el('p', { class: 'methods', id, text }),
    el('div', { class: 'buttons' }, el('button', { type: 'button', id: `${id}-copy`, onclick: () => copyText(text) }, 'Copy methods text'))];
}

// ---- Cox ----

/** The Cox choices: the user's, or by default the group column as a categorical covariate. */
function coxSettings(state) {
  const { group } = state.settings;
  return state.settings.cox ?? { covariates: group ? [group] : [], categorical: group ? [group] : [], firth: false };
}

function setCox(store, key, value) {
  setSetting(store, ['cox'], { ...coxSettings(store.state), [key]: value });
}

export const coxJob = {
  name: 'cox',
  request(state) {
    const endpoint = activeEndpoint(state);
    const cox = coxSettings(state);
    if (state.settings.view !== 'cox' || !outcomeComplete(endpoint) || !cox.covariates.length) return null;
    return {
      op: 'cox',
      args: {
        ...outcomeArgs(state.settings, endpoint),
        covariates: cox.covariates.map((c) => ({ column: c, categorical: cox.categorical.includes(c) })),
        univariate: true,
        zph: true,
        firth: Boolean(cox.firth),
      },
      label: 'Fitting the Cox model…',
      context: { endpoint: endpoint.name, unit: unitOf(endpoint), covariates: cox.covariates, firth: Boolean(cox.firth) },
    };
  },
};

/** The Cox panel for the active endpoint: univariable rows and the multivariable model. */
export function coxPanel(state, store) {
  const cox = coxSettings(state);
  const kind = (c) => (cox.covariates.includes(c) ? el('select', {
    id: controlId('cox-kind', c),
    'aria-label': `${c} enters the model as`,
    onchange: (ev) => setCox(store, 'categorical', ev.target.value === 'categorical' ? [...new Set([...cox.categorical, c])] : cox.categorical.filter((x) => x !== c)),
  }, el('option', { value: 'numeric', text: 'numeric', selected: !cox.categorical.includes(c) }),
  el('option', { value: 'categorical', text: 'categorical', selected: cox.categorical.includes(c) })) : null);
  const head = el('div', {},
    columnPicker({ id: 'cox-covariates', legend: 'Covariates', prefix: 'cox-use', columns: candidates(state), chosen: cox.covariates, onchange: (next) => setCox(store, 'covariates', next), extra: kind }),
    el('label', { class: 'check' }, el('input', {
      type: 'checkbox', id: 'cox-firth', checked: Boolean(cox.firth),
      onchange: (ev) => setCox(store, 'firth', ev.target.checked),
    }), ' Firth\'s penalised likelihood (finite estimates when a group has no events; for small samples)'));
  if (!cox.covariates.length) return [head, el('p', { class: 'note', text: 'Tick one or more covariates to fit a Cox model.' })];
  const result = state.results.cox;
  if (!result) return [head];
  if (result.error) return [head, errorBox(result.error, 'Cox model', { id: 'cox-error', state })];
  return [head, ...coxResults(result.value, result.context)];
}

function coxResults(fit, context) {
  const level = `${Math.round(fit.conf_level * 100)}%`;
  const base = slug(`${context.endpoint}-cox`);
  const uni = {
    caption: 'Univariable Cox models (one covariate at a time)',
    head: ['Covariate', 'n', 'Events', `HR (${level} CI)`, 'P'],
    body: (fit.univariate ?? []).flatMap((m) => m.rows.map((r) => [
      r.level ? `${m.variable}: ${r.level}` : r.name,
      String(m.n), String(m.events),
      r.reference ? '1 (reference)' : hrCell(r.hr, r.hr_lower, r.hr_upper, r.infinite),
      r.reference ? '' : fmtP(r.p),
    ])),
    numeric: [1, 2, 3, 4],
    notes: ['HR: hazard ratio; P: Wald test.'],
  };
  const multi = {
    caption: `Multivariable Cox model (n = ${fit.n}, ${fit.events} events)`,
    head: ['Term', 'Coefficient', 'SE', `HR (${level} CI)`, 'P'],
    body: fit.terms.flatMap((t, i) => {
      const row = [t.level ? `${t.variable}: ${t.level}` : t.name, fmt(t.coef, 3), fmt(t.se, 3), hrCell(t.hr, t.hr_lower, t.hr_upper, t.infinite), fmtP(t.p)];
      const first = t.level && fit.terms.findIndex((u) => u.variable === t.variable) === i;
      return first && t.reference ? [[`${t.variable}: ${t.reference}`, '', '', '1 (reference)', ''], row] : [row];
    }),
    numeric: [1, 2, 3, 4],
    notes: [
      'P: Wald test of each term.',
      `Likelihood-ratio test ${fmt(fit.lr_test.chisq, 2)} on ${fit.lr_test.df} df, P ${fmtP(fit.lr_test.p)}; `
        + `Wald ${fmt(fit.wald_test.chisq, 2)}, P ${fmtP(fit.wald_test.p)}; score (log-rank) ${fmt(fit.score_test.chisq, 2)}, P ${fmtP(fit.score_test.p)}.`,
      `Concordance ${fmt(fit.concordance, 3)}. Ties: ${fit.ties === 'efron' ? 'Efron' : 'Breslow'} method, as R's coxph.`,
    ],
  };
  const blocks = [];
  if (fit.warnings.length) blocks.push(el('div', { class: 'warn', role: 'note' }, fit.warnings.map((w) => el('p', { text: w }))));
  blocks.push(tableBlock(uni, 'cox-univariable', `${base}-univariable`), tableBlock(multi, 'cox-multivariable', `${base}-multivariable`));
  if (fit.firth) {
    const firthTable = {
      caption: 'Multivariable Cox model with Firth\'s penalised likelihood',
      head: ['Term', 'Coefficient', 'SE', `HR (${level} CI)`, 'P'],
      body: fit.firth.terms.map((t) => [t.name.replace('=', ': '), fmt(t.coef, 3), fmt(t.se, 3), hrCell(t.hr, t.hr_lower, t.hr_upper, false), fmtP(t.p)]),
      numeric: [1, 2, 3, 4],
      notes: [`Breslow ties, profile penalised-likelihood intervals and tests, as R's coxphf. Penalised likelihood-ratio test ${fmt(fit.firth.lr_test.chisq, 2)} on ${fit.firth.lr_test.df} df, P ${fmtP(fit.firth.lr_test.p)}.`],
    };
    blocks.push(tableBlock(firthTable, 'cox-firth-table', `${base}-firth`));
  }
  if (fit.zph) blocks.push(...zphBlocks(fit, context, base));
  const methods = `Hazard ratios with ${level} confidence intervals were estimated by Cox proportional hazards regression `
    + `(${fit.ties === 'efron' ? 'Efron' : 'Breslow'} method for tied times), first for each covariate alone and then with all of them `
    + `(${context.covariates.join(', ')}) in one model${fit.strata ? ', stratified' : ''}; P values are from Wald tests. `
    + (fit.zph ? 'The proportional-hazards assumption was checked with scaled Schoenfeld residuals against the Kaplan-Meier transform of time (R\'s cox.zph). ' : '')
    + (context.firth ? 'Because of few events, Firth\'s penalised likelihood with profile-likelihood intervals was also used. ' : '')
    + `${fit.n} patients with ${fit.events} events were analysed.`;
  blocks.push(...methodsBlock('cox-methods', methods));
  return blocks;
}

/** The proportional-hazards test table and each term's residual plot. */
function zphBlocks(fit, context, base) {
  const zph = {
    caption: 'Proportional-hazards check (scaled Schoenfeld residuals against 1 − KM time, as R\'s cox.zph)',
    head: ['Term', 'Chi-square', 'df', 'P'],
    body: [...fit.zph.terms.map((t) => [t.term, fmt(t.chisq, 2), String(t.df), fmtP(t.p)]),
      ['Global', fmt(fit.zph.global.chisq, 2), String(fit.zph.global.df), fmtP(fit.zph.global.p)]],
    numeric: [1, 2, 3],
    notes: ['A small P suggests the hazard ratio changes over time (proportional hazards doubtful).'],
  };
  // The line under proportional hazards: the model's coefficient, for terms with one coefficient.
  const coef = (term) => {
    const own = fit.terms.filter((t) => (t.variable ?? t.name) === term || t.name === term);
    return own.length === 1 ? own[0].coef : null;
  };
  return [
    tableBlock(zph, 'cox-zph', `${base}-ph-check`),
    el('figure', { class: 'zph-figures' },
      ...fit.zph.residuals.map((r) => zphPlot(r.term, fit.zph.time, r.values, context.unit, coef(r.term))),
      el('figcaption', {
        class: 'muted', id: 'zph-caption',
        text: 'Scaled Schoenfeld residuals (β(t)) of each term against time; the dashed line is the model\'s coefficient, '
          + 'which β(t) stays around under proportional hazards (a term with several coefficients has none). No smoother is drawn: '
          + 'R\'s plot.cox.zph adds a spline fit, which survcalc does not compute yet. The test above uses the Kaplan-Meier transform of time.',
      })),
  ];
}

// ---- Table 1 ----

function continuousCell(sm, nonnormal) {
  if (sm.n === 0) return '—';
  return nonnormal ? `${fmt(sm.median, 1)} (${fmt(sm.q1, 1)}–${fmt(sm.q3, 1)})` : `${fmt(sm.mean, 1)} (${fmt(sm.sd, 1)})`;
}

/** The Table 1 choices: the user's, or by default every candidate column but the group's, as mean (SD). */
function table1Settings(state) {
  return state.settings.table1 ?? { variables: candidates(state).filter((c) => c !== state.settings.group), nonnormal: [] };
}

function setTable1(store, key, value) {
  setSetting(store, ['table1'], { ...table1Settings(store.state), [key]: value });
}

export const table1Job = {
  name: 'table1',
  request(state) {
    const { group, view } = state.settings;
    const t1 = table1Settings(state);
    if (view !== 'table1' || !group || !t1.variables.length) return null;
    return {
      op: 'table1',
      args: { group, variables: t1.variables, nonnormal: t1.nonnormal },
      label: 'Building Table 1…',
      context: { nonnormal: t1.nonnormal },
    };
  },
};

/** Table 1 by the chosen group column: one line per continuous variable, one per level otherwise. */
export function table1Panel(state, store) {
  const { group } = state.settings;
  if (!group) return [el('p', { class: 'note', text: 'Choose a column under “Compare groups” to describe the patients by group.' })];
  const t1 = table1Settings(state);
  const numeric = new Set((state.data?.profile.columns ?? []).filter((c) => c.kind === 'number' || c.kind === 'integer').map((c) => c.name));
  const summary = (c) => (t1.variables.includes(c) && numeric.has(c) ? el('select', {
    id: controlId('table1-summary', c),
    'aria-label': `${c} summarised as`,
    onchange: (ev) => setTable1(store, 'nonnormal', ev.target.value === 'median' ? [...new Set([...t1.nonnormal, c])] : t1.nonnormal.filter((x) => x !== c)),
  }, el('option', { value: 'mean', text: 'mean (SD), t-test/ANOVA', selected: !t1.nonnormal.includes(c) }),
  el('option', { value: 'median', text: 'median (IQR), rank test', selected: t1.nonnormal.includes(c) })) : null);
  const picker = columnPicker({
    id: 'table1-variables', legend: 'Characteristics', prefix: 'table1-use', columns: candidates(state).filter((c) => c !== group),
    chosen: t1.variables, onchange: (next) => setTable1(store, 'variables', next), extra: summary,
  });
  if (!t1.variables.length) return [picker, el('p', { class: 'note', text: 'Tick the characteristics to describe.' })];
  const result = state.results.table1;
  if (!result) return [picker];
  if (result.error) return [picker, errorBox(result.error, 'Table 1', { id: 'table1-error', state })];
  return [picker, ...table1Results(result.value, result.context)];
}

function table1Results(t1, context) {
  const marks = new Map(t1.tests_used.map((u, i) => [u.test, 'abcdefghij'[i]]));
  const rows = [];
  for (const r of t1.rows) {
    const mark = marks.get(r.test) ?? '';
    if (r.kind === 'continuous') {
      const nn = context.nonnormal.includes(r.variable) || ['mann-whitney', 'kruskal-wallis'].includes(r.test);
      rows.push([`${r.variable}, ${nn ? 'median (IQR)' : 'mean (SD)'}`, continuousCell(r.overall, nn),
        ...r.by_group.map((g) => continuousCell(g, nn)), `${fmtP(r.p)}${mark ? ` ${mark}` : ''}`]);
    } else {
      rows.push([`${r.variable}, n (%)`, '', ...r.by_group.map(() => ''), `${fmtP(r.p)}${mark ? ` ${mark}` : ''}`]);
      r.overall.levels.forEach((lv, i) => {
        rows.push([`    ${lv.level}`, `${lv.count} (${fmt(lv.percent, 0)}%)`,
          ...r.by_group.map((g) => `${g.levels[i].count} (${fmt(g.levels[i].percent, 0)}%)`), '']);
      });
    }
  }
  const table = {
    caption: `Table 1. Characteristics by ${t1.group}`,
    head: ['Characteristic', `All (n = ${t1.n})`, ...t1.groups.map((g) => `${g.name} (n = ${g.n})`), 'P'],
    body: rows,
    numeric: t1.groups.map((_, i) => i + 1).concat([t1.groups.length + 1, t1.groups.length + 2]),
    notes: t1.tests_used.map((u) => `${marks.get(u.test)} ${u.method}: ${u.variables.join(', ')}.`),
  };
  const blocks = [];
  if (t1.warnings.length) blocks.push(el('div', { class: 'warn', role: 'note' }, t1.warnings.map((w) => el('p', { text: w }))));
  blocks.push(tableBlock(table, 'table1', `table1-${slug(t1.group)}`));
  return blocks;
}
