// The Cox regression and Table 1 views: variables chosen by checkbox, results as real tables with exports.

import { el, dataTable, fmt, fmtP } from './views.js';
import { toCsv, toTsv, download, copyText, slug } from './export.js';
import { zphPlot } from './zph.js';

/** A checkbox list of columns; `chosen` is an array of names kept in the settings. */
function columnPicker(legend, columns, chosen, onchange, extra) {
  return el('fieldset', { class: 'picker' },
    el('legend', { text: legend }),
    el('div', { class: 'controls' }, columns.map((c) => el('label', { class: 'check' },
      el('input', {
        type: 'checkbox', value: c, checked: chosen.includes(c),
        onchange: (ev) => {
          const next = ev.target.checked ? [...chosen, c] : chosen.filter((x) => x !== c);
          chosen.splice(0, chosen.length, ...columns.filter((x) => next.includes(x)));
          onchange();
        },
      }), ` ${c}`, extra ? extra(c) : null))));
}

function exportButtons(table, name) {
  return el('div', { class: 'buttons' },
    el('button', { type: 'button', onclick: () => download(new Blob([toCsv(table)], { type: 'text/csv' }), `${slug(name)}.csv`) }, 'Download CSV'),
    el('button', {
      type: 'button',
      onclick: async (ev) => {
        ev.target.textContent = (await copyText(toTsv(table))) ? 'Copied' : 'Copy failed';
        setTimeout(() => { ev.target.textContent = 'Copy for Word/Excel'; }, 1500);
      },
    }, 'Copy for Word/Excel'));
}

function hrCell(hr, lo, hi, infinite) {
  if (infinite) return 'not estimable (infinite)';
  return hr === null ? '—' : `${fmt(hr, 2)} (${fmt(lo, 2)}–${fmt(hi, 2)})`;
}

// ---- Cox ----

/** The Cox view for the active endpoint: univariable rows and the multivariable model. */
export async function coxView(ctx, body) {
  const s = ctx.state.settings;
  const columns = ctx.candidates;
  s.cox ??= { covariates: s.group ? [s.group] : [], categorical: s.group ? [s.group] : [] };
  const chosen = s.cox.covariates;
  const rerun = () => coxView(ctx, body);
  const picker = columnPicker('Covariates', columns, chosen, rerun, (c) => (chosen.includes(c) ? el('select', {
    'aria-label': `${c} enters the model as`,
    onchange: (ev) => {
      s.cox.categorical = ev.target.value === 'categorical' ? [...new Set([...s.cox.categorical, c])] : s.cox.categorical.filter((x) => x !== c);
      rerun();
    },
  }, el('option', { value: 'numeric', text: 'numeric', selected: !s.cox.categorical.includes(c) }),
  el('option', { value: 'categorical', text: 'categorical', selected: s.cox.categorical.includes(c) })) : null));
  const firth = el('label', { class: 'check' }, el('input', {
    type: 'checkbox', id: 'cox-firth', checked: Boolean(s.cox.firth),
    onchange: (ev) => { s.cox.firth = ev.target.checked; rerun(); },
  }), ' Firth\'s penalised likelihood (finite estimates when a group has no events; for small samples)');
  const head = el('div', {}, picker, firth);
  if (!chosen.length) {
    body.replaceChildren(head, el('p', { class: 'note', text: 'Tick one or more covariates to fit a Cox model.' }));
    return;
  }
  let fit;
  try {
    fit = await ctx.call('cox', {
      ...ctx.outcome,
      covariates: chosen.map((c) => ({ column: c, categorical: s.cox.categorical.includes(c) })),
      univariate: true,
      zph: true,
      firth: Boolean(s.cox.firth),
    }, [], 'Fitting the Cox model…');
  } catch (err) {
    body.replaceChildren(head, el('div', { class: 'error', role: 'alert', text: ctx.errorText(err).text }));
    return;
  }
  const level = `${Math.round(fit.conf_level * 100)}%`;
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
  const blocks = [head];
  if (fit.warnings.length) blocks.push(el('div', { class: 'warn', role: 'note' }, fit.warnings.map((w) => el('p', { text: w }))));
  blocks.push(el('div', { class: 'scroll' }, dataTable(uni, { id: 'cox-univariable' })), exportButtons(uni, `${ctx.endpoint.name}-cox-univariable`));
  blocks.push(el('div', { class: 'scroll' }, dataTable(multi, { id: 'cox-multivariable' })), exportButtons(multi, `${ctx.endpoint.name}-cox-multivariable`));
  if (fit.firth) {
    const firthTable = {
      caption: 'Multivariable Cox model with Firth\'s penalised likelihood',
      head: ['Term', 'Coefficient', 'SE', `HR (${level} CI)`, 'P'],
      body: fit.firth.terms.map((t) => [t.name.replace('=', ': '), fmt(t.coef, 3), fmt(t.se, 3), hrCell(t.hr, t.hr_lower, t.hr_upper, false), fmtP(t.p)]),
      numeric: [1, 2, 3, 4],
      notes: [`Breslow ties, profile penalised-likelihood intervals and tests, as R's coxphf. Penalised likelihood-ratio test ${fmt(fit.firth.lr_test.chisq, 2)} on ${fit.firth.lr_test.df} df, P ${fmtP(fit.firth.lr_test.p)}.`],
    };
    blocks.push(el('div', { class: 'scroll' }, dataTable(firthTable, { id: 'cox-firth-table' })), exportButtons(firthTable, `${ctx.endpoint.name}-cox-firth`));
  }
  if (fit.zph) {
    const zph = {
      caption: 'Proportional-hazards check (scaled Schoenfeld residuals against 1 − KM time, as R\'s cox.zph)',
      head: ['Term', 'Chi-square', 'df', 'P'],
      body: [...fit.zph.terms.map((t) => [t.term, fmt(t.chisq, 2), String(t.df), fmtP(t.p)]),
        ['Global', fmt(fit.zph.global.chisq, 2), String(fit.zph.global.df), fmtP(fit.zph.global.p)]],
      numeric: [1, 2, 3],
      notes: ['A small P suggests the hazard ratio changes over time (proportional hazards doubtful).'],
    };
    blocks.push(el('div', { class: 'scroll' }, dataTable(zph, { id: 'cox-zph' })), exportButtons(zph, `${ctx.endpoint.name}-cox-ph-check`));
    blocks.push(el('figure', { class: 'zph-figures' },
      ...fit.zph.residuals.map((r) => zphPlot(r.term, fit.zph.time, r.values, ctx.unit)),
      el('figcaption', { class: 'muted', text: 'Scaled Schoenfeld residuals (β(t)) of each term against time, with a local linear smooth (lowess); the test above uses the Kaplan-Meier transform of time. A roughly flat smooth supports proportional hazards; a trend means the hazard ratio changes over follow-up.' })));
  }
  const methods = `Hazard ratios with ${level} confidence intervals were estimated by Cox proportional hazards regression `
    + `(${fit.ties === 'efron' ? 'Efron' : 'Breslow'} method for tied times), first for each covariate alone and then with all of them `
    + `(${chosen.join(', ')}) in one model${fit.strata ? ', stratified' : ''}; P values are from Wald tests. `
    + (fit.zph ? 'The proportional-hazards assumption was checked with scaled Schoenfeld residuals against the Kaplan-Meier transform of time (R\'s cox.zph). ' : '')
    + (s.cox.firth ? 'Because of few events, Firth\'s penalised likelihood with profile-likelihood intervals was also used. ' : '')
    + `${fit.n} patients with ${fit.events} events were analysed.`;
  blocks.push(el('h4', { text: 'Methods (to adapt for your manuscript)' }), el('p', { class: 'methods', id: 'cox-methods', text: methods }),
    el('div', { class: 'buttons' }, el('button', { type: 'button', onclick: () => copyText(methods) }, 'Copy methods text')));
  body.replaceChildren(...blocks);
}

// ---- Table 1 ----

function continuousCell(sm, nonnormal) {
  if (sm.n === 0) return '—';
  return nonnormal ? `${fmt(sm.median, 1)} (${fmt(sm.q1, 1)}–${fmt(sm.q3, 1)})` : `${fmt(sm.mean, 1)} (${fmt(sm.sd, 1)})`;
}

/** Table 1 by the chosen group column: one line per continuous variable, one per level otherwise. */
export async function table1View(ctx, body) {
  const s = ctx.state.settings;
  if (!s.group) {
    body.replaceChildren(el('p', { class: 'note', text: 'Choose a column under “Compare groups” to describe the patients by group.' }));
    return;
  }
  const columns = ctx.candidates.filter((c) => c !== s.group);
  s.table1 ??= { variables: columns.slice(), nonnormal: [] };
  const chosen = s.table1.variables;
  const rerun = () => table1View(ctx, body);
  const numeric = new Set(ctx.state.profiles.filter((c) => c.kind === 'number' || c.kind === 'integer').map((c) => c.name));
  const nonnormal = s.table1.nonnormal;
  const picker = columnPicker('Characteristics', columns, chosen, rerun, (c) => (chosen.includes(c) && numeric.has(c) ? el('select', {
    'aria-label': `${c} summarised as`,
    onchange: (ev) => {
      s.table1.nonnormal = ev.target.value === 'median' ? [...new Set([...nonnormal, c])] : nonnormal.filter((x) => x !== c);
      rerun();
    },
  }, el('option', { value: 'mean', text: 'mean (SD), t-test/ANOVA', selected: !nonnormal.includes(c) }),
  el('option', { value: 'median', text: 'median (IQR), rank test', selected: nonnormal.includes(c) })) : null));
  if (!chosen.length) {
    body.replaceChildren(picker, el('p', { class: 'note', text: 'Tick the characteristics to describe.' }));
    return;
  }
  let t1;
  try {
    t1 = await ctx.call('table1', { group: s.group, variables: chosen, nonnormal: s.table1.nonnormal }, [], 'Building Table 1…');
  } catch (err) {
    body.replaceChildren(picker, el('div', { class: 'error', role: 'alert', text: ctx.errorText(err).text }));
    return;
  }
  const marks = new Map(t1.tests_used.map((u, i) => [u.test, 'abcdefghij'[i]]));
  const rows = [];
  for (const r of t1.rows) {
    const mark = marks.get(r.test) ?? '';
    if (r.kind === 'continuous') {
      const nn = s.table1.nonnormal.includes(r.variable) || ['mann-whitney', 'kruskal-wallis'].includes(r.test);
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
  const blocks = [picker];
  if (t1.warnings.length) blocks.push(el('div', { class: 'warn', role: 'note' }, t1.warnings.map((w) => el('p', { text: w }))));
  blocks.push(el('div', { class: 'scroll' }, dataTable(table, { id: 'table1' })), exportButtons(table, `table1-${t1.group}`));
  body.replaceChildren(...blocks);
}
