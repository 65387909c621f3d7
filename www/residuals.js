// The residual plot of a linear model: each row's residual against its fitted value, zero as a
// dashed line, drawn on a canvas from the core's numbers (a canvas rather than SVG elements: a
// model may have a million rows). R's plot.lm adds a lowess smooth; none is drawn here, since
// the core does not compute one and the page computes no statistics (the caption says so).

import { ticks } from './zph.js';

const W = 480;
const H = 340;
const M = { left: 60, right: 14, top: 14, bottom: 46 };
/** Beyond this many points, small translucent dots instead of circles, so dense areas show as dark. */
const DENSE = 2000;

/** Axis values as written on a tick: no float noise (0.30000000000000004), minus as a real minus. */
function tickLabel(t) {
  return String(+t.toPrecision(10)).replace('-', '−');
}

/**
 * The plot as a <canvas> (CSS size W x H, drawn at the screen's pixel ratio), with a text
 * alternative; `residuals` are the core's { row, fitted, residual }, `outcome` the column modelled.
 */
export function residualPlot(residuals, outcome, { ratio = globalThis.devicePixelRatio || 1 } = {}) {
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(W * ratio);
  canvas.height = Math.round(H * ratio);
  canvas.style.width = `${W}px`;
  canvas.id = 'reg-residual-plot';
  canvas.className = 'residual-plot';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `Residuals of the linear model for ${outcome} against its fitted values, ${residuals.length} rows, with zero as a dashed line`);
  const ctx = canvas.getContext('2d');
  if (!ctx || !residuals.length) return canvas;
  ctx.scale(ratio, ratio);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const range = (values) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
    const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
    return [lo - pad, hi + pad];
  };
  const [x0, x1] = range(residuals.map((r) => r.fitted));
  const [y0, y1] = range([...residuals.map((r) => r.residual), 0]);
  const sx = (x) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const sy = (y) => H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  axes(ctx, { x0, x1, y0, y1, sx, sy }, outcome);
  ctx.save();
  ctx.beginPath();
  ctx.rect(M.left, M.top, W - M.left - M.right, H - M.top - M.bottom);
  ctx.clip();
  ctx.strokeStyle = '#0072B2';
  ctx.lineWidth = 1.5;
  ctx.setLineDash([6, 4]);
  ctx.beginPath();
  ctx.moveTo(M.left, sy(0));
  ctx.lineTo(W - M.right, sy(0));
  ctx.stroke();
  ctx.setLineDash([]);
  points(ctx, residuals, sx, sy);
  ctx.restore();
  return canvas;
}

function points(ctx, residuals, sx, sy) {
  if (residuals.length > DENSE) {
    ctx.fillStyle = 'rgba(40, 40, 40, 0.25)';
    for (const r of residuals) ctx.fillRect(sx(r.fitted) - 1, sy(r.residual) - 1, 2, 2);
    return;
  }
  ctx.strokeStyle = '#444';
  ctx.lineWidth = 1;
  for (const r of residuals) {
    ctx.beginPath();
    ctx.arc(sx(r.fitted), sy(r.residual), 2.5, 0, 2 * Math.PI);
    ctx.stroke();
  }
}

function axes(ctx, { x0, x1, y0, y1, sx, sy }, outcome) {
  ctx.strokeStyle = '#333';
  ctx.fillStyle = '#222';
  ctx.lineWidth = 1;
  ctx.font = '11px system-ui, sans-serif';
  ctx.beginPath();
  ctx.moveTo(M.left, M.top);
  ctx.lineTo(M.left, H - M.bottom);
  ctx.lineTo(W - M.right, H - M.bottom);
  for (const t of ticks(x0, x1)) { ctx.moveTo(sx(t), H - M.bottom); ctx.lineTo(sx(t), H - M.bottom + 4); }
  for (const t of ticks(y0, y1, 6)) { ctx.moveTo(M.left - 4, sy(t)); ctx.lineTo(M.left, sy(t)); }
  ctx.stroke();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of ticks(x0, x1)) ctx.fillText(tickLabel(t), sx(t), H - M.bottom + 6);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of ticks(y0, y1, 6)) ctx.fillText(tickLabel(t), M.left - 6, sy(t));
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(`Fitted value of ${outcome}`, (M.left + W - M.right) / 2, H - 8);
  ctx.save();
  ctx.translate(14, (M.top + H - M.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('Residual (observed − fitted)', 0, 0);
  ctx.restore();
}
