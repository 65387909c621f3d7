// The Web Worker that reads files and computes: the page never freezes on a large file.
//
// Messages in: { id, op, args }. Messages out: { id, ok: true, result } or { id, ok: false, error }.
// One Session (one file) lives here at a time; drawing happens on the main thread because
// plotters measures text through the DOM. Workbooks (.xlsx, .xls, .ods) are read by a second
// wasm module, fetched the first time one is opened: most files are CSV, and the spreadsheet
// reader is most of the code.

import init, { Session, capabilities, spreadsheet_kind } from './pkg/survcalc.js';

const ready = init();
let session = null;
let sheets = null;

/** The spreadsheet module, loaded once, on the first workbook. */
function sheetsModule() {
  sheets ??= import('./pkg/survcalc_sheets.js').then(async (m) => { await m.default(); return m; })
    .catch((e) => {
      sheets = null;
      throw new Error(`the spreadsheet reader of this page did not load (${e?.message ?? e}). Reload the page and try again, or save the sheet as CSV and open that`);
    });
  return sheets;
}

/** A Session over a file: a workbook's sheet is read by the spreadsheet module, anything else here. */
async function openSession(data, name, read) {
  if (!spreadsheet_kind(data)) return new Session(data, name, read);
  const { read_sheet } = await sheetsModule();
  return Session.from_table(read_sheet(data, read));
}

const ops = {
  async open({ bytes, name, read }) {
    const next = await openSession(new Uint8Array(bytes), name, read ?? null);
    session?.free();
    session = next;
    return { preview: session.preview(12), profile: session.inspect(), capabilities: capabilities() };
  },
  outcome: (settings) => need().outcome(settings),
  km: (settings) => need().km(settings),
  cox: (settings) => need().cox(settings),
  table1: (settings) => need().table1(settings),
  inspect: () => need().inspect(),
};

function need() {
  if (!session) throw new Error('no file is open: choose or drop a file first');
  return session;
}

self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    await ready;
    const fn = ops[op];
    if (!fn) throw new Error(`unknown operation ${op}`);
    const started = performance.now();
    const result = await fn(args);
    self.postMessage({ id, ok: true, result, ms: performance.now() - started });
  } catch (e) {
    // A trap (a Rust panic) leaves the module unusable: the page then starts a fresh worker.
    const fatal = e instanceof WebAssembly.RuntimeError;
    // A core error carries its structure (kind, column, row, hint) for the page to word the fix.
    self.postMessage({ id, ok: false, fatal, error: String(e?.message ?? e), detail: e?.detail ?? null });
  }
};
