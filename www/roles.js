// First guesses of each column's role from its name and its first values; the user can change every one.

const DATE = /^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[./]\d{1,2}[./]\d{2,4}$/;
const NUMBER = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$/;
const MISSING = new Set(['', 'na', 'n/a', 'nan', '.', '-', 'null', 'none', 'missing', '?']);

/** What the first rows say about each column: kind, distinct values, whether every value differs. */
export function profileColumns(preview) {
  return preview.headers.map((name, c) => {
    const values = preview.rows.map((r) => r[c]).filter((v) => !MISSING.has(v.trim().toLowerCase()));
    const distinct = [...new Set(values.map((v) => v.toLowerCase()))];
    const kind = values.length === 0 ? 'empty'
      : values.every((v) => DATE.test(v)) ? 'date'
      : values.every((v) => NUMBER.test(v)) ? 'number' : 'text';
    return { name, kind, distinct, unique: values.length > 3 && distinct.length === values.length };
  });
}

/** Whether a column looks like a patient identifier (not to be analysed, and not shared). */
export function looksLikeIdentifier(col) {
  return /^(id|pid|patient|patient[ _-]?(id|no|number)|subject|mrn|record|case|study[ _-]?id|name)$/i.test(col.name)
    || (col.kind === 'text' && col.unique);
}

function pick(cols, test, taken = []) {
  return cols.find((c) => !taken.includes(c.name) && test(c))?.name ?? '';
}

const END_WORDS = /death|died|last|progress|recur|relapse|event|censor|end|fu\b|follow/i;
const START_WORDS = /surg|oper|start|diag|entry|enrol|random|treat|begin|baseline|drug/i;

/** One endpoint guessed from the columns: a time column, or a start and end date, and the event. */
export function guessEndpoint(cols) {
  const eventCol = pick(cols, (c) => /status|event|dead|died|death|censor|progress|relapse|recur|outcome/i.test(c.name)
    && c.distinct.length <= 2 && c.kind !== 'date');
  const time = pick(cols, (c) => c.kind === 'number' && /time|month|day|week|year|surv|os|pfs|dfs|efs|follow|fu\b/i.test(c.name));
  const dates = cols.filter((c) => c.kind === 'date');
  const start = pick(dates, (c) => START_WORDS.test(c.name)) || dates[0]?.name || '';
  const end = pick(dates, (c) => END_WORDS.test(c.name), [start]) || dates.find((c) => c.name !== start)?.name || '';
  const unitFromName = /day/i.test(time) ? 'days' : /week/i.test(time) ? 'weeks' : /year/i.test(time) ? 'years' : 'months';
  const useDates = !time && start && end;
  return {
    name: 'Survival',
    source: useDates ? 'dates' : 'column',
    time: useDates ? '' : time || pick(cols, (c) => c.kind === 'number', [eventCol]),
    time_unit: unitFromName,
    start_date: start,
    end_date: end,
    unit: 'months',
    date_format: 'auto',
    event: eventCol || pick(cols, (c) => c.distinct.length === 2 && c.kind !== 'date'),
    event_values: [],
  };
}

/** A grouping column: named like one and with a few levels. */
export function guessGroup(cols, taken) {
  return pick(cols, (c) => /group|arm|treat|resect|stage|cohort|grade|random/i.test(c.name)
    && c.distinct.length >= 2 && c.distinct.length <= 8 && c.kind !== 'date', taken);
}
