// The proportional-hazards plot: each term's scaled Schoenfeld residuals (beta(t)) against time,
// with the model's coefficient as a dashed line (beta(t) is constant under proportional hazards).
// Drawn as SVG elements from the core's numbers only. R's plot.cox.zph adds a spline smooth; the
// page draws none until the core computes one (a smoother written here was not R's).

const NS = 'http://www.w3.org/2000/svg';
const W = 340;
const H = 240;
const M = { left: 52, right: 12, top: 26, bottom: 40 };

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Round axis values spanning [lo, hi], about `count` of them (steps of 1, 2, 2.5 or 5 times a power of ten). */
export function ticks(lo, hi, count = 5) {
  const raw = (hi - lo) / count || 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(+t.toFixed(10));
  return out;
}

/**
 * One term's plot as an <svg> element, with a text alternative; `coef` is the model's
 * coefficient for a one-coefficient term (a line), null otherwise.
 */
export function zphPlot(term, times, values, unit, coef = null) {
  const pts = times.map((t, i) => [t, values[i]]).filter(([, v]) => v !== null && Number.isFinite(v));
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', class: 'zph-plot' });
  root.append(svg('title', {}, `Scaled Schoenfeld residuals for ${term} against time${coef === null ? '' : `, with the model's coefficient ${coef.toFixed(3)} as a dashed line`}`));
  if (pts.length < 3) return root;
  pts.sort((a, b) => a[0] - b[0]);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys, coef ?? Infinity), Math.max(...ys, coef ?? -Infinity)];
  const pad = (y1 - y0) * 0.05 || 1;
  const sx = (x) => M.left + ((x - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
  const sy = (y) => H - M.bottom - ((y - (y0 - pad)) / (y1 - y0 + 2 * pad)) * (H - M.top - M.bottom);
  const axis = { stroke: '#333', 'stroke-width': 1 };
  root.append(svg('line', { x1: M.left, y1: H - M.bottom, x2: W - M.right, y2: H - M.bottom, ...axis }));
  root.append(svg('line', { x1: M.left, y1: M.top, x2: M.left, y2: H - M.bottom, ...axis }));
  for (const t of ticks(x0, x1)) {
    root.append(svg('line', { x1: sx(t), x2: sx(t), y1: H - M.bottom, y2: H - M.bottom + 4, ...axis }));
    root.append(svg('text', { x: sx(t), y: H - M.bottom + 16, 'text-anchor': 'middle', 'font-size': 11 }, String(t)));
  }
  for (const t of ticks(y0 - pad, y1 + pad, 4)) {
    root.append(svg('line', { x1: M.left - 4, x2: M.left, y1: sy(t), y2: sy(t), ...axis }));
    root.append(svg('text', { x: M.left - 6, y: sy(t) + 4, 'text-anchor': 'end', 'font-size': 11 }, String(t)));
  }
  root.append(svg('text', { x: (M.left + W - M.right) / 2, y: H - 6, 'text-anchor': 'middle', 'font-size': 12 }, `Time${unit ? ` (${unit})` : ''}`));
  root.append(svg('text', { x: 12, y: (M.top + H - M.bottom) / 2, 'text-anchor': 'middle', 'font-size': 12, transform: `rotate(-90 12 ${(M.top + H - M.bottom) / 2})` }, 'Beta(t)'));
  root.append(svg('text', { x: M.left, y: 16, 'font-size': 12, 'font-weight': 600 }, term));
  for (const [x, y] of pts) root.append(svg('circle', { cx: sx(x), cy: sy(y), r: 2.5, fill: 'none', stroke: '#555' }));
  if (coef !== null) {
    root.append(svg('line', {
      x1: M.left, x2: W - M.right, y1: sy(coef), y2: sy(coef), stroke: '#0072B2', 'stroke-width': 1.5, 'stroke-dasharray': '6 4', class: 'zph-coef',
    }));
  }
  return root;
}
