// The Kaplan-Meier view's small-sample and restricted-mean parts: the permutation (exact) log-rank
// P beside the asymptotic one, the restricted mean survival time (RMST) compared at a common τ,
// and SPSS's "Means and Medians for Survival Time" means, with their options and methods text.
//
// Every number comes from the core's `km` answer (`exact_test`, `rmst_comparison`,
// `spss_means`: the command line's JSON keys); this module only chooses what to ask for, from
// the endpoint's settings, and presents it. The settings belong to the endpoint (store.js
// endpointDefaults: exact, resamples, seed, spss_means; tau in the endpoint's unit), so they
// travel in the share link with it.

import { el, fmt, fmtP } from './views.js';
import { activeEndpoint, endpointStore, unitOf } from './store.js';
import { levelLabel, orderedNames } from './figure.js';
import { tableTime, toShown } from './units.js';

/** A group smaller than this, or with fewer events than the next, makes the chi-square P doubtful. */
const FEW_PATIENTS = 20;
const FEW_EVENTS = 10;
/** Monte Carlo resamples the page accepts: fewer give a coarse P, more keep the worker busy for minutes. */
const RESAMPLES = { min: 1000, max: 10_000_000 };

// ---- the request ----

/** What the endpoint asks the core's `km` for beyond the estimates (its keys are the core's KmSettings). */
export function exactArgs(endpoint) {
  return {
    exact: Boolean(endpoint.exact),
    resamples: endpoint.resamples ?? null,
    seed: endpoint.seed ?? null,
    spss_means: Boolean(endpoint.spss_means),
  };
}

// ---- reading the answer ----

/**
 * Why the permutation P is advised for these groups, or null: the log-rank P is a chi-square
 * approximation, which needs enough patients and events in every group.
 */
export function exactAdvice(km) {
  if (km.groups.length < 2) return null;
  const small = km.groups.filter((g) => g.n < FEW_PATIENTS || g.events < FEW_EVENTS);
  if (!small.length) return null;
  const said = small.map((g) => `${g.name} has ${g.n} patient${g.n === 1 ? '' : 's'} and ${g.events} event${g.events === 1 ? '' : 's'}`);
  return `${said.join(', ')}: with fewer than about ${FEW_PATIENTS} patients or ${FEW_EVENTS} events in a group, `
    + 'the chi-square approximation behind the log-rank P can be off, so the permutation (exact) P, which needs no approximation, is the one to report';
}

/** Each group's largest follow-up time (its last step: an event or a censoring). */
function lastTimes(km) {
  return km.groups.map((g) => ({ name: g.name, last: g.steps.at(-1)?.time ?? 0 }));
}

/** The τ to propose: the smallest of the groups' largest follow-up times (survRM2's default), or null. */
export function proposedTau(km) {
  if (km.groups.length < 2) return null;
  return Math.min(...lastTimes(km).map((g) => g.last));
}

/** The groups whose follow-up ends before τ. */
function shortGroups(km, tau) {
  return lastTimes(km).filter((g) => tau > g.last);
}

/** "How P was obtained", in words for a table note or the methods. */
function howComputed(t) {
  if (t.method === 'exact') return 'from the exact permutation distribution';
  return `from ${t.resamples.toLocaleString('en-US')} random permutations (Monte Carlo, seed ${t.seed}; Monte Carlo standard error of P ${mcSe(t.mc_se)})`;
}

/** A time as the data or the user gave it (45.7, not 45.70), without binary noise. */
function time(x) {
  return String(Number(x.toPrecision(10)));
}

function mcSe(se) {
  return se === null || se === undefined ? '—' : se.toPrecision(2);
}

// ---- tables ----

/** The tests table's row for the permutation P, placed under the log-rank row, or null. */
export function exactTestRow(km) {
  const t = km.exact_test;
  if (!t) return null;
  const how = t.method === 'exact' ? 'exact' : `Monte Carlo ± ${mcSe(t.mc_se)}`;
  return [`Log-rank, permutation P (${how})`, fmt(t.statistic, 2), '', fmtP(t.p)];
}

/** The tests table's notes about the permutation P: how it was computed, or why to ask for it. */
export function exactTestNotes(km) {
  const t = km.exact_test;
  const advice = exactAdvice(km);
  if (!t) {
    return advice ? [`Advice: ${advice} (tick “Exact (permutation) log-rank P” under Options).`] : [];
  }
  const notes = [`Permutation log-rank P: the log-rank scores' permutation distribution given the data, as R's coin::logrank_test; computed ${howComputed(t)}. Its statistic is the squared standardised score sum (the quadratic form with more than two groups), so it differs slightly from the chi-square above.`];
  if (advice) notes.push(`Report the permutation P here: ${advice}.`);
  return notes;
}

/** The comparison rows in the groups' chosen order (the reference's own row comes first anyway). */
function chosenOrder(rows, km, levels) {
  const order = orderedNames(km.groups.map((g) => g.name), levels);
  return [...rows].sort((a, b) => order.indexOf(a.group) - order.indexOf(b.group));
}

/**
 * Restricted means at the common τ against the reference group (difference and ratio), the
 * groups by their labels in the chosen order, or null. `levels` are the group column's.
 */
export function rmstTable(km, unit, levels, conversion = null) {
  const rows = chosenOrder(km.rmst_comparison ?? [], km, levels);
  if (!rows.length) return null;
  const label = (name) => levelLabel(levels, name);
  const level = `${Math.round(km.conf_level * 100)}%`;
  const u = unit ? `, ${unit}` : '';
  const byName = new Map(km.groups.map((g) => [g.name, g]));
  const rmst = (name) => {
    const g = byName.get(name);
    return g ? `${fmt(g.rmean, 2)} (${fmt(g.rmean_se, 2)})` : '—';
  };
  const ci = (x, lo, hi) => `${fmt(x, 2)} (${fmt(lo, 2)} to ${fmt(hi, 2)})`;
  const reference = rows[0].reference;
  const body = [
    [label(reference), rmst(reference), 'reference', '', 'reference', ''],
    ...rows.map((r) => [label(r.group), rmst(r.group), ci(r.difference, r.difference_lower, r.difference_upper), fmtP(r.difference_p),
      ci(r.ratio, r.ratio_lower, r.ratio_upper), fmtP(r.ratio_p)]),
  ];
  const short = shortGroups(km, km.tau);
  const notes = [
    `RMST: the area under each Kaplan-Meier curve from 0 to τ = ${time(km.tau)}${unit ? ` ${unit}` : ''} (the mean survival time within that window), with its standard error as R's survfit.`,
    `Against ${label(reference)} (the reference group): difference with standard error √(SE₁² + SE₀²), ratio on the log scale; normal ${level} limits and two-sided P, as R's survRM2::rmst2 without covariates.`,
  ];
  if (short.length) notes.push(`Caution: τ lies past the last follow-up of ${short.map((g) => `${g.name} (${time(g.last)})`).join(', ')}; there the curve is carried flat to τ, which is not supported by data. Choose τ no larger than ${time(proposedTau(km))}.`);
  return {
    caption: `Restricted mean survival time at τ = ${time(km.tau)}${unit ? ` ${unit}` : ''}${conversion ? `, times in ${conversion}` : ''}`,
    head: ['Group', `RMST${u} (SE)`, `Difference${u} (${level} CI)`, 'P', `Ratio (${level} CI)`, 'P'],
    body,
    numeric: [1, 2, 3, 4, 5],
    notes,
  };
}

/** SPSS's "Means and Medians for Survival Time", its mean part (groups by their labels, in the chosen order), or null. */
export function spssTable(km, unit, levels, conversion = null) {
  const order = orderedNames(km.groups.map((g) => g.name), levels);
  // "Overall" (all groups together) stays last.
  const rank = (r) => (order.includes(r.group) ? order.indexOf(r.group) : order.length);
  const rows = [...(km.spss_means ?? [])].sort((a, b) => rank(a) - rank(b));
  if (!rows.length) return null;
  const level = `${Math.round(km.conf_level * 100)}%`;
  const u = unit ? ` (${unit})` : '';
  const body = rows.map((r) => [
    r.group === 'all' && km.groups.length === 1 ? 'All patients' : (order.includes(r.group) ? levelLabel(levels, r.group) : r.group),
    `${fmt(r.mean, 3)}${r.limit_censored ? 'ᵃ' : ''}`, fmt(r.se, 3), fmt(r.lower, 3), fmt(r.upper, 3), time(r.limit),
  ]);
  const notes = [
    ...(rows.some((r) => r.limit_censored) ? ['a. Estimation is limited to the largest survival time if it is censored (SPSS\'s footnote).'] : []),
    `SPSS's convention: the mean is the area under each group's Kaplan-Meier curve up to that group's largest observed time (“Limit”), so groups followed for different times have means over different windows; limits mean ± z × SE (${level}). R gives the same mean and SE with print(fit, rmean = "individual"); by default R prints no mean, and to compare groups it restricts every group to one common τ (the RMST above).`,
    'SPSS also prints a standard error and a symmetric interval for the median, from a density estimate whose exact formula SPSS does not publish; survcalc does not reproduce them. The median\'s interval in the survival summary is R\'s (Brookmeyer-Crowley, from the pointwise band on the chosen scale), which is generally asymmetric and differs from SPSS\'s.',
  ];
  return {
    caption: `Means for survival time, as SPSS's “Means and Medians for Survival Time”${conversion ? `, times in ${conversion}` : ''}`,
    head: ['Group', `Mean${u}`, 'Std. Error', `${level} CI lower`, `${level} CI upper`, `Limit${u}`],
    body,
    numeric: [1, 2, 3, 4, 5],
    notes,
  };
}

// ---- options ----

function check(id, label, checked, onchange) {
  return el('label', { class: 'check', for: id },
    el('input', { type: 'checkbox', id, checked, onchange: (ev) => onchange(ev.target.checked) }), label);
}

function whole(id, label, value, onchange, attrs) {
  return el('label', { for: id }, label,
    el('input', { type: 'number', id, value: value ?? '', step: 1, ...attrs, onchange: (ev) => onchange(ev.target.value === '' ? null : Math.round(Number(ev.target.value))) }));
}

/** The km answer when it is the active endpoint's, else null. */
function currentKm(state) {
  const result = state.results.km;
  return result?.value && result.context.endpoint.id === activeEndpoint(state).id ? result.value : null;
}

/**
 * The endpoint's controls for this module: the permutation P (with its Monte Carlo resamples and
 * seed), SPSS's means, and under the restricted-mean limit a proposed τ and a warning when τ is
 * past a group's follow-up. Placed in the endpoint's part of the Options.
 */
export function exactControls(state, store, groups) {
  const endpoint = activeEndpoint(state);
  const own = endpointStore(store);
  const km = currentKm(state);
  const advice = km && !endpoint.exact ? exactAdvice(km) : null;
  const parts = [];
  if (groups >= 2) {
    parts.push(check('opt-exact', ` Exact (permutation) log-rank P${advice ? ' (advised here)' : ''}`, Boolean(endpoint.exact), (v) => own.set('exact', v)));
    if (endpoint.exact) {
      parts.push(whole('opt-resamples', 'Monte Carlo resamples (used for 3+ groups, or when the exact distribution takes too long)', endpoint.resamples, (v) => own.set('resamples', v), RESAMPLES));
      parts.push(whole('opt-seed', 'Random seed (Monte Carlo)', endpoint.seed, (v) => own.set('seed', v), { min: 0 }));
    }
  }
  parts.push(check('opt-spss-means', ' SPSS\'s “Means and Medians” table', Boolean(endpoint.spss_means), (v) => own.set('spss_means', v)));
  return parts;
}

/**
 * Under the τ control: the proposed τ (a button) and, when τ is past a group's follow-up, why not;
 * times said in the unit the figure and tables show (units.js), τ kept in the recorded one.
 */
export function tauAdvice(state, store) {
  const km = currentKm(state);
  if (!km) return null;
  const proposed = proposedTau(km);
  if (proposed === null) return null;
  const endpoint = activeEndpoint(state);
  const shown = tableTime(endpoint, unitOf(endpoint));
  const unit = shown.unit;
  const said = (t) => time(toShown(shown, t));
  const tau = endpoint.tau;
  const short = tau === null ? [] : shortGroups(km, tau);
  return el('div', { class: 'tau-advice', id: 'tau-advice' },
    tau === proposed ? null : el('button', { type: 'button', id: 'opt-tau-propose', onclick: () => endpointStore(store).set('tau', proposed) },
      `Compare restricted means at τ = ${said(proposed)}${unit ? ` ${unit}` : ''}`),
    el('span', { class: 'note', text: ` The smallest of the groups' largest follow-up times (survRM2's default τ): ${lastTimes(km).map((g) => `${g.name} ${said(g.last)}`).join(', ')}.` }),
    short.length ? el('p', { class: 'field-error', id: 'tau-warning', text: `τ = ${said(tau)} is past the last follow-up of ${short.map((g) => `${g.name} (${said(g.last)})`).join(', ')}: the restricted mean there extends the curve flat beyond the data.` }) : null);
}

// ---- methods ----

/** Sentences for the methods paragraph naming this module's methods, for the answer shown. */
export function exactMethods(km, unitText, levels) {
  const parts = [];
  const t = km.exact_test;
  if (t) {
    const why = exactAdvice(km) ? 'Because some groups were small, the' : 'The';
    parts.push(`${why} log-rank test was also computed as a permutation (conditional) test, its P obtained ${howComputed(t)} (as R's coin::logrank_test${t.method === 'exact' ? ', distribution = "exact"' : ', distribution = approximate()'}).`);
  }
  if (km.rmst_comparison?.length) {
    const level = `${Math.round(km.conf_level * 100)}%`;
    parts.push(`Restricted mean survival times at τ = ${time(km.tau)} ${unitText} were compared between groups by their difference and ratio against ${levelLabel(levels, km.rmst_comparison[0].reference)} (the reference group), with ${level} confidence intervals and P from the normal approximation (as R's survRM2::rmst2).`);
  }
  if (km.spss_means?.length) {
    parts.push('Mean survival times restricted to each group\'s largest observed time are reported with their standard errors as SPSS\'s Kaplan-Meier procedure gives them.');
  }
  return parts;
}
