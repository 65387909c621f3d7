// The page: wires the store (store.js) to the worker (core.js, runner.js) and to the views.
//
// Reading and statistics run in a Web Worker (worker.js); drawing runs here because plotters
// measures text through the DOM. The state lives in one store; every view is drawn from it
// (views.js `watch`) and every control changes it through store.js's functions; the runner asks
// the worker for what the views need. Nothing here keeps state of its own.

import init, * as core from './pkg/survcalc.js';
import { selectTab, tabKeys, watch, replace } from './views.js';
import { linkFor, settingsFromHash, dataPart, dataFromHash, MAX_DATA_CHARS } from './share.js';
import { copyText } from './export.js';
import { createStore, initialState, setSetting, setBusy, setStatus, notify, dismiss } from './store.js';
import { startCore } from './core.js';
import { startRunner } from './runner.js';
import { createReader, bindInput, watchInput, readArgs } from './input.js';
import { outcomeJob, outcomeAccepted, bindRoles, watchRoles } from './endpoints.js';
import { kmJob, endpointsJob, survivalPanel } from './survival.js';
import { coxJob, coxPanel, subgroupJob } from './models.js';
import { table1DefaultsJob, table1Job, table1Panel } from './table1.js';
import { regressionJob, regressionPanel } from './regression.js';
import { cifJob, cifKmJob, cifModelsJob, cifPanel } from './cif.js';
import { bindRScripts } from './rscript.js';
import { figureCoxJob } from './figure.js';

const $ = (id) => document.getElementById(id);

/**
 * The analysis views: each a tab (index.html, data-view), the capability the core must offer,
 * the jobs it needs and its panel, drawn from the state. Another analysis plugs in here.
 */
const VIEWS = [
  { id: 'km', needs: 'km', render: survivalPanel, parts: (s) => [s.results.km, s.results.endpoints, s.results.outcome, s.results.figure_cox] },
  { id: 'cif', needs: 'cif', render: cifPanel, parts: (s) => [s.results.cif, s.results.cifKm, s.results.cifModels, s.results.outcome, s.data] },
  { id: 'cox', needs: 'cox', render: coxPanel, parts: (s) => [s.results.cox, s.results.subgroups, s.data] },
  { id: 'regression', needs: 'regression', render: regressionPanel, parts: (s) => [s.results.regression, s.data] },
  { id: 'table1', needs: 'table1', render: table1Panel, parts: (s) => [s.results.table1, s.results.table1_defaults, s.data] },
];
const JOBS = [outcomeJob, kmJob, endpointsJob, cifJob, cifKmJob, cifModelsJob, coxJob, regressionJob, table1DefaultsJob, table1Job, figureCoxJob, subgroupJob];

/** The view shown: the one chosen, if this core offers it. */
function shownView(state) {
  const offered = state.data?.capabilities ?? [];
  const chosen = VIEWS.find((v) => v.id === state.settings.view && offered.includes(v.needs));
  return chosen ? chosen.id : 'km';
}

function watchViews(store) {
  watch(store, (s) => [s.data, s.settings.view], (s) => {
    const view = shownView(s);
    for (const button of document.querySelectorAll('#view-tabs button')) {
      button.hidden = !(s.data?.capabilities ?? []).includes(VIEWS.find((v) => v.id === button.dataset.view)?.needs);
      selectTab(button, button.dataset.view === view);
    }
    for (const v of VIEWS) $(`panel-${v.id}`).hidden = v.id !== view;
  });
  for (const v of VIEWS) {
    watch(store, (s) => (shownView(s) === v.id && outcomeAccepted(s) ? [s.settings, s.invalid, ...v.parts(s)] : [null]), (s) => {
      if (shownView(s) === v.id && outcomeAccepted(s)) replace($(`panel-${v.id}`), ...v.render(s, store));
    });
  }
  for (const button of document.querySelectorAll('#view-tabs button')) {
    button.addEventListener('click', () => setSetting(store, ['view'], button.dataset.view));
  }
}

/**
 * After every change: the controls that the errors shown ask to change are highlighted
 * (and marked invalid for assistive technology); a folded section holding one is opened.
 */
function watchAttention(store) {
  store.subscribe(() => {
    for (const node of document.querySelectorAll('.attention')) {
      node.classList.remove('attention');
      if (node.dataset.invalidByHint) {
        node.removeAttribute('aria-invalid');
        delete node.dataset.invalidByHint;
      }
    }
    const shown = [...document.querySelectorAll('[data-controls]')].filter((box) => box.getClientRects().length > 0);
    for (const box of shown) {
      for (const id of box.dataset.controls.split(' ').filter(Boolean)) {
        const control = $(id);
        if (!control) continue;
        control.classList.add('attention');
        if (!control.hasAttribute('aria-invalid')) {
          control.setAttribute('aria-invalid', 'true');
          control.dataset.invalidByHint = 'true';
        }
        const folded = control.closest('details');
        if (folded) folded.open = true;
      }
    }
  });
}

function bindShare(store) {
  $('share-data').addEventListener('change', (ev) => {
    $('share-warning').hidden = !ev.target.checked;
    $('share-note').hidden = ev.target.checked;
  });
  $('copy-link').addEventListener('click', async () => {
    const { settings, file } = store.state;
    if (!file) return;
    let data = '';
    if ($('share-data').checked) {
      data = await dataPart(new Uint8Array(file.bytes), file.name);
      if (data.length > MAX_DATA_CHARS) {
        notify(store, {
          id: 'link-size', context: 'Link',
          text: `the file compresses to ${Math.round(data.length / 1000)} thousand characters, too long for a link (at most ${MAX_DATA_CHARS / 1000} thousand); share the settings only and send the file separately.`,
          controls: ['share-data'],
        });
        return;
      }
    }
    dismiss(store, 'link-size');
    const link = linkFor(settings, data);
    history.replaceState(null, '', link);
    const ok = await copyText(link);
    setStatus(store, ok ? `Link copied (${data ? 'settings and data' : 'settings only; whoever opens it is asked for the file'}).` : `Link: ${link}`);
  });
}

/**
 * The hosted page keeps working offline after its first visit (sw.js keeps the page's own files);
 * a page opened from disk (the single-file copy) needs no worker for that and cannot register one.
 */
function keepOffline() {
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  navigator.serviceWorker.register('sw.js').catch(() => {
    // Without it the page works as before, only not offline.
  });
}

async function main() {
  await init();
  $('version').textContent = core.version();
  const store = createStore(initialState());
  const worker = startCore({
    onBusy: (label) => setBusy(store, label),
    reopen: () => {
      const { file, settings } = store.state;
      return file ? { op: 'open', args: { bytes: file.bytes.slice(0), name: file.name, read: readArgs(settings.read) } } : null;
    },
  });
  const call = (op, args, label) => worker.call(op, args, label);
  const reader = createReader(store, call);
  watchInput(store, reader);
  watchRoles(store);
  watchViews(store);
  watchAttention(store);
  startRunner(store, call, JOBS);
  bindInput(store, reader.open);
  bindRoles(store);
  bindShare(store);
  bindRScripts(call, (error) => notify(store, { id: 'r-script', context: 'R script', text: error.message, controls: [] }));
  tabKeys($('endpoint-tabs'));
  tabKeys($('view-tabs'));
  const pending = settingsFromHash();
  if (pending) store.set(['pending'], pending);
  document.documentElement.dataset.ready = 'true';
  keepOffline();
  const carried = pending && !pending.damaged ? await dataFromHash().catch(() => null) : null;
  if (carried) {
    await reader.open(carried.bytes, carried.name, `“${carried.name}” (from the link)`);
    store.set(['carried'], carried.name);
  }
}

main();
