// The figure exporter, a Web Worker started for one file: it loads the export module (PDF writer,
// rasteriser, bundled fonts) and turns a figure's SVG into PDF, TIFF or PNG bytes. The page's own
// module never holds that code, and the page answers while a large TIFF is made.
//
// Message in: { svg, format: 'pdf' | 'tiff' | 'png', dpi }. Out: { ok: true, bytes } or
// { ok: false, error, detail } (detail: the core's structured error).

import init, { export_figure } from './pkg/survcalc_export.js';

self.onmessage = async ({ data: { svg, format, dpi } }) => {
  try {
    await init();
    const bytes = export_figure(svg, format, dpi);
    self.postMessage({ ok: true, bytes }, [bytes.buffer]);
  } catch (e) {
    self.postMessage({ ok: false, error: String(e?.message ?? e), detail: e?.detail ?? null });
  }
};
