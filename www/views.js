// Building the page's parts from the state: real HTML tables, plain words, no innerHTML from data;
// views are built again whenever the part of the state they show changes (watch) and put in
// place by updating what is there (replace), so the user's place is kept: the control being
// clicked, focus, text being typed, open sections.

import { format_p } from './pkg/survcalc.js';
import { kindWords } from './roles.js';
import { csvBlob, download, copyTable } from './export.js';

/** Creates an element; `attrs` may hold `class`, `text`, event handlers (`onclick`) and attributes. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.className = value;
    else if (key.startsWith('on')) {
      // Kept with the element, so that replace() can move the handlers to an element it keeps.
      node.handlers = [...(node.handlers ?? []), [key.slice(2), value]];
      node.addEventListener(key.slice(2), value);
    }
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

/**
 * Calls render(state) now and after every change of the store that changes what pick(state)
 * returns (an array of parts of the state, compared by reference). A change made while render
 * runs (removing a focused field fires its change event on blur) is drawn once render is done,
 * from the state as it is then: never inside a render, which would pull nodes from under it.
 */
export function watch(store, pick, render) {
  const last = { parts: null, rendering: false, again: false };
  const run = (state) => {
    const parts = pick(state);
    if (last.parts && parts.length === last.parts.length && parts.every((p, i) => p === last.parts[i])) return;
    if (last.rendering) {
      last.again = true;
      return;
    }
    last.parts = parts;
    last.rendering = true;
    try {
      render(state);
    } finally {
      last.rendering = false;
    }
    if (last.again) {
      last.again = false;
      run(store.state);
    }
  };
  store.subscribe(run);
  run(store.state);
}

/**
 * Puts freshly built nodes in a container, keeping the user's place: elements that are there
 * already (matched by id, else by position and tag) are updated in place rather than replaced,
 * so the control being clicked or typed in stays the same element, keeps focus and the text
 * being typed, and <details> stay open or closed as the user left them. Event handlers added by
 * el() move to the kept element.
 */
export function replace(container, ...nodes) {
  patchChildren(container, nodes.flat().filter((n) => n !== null && n !== undefined && n !== false)
    .map((n) => (n instanceof Node ? n : document.createTextNode(String(n)))));
}

function patchChildren(parent, next) {
  const old = [...parent.childNodes];
  const byId = new Map(old.filter((n) => n.id).map((n) => [n.id, n]));
  const kept = next.map((node, i) => {
    const match = node.id ? byId.get(node.id) : old[i] && !old[i].id ? old[i] : null;
    if (match && sameKind(match, node)) {
      byId.delete(node.id);
      patch(match, node);
      return match;
    }
    return node;
  });
  const keep = new Set(kept);
  // A node may have left already: removing a focused one runs its blur and change handlers.
  for (const node of old) if (!keep.has(node) && node.parentNode === parent) node.remove();
  kept.forEach((node, i) => {
    if (parent.childNodes[i] !== node) parent.insertBefore(node, parent.childNodes[i] ?? null);
  });
}

/** Whether an element may be updated into another: same tag, id and input type; a canvas is always redrawn anew. */
function sameKind(a, b) {
  if (a.nodeType !== b.nodeType || a.nodeName !== b.nodeName) return false;
  if (a.nodeType !== Node.ELEMENT_NODE) return true;
  return a.id === b.id && a.getAttribute('type') === b.getAttribute('type') && a.nodeName !== 'CANVAS';
}

const TEXT_INPUTS = new Set(['text', 'number', 'search', '']);

function patch(a, b) {
  if (a.nodeType !== Node.ELEMENT_NODE) {
    if (a.data !== b.data) a.data = b.data;
    return;
  }
  const typing = a === document.activeElement && (a.tagName === 'TEXTAREA' || (a.tagName === 'INPUT' && TEXT_INPUTS.has(a.type)));
  for (const { name } of [...a.attributes]) {
    if (!b.hasAttribute(name) && !(name === 'open' && a.tagName === 'DETAILS')) a.removeAttribute(name);
  }
  for (const { name, value } of [...b.attributes]) {
    if (a.getAttribute(name) !== value && !(name === 'open' && a.tagName === 'DETAILS')) a.setAttribute(name, value);
  }
  for (const [type, fn] of a.handlers ?? []) a.removeEventListener(type, fn);
  for (const [type, fn] of b.handlers ?? []) a.addEventListener(type, fn);
  a.handlers = b.handlers;
  // Read before the children are patched: new options move from b into a, changing b's value.
  const { value, checked } = b;
  patchChildren(a, [...b.childNodes]);
  if (a.tagName === 'SELECT') a.value = value;
  if (a.tagName === 'INPUT' || a.tagName === 'TEXTAREA') {
    if (!typing && a.value !== value) a.value = value;
    if (a.checked !== checked) a.checked = checked;
  }
}

/** An element id for a control about a column (any text): letters, digits, - and _ kept, the rest as code points. */
export function controlId(prefix, column) {
  return `${prefix}-${[...column].map((ch) => (/[A-Za-z0-9_-]/.test(ch) ? ch : `.${ch.codePointAt(0).toString(16)}`)).join('')}`;
}

/**
 * A table from a header row and body rows of text; columns listed in `numeric` align right.
 * The same { caption, head, body, notes } object feeds CSV and TSV export. A first cell starting
 * with spaces is a level under the row above (Table 1's categories) and is indented.
 */
export function dataTable({ caption, head, body, notes = [], numeric = [] }, attrs = {}) {
  const isNum = (i) => numeric.includes(i);
  return el('table', { class: 'data', ...attrs },
    caption ? el('caption', { text: caption }) : null,
    el('thead', {}, el('tr', {}, head.map((h, i) => el('th', { scope: 'col', class: isNum(i) ? 'num' : null, text: h })))),
    el('tbody', {}, body.map((row) => el('tr', {}, row.map((cell, i) => (i === 0
      ? el('th', { scope: 'row', class: /^\s/.test(cell) ? 'level' : null, text: cell.trim() })
      : el('td', { class: isNum(i) ? 'num' : null, text: cell })))))),
    notes.length ? el('tfoot', {}, notes.map((n) => el('tr', {}, el('td', { colspan: head.length, text: n })))) : null);
}

/** A results table with its exports: a CSV file, and a copy that pastes into Word or Excel as a table. */
export function tableBlock(table, id, fileName) {
  const copy = async (ev) => {
    const button = ev.currentTarget;
    button.textContent = (await copyTable(table)) ? 'Copied' : 'Copy failed';
    setTimeout(() => { button.textContent = 'Copy for Word/Excel'; }, 1500);
  };
  return el('div', { class: 'table-block' },
    el('div', { class: 'scroll' }, dataTable(table, { id })),
    el('div', { class: 'buttons' },
      el('button', { type: 'button', id: `${id}-csv`, onclick: () => download(csvBlob(table), `${fileName}.csv`) }, 'Download CSV'),
      el('button', { type: 'button', id: `${id}-copy`, onclick: copy }, 'Copy for Word/Excel')));
}

/**
 * A button offering a view's tables and methods paragraph as a Word document ({ title, tables,
 * methods }); the writer (docx.js) is loaded only when the button is used.
 */
export function docxButton(id, content, fileName) {
  const save = async () => {
    const { docxBlob } = await import('./docx.js');
    download(docxBlob(content), `${fileName}.docx`);
  };
  return el('button', { type: 'button', id, onclick: save }, 'Download as a Word document (.docx)');
}

/** The preview: header and first rows, with the columns' guessed kinds under their names. */
export function previewTable(preview, profiles) {
  const head = el('tr', {}, preview.headers.map((h, i) => el('th', { scope: 'col' },
    h, el('br'), el('span', { class: 'muted', text: profiles[i] ? kindWords(profiles[i]) : '' }))));
  return [
    el('thead', {}, head),
    el('tbody', {}, preview.rows.map((row) => el('tr', {}, row.map((cell) => el('td', { text: cell }))))),
  ];
}

/**
 * Rows excluded from an analysis, each with its reason, folded away when there are many; rows are
 * numbered as the spreadsheet program shows them (`header_row` is the header's row there; data
 * row r is row header_row + r), in the sheet read; `id` names the list (and its parts) where a
 * view shows its own.
 */
export function exclusions(excluded, { header_row: headerRow = 1, sheet = null, id = 'excluded' } = {}) {
  if (!excluded?.length) return el('p', { class: 'muted', id: `${id}-none`, text: 'No rows were excluded.' });
  const list = dataTable({
    head: [sheet ? `Row (sheet “${sheet}”)` : 'Row', 'Reason'],
    body: excluded.map((e) => [String(headerRow + e.row), e.reason]),
  }, { id: `${id}-table` });
  const where = `rows numbered as ${sheet ? `sheet “${sheet}”` : 'a spreadsheet program'} shows them, the header being row ${headerRow}`;
  const summary = `${excluded.length} row${excluded.length === 1 ? ' was' : 's were'} excluded (${where}): show which and why`;
  return el('details', { class: 'warn', id, open: excluded.length <= 5 }, el('summary', { text: summary }), list);
}

/**
 * Keyboard for a tab list, as the WAI-ARIA tabs pattern: Left and Right (wrapping), Home and
 * End move to a tab and select it. The tab list may re-render when a tab is selected, so the
 * tab to focus is found again, by its place, after the click.
 */
export function tabKeys(list) {
  const tabs = () => [...list.querySelectorAll('[role=tab]:not([hidden])')];
  list.addEventListener('keydown', (ev) => {
    const all = tabs();
    const at = all.indexOf(ev.target);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 }[ev.key];
    if (at < 0 || to === undefined) return;
    ev.preventDefault();
    const place = (to + all.length) % all.length;
    all[place].click();
    tabs()[place]?.focus();
  });
}

/** Marks the selected tab for assistive technology and the Tab key (only it is in the tab order). */
export function selectTab(tab, selected) {
  tab.setAttribute('aria-selected', String(selected));
  tab.tabIndex = selected ? 0 : -1;
}

/** Formats a number for a table: fixed decimals, or an em dash for a quantity that does not exist. */
export function fmt(x, digits = 2) {
  return x === null || x === undefined || Number.isNaN(x) ? '—' : Number(x).toFixed(digits);
}

/** A p-value as journals print it, by the core's own formatter (never "0.000"). */
export function fmtP(p) {
  return p === null || p === undefined ? '—' : format_p(p);
}
