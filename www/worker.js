// The Web Worker that reads files and computes: the page never freezes on a large file.
//
// Messages in: { id, op, args }. Messages out: { id, ok: true, result } or { id, ok: false, error,
// detail, fatal }. One Session (one file) lives here at a time; drawing happens on the main thread
// because plotters measures text through the DOM. Workbooks (.xlsx, .xls, .ods) are read by a
// second wasm module, fetched the first time one is opened: most files are CSV, and the
// spreadsheet reader is most of the code.

import init, { Session, capabilities, spreadsheet_kind } from './pkg/survcalc.js';

/** The worker's state (the open file's Session, the spreadsheet module once loaded) and its operations. */
function host() {
  const held = { session: null, sheets: null };

  /** The spreadsheet module, loaded once, on the first workbook. */
  const sheetsModule = () => {
    held.sheets ??= import('./pkg/survcalc_sheets.js').then(async (m) => { await m.default(); return m; })
      .catch((e) => {
        held.sheets = null;
        throw new Error(`the spreadsheet reader of this page did not load (${e?.message ?? e}). Reload the page and try again, or save the sheet as CSV and open that`);
      });
    return held.sheets;
  };

  /** A Session over a file: a workbook's sheet is read by the spreadsheet module, anything else here. */
  const openSession = async (data, name, read) => {
    if (!spreadsheet_kind(data)) return new Session(data, name, read);
    const { read_sheet } = await sheetsModule();
    return Session.from_table(read_sheet(data, read), name);
  };

  const need = () => {
    if (!held.session) throw new Error('no file is open: choose or drop a file first');
    return held.session;
  };

  return {
    async open({ bytes, name, read }) {
      const next = await openSession(new Uint8Array(bytes), name, read ?? null);
      held.session?.free();
      held.session = next;
      return { preview: next.preview(12), profile: next.inspect(), capabilities: capabilities() };
    },
    outcome: (settings) => need().outcome(settings),
    km: (settings) => need().km(settings),
    cox: (settings) => need().cox(settings),
    subgroups: (settings) => need().subgroups(settings),
    table1: (settings) => need().table1(settings),
    table1_defaults: (roles) => need().table1_defaults(roles),
    regression: (settings) => need().regression(settings),
    cif: (settings) => need().cif(settings),
    finegray: (settings) => need().finegray(settings),
    inspect: () => need().inspect(),
    r_script: ({ kind, settings }) => need().r_script(kind, settings),
  };
}

const ready = init();
const ops = host();

self.onmessage = async ({ data: { id, op, args } }) => {
  try {
    await ready;
    const fn = ops[op];
    if (!fn) throw new Error(`unknown operation ${op}`);
    self.postMessage({ id, ok: true, result: await fn(args) });
  } catch (e) {
    // A trap (a Rust panic) leaves the module unusable: the page then starts a fresh worker.
    const fatal = e instanceof WebAssembly.RuntimeError;
    // A core error carries its structure (kind, column, row, hint) for the page to word the fix.
    self.postMessage({ id, ok: false, fatal, error: String(e?.message ?? e), detail: e?.detail ?? null });
  }
};
