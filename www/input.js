// Section 1, the data: reading a file (drop, pick, paste, example, a link's data), how it is read
// (sheet, delimiter, decimal comma, missing-value codes), and what the core made of it (preview,
// column profiles, warnings); the settings a newly read file starts with.

import { el, previewTable, dataTable, watch, replace } from './views.js';
import { looksLikeIdentifier, guessEndpoint, guessGroup, kindWords, columnSummary } from './roles.js';
import { errorBox } from './hints.js';
import {
  completeSettings, columnsNamed, fileRead, fileFailed, notify, dismiss, setStatus, READ_DEFAULTS,
} from './store.js';

const $ = (id) => document.getElementById(id);

export const EXAMPLE = {
  file: 'gist_simulated.csv',
  endpoints: [
    // PFS: progression or death, whichever came first (first_event holds which, or none); for
    // competing risks, progression is the event of interest and death without progression competes.
    {
      name: 'PFS', source: 'dates', start_date: 'date_surgery', end_date: 'date_progression_or_last', event: 'first_event',
      event_values: ['progression', 'death'], competing: { event_values: ['progression'], competing_values: ['death'] },
    },
    { name: 'OS from surgery', source: 'dates', start_date: 'date_surgery', end_date: 'date_death_or_last', event: 'died' },
    { name: 'OS from drug start', source: 'dates', start_date: 'date_drug_start', end_date: 'date_death_or_last', event: 'died' },
  ].map((e) => ({ time: '', time_unit: 'months', unit: 'months', date_format: 'auto', event_values: [], ...e })),
  active: 0,
  group: 'resection',
  cox: { covariates: ['resection', 'age'], categorical: ['resection'] },
  table1: { variables: ['age', 'sex', 'primary_site', 'kit_mutation', 'metastatic_site'], nonnormal: [] },
};

/** The read settings as the core takes them (empty choices left out: detected). */
export function readArgs(read) {
  return {
    sheet: read.sheet || null,
    delimiter: read.delimiter || null,
    decimal_comma: read.decimal_comma === '' ? null : read.decimal_comma === 'yes',
    missing: read.missing,
  };
}

const isDefaultRead = (read) => Object.entries(READ_DEFAULTS).every(([k, v]) => JSON.stringify(read?.[k] ?? v) === JSON.stringify(v));

/** Reading files into the store through the worker: `open` for a new file, `reread` with other read settings. */
export function createReader(store, call) {
  async function attempt(file, read) {
    const started = performance.now();
    const opened = await call('open', { bytes: file.bytes.slice(0), name: file.name, read: readArgs(read) }, `Reading ${file.label}…`);
    return { opened, ms: performance.now() - started };
  }

  function succeeded(file, { opened, ms }, settings) {
    const { preview } = opened;
    const label = `${file.label[0].toUpperCase()}${file.label.slice(1)}`;
    fileRead(store, {
      file,
      data: opened,
      settings,
      status: `${label}: ${preview.n_rows} rows, ${preview.headers.length} columns (read in ${ms.toFixed(0)} ms).`,
    });
  }

  function failed(file, error) {
    const { file: shown } = store.state;
    fileFailed(store, {
      file,
      error: { message: error.message, detail: error.detail ?? null },
      status: shown ? `Still showing ${shown.label}.` : '',
    });
  }

  /** Reads a new file: with a link's settings if they fit it, the example's, or guesses. */
  async function open(bytes, name, label) {
    const file = { name, label, bytes };
    const { pending } = store.state;
    const read = pending && !pending.damaged ? { ...READ_DEFAULTS, ...pending.read } : { ...READ_DEFAULTS };
    setStatus(store, `Reading ${label}…`);
    let result;
    let readNote = '';
    try {
      result = await attempt(file, read);
    } catch (error) {
      if (isDefaultRead(read)) return failed(file, error);
      // The link's way of reading (its sheet) does not suit this file: read it as detected.
      readNote = `the link reads ${read.sheet ? `sheet “${read.sheet}”` : 'the file in its own way'}, which this file cannot be read with (${error.message})`;
      try {
        result = await attempt(file, { ...READ_DEFAULTS });
      } catch (again) {
        return failed(file, again);
      }
      read.sheet = '';
    }
    const settings = startingSettings(store, result.opened, name, { ...READ_DEFAULTS, ...read }, readNote);
    return succeeded(file, result, settings);
  }

  /** Reads the current file again (or the one that failed) with other read settings, keeping the settings that fit. */
  async function reread(read) {
    const file = store.state.readError?.file ?? store.state.file;
    if (!file) return;
    setStatus(store, `Reading ${file.label} again…`);
    let result;
    try {
      result = await attempt(file, read);
    } catch (error) {
      return failed(file, error);
    }
    const headers = result.opened.preview.headers;
    const current = store.state.settings;
    const missing = columnsNamed(current).filter((c) => !headers.includes(c.column));
    let settings;
    if (store.state.data && !missing.length) settings = { ...current, read };
    else {
      settings = { ...guesses(result.opened), read };
      if (store.state.data) {
        notify(store, {
          id: 'reread', context: 'Columns chosen again',
          text: `read this way, the file has no column ${describeMissing(missing)}; the roles were guessed again.`, controls: [],
        });
      }
    }
    return succeeded(file, result, settings);
  }

  return { open, reread };
}

function describeMissing(missing) {
  return missing.map((c) => `“${c.column}” (${c.role})`).join(', ');
}

function guesses(opened) {
  const endpoint = guessEndpoint(opened.profile);
  const taken = [endpoint.time, endpoint.event, endpoint.start_date, endpoint.end_date];
  return completeSettings({ endpoints: [endpoint], group: guessGroup(opened.profile, taken) });
}

/**
 * Settings for a newly read file: a link's if they fit it (else guesses, with a message naming
 * what did not fit, kept until dismissed), the example's, or guesses.
 */
function startingSettings(store, opened, name, read, readNote) {
  const headers = opened.preview.headers;
  const { pending } = store.state;
  const misfits = (s) => columnsNamed(s).filter((c) => !headers.includes(c.column));
  if (pending && !pending.damaged) {
    const missing = misfits(pending);
    if (!missing.length && !readNote) return { ...completeSettings(pending), read };
    const what = [missing.length ? `this file has no column ${describeMissing(missing)}` : '', readNote].filter(Boolean).join('; and ');
    notify(store, {
      id: 'link', context: 'Link settings not applied',
      text: `${what}. ${missing.length ? 'The columns were guessed instead; open the file the link was made for to use its settings.' : 'The file was read as detected.'}`,
      controls: [],
    });
    if (!missing.length) return { ...completeSettings(pending), read };
  }
  if (name === EXAMPLE.file && !misfits(EXAMPLE).length) return { ...completeSettings(structuredClone(EXAMPLE)), read };
  return { ...guesses(opened), read };
}

// ---- the view ----

/** Renders section 1 from the state: status, messages, the read error, how the file was read, the preview. */
export function watchInput(store, reader) {
  watch(store, (s) => [s.status, s.busy], (s) => {
    $('status').textContent = s.busy ?? s.status;
    $('status').classList.toggle('busy', Boolean(s.busy));
  });
  watch(store, (s) => [s.notices], (s) => replace($('notices'), ...s.notices.map((n) => notice(n, store))));
  watch(store, (s) => [s.pending, s.carried], (s) => restoreNote(s.pending, s.carried));
  watch(store, (s) => [s.readError, s.data, s.settings], (s) => {
    const { readError, data, file } = s;
    const empty = !readError && data?.preview.n_rows === 0;
    $('error').hidden = !readError && !empty;
    if (readError) replace($('error'), errorBox(readError.error, `${readError.file.label} could not be read`, { id: 'read-error', state: s }));
    else if (empty) replace($('error'), errorBox('it has column names but no data rows under them: choose the file (or the sheet) that holds the data', file.label, { id: 'read-error' }));
    else replace($('error'));
  });
  watch(store, (s) => [s.data, s.readError, s.settings.read, s.invalid], (s) => replace($('read-options'), ...readOptions(s, store, reader)));
  watch(store, (s) => [s.data], (s) => preview(s));
}

function notice(n, store) {
  return el('div', { class: 'warn notice', role: 'alert', id: `notice-${n.id}`, 'data-controls': n.controls.join(' ') || null },
    el('p', {}, el('strong', { text: `${n.context}: ` }), n.text),
    el('button', { type: 'button', id: `dismiss-${n.id}`, onclick: () => dismiss(store, n.id) }, 'Dismiss'));
}

function restoreNote(pending, carried) {
  const note = $('restore-note');
  note.hidden = !pending && !carried;
  if (carried) {
    note.textContent = `This link carried its data (“${carried}”): they were read from the link, in this browser.`;
    return;
  }
  if (!pending) return;
  if (pending.damaged) {
    note.textContent = 'The settings in this link could not be read (the link may be cut short). Open a file to start afresh.';
    return;
  }
  const names = (pending.endpoints ?? []).map((e) => e.name).filter(Boolean).join(', ');
  note.textContent = `This link carries settings (${names || 'one endpoint'}${pending.group ? `, groups from “${pending.group}”` : ''}${pending.read?.sheet ? `, sheet “${pending.read.sheet}”` : ''}). `
    + 'The data are never in a link: choose or drop the file they belong to, and the settings are applied.';
}

/** The sheets of the workbook shown or attempted (from its profile, or from the error asking to choose one). */
function sheetsOf(state) {
  const failedSheets = state.readError?.error.detail?.hint?.sheets;
  if (failedSheets) return { sheets: failedSheets, read: null };
  const source = state.data?.profile.source;
  return { sheets: source?.sheets ?? [], read: source?.sheet ?? null };
}

/** How the file is read: the sheet (for a workbook), and the reading choices folded away until needed. */
function readOptions(state, store, reader) {
  const file = state.readError?.file ?? state.file;
  if (!file) return [];
  const read = { ...READ_DEFAULTS, ...state.settings.read };
  const change = (key) => (ev) => reader.reread({ ...read, [key]: ev.target.value });
  const { sheets, read: sheetRead } = sheetsOf(state);
  const workbook = sheets.length > 0;
  const sheet = workbook ? el('label', { class: 'sheet-choice' }, 'Sheet ',
    el('select', { id: 'read-sheet', onchange: change('sheet') },
      sheets.map((n) => el('option', { value: n, text: n, selected: n === (sheetRead ?? read.sheet) }))),
    sheetRead ? el('span', { class: 'muted', text: ` (read: “${sheetRead}”, ${sheets.length} sheet${sheets.length === 1 ? '' : 's'} in the workbook)` }) : null) : null;
  const options = el('details', { id: 'read-details', class: 'read-details' },
    el('summary', { text: 'How the file is read (detected; change only if the preview looks wrong)' }),
    el('div', { class: 'controls' },
      workbook ? null : el('label', { for: 'read-delimiter' }, 'Delimiter', el('select', { id: 'read-delimiter', onchange: change('delimiter') },
        [['', 'detected'], [',', 'comma ,'], [';', 'semicolon ;'], ['tab', 'tab'], ['|', 'pipe |']].map(([v, t]) => el('option', { value: v, text: t, selected: v === read.delimiter })))),
      el('label', { for: 'read-decimal-comma' }, 'Decimal comma (1,5 = 1.5)', el('select', { id: 'read-decimal-comma', onchange: change('decimal_comma') },
        [['', 'detected'], ['yes', 'yes'], ['no', 'no']].map(([v, t]) => el('option', { value: v, text: t, selected: v === read.decimal_comma })))),
      el('label', { for: 'read-missing' }, 'Missing-value codes, besides empty and NA (for example -99, unknown)', el('input', {
        type: 'text', id: 'read-missing', value: read.missing.join(', '), autocomplete: 'off',
        onchange: (ev) => reader.reread({ ...read, missing: ev.target.value.split(',').map((v) => v.trim()).filter(Boolean) }),
      }))));
  return [sheet, options];
}

function preview(state) {
  const { data } = state;
  $('preview-block').hidden = !data;
  if (!data) return;
  const { preview: p, profile } = data;
  const profiles = profile.columns;
  $('preview').replaceChildren(...previewTable(p, profiles));
  $('file-label').textContent = `(first ${p.rows.length} of ${p.n_rows} rows; read as ${howRead(profile)})`;
  const ids = profiles.filter(looksLikeIdentifier);
  const notes = profile.warnings.map((w) => el('p', { class: 'warn', text: w }));
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
}

/** How the core read the file (as `survcalc inspect` says it), so a wrong sheet or delimiter shows. */
function howRead({ source, decimal_comma: decimalComma }) {
  if (source.sheet) return `${source.format} sheet “${source.sheet}”`;
  if (source.delimiter) return `${source.encoding ?? 'UTF-8'} text, delimiter “${source.delimiter}”${decimalComma ? ', decimal comma' : ''}`;
  return source.format;
}

// ---- input events ----

/** Drop, pick, paste and the example; `open(bytes, name, label)` reads a file. */
export function bindInput(store, open) {
  const openFile = async (file) => {
    if (file) await open(await file.arrayBuffer(), file.name, `“${file.name}”`);
  };
  const openText = (text) => open(new TextEncoder().encode(text).buffer, 'pasted.tsv', 'the pasted cells');
  $('file-input').addEventListener('change', (ev) => {
    openFile(ev.target.files[0]);
    ev.target.value = '';
  });
  $('example-button').addEventListener('click', async () => {
    const response = await fetch(`example/${EXAMPLE.file}`);
    if (response.ok) await open(await response.arrayBuffer(), EXAMPLE.file, 'the simulated example (15 made-up patients)');
    else notify(store, { id: 'example', context: 'Example', text: `the example file did not load (HTTP ${response.status}); reload the page.`, controls: [] });
  });
  $('paste-toggle').addEventListener('click', () => {
    const box = $('paste-box');
    box.hidden = !box.hidden;
    $('paste-toggle').setAttribute('aria-expanded', String(!box.hidden));
    if (!box.hidden) $('paste-area').focus();
  });
  $('paste-use').addEventListener('click', () => {
    const text = $('paste-area').value;
    if (text.trim()) openText(text);
  });
  // Cells pasted anywhere outside a text field are read at once.
  document.addEventListener('paste', (ev) => {
    if (ev.target.closest?.('input, textarea, select')) return;
    const text = ev.clipboardData?.getData('text/plain') ?? '';
    if (text.includes('\n') && /[\t,;]/.test(text)) {
      ev.preventDefault();
      openText(text);
    }
  });
  const overlay = $('drop-overlay');
  const drag = { depth: 0 };
  const hasFiles = (ev) => [...(ev.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragenter', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    drag.depth++;
    overlay.hidden = false;
  });
  document.addEventListener('dragover', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    ev.dataTransfer.dropEffect = 'copy';
  });
  document.addEventListener('dragleave', () => {
    drag.depth = Math.max(0, drag.depth - 1);
    if (drag.depth === 0) overlay.hidden = true;
  });
  document.addEventListener('drop', (ev) => {
    ev.preventDefault();
    drag.depth = 0;
    overlay.hidden = true;
    openFile(ev.dataTransfer?.files?.[0]);
  });
}
