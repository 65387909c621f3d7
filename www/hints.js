// The core's structured errors in the page's words: each hint names the control to change
// (the command line names its flags instead, src/cli/hints.rs), and the control is highlighted.

/** Each choice's control on the page: its label as the user sees it, and its element id when it has a fixed one. */
const CONTROLS = {
  time: ['the time column', 'ep-time'],
  start_date: ['the start date column', 'ep-start'],
  end_date: ['the end date column', 'ep-end'],
  cutoff_date: ['the end of follow-up date', null],
  unit: ['the time unit', 'ep-unit'],
  date_order: ['Date order', 'ep-date-format'],
  event: ['the event column', 'ep-event'],
  event_values: ['the box “Values meaning the event happened”', 'ep-event-values'],
  competing_values: ['the box “Values meaning a competing event”', 'ep-competing-values'],
  group: ['“Compare groups”', 'group'],
  strata: ['“Stratify by”', 'strata'],
  conf_type: ['the confidence interval type', null],
  conf_level: ['the confidence level', null],
  tau: ['the restricted-mean limit', 'opt-tau'],
  at: ['“Survival at times”', 'opt-at'],
  fleming_harrington: ['the Fleming-Harrington p and q', null],
  trend_scores: ['the trend scores', null],
  adjust: ['the pairwise adjustment', null],
  covariates: ['the covariate boxes (Cox view)', null],
  categorical: ['“categorical” next to the covariate (Cox view)', null],
  continuous: ['“continuous” next to the characteristic (Table 1 view)', null],
  ties: ['the method for tied times (Cox view)', null],
  outcome: ['the outcome column (Regression view)', null],
  family: ['the model type (Regression view)', null],
  variables: ['the characteristic boxes (Table 1 view)', null],
  test: ['the test of the characteristic (Table 1 view)', null],
  decimals: ['the decimals', null],
  sheet: ['the sheet', 'sheet'],
  delimiter: ['the delimiter', null],
  missing: ['the missing-value codes', null],
  resamples: ['the number of resamples', null],
  seed: ['the random seed', null],
  labels: ['the group labels', null],
  figure: ['the figure options', null],
};

const label = (setting) => CONTROLS[setting]?.[0] ?? setting;
const quoted = (names) => names.map((n) => `“${n}”`).join(', ');

/** What to change, in the page's words, and the ids of the controls to highlight. */
export function hintText(hint) {
  switch (hint?.hint) {
    case undefined: return { text: '', controls: [] };
    case 'check_column_name': return { text: `The columns are: ${quoted(hint.available)}. If only one column is listed, the file's delimiter was not recognised.`, controls: [] };
    case 'fix_cell': return { text: 'Correct the cell in the file, or leave it empty (or NA) to leave the row out.', controls: [] };
    case 'fix_cell_or_mark_missing': return { text: `Correct the cell, add “${hint.token}” to the missing-value codes, or describe “${hint.column}” as categorical.`, controls: [] };
    case 'use_date_columns': return { text: 'To compute time from dates, choose “start and end dates” and pick the two date columns instead of a time column.', controls: ['src-dates', 'ep-start', 'ep-end'] };
    case 'write_dates': return { text: 'Write dates as 2021-03-04, or choose the Date order (day/month/year or month/day/year).', controls: ['ep-date-format'] };
    case 'choose_date_order': return { text: 'Choose the Date order: day/month/year or month/day/year.', controls: ['ep-date-format'] };
    case 'list_event_values': return { text: `Type the values meaning the event in the box “Values meaning the event happened” (for example: ${hint.suggestion}).`, controls: ['ep-event-values'] };
    case 'mark_categorical': return { text: `If “${hint.column}” holds categories, tick “categorical” next to it in the Cox view; otherwise correct the cell or leave it empty.`, controls: [] };
    case 'choose_sheet': return { text: `Choose the sheet that holds the data. The sheets are: ${quoted(hint.sheets)}.`, controls: ['sheet'] };
    case 'save_as_csv': return { text: 'Save it again from the spreadsheet program, or export the sheet as CSV and open that.', controls: [] };
    case 'save_as_table': return { text: 'Open it in a spreadsheet program and save it as .xlsx or CSV.', controls: [] };
    case 'set_option': return { text: `Change ${label(hint.setting)}${hint.example ? ` (for example ${hint.example})` : ''}.`, controls: ids(hint.setting) };
    case 'give_option': return { text: `Choose ${label(hint.setting)}.`, controls: ids(hint.setting) };
    case 'choose_column': return { text: `Choose another column for ${label(hint.setting)}.`, controls: ids(hint.setting) };
    case 'choose_one': return { text: `Use ${label(hint.first)} or ${label(hint.second)}, not both.`, controls: [...ids(hint.first), ...ids(hint.second)] };
    case 'choose_test': return { text: `Choose one of ${hint.choices.join(', ')} for “${hint.variable}”.`, controls: [] };
    case 'add_variable': return { text: `Add “${hint.column}” to the characteristics described, or correct the name.`, controls: [] };
    case 'check_event_coding': return { text: 'Check the event column and the values meaning the event.', controls: ['ep-event', 'ep-event-values'] };
    case 'check_columns': return { text: `Check the columns ${quoted(hint.columns)}.`, controls: [] };
    case 'choose_file': return { text: 'Choose the file that holds the data, with column names in the first row.', controls: [] };
    case 'edit_file': return { text: 'Edit the file and open it again.', controls: [] };
    case 'reload': return { text: 'Reload the page and open the file again.', controls: [] };
    default: return { text: '', controls: [] };
  }
}

function ids(setting) {
  const id = CONTROLS[setting]?.[1];
  return id ? [id] : [];
}

/**
 * A core error for people: where (with the spreadsheet's own row number and the sheet), what,
 * and what to change; `detail` is the structured error the worker passed on.
 */
export function describeError(message, detail) {
  if (!detail) return { text: message, controls: [] };
  const where = [];
  if (detail.sheet && detail.row) where.push(`sheet “${detail.sheet}”`);
  if (detail.column && detail.kind !== 'column') where.push(`column “${detail.column}”`);
  if (detail.row) where.push(detail.sheet_row ? `row ${detail.sheet_row} of the spreadsheet` : `data row ${detail.row}`);
  const what = detail.kind === 'no_data' ? `no rows left to analyse: ${detail.message}` : detail.message;
  const { text, controls } = hintText(detail.hint);
  return { text: `${where.length ? `${where.join(', ')}: ` : ''}${what}.${text ? ` ${text}` : ''}`, controls };
}
