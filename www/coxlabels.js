// Covariates as the reader should see them in the Cox view: a label for each covariate ("age" ->
// "Age, per 10 years") and for each level of a categorical one ("R2" -> "R2 resection"), used by
// the Cox tables, the forest plot, the proportional-hazards table and plots, the methods text and
// every export. Labels are presentation: changing one refits nothing.
//
// A covariate's label lives in settings.cox.labels[column]; a level's in
// settings.levels[column].labels, where the figure keeps the group column's (so a group's label is
// the same in every view, Table 1 included). Both travel in the share link with the settings.

import { el, controlId } from './views.js';
import { levelSettings, setLevels } from './store.js';
import { levelLabel } from './figure.js';

/** The label the user gave a covariate, or null. */
export function givenLabel(cox, column) {
  const text = cox.labels?.[column];
  return typeof text === 'string' && text.trim() ? text.trim() : null;
}

/** A level of a covariate as the reader sees it. */
export function levelName(state, column, level) {
  return levelLabel(levelSettings(state.settings, column), level);
}

/** A categorical covariate's levels in the fit (the reference first), or null for a numeric one. */
export function fitLevels(fit, column) {
  const terms = fit.terms.filter((t) => t.variable === column && t.level);
  const uni = (fit.univariate ?? []).find((m) => m.variable === column)?.rows.filter((r) => r.level) ?? [];
  if (!terms.length && !uni.length) return null;
  const reference = terms[0]?.reference ?? uni.find((r) => r.reference)?.level;
  return [...new Set([reference, ...terms.map((t) => t.level), ...uni.map((r) => r.level)].filter((l) => l !== undefined && l !== null))];
}

/**
 * A term name of the core ("age", "celltype=large", as the zph and Firth tables name terms) as the
 * reader sees it; `nameOf(column)` gives a covariate's name (its label, or the name with its unit).
 */
export function termName(state, term, nameOf) {
  const at = term.indexOf('=');
  if (at < 0) return nameOf(term);
  const column = term.slice(0, at);
  return `${nameOf(column)}: ${levelName(state, column, term.slice(at + 1))}`;
}

/** The forest plot's labels (ForestOptions.labels): each covariate's name, and each level's as "column=level". */
export function forestLabels(state, fit, covariates, nameOf) {
  const labels = {};
  for (const c of covariates) {
    if (nameOf(c) !== c) labels[c] = nameOf(c);
    for (const level of fitLevels(fit, c) ?? []) {
      const text = levelName(state, c, level);
      if (text !== level) labels[`${c}=${level}`] = text;
    }
  }
  return labels;
}

/**
 * The label fields: one per covariate (placeholder: its name as the tables print it), and one per
 * level of a categorical covariate. `setLabels(next)` stores the covariates' labels.
 */
export function labelsBlock(state, store, fit, cox, nameOf, setLabels) {
  const rows = cox.covariates.flatMap((c) => {
    const levels = fitLevels(fit, c) ?? [];
    const own = levelSettings(state.settings, c);
    return [
      el('label', { for: controlId('cox-label', c) }, `${c} `, el('input', {
        type: 'text', id: controlId('cox-label', c), value: cox.labels?.[c] ?? '', placeholder: nameOf(c), autocomplete: 'off',
        onchange: (ev) => setLabels({ ...cox.labels, [c]: ev.target.value }),
      })),
      ...levels.map((level) => el('label', { class: 'level-label', for: controlId('cox-level-label', `${c}=${level}`) }, `    ${c} = ${level} `, el('input', {
        type: 'text', id: controlId('cox-level-label', `${c}=${level}`), value: own.labels[level] ?? '', placeholder: level, autocomplete: 'off',
        onchange: (ev) => setLevels(store, c, 'labels', { ...own.labels, [level]: ev.target.value }),
      }))),
    ];
  });
  return el('details', { class: 'options', id: 'cox-labels' },
    el('summary', { text: 'Labels (tables, forest plot, methods)' }),
    el('div', { class: 'controls' }, rows),
    el('p', { class: 'note', text: 'Empty: the column\'s name (with its unit) or the level as in the data. A level\'s label is shared with the figure and Table 1.' }));
}
