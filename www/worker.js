// The Web Worker that reads files and computes: the page never freezes on a large file.
//
// Messages in: { id, op, args }. Messages out: { id, ok: true, result } or { id, ok: false, error }.
// One Session (one file) lives here at a time; drawing happens on the main thread because
// plotters measures text through the DOM.

import init, { Session, capabilities } from './pkg/survcalc.js';

const ready = init();
let session = null;

const ops = {
  async open({ bytes, name, read }) {
    const next = new Session(new Uint8Array(bytes), name, read ?? null);
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
    self.postMessage({ id, ok: false, fatal, error: String(e?.message ?? e) });
  }
};
