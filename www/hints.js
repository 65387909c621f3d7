// The core's structured errors in the page's words: each hint names the control to change
// (the command line names its flags instead, src/cli/hints.rs), and the page highlights it.

import { el, controlId } from './views.js';
import { activeEndpoint } from './store.js';

/**
 * Each choice's control on the page: its label as the user sees it, and the ids of the elements
 * to highlight (a function of the hint when it names a column). A choice with no id has no
 * control on the page yet (the page never sets it, so the core cannot complain about it from
 * here); a view that adds the control adds its id here. tests/web checks every id exists.
 */
export const CONTROLS = {
  time: ['the time column', ['ep-time']],
  start_date: ['the start date column', ['ep-start']],
  end_date: ['the end date column', ['ep-end']],
  cutoff_date: ['the end of follow-up date', []],
  unit: ['the time unit', ['ep-unit', 'ep-time-unit']],
  date_order: ['Date order', ['ep-date-format']],
  event: ['the event column', ['ep-event']],
  event_values: ['the box “Values meaning the event happened”', ['ep-event-values']],
  competing_values: ['what the values of the event column mean (Competing risks view)', ['cif-causes']],
  group: ['“Compare groups”', ['group']],
  reference: ['the reference group (“Reference” in the groups beside the figure)', ['figure-groups']],
  strata: ['“Stratify the tests by”', ['strata']],
  conf_type: ['“Confidence interval”', ['opt-conf-type']],
  conf_level: ['“Confidence level”', ['opt-conf-level']],
  tau: ['the restricted-mean limit', ['opt-tau']],
  at: ['“Survival at times”', ['opt-at', 'cif-at']],
  fleming_harrington: ['the Fleming-Harrington p and q', ['opt-fh-p', 'opt-fh-q']],
  trend_scores: ['the test for trend', ['opt-trend']],
  adjust: ['“Pairwise comparisons”', ['opt-pairwise']],
  covariates: ['the covariate boxes (Cox view)', ['cox-covariates']],
  categorical: ['“categorical” next to the covariate (Cox view)', ['cox-covariates']],
  continuous: ['the summary chosen next to the characteristic (Table 1 view)', ['table1-variables']],
  ties: ['the method for tied times', []],
  outcome: ['“Outcome” (Regression view)', ['reg-outcome']],
  family: ['“Model” (Regression view)', ['reg-family']],
  variables: ['the characteristic boxes (Table 1 view)', ['table1-variables']],
  test: ['the test of the characteristic (Table 1 view)', ['table1-variables']],
  decimals: ['the decimals (Table 1 view)', ['table1-decimals', 'table1-percent-decimals']],
  sheet: ['“Sheet”', ['read-sheet']],
  delimiter: ['“Delimiter” (How the file is read)', ['read-delimiter']],
  missing: ['“Missing-value codes” (How the file is read)', ['read-missing']],
  resamples: ['“Monte Carlo resamples”', ['opt-resamples']],
  seed: ['“Random seed”', ['opt-seed']],
  labels: ['the group labels (under “Figure”)', ['figure-groups']],
};

/**
 * Where a hint's controls are: the page's own (CONTROLS, the Cox view's covariate kinds), or a
 * view's where the same choice has its own control there (regression.js: its outcome, the values
 * meaning the outcome, its covariates' kinds); `tick` when event values are ticked, not typed.
 */
const PAGE_SCOPE = { controls: CONTROLS, kind: (column) => controlId('cox-kind', column), view: 'the Cox view', categorical: '“categorical”', tick: false };

/** Table 1's own scope: a column is made categorical by its summary choice there. */
export const TABLE1_SCOPE = { kind: (column) => controlId('table1-summary', column), view: 'the Table 1 view', categorical: '“categories, n (%)”' };

const quoted = (names) => names.map((n) => `“${n}”`).join(', ');

/**
 * What to change, in the page's words, and the ids of the controls to highlight;
 * `holding(column)` gives the ids of the role controls set to a column.
 */
export function hintText(hint, holding = () => [], scope = PAGE_SCOPE) {
  const { controls: named, kind, view, categorical, tick } = { ...PAGE_SCOPE, ...scope };
  const label = (setting) => named[setting]?.[0] ?? setting;
  const ids = (setting) => named[setting]?.[1] ?? [];
  switch (hint?.hint) {
    case undefined: return { text: '', controls: [] };
    case 'check_column_name': return { text: `The columns are: ${quoted(hint.available)}. If only one column is listed, the file's delimiter was not recognised: choose it under “How the file is read”.`, controls: ['read-delimiter'] };
    case 'fix_cell': return { text: 'Correct the cell in the file, or leave it empty (or NA) to leave the row out.', controls: [] };
    case 'fix_cell_or_mark_missing': return { text: `Correct the cell, add “${hint.token}” to ${label('missing')} to leave such rows out, or choose ${categorical} next to “${hint.column}” in ${view}.`, controls: [...ids('missing'), kind(hint.column)] };
    case 'use_date_columns': return { text: 'To compute time from dates, choose “start and end dates” under “Time comes from” and pick the two date columns instead of a time column.', controls: ['src-dates', 'ep-start', 'ep-end'] };
    case 'write_dates': return { text: 'Write dates as 2021-03-04, or choose the Date order (day/month/year or month/day/year).', controls: ['ep-date-format'] };
    case 'choose_date_order': return { text: 'Choose the Date order: day/month/year or month/day/year.', controls: ['ep-date-format'] };
    case 'list_event_values': return { text: `${tick ? 'Tick' : 'Type'} the values meaning the event ${tick ? 'among' : 'in'} ${label('event_values')} (for example: ${hint.suggestion}).`, controls: ids('event_values') };
    case 'mark_categorical': return { text: `If “${hint.column}” holds categories, choose ${categorical} next to it in ${view}; otherwise correct the cell or leave it empty.`, controls: [kind(hint.column)] };
    case 'choose_sheet': return { text: `Choose the sheet that holds the data under “Sheet”. The sheets are: ${quoted(hint.sheets)}.`, controls: ['read-sheet'] };
    case 'save_as_csv': return { text: 'Save it again from the spreadsheet program, or export the sheet as CSV and open that.', controls: [] };
    case 'save_as_table': return { text: 'Open it in a spreadsheet program and save it as .xlsx or CSV.', controls: [] };
    case 'set_option': return { text: `Change ${label(hint.setting)}${hint.example ? ` (for example ${hint.example})` : ''}.`, controls: ids(hint.setting) };
    case 'give_option': return { text: `Choose ${label(hint.setting)}.`, controls: ids(hint.setting) };
    case 'choose_column': return { text: `Choose another column for ${label(hint.setting)}.`, controls: ids(hint.setting) };
    case 'choose_level': return { text: `Choose one of its levels as ${label(hint.setting)}: ${quoted(hint.levels)}.`, controls: ids(hint.setting) };
    case 'choose_one': return { text: `Use ${label(hint.first)} or ${label(hint.second)}, not both.`, controls: [...ids(hint.first), ...ids(hint.second)] };
    case 'choose_test': return { text: `Choose one of ${hint.choices.join(', ')} for “${hint.variable}”.`, controls: [controlId('table1-summary', hint.variable)] };
    case 'label_level': return { text: `Type the label beside one of the levels of “${hint.column}” (${quoted(hint.levels)}) in ${label('labels')}.`, controls: ids('labels') };
    case 'add_variable': return { text: `Tick “${hint.column}” among the characteristics described.`, controls: ['table1-variables'] };
    case 'check_event_coding': return { text: `Check ${label('event')} and ${label('event_values')}.`, controls: [...ids('event'), ...ids('event_values')] };
    case 'check_columns': return { text: `Check the columns ${quoted(hint.columns)}.`, controls: hint.columns.flatMap(holding) };
    case 'choose_file': return { text: 'Choose the file that holds the data, with column names in the first row.', controls: [] };
    case 'edit_file': return { text: 'Edit the file and open it again.', controls: [] };
    case 'reload': return { text: 'Reload the page and open the file again.', controls: [] };
    default: return { text: '', controls: [] };
  }
}

/**
 * Where an error is, in the user's terms: the sheet and the row as the spreadsheet program
 * numbers it (the core's `sheet_row`), else the data row said as such, and the column.
 */
function where(detail) {
  const parts = [];
  if (detail.sheet && detail.row) parts.push(`sheet “${detail.sheet}”`);
  if (detail.column && detail.kind !== 'column') parts.push(`column “${detail.column}”`);
  if (detail.row) {
    if (detail.sheet_row) parts.push(detail.sheet ? `row ${detail.sheet_row}` : `row ${detail.sheet_row} of the spreadsheet`);
    else parts.push(`data row ${detail.row} (the first row under the header is 1)`);
  }
  return parts.join(', ');
}

/**
 * A core error for people: where, what, and what to change; `detail` is the structured error the
 * worker passed on; `holding(column)` gives the role controls set to a column.
 */
export function describeError(message, detail, holding, scope = PAGE_SCOPE) {
  if (!detail) return { text: message, controls: [] };
  const at = where(detail);
  const what = detail.kind === 'no_data' ? `no rows left to analyse: ${detail.message}` : detail.message;
  const { text, controls } = hintText(detail.hint, holding, scope);
  return { text: `${at ? `${at}: ` : ''}${what}.${text ? ` ${text}` : ''}`, controls };
}

/**
 * An error shown where it arose: `context` (what was being done), where, what and what to
 * change. The controls to change are listed in data-controls; main.js highlights them. With
 * the state, a hint naming columns highlights the controls set to them; a view with controls of
 * its own for a choice passes `holding` (column -> ids) and `scope` (as PAGE_SCOPE).
 */
export function errorBox(error, context, { id = null, state = null, holding = state ? holdingIn(state) : () => [], scope = PAGE_SCOPE } = {}) {
  const { text, controls } = typeof error === 'string' ? { text: error, controls: [] } : describeError(error.message, error.detail, holding, scope);
  return el('div', { class: 'error', role: 'alert', id, 'data-controls': controls.join(' ') || null },
    context ? el('strong', { text: `${context}: ` }) : null, text);
}

/** For a state: the ids of the controls set to a column (the roles, a covariate's kind), for hints naming columns. */
export function holdingIn(state) {
  const e = activeEndpoint(state);
  const roles = e.source === 'dates'
    ? { 'ep-start': e.start_date, 'ep-end': e.end_date, 'ep-event': e.event }
    : { 'ep-time': e.time, 'ep-event': e.event };
  Object.assign(roles, { group: state.settings.group, strata: state.settings.strata });
  return (column) => [
    ...Object.entries(roles).filter(([, c]) => c === column).map(([id]) => id),
    ...(state.settings.cox?.covariates?.includes(column) ? [controlId('cox-kind', column)] : []),
  ];
}
