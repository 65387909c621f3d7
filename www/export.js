// Getting results out: tables as CSV files or TSV on the clipboard (pastes into Word and Excel), figures as files.

function cells(table) {
  return [table.head, ...table.body, ...(table.notes ?? []).map((n) => [n])];
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
