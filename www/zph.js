// The proportional-hazards plots of the Cox view, drawn by the core (src/plot/zph.rs, as R's
// plot.cox.zph): per term, the scaled Schoenfeld residuals against transformed time, the
// natural-spline smooth (df 4) with its band of two standard errors, and the model's
// coefficient. Each term is a figure of its own, as R draws them, shown as the SVG file it saves
// (an image), with the figures' exports (SVG, PDF, TIFF, PNG through figure.js and the export
// worker); all terms as panels of one figure export too. The caption is the core's.

import * as core from './pkg/survcalc.js';
import { el } from './views.js';
import { slug } from './export.js';
import { errorBox } from './hints.js';
import { activeEndpoint, setSetting } from './store.js';
import { exportButtons, control, select, shownUnit, SIZES } from './figure.js';

/** Round axis values spanning [lo, hi], about `count` of them (steps of 1, 2, 2.5 or 5 times a power of ten); the residual plot of a linear model (residuals.js) uses them. */
export function ticks(lo, hi, count = 5) {
  const raw = (hi - lo) / count || 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(+t.toFixed(10));
  return out;
}

const BANDS = [['lines', 'dashed lines (as R)'], ['shaded', 'shaded'], ['none', 'none']];

/** The core's ZphOptions for `terms` (all when empty) at `dpi`. */
function zphOptions(state, context, label, terms, dpi) {
  const p = state.settings.plot;
  const unit = context.unit || null;
  const endpoint = activeEndpoint(state);
  const shown = endpoint ? shownUnit(endpoint, unit) : unit;
  const names = terms.length ? terms : context.terms;
  return {
    terms,
    labels: Object.fromEntries(names.map((t) => [t, label(t)])),
    x_label: 'Time',
    time_unit: unit,
    display_unit: shown && shown !== unit ? shown : null,
    band: p.zph_band,
    palette: p.palette === 'custom' ? 'okabe-ito' : p.palette,
    size: p.zph_size,
    font_size: Number(p.font_size),
    dpi,
  };
}

/** One figure: the core's SVG as an image, or the core's error. */
function figure(store, { id, svgOf, plot, base }) {
  let svg;
  try {
    svg = svgOf(Number(plot.dpi));
  } catch (err) {
    return el('div', { id }, errorBox({ message: err.message, detail: err.detail ?? null }, 'Proportional-hazards plot'));
  }
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  const desc = new DOMParser().parseFromString(svg, 'image/svg+xml').querySelector('desc')?.textContent ?? '';
  return el('figure', { class: 'zph-figure', id },
    el('img', { src: url, alt: desc, id: `${id}-image`, onload: () => setTimeout(() => URL.revokeObjectURL(url), 0) }),
    exportButtons(store, plot, `${id}-`, () => svgOf(Number(plot.dpi)), base));
}

/**
 * The plots of a fit's proportional-hazards check: its width and band controls, one figure per
 * term, the caption, and all terms as one figure's files. `label(term)` names a term as the
 * reader sees it; `base` starts the files' names.
 */
export function zphFigures(state, store, fit, context, label, base) {
  const p = state.settings.plot;
  const zph = fit.zph;
  const terms = zph.residuals.map((r) => r.term);
  const ctx = { ...context, terms };
  const svgOf = (chosen) => (dpi) => core.cox_zph_svg(zph, zphOptions(state, ctx, label, chosen, dpi));
  let caption = '';
  try {
    caption = core.cox_zph_caption(zph, zphOptions(state, ctx, label, [], Number(p.dpi)));
  } catch {
    caption = '';
  }
  return el('div', { class: 'zph-figures', id: 'zph-figures' },
    el('h4', { text: 'Proportional-hazards plots' }),
    el('div', { class: 'controls' },
      control('Width', select('zph-size', p.zph_size, SIZES, (v) => setSetting(store, ['plot', 'zph_size'], v))),
      control('Band of ±2 SE', select('zph-band', p.zph_band, BANDS, (v) => setSetting(store, ['plot', 'zph_band'], v)))),
    ...terms.map((term, i) => figure(store, { id: `zph-${i}`, svgOf: svgOf([term]), plot: p, base: slug(`${base}-ph-${term}`) })),
    el('p', { class: 'muted', id: 'zph-caption', text: caption }),
    terms.length > 1
      ? el('div', { id: 'zph-all' }, el('p', { class: 'note', text: 'All terms as panels of one figure:' }),
        exportButtons(store, p, 'zph-all-', () => svgOf([])(Number(p.dpi)), slug(`${base}-ph-plots`)))
      : null);
}
