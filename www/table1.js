// The Table 1 view: the characteristics by group as a journal prints them, with missing values
// counted on their own line, the percent basis named in the rows and the footnote, decimals
// chosen, the chi-square variant named, and optional standardised mean differences.
//
// Choices live in settings.table1 (null until the user changes the defaults; then
// { variables, categorical, continuous, nonnormal, percent, yates, smd, decimals,
// percent_decimals }, the lists as the core's Table1Options takes them). The defaults come from
// the core (Session.table1_defaults: roles, identifiers, record numbers, dates and free text not
// ticked, each with its reason), so a grade coded 1-3 is categorical here as in the Cox view.

import { format_percent } from './pkg/survcalc.js';
import { el, fmt, fmtP, tableBlock, controlId, docxButton } from './views.js';
import { slug } from './export.js';
import { errorBox, TABLE1_SCOPE } from './hints.js';
import { activeEndpoint, setSetting, levelSettings } from './store.js';
import { levelLabel, orderedNames } from './figure.js';
import { candidates, columnPicker, excludedNote, isNumeric } from './models.js';
import { rScriptButton } from './rscript.js';

/** The options a Table 1 has before the user chooses (a link from before they existed gets them too). */
export const TABLE1_OPTIONS = {
  categorical: [], continuous: [], nonnormal: [], percent: 'column', yates: false, smd: false, decimals: 1, percent_decimals: 1,
};

/** What a categorical variable's percentages are of: the label on its row, and the footnote. */
const PERCENT = {
  column: { label: 'n (%)', choice: 'each group (column %)', note: 'of each column\'s patients with the value recorded (column %)' },
  row: { label: 'n (row %)', choice: 'each level across the groups (row %)', note: 'of the level\'s patients across the groups (row %; All is 100%)' },
  total: { label: 'n (% of total)', choice: 'all patients (% of total)', note: 'of all patients with the value recorded, over every group (% of total)' },
};

/** Every column an endpoint uses (any endpoint, not only the active one): never a characteristic by default. */
function outcomeColumns(state) {
  return new Set(state.settings.endpoints.flatMap((e) => [e.time, e.start_date, e.end_date, e.event]).filter(Boolean));
}

export const table1DefaultsJob = {
  name: 'table1_defaults',
  request(state) {
    const { group, strata, view } = state.settings;
    if (view !== 'table1' || !group || state.settings.table1) return null;
    const e = activeEndpoint(state);
    const dates = e.source === 'dates';
    return {
      op: 'table1_defaults',
      args: {
        time: dates ? null : e.time || null, event: e.event || null,
        start_date: dates ? e.start_date || null : null, end_date: dates ? e.end_date || null : null,
        group, strata: strata || null,
      },
      label: 'Choosing Table 1\'s characteristics…',
      context: {},
    };
  },
};

/**
 * The Table 1 choices: the user's (completed with the options' defaults), or the core's
 * defaults for this file and these roles; null while those are being computed.
 */
export function table1Settings(state) {
  if (state.settings.table1) return { ...TABLE1_OPTIONS, ...state.settings.table1 };
  const defaults = state.results.table1_defaults;
  if (!defaults?.value) return null;
  const outcome = outcomeColumns(state);
  return { ...TABLE1_OPTIONS, variables: defaults.value.variables.filter((c) => !outcome.has(c) && c !== state.settings.group) };
}

function setTable1(store, changes) {
  setSetting(store, ['table1'], { ...table1Settings(store.state), ...changes });
}

/** Whether the core summarises a column by its levels unless told otherwise (text, or few whole numbers such as grade 1-3). */
function categoricalByDefault(state, column) {
  return state.data?.profile.columns.find((c) => c.name === column)?.default_kind !== 'continuous';
}

/** How a column is summarised: 'categorical', 'mean' (mean (SD)) or 'median' (median (IQR)); text is always categorical. */
export function summaryOf(state, t1, column) {
  if (!isNumeric(state, column)) return 'categorical';
  if (t1.categorical.includes(column)) return 'categorical';
  if (t1.nonnormal.includes(column)) return 'median';
  if (t1.continuous.includes(column)) return 'mean';
  return categoricalByDefault(state, column) ? 'categorical' : 'mean';
}

/** The lists the core takes, with `column` summarised as `how`. */
function withSummary(t1, column, how) {
  const without = (list) => list.filter((c) => c !== column);
  return {
    categorical: [...without(t1.categorical), ...(how === 'categorical' ? [column] : [])],
    continuous: [...without(t1.continuous), ...(how !== 'categorical' ? [column] : [])],
    nonnormal: [...without(t1.nonnormal), ...(how === 'median' ? [column] : [])],
  };
}

export const table1Job = {
  name: 'table1',
  request(state) {
    const { group, view } = state.settings;
    const t1 = table1Settings(state);
    if (view !== 'table1' || !group || !t1?.variables.length) return null;
    const how = new Map(t1.variables.map((c) => [c, summaryOf(state, t1, c)]));
    const numeric = t1.variables.filter((c) => isNumeric(state, c));
    return {
      op: 'table1',
      args: {
        group, variables: t1.variables,
        categorical: numeric.filter((c) => how.get(c) === 'categorical'),
        // Only where the core would count levels: a column of numbers with a stray word then
        // stays an error that offers to list the word as a missing-value code.
        continuous: numeric.filter((c) => how.get(c) !== 'categorical' && categoricalByDefault(state, c)),
        nonnormal: numeric.filter((c) => how.get(c) === 'median'),
        percent: t1.percent, yates: Boolean(t1.yates), smd: Boolean(t1.smd),
      },
      label: 'Building Table 1…',
      context: { decimals: t1.decimals, percent_decimals: t1.percent_decimals, summaries: Object.fromEntries(how) },
    };
  },
};

function select(id, label, value, choices, onchange) {
  return el('label', {}, `${label} `, el('select', { id, onchange: (ev) => onchange(ev.target.value) },
    choices.map(([v, text]) => el('option', { value: String(v), text, selected: String(v) === String(value) }))));
}

/** The table's options: percent basis, decimals, chi-square variant, SMD. */
function optionsBlock(t1, store) {
  const set = (key, parse = (v) => v) => (v) => setTable1(store, { [key]: parse(v) });
  const digits = (n) => Array.from({ length: n + 1 }, (_, i) => [i, String(i)]);
  return el('fieldset', { class: 'options', id: 'table1-options' },
    el('legend', { text: 'Table options' }),
    el('div', { class: 'controls' },
      select('table1-percent', 'Percentages of', t1.percent, Object.entries(PERCENT).map(([v, p]) => [v, p.choice]), set('percent')),
      select('table1-percent-decimals', 'Decimals of percentages', t1.percent_decimals, digits(2), set('percent_decimals', Number)),
      select('table1-decimals', 'Decimals of means, SDs, medians', t1.decimals, digits(3), set('decimals', Number)),
      select('table1-chisq', 'Chi-square test', t1.yates ? 'yates' : 'pearson', [
        ['pearson', 'Pearson, no continuity correction (SPSS\'s Pearson chi-square)'],
        ['yates', 'Yates\' continuity correction for 2 × 2 tables (R\'s chisq.test default)'],
      ], (v) => setTable1(store, { yates: v === 'yates' })),
      el('label', { class: 'check' }, el('input', {
        type: 'checkbox', id: 'table1-smd', checked: Boolean(t1.smd), onchange: (ev) => setTable1(store, { smd: ev.target.checked }),
      }), ' Standardised mean differences (two groups)')));
}

/** Why the columns not offered or not ticked by default were left out, from the core's defaults. */
function leftOutNote(state, t1) {
  const leftOut = (state.results.table1_defaults?.value?.left_out ?? []).filter((l) => !t1.variables.includes(l.column) && l.column !== state.settings.group);
  if (!leftOut.length) return null;
  return el('p', { class: 'muted', id: 'table1-left-out' }, 'Not ticked by default: ',
    leftOut.map((l) => `${l.column}: ${l.reason}`).join('; '), '.');
}

/** Table 1 by the chosen group column: one line per continuous variable, one per level otherwise. */
export function table1Panel(state, store) {
  const { group } = state.settings;
  if (!group) return [el('p', { class: 'note', text: 'Choose a column under “Compare groups” to describe the patients by group.' })];
  const t1 = table1Settings(state);
  if (!t1) return [];
  const summary = (c) => (t1.variables.includes(c) && isNumeric(state, c) ? el('select', {
    id: controlId('table1-summary', c),
    'aria-label': `${c} summarised as`,
    onchange: (ev) => setTable1(store, withSummary(t1, c, ev.target.value)),
  }, [['categorical', 'categories, n (%), chi-square/Fisher'], ['mean', 'mean (SD), t-test/ANOVA'], ['median', 'median (IQR), rank test']]
    .map(([value, text]) => el('option', { value, text, selected: summaryOf(state, t1, c) === value }))) : null);
  const outcome = outcomeColumns(state);
  const picker = columnPicker({
    id: 'table1-variables', legend: 'Characteristics', prefix: 'table1-use',
    columns: candidates(state).filter((c) => c !== group && !outcome.has(c)),
    chosen: t1.variables, onchange: (next) => setTable1(store, { variables: next }), extra: summary,
  });
  const head = [picker, leftOutNote(state, t1), optionsBlock(t1, store)];
  if (!t1.variables.length) return [...head, el('p', { class: 'note', text: 'Tick the characteristics to describe.' })];
  const result = state.results.table1;
  if (!result) return head;
  if (result.error) return [...head, errorBox(result.error, 'Table 1', { id: 'table1-error', state, scope: TABLE1_SCOPE })];
  return [...head, ...table1Results(result.value, result.context, result, (c) => levelSettings(state.settings, c))];
}

/** A count with its percentage as the core rounds it (never "0%" for a level that is present). */
function countCell(level, decimals) {
  return level.percent === null || level.percent === undefined ? String(level.count) : `${level.count} (${format_percent(level.percent, decimals)}%)`;
}

function continuousCell(s, median, d) {
  if (s.n === 0) return '—';
  return median ? `${fmt(s.median, d)} (${fmt(s.q1, d)}–${fmt(s.q3, d)})` : `${fmt(s.mean, d)} (${fmt(s.sd, d)})`;
}

/** The footnote letter of each variable: one letter per way P was computed (test and variant). */
function testMarks(t1) {
  const marks = new Map();
  t1.tests_used.forEach((u, i) => { for (const v of u.variables) marks.set(v, 'abcdefghij'[i]); });
  return marks;
}

/**
 * The groups' columns in the order chosen with the figure: for each column shown, the index of the
 * core's group (`by_group`) it holds.
 */
function groupColumns(t1, levels) {
  const names = t1.groups.map((g) => g.name);
  return orderedNames(names, levels).map((n) => names.indexOf(n));
}

/**
 * The table as { caption, head, body, notes }: what the page shows and every export writes.
 * `levelsOf(column)` gives a column's level settings (store.js levelSettings): the group
 * column's labels and order make the columns, a characteristic's labels name its levels.
 */
export function table1Table(t1, context, levelsOf = () => ({ labels: {}, order: [] })) {
  const marks = testMarks(t1);
  const groupLevels = levelsOf(t1.group);
  const columnsOf = groupColumns(t1, groupLevels);
  const inOrder = (byGroup) => columnsOf.map((i) => byGroup[i]);
  const smd = t1.rows.some((r) => r.smd !== undefined && r.smd !== null);
  const d = context.decimals;
  const missingRow = (r) => {
    const columns = [r.overall, ...inOrder(r.by_group)];
    return columns.some((s) => s.missing > 0) ? [['    Missing', ...columns.map((s) => String(s.missing)), ...(smd ? [''] : []), '']] : [];
  };
  const rows = [];
  for (const r of t1.rows) {
    const p = r.p === null ? '—' : `${fmtP(r.p)}${marks.has(r.variable) ? ` ${marks.get(r.variable)}` : ''}`;
    const smdCell = smd ? [r.smd === undefined || r.smd === null ? '' : fmt(r.smd, 2)] : [];
    if (r.kind === 'continuous') {
      const median = context.summaries[r.variable] === 'median' || ['mann-whitney', 'kruskal-wallis'].includes(r.test);
      rows.push([`${r.variable}, ${median ? 'median (IQR)' : 'mean (SD)'}`, continuousCell(r.overall, median, d),
        ...inOrder(r.by_group).map((g) => continuousCell(g, median, d)), ...smdCell, p]);
    } else {
      rows.push([`${r.variable}, ${PERCENT[t1.percent].label}`, '', ...r.by_group.map(() => ''), ...smdCell, p]);
      const levels = levelsOf(r.variable);
      r.overall.levels.forEach((lv, i) => {
        rows.push([`    ${levelLabel(levels, lv.level)}`, countCell(lv, context.percent_decimals),
          ...inOrder(r.by_group).map((g) => countCell(g.levels[i], context.percent_decimals)), ...(smd ? [''] : []), '']);
      });
    }
    rows.push(...missingRow(r));
  }
  const notes = [];
  if (t1.rows.some((r) => r.kind === 'categorical')) notes.push(`n (%): percentages ${PERCENT[t1.percent].note}.`);
  if (t1.rows.some((r) => [r.overall, ...r.by_group].some((s) => s.missing > 0))) {
    notes.push('Missing: patients without the value, counted on their own line and in no percentage, mean or median.');
  }
  notes.push(...t1.tests_used.map((u, i) => `${'abcdefghij'[i]} ${u.method}: ${u.variables.join(', ')}.`));
  const left = excludedNote(t1.excluded);
  if (left) notes.push(left);
  if (smd) notes.push('SMD: absolute standardised mean difference between the two groups (for a categorical variable, Yang and Dalton\'s over all its levels, as R\'s tableone).');
  // The values behind the group labels, so a reader can match the columns to the data set.
  const named = t1.groups.filter((g) => levelLabel(groupLevels, g.name) !== g.name);
  if (named.length) notes.push(`Groups: ${inOrder(t1.groups).filter((g) => named.includes(g)).map((g) => `${levelLabel(groupLevels, g.name)} (${t1.group} = ${g.name})`).join('; ')}.`);
  const k = t1.groups.length;
  return {
    caption: `Table 1. Characteristics by ${t1.group}`,
    head: ['Characteristic', `All (n = ${t1.n})`, ...inOrder(t1.groups).map((g) => `${levelLabel(groupLevels, g.name)} (n = ${g.n})`), ...(smd ? ['SMD'] : []), 'P'],
    body: rows,
    numeric: Array.from({ length: k + 2 + (smd ? 1 : 0) }, (_, i) => i + 1),
    notes,
  };
}

function table1Results(t1, context, answer, levelsOf) {
  const blocks = [];
  if (t1.warnings.length) blocks.push(el('div', { class: 'warn', role: 'note' }, t1.warnings.map((w) => el('p', { text: w }))));
  const table = table1Table(t1, context, levelsOf);
  blocks.push(tableBlock(table, 'table1', `table1-${slug(t1.group)}`),
    el('div', { class: 'buttons' }, docxButton('table1-docx', { tables: [table] }, `table1-${slug(t1.group)}`),
      rScriptButton('table1', answer, `table1-${t1.group}`)));
  return blocks;
}
