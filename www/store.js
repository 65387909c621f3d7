// The page's state in one place: one store, changed only through the functions below, read by
// views that are functions of it (a view never keeps state of its own and never mutates this).
//
// The store
//   const store = createStore(initialState())
//   store.state              the current state; plain objects, frozen (settings deeply): never mutate it
//   store.subscribe(fn)      fn(state, previous) after every change, in the order subscribed; returns an
//                            unsubscribe function. Changes copy only the objects along the changed path,
//                            so `previous.settings.km !== state.settings.km` says exactly what changed.
//   store.set(path, value)   replaces the value at a path (['settings', 'km', 'conf_type']); undefined removes it
//   store.update(fn)         fn(state) -> the next state, for several changes in one notification
//
// One settings store per endpoint
//   endpointStore(store, id) the settings of one endpoint (its id; the active one when omitted):
//                            { id, get(), set(key, value) }, so an endpoint's view never touches another's
//
// The state
//   settings    what a share link carries, never data (defaultSettings(), endpointDefaults()):
//     version, read {sheet, delimiter, decimal_comma, missing}, group, strata, view, active (an endpoint id),
//     endpoints [{ id, name, source, time, time_unit, start_date, end_date, unit, date_format, event,
//                  event_values, competing, at, tau, time_step, x_max, title, exact, resamples, seed, spss_means,
//                  y_label, display_unit }]
//                                                                     (at, tau in the endpoint's unit; time_step, x_max
//                                                                     in the figure's: display_unit, else the endpoint's;
//                  competing: the event column's codes for competing risks, { event_values, competing_values },
//                  null while the page's guess from the codes stands, cif.js)
//     km {conf_type, conf_level, pairwise, trend, fh, fh_p, fh_q}    conventions shared by every endpoint
//     plot {curve, percent, conf_bands, ...}                         the figure's look, shared by every endpoint
//     levels {[group column]: {labels, order, reference, colors}}     a group column's levels as the reader sees
//                  them (levelSettings, figure.js): names, order, the reference of comparisons, colours
//     cox {covariates, categorical, numeric, per, firth, overall, subgroups} | null       (models.js; null: the defaults)
//     table1 {variables, categorical, continuous, nonnormal, percent, yates, smd, decimals, percent_decimals} | null
//                                                                    (table1.js; null: the core's defaults)
//     regression {outcome, family, event_values, covariates, categorical, reference {column: level}, firth} | null
//   file        { name, label, bytes, generation } of the file read (or being read); bytes never leave the page
//   data        { preview, profile, capabilities }: what the core made of it; null while none is readable
//   readError   when the last file could not be read: { error: { message, detail }, file }, else null
//               (`file` the attempt, so its read options can be changed; `data` still shows the last good one)
//   pending     settings from a link, waiting for the file they belong to (null once applied)
//   carried     the name of the file a link carried, while it is the one shown
//   results     { [job]: { key, context, value } | { key, context, error } }: the worker's answers (runner.js)
//   notices     [{ id, context, text, controls }]: messages kept until the user dismisses them
//   invalid     { [control id]: { text, message } }: input the page refused, shown at its control
//   status, busy  the status line: the last thing done, and the work in progress (a label) if any
//
// Plugging in an analysis view (competing risks, regression, exact tests, figures)
//   1. its settings: a key under `settings` (null = defaults computed from the data, as cox and table1),
//      changed with setSetting(store, ['myview', 'option'], value); per-endpoint options go in the
//      endpoint (endpointStore(store).set(key, value)), in the endpoint's unit when they are times;
//   2. its worker requests: a job { name, request(state) -> { op, args, label, context } | [..] | null }
//      added to the runner's list in main.js (runner.js says how results and staleness work);
//   3. its panel: a tab in index.html (data-view) and a render(state, actions) -> nodes built only
//      from `state` (its result under state.results[name]), registered in main.js's VIEWS;
//   4. its controls: ids, and the hint words for them in hints.js (CONTROLS), so errors highlight them.

/** The store: the state, its subscribers, and changes by path. */
export function createStore(initial) {
  let state = freezeState(initial);
  const subscribers = [];
  const commit = (next) => {
    const previous = state;
    state = next;
    for (const fn of [...subscribers]) fn(state, previous);
  };
  return {
    get state() { return state; },
    subscribe(fn) {
      subscribers.push(fn);
      return () => subscribers.splice(subscribers.indexOf(fn), 1);
    },
    set(path, value) { commit(setIn(state, path, value, LARGE.includes(path[0]) ? freezeTop : freezeDeep)); },
    update(fn) { commit(freezeState(fn(state))); },
  };
}

/** Parts of the state that may be large (a million-row curve, the file's bytes): frozen one level only. */
const LARGE = ['file', 'data', 'results', 'readError'];

/** A copy of `object` with `value` at `path` (frozen by `freeze`), sharing everything off the path. */
function setIn(object, path, value, freeze) {
  if (!path.length) return freeze(value);
  const [key, ...rest] = path;
  const copy = Array.isArray(object) ? [...object] : { ...object };
  if (rest.length === 0 && value === undefined) {
    if (Array.isArray(copy)) copy.splice(key, 1);
    else delete copy[key];
  } else {
    copy[key] = setIn(object?.[key] ?? (typeof rest[0] === 'number' ? [] : {}), rest, value, freeze);
  }
  return Object.freeze(copy);
}

function freezeState(state) {
  for (const [key, value] of Object.entries(state)) (LARGE.includes(key) ? freezeTop : freezeDeep)(value);
  return Object.freeze(state);
}

function freezeTop(value) {
  return value !== null && typeof value === 'object' && !isBinary(value) ? Object.freeze(value) : value;
}

/** Freezes plain objects and arrays deeply (a frozen object's parts are frozen already). */
function freezeDeep(value) {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || isBinary(value)) return value;
  Object.freeze(value);
  for (const part of Object.values(value)) freezeDeep(part);
  return value;
}

function isBinary(value) {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

// ---- the settings ----

/** The figure's look, as the core's `PlotOptions` names it. */
export const PLOT_DEFAULTS = {
  curve: 'survival', percent: false, conf_bands: false, censor_marks: true, median_lines: false,
  risk_table: true, palette: 'okabe-ito', size: 'single', font_size: 8, legend: 'auto', show_p: true,
  y_min: 0, y_max: 1, risk_table_events: false, risk_table_censored: false, hazard_ratio: 'none',
  censor_style: 'auto', dpi: 300, forest_models: 'both', forest_size: 'double',
  zph_size: 'single', zph_band: 'lines',
};

/** A group column's levels as the reader sees them: level -> label, the order, the reference level, level -> colour. */
export const LEVELS_DEFAULTS = { labels: {}, order: [], reference: '', colors: {} };

/** Conventions of the survival analyses, the same for every endpoint (a paper states them once). */
export const KM_DEFAULTS = { conf_type: 'log-log', conf_level: 0.95, pairwise: 'holm', trend: false, fh: false, fh_p: 0, fh_q: 1 };

/** How the file is read: everything detected unless chosen. */
export const READ_DEFAULTS = { sheet: '', delimiter: '', decimal_comma: '', missing: [] };

/** One endpoint: its outcome, and the options given in its own time unit. */
export function endpointDefaults(id = 'e1') {
  return {
    id, name: 'Survival', source: 'column', time: '', time_unit: '', start_date: '', end_date: '',
    unit: 'months', date_format: 'auto', event: '', event_values: [], competing: null,
    at: [], tau: null, time_step: null, x_max: null, title: '', y_label: '', display_unit: '',
    // The permutation log-rank P (Monte Carlo resamples and seed when not exact) and SPSS's means (exact.js).
    exact: false, resamples: 100000, seed: 1, spss_means: false,
  };
}

export function defaultSettings() {
  return {
    version: 2, read: { ...READ_DEFAULTS }, endpoints: [endpointDefaults()], active: 'e1',
    group: '', strata: '', view: 'km', km: { ...KM_DEFAULTS }, plot: { ...PLOT_DEFAULTS }, levels: {}, cox: null, table1: null, regression: null,
  };
}

/** The endpoint-level keys older links (version 1) kept at the top, shared by every endpoint. */
const MOVED_TO_ENDPOINT = { km: ['at', 'tau'], plot: ['time_step', 'x_max', 'title'] };

/**
 * Settings from a link or the example, completed with defaults; a version 1 link (one shared
 * "Survival at times" and limit for every endpoint, an index as the active endpoint) is carried over.
 */
export function completeSettings(given) {
  const base = defaultSettings();
  const endpoints = (given.endpoints?.length ? given.endpoints : base.endpoints).map((e, i) => {
    const moved = {};
    for (const [part, keys] of Object.entries(MOVED_TO_ENDPOINT)) {
      for (const key of keys) if (given[part]?.[key] !== undefined) moved[key] = given[part][key];
    }
    return { ...endpointDefaults(`e${i + 1}`), ...moved, ...e };
  });
  const active = typeof given.active === 'number' ? endpoints[given.active]?.id : given.active;
  const strip = (part, keys) => Object.fromEntries(Object.entries(part ?? {}).filter(([k]) => !keys.includes(k)));
  return {
    ...base,
    ...given,
    version: 2,
    read: { ...READ_DEFAULTS, ...given.read },
    endpoints,
    active: endpoints.some((e) => e.id === active) ? active : endpoints[0].id,
    km: { ...KM_DEFAULTS, ...strip(given.km, MOVED_TO_ENDPOINT.km) },
    plot: { ...PLOT_DEFAULTS, ...strip(given.plot, MOVED_TO_ENDPOINT.plot) },
    levels: given.levels && typeof given.levels === 'object' ? given.levels : {},
    cox: given.cox ?? null,
    table1: given.table1 ?? null,
    regression: given.regression ?? null,
  };
}

/** Every column the settings name, with the role it has (for "does this link fit the file"). */
export function columnsNamed(settings) {
  const named = [];
  const add = (column, role) => { if (column) named.push({ column, role }); };
  add(settings.group, 'compare groups');
  add(settings.strata, 'stratify by');
  for (const e of settings.endpoints ?? []) {
    const name = e.name ? `${e.name}: ` : '';
    add(e.event, `${name}event`);
    if (e.source === 'dates') { add(e.start_date, `${name}start date`); add(e.end_date, `${name}end date`); } else add(e.time, `${name}time`);
  }
  for (const c of settings.cox?.covariates ?? []) add(c, 'Cox covariate');
  for (const c of settings.table1?.variables ?? []) add(c, 'Table 1 characteristic');
  add(settings.regression?.outcome, 'regression outcome');
  for (const c of settings.regression?.covariates ?? []) add(c, 'regression covariate');
  return named;
}

export function initialState() {
  return {
    settings: defaultSettings(), file: null, data: null, readError: null, pending: null, carried: null, results: {},
    notices: [], invalid: {}, status: '', busy: null,
  };
}

// ---- reading the state ----

/** The active endpoint's settings. */
export function activeEndpoint(state) {
  const { endpoints, active } = state.settings;
  return endpoints.find((e) => e.id === active) ?? endpoints[0];
}

/** The unit follow-up time is in, for labels and tables; "" when the user left it unspecified. */
export function unitOf(endpoint) {
  return (endpoint.source === 'dates' ? endpoint.unit : endpoint.time_unit) ?? '';
}

/** Whether an endpoint names its time (a column, or both dates) and its event. */
export function outcomeComplete(endpoint) {
  const time = endpoint.source === 'dates' ? endpoint.start_date && endpoint.end_date : endpoint.time;
  return Boolean(time && endpoint.event);
}

/** The outcome as the core's Session methods take it (outcome, km, cox...), for an endpoint. */
export function outcomeArgs(settings, endpoint) {
  const dates = endpoint.source === 'dates';
  return {
    time: dates ? null : endpoint.time || null,
    start_date: dates ? endpoint.start_date || null : null,
    end_date: dates ? endpoint.end_date || null : null,
    unit: endpoint.unit,
    date_format: endpoint.date_format,
    event: endpoint.event,
    event_values: endpoint.event_values,
    group: settings.group || null,
    strata: settings.strata || null,
  };
}

/** A group column's levels as the reader sees them ({labels, order, reference, colors}), defaults filled in. */
export function levelSettings(settings, column) {
  return { ...LEVELS_DEFAULTS, ...(column ? settings.levels?.[column] : null) };
}

/** What describes an endpoint's results (its name, columns, unit), without the figure-only options. */
export function endpointContext(endpoint) {
  const { time_step: _step, x_max: _max, title: _title, y_label: _y, display_unit: _shown, ...rest } = endpoint;
  return { ...rest, unit_label: unitOf(endpoint) };
}

// ---- changes: every change to the state goes through one of these ----

/** Settings by path under `settings` (['km', 'conf_type']); results that depend on them follow by themselves. */
export function setSetting(store, path, value) {
  store.set(['settings', ...path], value);
}

/** The settings store of one endpoint (by id; the active one when omitted). */
export function endpointStore(store, id = store.state.settings.active) {
  const index = () => store.state.settings.endpoints.findIndex((e) => e.id === id);
  return {
    id,
    get: () => store.state.settings.endpoints[index()],
    set(key, value) {
      this.patch({ [key]: value });
    },
    /** Several fields at once (one change, so nothing is computed for the state half-way). */
    patch(fields) {
      const i = index();
      if (i >= 0) store.set(['settings', 'endpoints', i], { ...store.state.settings.endpoints[i], ...fields });
    },
  };
}

const IN_UNIT_WORDS = { at: '“Survival at times”', tau: 'the restricted-mean limit', time_step: 'the time breaks', x_max: 'the end of the time axis' };

/**
 * Changes a field of the active endpoint's outcome. A new event column clears the event values
 * of the old one; a new time unit clears the options given in the old unit, and says so.
 */
export function setEndpointField(store, key, value) {
  const endpoint = endpointStore(store);
  const before = endpoint.get();
  const after = { ...before, [key]: value };
  const patch = { [key]: value };
  // A new event column: the old one's values (and competing values) mean nothing in it.
  if (key === 'event' && value !== before.event) Object.assign(patch, { event_values: [], competing: null });
  const cleared = unitOf(before) === unitOf(after) ? []
    : Object.keys(IN_UNIT_WORDS).filter((k) => (Array.isArray(before[k]) ? before[k].length : before[k] !== null));
  for (const k of cleared) patch[k] = k === 'at' ? [] : null;
  endpoint.patch(patch);
  if (cleared.length) {
    const one = cleared.length === 1;
    notify(store, {
      id: `unit-${before.id}`, context: before.name,
      text: `the time unit changed from ${unitOf(before) || 'unspecified'} to ${unitOf(after) || 'unspecified'}, so ${cleared.map((k) => IN_UNIT_WORDS[k]).join(', ')} (given in the old unit) ${one ? 'was' : 'were'} cleared: give ${one ? 'it' : 'them'} again in the new unit.`,
      controls: [],
    });
  }
}

/** Changes how a group column's levels are shown: `key` one of labels, order, reference, colors. */
export function setLevels(store, column, key, value) {
  if (column) store.set(['settings', 'levels', column], { ...levelSettings(store.state.settings, column), [key]: value });
}

/**
 * Shows the active endpoint's figure in another time unit ('' = the endpoint's own); the time
 * breaks and the axis end, given in the old one, are cleared, and the user told.
 */
export function setDisplayUnit(store, unit) {
  const endpoint = endpointStore(store);
  const before = endpoint.get();
  if ((before.display_unit || '') === unit) return;
  const given = ['time_step', 'x_max'].filter((k) => before[k] !== null && before[k] !== undefined);
  for (const k of given) endpoint.set(k, null);
  if (given.length) {
    notify(store, {
      id: `display-unit-${before.id}`, context: before.name,
      text: `the figure now shows time in ${unit || unitOf(before) || 'the time column\'s unit'}, so ${given.map((k) => (k === 'time_step' ? 'the time breaks' : 'the end of the time axis')).join(' and ')} (given in the old unit) ${given.length === 1 ? 'was' : 'were'} cleared.`,
      controls: [],
    });
  }
  endpoint.set('display_unit', unit);
}

export function selectEndpoint(store, id) {
  setSetting(store, ['active'], id);
}

/** A copy of the active endpoint, made active. */
export function addEndpoint(store) {
  const { endpoints } = store.state.settings;
  const used = new Set(endpoints.map((e) => e.id));
  let n = endpoints.length + 1;
  while (used.has(`e${n}`)) n++;
  const copy = { ...activeEndpoint(store.state), id: `e${n}`, name: `Endpoint ${endpoints.length + 1}` };
  store.update((s) => ({ ...s, settings: { ...s.settings, endpoints: [...endpoints, copy], active: copy.id } }));
}

export function removeEndpoint(store) {
  const { endpoints, active } = store.state.settings;
  if (endpoints.length < 2) return;
  const at = endpoints.findIndex((e) => e.id === active);
  const rest = endpoints.filter((e) => e.id !== active);
  store.update((s) => ({ ...s, settings: { ...s.settings, endpoints: rest, active: rest[Math.max(0, at - 1)].id } }));
}

/** The core read a file: it replaces the last one, its results and its refused input. */
export function fileRead(store, { file, data, settings, status }) {
  const generation = (store.state.file?.generation ?? 0) + 1;
  store.update((s) => ({
    ...s, file: { ...file, generation }, data, settings, readError: null, pending: null, carried: null, results: {}, invalid: {}, status,
  }));
}

/** The core could not read a file: the last one read stays, with the error and the attempt kept. */
export function fileFailed(store, { file, error, status }) {
  store.update((s) => ({ ...s, readError: { error, file }, status }));
}

/** Input refused at a control (by id): the text typed and why; the setting keeps its last good value. */
export function refuse(store, control, text, message) {
  store.set(['invalid', control], { text, message });
}

export function accept(store, control) {
  if (store.state.invalid[control]) store.set(['invalid', control], undefined);
}

/** A message kept until dismissed (a notice with the same id replaces the old one). */
export function notify(store, notice) {
  store.update((s) => ({ ...s, notices: [...s.notices.filter((n) => n.id !== notice.id), notice] }));
}

export function dismiss(store, id) {
  store.update((s) => ({ ...s, notices: s.notices.filter((n) => n.id !== id) }));
}

export function setStatus(store, text) {
  store.set(['status'], text);
}

export function setBusy(store, label) {
  store.set(['busy'], label);
}
