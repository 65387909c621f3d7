// Getting results out: tables as CSV files (with a byte-order mark, so Excel reads UTF-8), as a
// real table on the clipboard for Word and Excel (HTML, with tab-separated text beside it), and
// figures as files.

function cells(table) {
  return [table.head, ...table.body.map((row) => row.map((c, i) => (i === 0 ? String(c).trim() : c))), ...(table.notes ?? []).map((n) => [n])];
}

/** RFC 4180 CSV: fields with commas, quotes or line breaks are quoted. */
export function toCsv(table) {
  const quote = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return cells(table).map((row) => row.map((v) => quote(String(v))).join(',')).join('\r\n') + '\r\n';
}

/** Tab-separated lines, as Excel and Word expect on the clipboard. */
export function toTsv(table) {
  return cells(table).map((row) => row.map((v) => String(v).replace(/[\t\r\n]+/g, ' ')).join('\t')).join('\n');
}

const escapeHtml = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

/**
 * The table as an HTML fragment Word and Excel paste as a real table: the caption in bold above,
 * a bold header row with a rule under it, levels indented, numbers right-aligned, and the notes
 * as small paragraphs below (inline styles: pasted HTML keeps no style sheet).
 */
export function toHtml(table) {
  const numeric = new Set(table.numeric ?? []);
  const cell = (tag, text, i, extra = '') => {
    const indent = i === 0 && /^\s/.test(text) ? 'padding-left:12pt;' : '';
    const align = numeric.has(i) ? 'text-align:right;' : 'text-align:left;';
    return `<${tag} style="${align}${indent}${extra}padding:1pt 5pt;">${escapeHtml(String(text).trim())}</${tag}>`;
  };
  const head = table.head.map((h, i) => cell('th', h, i, 'font-weight:bold;border-bottom:1px solid #000;')).join('');
  const body = table.body.map((row) => `<tr>${row.map((c, i) => cell('td', c, i, i === 0 && !/^\s/.test(c) ? 'font-weight:bold;' : '')).join('')}</tr>`).join('');
  const notes = (table.notes ?? []).map((n) => `<p style="font-size:9pt;margin:0;">${escapeHtml(n)}</p>`).join('');
  return `<meta charset="utf-8">${table.caption ? `<p style="margin:0;"><b>${escapeHtml(table.caption)}</b></p>` : ''}`
    + `<table style="border-collapse:collapse;border-top:1px solid #000;border-bottom:1px solid #000;"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${notes}`;
}

/** A CSV file Excel opens in UTF-8 (the byte-order mark tells it to), so "20.0–35.0" stays readable. */
export function csvBlob(table) {
  return new Blob(['\ufeff', toCsv(table)], { type: 'text/csv;charset=utf-8' });
}

/** Offers a blob as a download named `name`, without leaving the page. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Puts a table on the clipboard as HTML (Word pastes a table with a bold header and the notes)
 * and as tab-separated text (plain editors, Excel); where the browser refuses ClipboardItem, the
 * table is selected on the page and copied, which carries both forms as well.
 */
export async function copyTable(table) {
  const html = toHtml(table);
  const text = toTsv(table);
  try {
    await navigator.clipboard.write([new ClipboardItem({
      'text/html': new Blob([html], { type: 'text/html' }),
      'text/plain': new Blob([text], { type: 'text/plain' }),
    })]);
    return true;
  } catch {
    return copySelection(html) || copyText(text);
  }
}

function copySelection(html) {
  const holder = document.createElement('div');
  holder.className = 'visually-hidden';
  holder.setAttribute('aria-hidden', 'true');
  holder.append(new DOMParser().parseFromString(html, 'text/html').body.cloneNode(true));
  document.body.append(holder);
  const range = document.createRange();
  range.selectNodeContents(holder);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  const ok = document.execCommand('copy');
  selection.removeAllRanges();
  holder.remove();
  return ok;
}

/** Copies text to the clipboard; falls back to a hidden textarea where the API is refused. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/** A file-name-safe version of a label. */
export function slug(text) {
  return String(text).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'survcalc';
}
