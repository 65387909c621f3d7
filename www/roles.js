// Roles from the core's column profile (`Session.inspect`): its suggestions become the first
// settings, and the user can change every one.

/** Whether a column may identify a person (the core says why); such columns are never analysed. */
export function looksLikeIdentifier(col) {
  return Boolean(col.identifier);
}

/**
 * The time unit a time column's name implies (os_months, days_to_event, "Time (years)"), only to
 * pre-fill the unit control; a name that says nothing gives "" (unspecified) rather than a guess.
 */
function unitFromName(name) {
  const word = (pattern) => new RegExp(`(^|[^a-z])(${pattern})([^a-z]|$)`, 'i').test(name);
  if (/day/i.test(name) || word('d')) return 'days';
  if (/week/i.test(name) || word('wks?')) return 'weeks';
  if (/month/i.test(name) || word('mos?')) return 'months';
  if (/year/i.test(name) || word('yrs?|y')) return 'years';
  return '';
}

/** One endpoint from the profile's suggestions: a time column, or a start and an end date, and the event. */
export function guessEndpoint(profile) {
  const s = profile.suggestions;
  const useDates = !s.time && s.start_date && s.end_date;
  return {
    name: 'Survival',
    source: useDates ? 'dates' : 'column',
    time: useDates ? '' : s.time ?? '',
    time_unit: unitFromName(s.time ?? ''),
    start_date: s.start_date ?? '',
    end_date: s.end_date ?? '',
    unit: 'months',
    date_format: 'auto',
    event: s.event ?? '',
    event_values: [],
  };
}

/** The first suggested grouping column that no other role uses. */
export function guessGroup(profile, taken) {
  return profile.suggestions.group.find((g) => !taken.includes(g)) ?? '';
}

const KIND_WORDS = {
  empty: 'empty', 'yes-no': 'yes/no', integer: 'whole numbers', number: 'numbers', date: 'dates', category: 'categories', text: 'text',
};

/** A column's kind in words, for the preview's header. */
export function kindWords(col) {
  return KIND_WORDS[col.kind] ?? col.kind;
}

/** What a column holds, in one line: its range, dates or commonest values. */
export function columnSummary(col) {
  if (col.min !== null && col.min !== undefined) return `${col.min} to ${col.max}`;
  if (col.first_date) return `${col.first_date} to ${col.last_date}${col.date_format && col.date_format !== 'iso' ? ` (${col.date_format})` : ''}`;
  if (col.levels?.length) {
    const shown = col.levels.slice(0, 4).map((l) => `${l.value} (${l.count})`).join(', ');
    return col.levels.length > 4 || col.levels_truncated ? `${shown}, …` : shown;
  }
  return '';
}
