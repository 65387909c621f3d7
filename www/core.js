// The page's side of the Web Worker (worker.js): requests by id, a progress label for anything
// slower than 200 ms, and a fresh worker (with the file opened again) after a crash in the core.

/**
 * The worker, started; `onBusy(label | null)` shows the work in progress, `reopen()` gives the
 * request that opens the current file again ({ op, args } or null) after a restart.
 */
export function startCore({ onBusy, reopen }) {
  const waiting = new Map();
  const counter = { next: 1 };
  let worker = start();

  function start() {
    const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    w.onmessage = ({ data }) => settle(data);
    return w;
  }

  function settle(data) {
    const entry = waiting.get(data.id);
    if (!entry) return;
    waiting.delete(data.id);
    clearTimeout(entry.timer);
    onBusy([...waiting.values()].filter((w) => w.shown).at(-1)?.label ?? null);
    if (data.fatal) restart();
    if (data.ok) entry.resolve(data.result);
    else entry.reject(Object.assign(new Error(data.fatal ? `the calculation stopped unexpectedly (${data.error}); this is a fault in survcalc, not in your data. The file was read again so you can go on; please report what you did` : data.error), { detail: data.fatal ? null : data.detail }));
  }

  /** After a crash in the core (a trap leaves the module unusable): a fresh worker, the file opened again. */
  function restart() {
    worker.terminate();
    worker = start();
    const again = reopen();
    if (again) call(again.op, again.args).catch(() => {});
  }

  /** Asks the worker; resolves to the result, or rejects with the core's error (its `detail` the structured error). */
  function call(op, args, label = 'Working…', transfer = []) {
    return new Promise((resolve, reject) => {
      const id = counter.next++;
      const entry = { resolve, reject, label, shown: false };
      entry.timer = setTimeout(() => { entry.shown = true; onBusy(label); }, 200);
      waiting.set(id, entry);
      worker.postMessage({ id, op, args }, transfer);
    });
  }

  return { call };
}
