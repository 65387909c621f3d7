// Section 2, endpoints and groups: each endpoint's outcome (a time column or two dates, the event
// and its coding), the group and strata columns, and what the core makes of them (rows used,
// rows excluded with their spreadsheet row, the event coding beside the event column).

import { el, exclusions, selectTab, watch, replace } from './views.js';
import { errorBox } from './hints.js';
import { anyEventValues, eventCodes, severalCodes } from './cif.js';
import {
  activeEndpoint, outcomeArgs, outcomeComplete, setEndpointField, setSetting, selectEndpoint, addEndpoint, removeEndpoint,
} from './store.js';

const $ = (id) => document.getElementById(id);

/** What the core makes of the active endpoint's outcome (rows used, coding, exclusions). */
export const outcomeJob = {
  name: 'outcome',
  request(state) {
    const endpoint = activeEndpoint(state);
    if (!state.data || !outcomeComplete(endpoint)) return null;
    const args = outcomeArgs(state.settings, endpoint);
    // In the competing-risks view the rows are checked with its coding: an event of either kind ends follow-up.
    const anyEvent = state.settings.view === 'cif' ? anyEventValues(state, endpoint) : null;
    return {
      op: 'outcome',
      args: anyEvent?.length ? { ...args, event_values: anyEvent } : args,
      label: 'Checking the columns…',
      context: { name: endpoint.name, competing: Boolean(anyEvent?.length) },
    };
  },
};

/** Whether the results can be shown: the active endpoint is complete and the core accepted it. */
export function outcomeAccepted(state) {
  return outcomeComplete(activeEndpoint(state)) && Boolean(state.results.outcome?.value);
}

function options(select, names, chosen, emptyLabel) {
  select.replaceChildren(
    ...(emptyLabel ? [el('option', { value: '', text: emptyLabel })] : []),
    ...names.map((n) => el('option', { value: n, text: n })),
  );
  select.value = names.includes(chosen) ? chosen : '';
}

function renderRoles(state, store) {
  $('roles').hidden = !state.data;
  if (!state.data) return;
  const { settings } = state;
  const headers = state.data.preview.headers;
  const tabs = settings.endpoints.map((e, i) => {
    const tab = el('button', {
      type: 'button', role: 'tab', id: `endpoint-tab-${i}`, 'aria-controls': 'endpoint-panel', text: e.name || `Endpoint ${i + 1}`,
      onclick: () => selectEndpoint(store, e.id),
    });
    selectTab(tab, e.id === settings.active);
    return tab;
  });
  // Updated in place: a tab clicked while a field's change (on blur) redraws them stays the one clicked.
  replace($('endpoint-tabs'), ...tabs);
  const e = activeEndpoint(state);
  $('endpoint-panel').setAttribute('aria-labelledby', `endpoint-tab-${settings.endpoints.indexOf(e)}`);
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
}

/** Beside the event column: how its values are read (always), the core's doubts about it, and the competing-risks view for a column of several codes. */
function renderCoding(state, store) {
  const result = state.results.outcome;
  const e = activeEndpoint(state);
  const value = outcomeComplete(e) && result?.value;
  const profile = state.data?.profile.columns.find((c) => c.name === e.event);
  const coding = value ? value.coding : profile?.event_coding && !e.event_values.length ? profile.event_coding : null;
  const codes = severalCodes(state, e) ? eventCodes(state, e).map((c) => c.value) : null;
  const competing = value && result.context.competing;
  replace($('ep-event-coding'),
    competing ? el('span', { text: 'Read for competing risks: what each value means is chosen in the Competing risks view below.' }) : null,
    coding && !competing ? el('span', { text: `Read as: ${coding}.` }) : null,
    ...(value?.warnings ?? []).map((w) => el('span', { class: 'warn', role: 'note', text: w })),
    codes && state.settings.view !== 'cif' ? el('span', { id: 'ep-several-codes' },
      `“${e.event}” holds ${codes.length} codes (${codes.join(', ')}): if one of them competes with the event (death without relapse, for example), see `,
      el('button', { type: 'button', id: 'ep-open-cif', onclick: () => setSetting(store, ['view'], 'cif') }, 'Competing risks'),
      ' (cumulative incidence, Gray\'s test, Fine-Gray).') : null);
}

function renderOutcome(state) {
  const e = activeEndpoint(state);
  const result = state.results.outcome;
  $('results').hidden = !outcomeAccepted(state);
  if (!state.data) return replace($('outcome'));
  if (!outcomeComplete(e)) {
    return replace($('outcome'), el('p', { class: 'note', text: 'Choose the time (or the two dates) and the event column to see results.' }));
  }
  if (!result) return undefined;
  if (result.error) return replace($('outcome'), errorBox(result.error, result.context.name || 'This endpoint', { id: 'outcome-error', state }));
  const summary = result.value;
  const where = { header_row: state.data.preview.header_row ?? 1, sheet: state.data.profile.source.sheet ?? null };
  return replace($('outcome'),
    el('p', { id: 'outcome-summary' }, `${result.context.name}: ${summary.n} patients used, `
      + (result.context.competing ? `${summary.events} with the event of interest or a competing event (see below what each value means)` : `${summary.events} events (${summary.coding})`)
      + (summary.groups.length ? `; groups: ${summary.groups.join(', ')}.` : '.')),
    exclusions(summary.excluded, where));
}

/** Draws section 2 from the state, and keeps drawing it. */
export function watchRoles(store) {
  const s = (state) => state.settings;
  watch(store, (state) => [state.data, s(state).endpoints, s(state).active, s(state).group, s(state).strata], (state) => renderRoles(state, store));
  watch(store, (state) => [state.data, state.results.outcome, s(state).endpoints, s(state).active, s(state).view], (state) => renderCoding(state, store));
  watch(store, (state) => [state.data, state.results.outcome, s(state).endpoints, s(state).active], renderOutcome);
}

/** Section 2's controls change the store, nothing else. */
export function bindRoles(store) {
  const field = (id, key, value = (node) => node.value) => {
    $(id).addEventListener('change', (ev) => setEndpointField(store, key, value(ev.target)));
  };
  field('ep-name', 'name', (node) => node.value.trim());
  field('src-column', 'source', () => 'column');
  field('src-dates', 'source', () => 'dates');
  field('ep-time', 'time');
  field('ep-time-unit', 'time_unit');
  field('ep-start', 'start_date');
  field('ep-end', 'end_date');
  field('ep-unit', 'unit');
  field('ep-date-format', 'date_format');
  field('ep-event', 'event');
  field('ep-event-values', 'event_values', (node) => node.value.split(',').map((v) => v.trim()).filter(Boolean));
  $('group').addEventListener('change', (ev) => setSetting(store, ['group'], ev.target.value));
  $('strata').addEventListener('change', (ev) => setSetting(store, ['strata'], ev.target.value));
  $('ep-add').addEventListener('click', () => {
    addEndpoint(store);
    $('ep-name').focus();
  });
  $('ep-remove').addEventListener('click', () => removeEndpoint(store));
}
