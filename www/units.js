// The Kaplan-Meier tables in the unit the figure shows: when the figure shows a days column in
// months (or any of days, weeks, months, years in another), the tables' times, their headers and
// the methods say the same, and times typed for "survival at" are read in it. The conversion uses
// the core's constants (days_per_unit: 7, 30.4375 and 365.25 days, as the figure's axis).
//
// The core's answer stays in the recorded unit (the figure converts on its own); kmInUnit gives
// the tables a copy with every time-valued number multiplied by the factor.

import * as core from './pkg/survcalc.js';
import { shownUnit } from './figure.js';

/** A factor written without binary noise: 30.4375, 7, 12. */
function plain(x) {
  return String(Number(x.toPrecision(10)));
}

/**
 * How the tables show time for an endpoint whose data are in `unit`: { unit (shown), recorded,
 * factor (recorded -> shown), note ("months (days ÷ 30.4375)", null without conversion) }.
 */
export function tableTime(endpoint, unit) {
  const shown = shownUnit(endpoint, unit);
  if (!unit || !shown || shown === unit) return { unit, recorded: unit, factor: 1, note: null };
  const factor = core.days_per_unit(unit) / core.days_per_unit(shown);
  const how = factor < 1 ? `÷ ${plain(1 / factor)}` : `× ${plain(factor)}`;
  return { unit: shown, recorded: unit, factor, note: `${shown} (${unit} ${how})` };
}

/** A time in the recorded unit as shown (the typed "survival at" times shown back, for instance). */
export function toShown(time, t) {
  return Number((t * time.factor).toPrecision(12));
}

/** A time typed in the shown unit, in the recorded unit the core computes in. */
export function toRecorded(time, t) {
  return time.factor === 1 ? t : Number((t / time.factor).toPrecision(15));
}

/** The km answer with every time (and time's standard error and difference) in the shown unit; ratios, P and counts as they are. */
export function kmInUnit(km, factor) {
  if (factor === 1) return km;
  const x = (v) => (v === null || v === undefined ? v : v * factor);
  const scale = (o, keys) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, keys.includes(k) ? x(v) : v]));
  return {
    ...km,
    tau: x(km.tau),
    groups: km.groups.map((g) => ({
      ...scale(g, ['median', 'median_lower', 'median_upper', 'rmean', 'rmean_se', 'rmean_limit']),
      at: g.at?.map((a) => scale(a, ['time'])),
      steps: g.steps.map((s) => scale(s, ['time'])),
      quantiles: g.quantiles?.map((q) => scale(q, ['time', 'lower', 'upper'])),
      follow_up: g.follow_up && scale(g.follow_up, ['min', 'max', 'median', 'median_lower', 'median_upper']),
    })),
    rmst_comparison: km.rmst_comparison?.map((r) => scale(r, ['difference', 'difference_se', 'difference_lower', 'difference_upper'])),
    spss_means: km.spss_means?.map((r) => scale(r, ['mean', 'se', 'lower', 'upper', 'limit'])),
  };
}
