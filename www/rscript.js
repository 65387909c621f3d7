// The R script beside each result: a statistician reproduces the numbers with R's own packages.
//
// The core writes the script (Session.r_script, the command line's `--r-script`): it reads the
// data file by its name, as survcalc read it, and holds the analysis's settings, never a row of
// data. A button carries the request its result was computed with (the runner keeps it with the
// answer) and asks for the script with a bubbling event, so a panel stays a function of the state;
// main.js answers the event through the worker (bindRScripts).

import { el } from './views.js';
import { download, slug } from './export.js';

const EVENT = 'survcalc:r-script';

/**
 * The button offering the R script of a result: `kind` is km, cox, cif or table1, `answer` the
 * runner's answer (state.results[job]: its `args` are the settings the result was computed with),
 * `base` the download's name without ".R".
 */
export function rScriptButton(kind, answer, base) {
  return el('button', {
    type: 'button',
    id: `${kind}-r-script`,
    class: 'r-script',
    'data-kind': kind,
    title: 'An R script that reads your file (saved beside it) and reproduces these numbers with R\'s own packages; it holds the file\'s name and these settings, never the data.',
    onclick: (ev) => ev.currentTarget.dispatchEvent(new CustomEvent(EVENT, {
      bubbles: true,
      detail: { kind, settings: answer.args, name: `${slug(base)}.R` },
    })),
  }, 'Download R script');
}

/** Answers the buttons: the core writes the script in the worker, the page offers it as a file; `failed(error)` otherwise. */
export function bindRScripts(call, failed) {
  document.addEventListener(EVENT, async ({ detail }) => {
    try {
      const text = await call('r_script', { kind: detail.kind, settings: detail.settings }, 'Writing the R script…');
      download(new Blob([text], { type: 'text/plain;charset=utf-8' }), detail.name);
    } catch (error) {
      failed(error);
    }
  });
}
