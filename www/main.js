// The page: reads a file (drop, pick, paste, example), lets the user set roles, shows the results.
//
// Reading and statistics run in a Web Worker (worker.js); drawing runs here because plotters
// measures text through the DOM. All state that a share link carries lives in `settings`.

import init, * as core from './pkg/survcalc.js';
import { looksLikeIdentifier, guessEndpoint, guessGroup, kindWords, columnSummary } from './roles.js';
import { el, previewTable, exclusions, dataTable, tabKeys, selectTab } from './views.js';
import { linkFor, settingsFromHash, dataPart, dataFromHash, MAX_DATA_CHARS } from './share.js';
import { copyText } from './export.js';
import { describeError } from './hints.js';
import { survivalView } from './survival.js';
import { coxView, table1View } from './models.js';

const $ = (id) => document.getElementById(id);

const EXAMPLE = {
  file: 'gist_simulated.csv',
  endpoints: [
    { name: 'PFS', source: 'dates', start_date: 'date_surgery', end_date: 'date_progression_or_last', event: 'progressed' },
    { name: 'OS from surgery', source: 'dates', start_date: 'date_surgery', end_date: 'date_death_or_last', event: 'died' },
    { name: 'OS from drug start', source: 'dates', start_date: 'date_drug_start', end_date: 'date_death_or_last', event: 'died' },
  ].map((e) => ({ time: '', time_unit: 'months', unit: 'months', date_format: 'auto', event_values: [], ...e })),
  active: 0,
  group: 'resection',
  cox: { covariates: ['resection', 'age'], categorical: ['resection'] },
  table1: { variables: ['age', 'sex', 'primary_site', 'kit_mutation', 'metastatic_site'], nonnormal: [] },
};

const state = {
  file: null,
  preview: null,
  profiles: [],
  capabilities: [],
  settings: null,
  pending: settingsFromHash(),
  run: 0,
};

// ---- the worker, with a progress indication for anything slower than 200 ms ----

const waiting = new Map();
let nextId = 1;
let busyCount = 0;
let worker = startWorker();

function startWorker() {
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  w.onmessage = ({ data }) => {
    const entry = waiting.get(data.id);
    if (!entry) return;
    waiting.delete(data.id);
    clearTimeout(entry.timer);
    if (--busyCount === 0) $('status').classList.remove('busy');
    if (data.fatal) restartWorker();
    if (data.ok) entry.resolve(data.result);
    else entry.reject(Object.assign(new Error(data.fatal ? `the calculation stopped unexpectedly (${data.error}); this is a fault in survcalc, not in your data. The file was read again so you can go on; please report what you did` : data.error), { detail: data.fatal ? null : data.detail }));
  };
  return w;
}

/** After a crash in the core: a fresh worker, with the current file opened again. */
function restartWorker() {
  worker.terminate();
  worker = startWorker();
  if (state.file) call('open', { bytes: state.file.bytes.slice(0), name: state.file.name }).catch(() => {});
}

function call(op, args, transfer = [], label = 'Working…') {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    busyCount++;
    const timer = setTimeout(() => {
      $('status').classList.add('busy');
      $('status').textContent = label;
    }, 200);
    waiting.set(id, { resolve, reject, timer });
    worker.postMessage({ id, op, args }, transfer);
  });
}

// ---- messages ----

/** An error's text: a core error's structure worded as the page's controls, else its message. */
function errorText(error) {
  if (typeof error === 'string') return { text: error, controls: [] };
  return describeError(error?.message ?? String(error), error?.detail);
}

/** Shows an error (a core error, or a message) and highlights the controls it asks to change. */
function showError(error, context) {
  const { text, controls } = errorText(error);
  const box = $('error');
  box.replaceChildren(el('strong', { text: context ? `${context}: ` : '' }), text);
  box.hidden = false;
  for (const id of controls) $(id)?.classList.add('attention');
}

function clearError() {
  $('error').hidden = true;
  $('error').replaceChildren();
  for (const node of document.querySelectorAll('.attention')) node.classList.remove('attention');
}

function setStatus(text) {
  $('status').textContent = text;
}

// ---- reading a file ----

async function openBytes(bytes, name, label) {
  clearError();
  const kept = bytes.slice(0);
  setStatus(`Reading ${label}…`);
  const started = performance.now();
  let opened;
  try {
    opened = await call('open', { bytes, name }, [bytes], `Reading ${label}…`);
  } catch (e) {
    setStatus(state.file ? `Still showing ${state.file.label}.` : '');
    showError(e, `${label} could not be read`);
    return;
  }
  state.file = { name, label, bytes: kept };
  state.preview = opened.preview;
  state.capabilities = opened.capabilities;
  state.profile = opened.profile;
  state.profiles = opened.profile.columns;
  state.settings = chooseSettings(name);
  const ms = performance.now() - started;
  setStatus(`${label[0].toUpperCase()}${label.slice(1)}: ${opened.preview.n_rows} rows, ${opened.preview.headers.length} columns (read in ${ms.toFixed(0)} ms).`);
  renderPreview();
  renderRoles();
  if (opened.preview.n_rows === 0) {
    $('outcome').replaceChildren();
    $('results').hidden = true;
    showError('it has column names but no data rows under them', label);
    return;
  }
  await analyse();
}

/** Settings for a newly opened file: those of a share link if they fit, the example's, or guesses. */
function chooseSettings(name) {
  const headers = state.preview.headers;
  const fits = (s) => s && !s.damaged && columnsOf(s).every((c) => headers.includes(c));
  if (state.pending) {
    const pending = state.pending;
    state.pending = null;
    $('restore-note').hidden = true;
    if (fits(pending)) return withDefaults(pending);
    showError(`the settings in the link name columns that are not in this file (${columnsOf(pending).filter((c) => !headers.includes(c)).join(', ')}); they were replaced by guesses`, 'Link settings not applied');
  }
  if (name === EXAMPLE.file && fits(EXAMPLE)) return withDefaults(structuredClone(EXAMPLE));
  const endpoint = guessEndpoint(state.profile);
  const taken = [endpoint.time, endpoint.event, endpoint.start_date, endpoint.end_date];
  return withDefaults({ endpoints: [endpoint], active: 0, group: guessGroup(state.profile, taken) });
}

function withDefaults(settings) {
  return { active: 0, group: '', strata: '', ...settings, file: undefined };
}

function columnsOf(settings) {
  const cols = [settings.group, settings.strata];
  for (const e of settings.endpoints ?? []) {
    cols.push(e.event, ...(e.source === 'dates' ? [e.start_date, e.end_date] : [e.time]));
  }
  return cols.filter(Boolean);
}

async function openFile(file) {
  if (!file) return;
  const bytes = await file.arrayBuffer();
  await openBytes(bytes, file.name, `“${file.name}”`);
}

async function openText(text, label) {
  const bytes = new TextEncoder().encode(text).buffer;
  await openBytes(bytes, 'pasted.tsv', label);
}

async function openExample() {
  const response = await fetch(`example/${EXAMPLE.file}`);
  if (!response.ok) {
    showError(`the example file did not load (HTTP ${response.status})`, 'Example');
    return;
  }
  await openBytes(await response.arrayBuffer(), EXAMPLE.file, 'the simulated example (15 made-up patients)');
}

// ---- preview and roles ----

function renderPreview() {
  const { preview, profiles } = state;
  $('preview').replaceChildren(...previewTable(preview, profiles));
  $('file-label').textContent = `(first ${preview.rows.length} of ${preview.n_rows} rows; read as ${howRead(state.profile)})`;
  const ids = profiles.filter(looksLikeIdentifier);
  const notes = [];
  for (const w of state.profile.warnings) notes.push(el('p', { class: 'warn', text: w }));
  if (ids.length) {
    notes.push(el('p', { class: 'note', text: `Not offered for analysis because ${ids.length === 1 ? 'it may identify a patient' : 'they may identify patients'}: ${ids.map((c) => `“${c.name}” (${c.identifier})`).join('; ')}.` }));
  }
  $('warnings').replaceChildren(...notes);
  const table = {
    head: ['Column', 'Holds', 'Missing', 'Distinct values', 'Range or commonest values', 'Notes'],
    body: profiles.map((c) => [`${c.letter}: ${c.name}`, kindWords(c), String(c.missing), String(c.distinct),
      columnSummary(c), [c.event_coding ? `as event: ${c.event_coding}` : '', ...c.problems].filter(Boolean).join('; ')]),
    numeric: [2, 3],
  };
  $('profiles').replaceChildren(dataTable(table, { id: 'profile-table' }));
  $('preview-block').hidden = false;
}

/** How the core read the file (as `survcalc inspect` says it), so a wrong sheet or delimiter shows. */
function howRead({ source, decimal_comma: decimalComma }) {
  if (source.sheet) return `${source.format} sheet “${source.sheet}”`;
  if (source.delimiter) return `${source.encoding ?? 'UTF-8'} text, delimiter “${source.delimiter}”${decimalComma ? ', decimal comma' : ''}`;
  return source.format;
}

function options(select, names, chosen, emptyLabel) {
  select.replaceChildren(
    ...(emptyLabel ? [el('option', { value: '', text: emptyLabel })] : []),
    ...names.map((n) => el('option', { value: n, text: n })),
  );
  select.value = names.includes(chosen) ? chosen : '';
}

function endpoint() {
  return state.settings.endpoints[state.settings.active];
}

function renderRoles() {
  const { settings, preview } = state;
  const headers = preview.headers;
  const tabs = settings.endpoints.map((e, i) => {
    const tab = el('button', {
      type: 'button', role: 'tab', id: `endpoint-tab-${i}`, 'aria-controls': 'endpoint-panel', text: e.name || `Endpoint ${i + 1}`,
      onclick: () => { settings.active = i; renderRoles(); analyse(); },
    });
    selectTab(tab, i === settings.active);
    return tab;
  });
  $('endpoint-tabs').replaceChildren(...tabs);
  $('endpoint-panel').setAttribute('aria-labelledby', `endpoint-tab-${settings.active}`);
  const e = endpoint();
  $('ep-name').value = e.name;
  $('src-column').checked = e.source !== 'dates';
  $('src-dates').checked = e.source === 'dates';
  options($('ep-time'), headers, e.time, '(choose)');
  options($('ep-start'), headers, e.start_date, '(choose)');
  options($('ep-end'), headers, e.end_date, '(choose)');
  options($('ep-event'), headers, e.event, '(choose)');
  options($('group'), headers, settings.group, '(none: one group)');
  options($('strata'), headers, settings.strata, '(none)');
  $('ep-unit').value = e.unit;
  $('ep-time-unit').value = e.time_unit;
  $('ep-date-format').value = e.date_format;
  $('ep-event-values').value = e.event_values.join(', ');
  for (const node of document.querySelectorAll('[data-source]')) {
    node.hidden = node.dataset.source !== (e.source === 'dates' ? 'dates' : 'column');
  }
  $('ep-remove').disabled = settings.endpoints.length < 2;
  $('roles').hidden = false;
}

function bindRoles() {
  const update = (fn) => () => { fn(endpoint()); renderRoles(); analyse(); };
  $('ep-name').addEventListener('change', update((e) => { e.name = $('ep-name').value.trim(); }));
  $('src-column').addEventListener('change', update((e) => { e.source = 'column'; }));
  $('src-dates').addEventListener('change', update((e) => { e.source = 'dates'; }));
  $('ep-time').addEventListener('change', update((e) => { e.time = $('ep-time').value; }));
  $('ep-time-unit').addEventListener('change', update((e) => { e.time_unit = $('ep-time-unit').value; }));
  $('ep-start').addEventListener('change', update((e) => { e.start_date = $('ep-start').value; }));
  $('ep-end').addEventListener('change', update((e) => { e.end_date = $('ep-end').value; }));
  $('ep-unit').addEventListener('change', update((e) => { e.unit = $('ep-unit').value; }));
  $('ep-date-format').addEventListener('change', update((e) => { e.date_format = $('ep-date-format').value; }));
  $('ep-event').addEventListener('change', update((e) => { e.event = $('ep-event').value; e.event_values = []; }));
  $('ep-event-values').addEventListener('change', update((e) => {
    e.event_values = $('ep-event-values').value.split(',').map((v) => v.trim()).filter(Boolean);
  }));
  $('group').addEventListener('change', () => { state.settings.group = $('group').value; analyse(); });
  $('strata').addEventListener('change', () => { state.settings.strata = $('strata').value; analyse(); });
  $('ep-add').addEventListener('click', () => {
    const copy = structuredClone(endpoint());
    copy.name = `Endpoint ${state.settings.endpoints.length + 1}`;
    state.settings.endpoints.push(copy);
    state.settings.active = state.settings.endpoints.length - 1;
    renderRoles();
    $('ep-name').focus();
    analyse();
  });
  $('ep-remove').addEventListener('click', () => {
    if (state.settings.endpoints.length < 2) return;
    state.settings.endpoints.splice(state.settings.active, 1);
    state.settings.active = Math.max(0, state.settings.active - 1);
    renderRoles();
    analyse();
  });
}

/** The outcome settings the core takes, for the active endpoint. */
function outcomeSettings(e = endpoint()) {
  const dates = e.source === 'dates';
  return {
    time: dates ? null : e.time || null,
    start_date: dates ? e.start_date || null : null,
    end_date: dates ? e.end_date || null : null,
    unit: e.unit,
    date_format: e.date_format,
    event: e.event,
    event_values: e.event_values,
    group: state.settings.group || null,
    strata: state.settings.strata || null,
  };
}

/** The unit follow-up time is in, for axis titles and tables; "" when the user left it unspecified. */
function timeUnit(e = endpoint()) {
  return (e.source === 'dates' ? e.unit : e.time_unit) ?? '';
}

// ---- analysis ----

async function analyse() {
  const run = ++state.run;
  clearError();
  const e = endpoint();
  const missing = e.source === 'dates' ? !e.start_date || !e.end_date : !e.time;
  if (missing || !e.event) {
    $('outcome').replaceChildren(el('p', { class: 'note', text: 'Choose the time (or the two dates) and the event column to see results.' }));
    $('results').hidden = true;
    return;
  }
  let summary;
  try {
    summary = await call('outcome', outcomeSettings(), [], 'Checking the columns…');
  } catch (err) {
    if (run !== state.run) return;
    $('outcome').replaceChildren();
    $('results').hidden = true;
    showError(err, `${e.name || 'This endpoint'}`);
    return;
  }
  if (run !== state.run) return;
  $('outcome').replaceChildren(
    el('p', {}, `${e.name}: ${summary.n} patients used, ${summary.events} events (${summary.coding})`
      + (summary.groups.length ? `; groups: ${summary.groups.join(', ')}.` : '.')),
    exclusions(summary.excluded),
  );
  $('results').hidden = false;
  const ctx = {
    call, refresh: analyse, run, isCurrent: () => run === state.run, state, outcome: outcomeSettings(),
    groups: summary.groups, outcomeFor: outcomeSettings, unit: timeUnit(), unitOf: timeUnit, endpoint: e, showError, errorText, capabilities: state.capabilities, candidates: candidates(),
  };
  await survivalView(ctx);
  if (run !== state.run) return;
  showView(ctx);
}

/** Columns that may be covariates or characteristics: not the endpoint's own, not identifiers, not dates. */
function candidates() {
  const used = new Set(state.settings.endpoints.flatMap((e) => [e.time, e.start_date, e.end_date, e.event]));
  const analysable = ['integer', 'number', 'yes-no', 'category'];
  return state.profiles.filter((c) => !used.has(c.name) && !looksLikeIdentifier(c) && analysable.includes(c.kind))
    .map((c) => c.name);
}

/** Shows the chosen analysis tab; Cox and Table 1 are computed only when shown. */
function showView(ctx) {
  const view = state.capabilities.includes(state.settings.view) ? state.settings.view : 'km';
  for (const button of document.querySelectorAll('#view-tabs button')) {
    button.hidden = !state.capabilities.includes(button.dataset.view);
    selectTab(button, button.dataset.view === view);
    button.onclick = () => { state.settings.view = button.dataset.view; showView(ctx); };
  }
  for (const name of ['km', 'cox', 'table1']) $(`panel-${name}`).hidden = name !== view;
  if (view === 'cox') coxView(ctx, $('panel-cox'));
  if (view === 'table1') table1View(ctx, $('panel-table1'));
}

// ---- input events ----

function bindInput() {
  $('file-input').addEventListener('change', (ev) => {
    openFile(ev.target.files[0]);
    ev.target.value = '';
  });
  $('example-button').addEventListener('click', openExample);
  $('paste-toggle').addEventListener('click', () => {
    const box = $('paste-box');
    box.hidden = !box.hidden;
    $('paste-toggle').setAttribute('aria-expanded', String(!box.hidden));
    if (!box.hidden) $('paste-area').focus();
  });
  $('paste-use').addEventListener('click', () => {
    const text = $('paste-area').value;
    if (text.trim()) openText(text, 'the pasted cells');
  });
  // Cells pasted anywhere outside a text field are read at once.
  document.addEventListener('paste', (ev) => {
    if (ev.target.closest?.('input, textarea, select')) return;
    const text = ev.clipboardData?.getData('text/plain') ?? '';
    if (text.includes('\n') && /[\t,;]/.test(text)) {
      ev.preventDefault();
      openText(text, 'the pasted cells');
    }
  });
  let depth = 0;
  const overlay = $('drop-overlay');
  const hasFiles = (ev) => [...(ev.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragenter', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    depth++;
    overlay.hidden = false;
  });
  document.addEventListener('dragover', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    ev.dataTransfer.dropEffect = 'copy';
  });
  document.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) overlay.hidden = true;
  });
  document.addEventListener('drop', (ev) => {
    ev.preventDefault();
    depth = 0;
    overlay.hidden = true;
    openFile(ev.dataTransfer?.files?.[0]);
  });
  $('share-data').addEventListener('change', (ev) => {
    $('share-warning').hidden = !ev.target.checked;
    $('share-note').hidden = ev.target.checked;
  });
  $('copy-link').addEventListener('click', async () => {
    if (!state.settings) return;
    let data = '';
    if ($('share-data').checked) {
      data = await dataPart(new Uint8Array(state.file.bytes), state.file.name);
      if (data.length > MAX_DATA_CHARS) {
        showError(`the file compresses to ${Math.round(data.length / 1000)} thousand characters, too long for a link (at most ${MAX_DATA_CHARS / 1000} thousand); share the settings only and send the file separately`, 'Link');
        return;
      }
    }
    const link = linkFor(state.settings, data);
    history.replaceState(null, '', link);
    const ok = await copyText(link);
    setStatus(ok ? `Link copied (${data ? 'settings and data' : 'settings only; whoever opens it is asked for the file'}).` : `Link: ${link}`);
  });
}

async function announcePending() {
  const pending = state.pending;
  if (!pending) return;
  const note = $('restore-note');
  note.hidden = false;
  if (pending.damaged) {
    note.textContent = 'The settings in this link could not be read (the link may be cut short). Open a file to start afresh.';
    state.pending = null;
    return;
  }
  const carried = await dataFromHash().catch(() => null);
  if (carried) {
    await openBytes(carried.bytes, carried.name, `“${carried.name}” (from the link)`);
    note.textContent = `This link carried its data (“${carried.name}”): they were read from the link, in this browser.`;
    note.hidden = false;
    return;
  }
  const names = (pending.endpoints ?? []).map((e) => e.name).filter(Boolean).join(', ');
  note.textContent = `This link carries settings (${names || 'one endpoint'}${pending.group ? `, groups from “${pending.group}”` : ''}). `
    + 'The data are never in a link: choose or drop the file they belong to, and the settings are applied.';
}

async function main() {
  await init();
  $('version').textContent = core.version();
  bindInput();
  bindRoles();
  tabKeys($('endpoint-tabs'));
  tabKeys($('view-tabs'));
  document.documentElement.dataset.ready = 'true';
  await announcePending();
}

main();
