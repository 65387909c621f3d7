// Word documents (.docx) of a view's tables and its methods paragraph, written here rather than by
// a library: a .docx is a zip of a few XML parts (ECMA-376 WordprocessingML), and the tables need
// only paragraphs, runs and table cells. Loaded by import() when the user asks for one, so the
// page does not fetch it otherwise. The tables are the { caption, head, body, notes, numeric }
// objects of views.js, as in the CSV and clipboard exports.

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const DOC_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

// A4 in twentieths of a point (dxa), 2 cm margins; wide tables turn the page to landscape.
const A4 = { short: 11906, long: 16838, margin: 1134 };
const LANDSCAPE_FROM_COLUMNS = 8;
const TABLE_FONT_HALF_POINTS = 18;
const NOTE_FONT_HALF_POINTS = 16;
const RULE = 'w:val="single" w:sz="8" w:space="0" w:color="000000"';

/** Text as XML character data: markup escaped, characters XML 1.0 forbids dropped. */
function xmlText(text) {
  return String(text)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
}

/** A paragraph of one run: { bold, size (half-points), align, indent (dxa), after (dxa) }. */
function paragraph(text, { bold = false, size = null, align = null, indent = 0, after = null } = {}) {
  const pPr = [
    after === null ? '' : `<w:spacing w:before="0" w:after="${after}"/>`,
    indent ? `<w:ind w:left="${indent}"/>` : '',
    align ? `<w:jc w:val="${align}"/>` : '',
  ].join('');
  const rPr = `${bold ? '<w:b/>' : ''}${size ? `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/>` : ''}`;
  return `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ''}<w:r>${rPr ? `<w:rPr>${rPr}</w:rPr>` : ''}<w:t xml:space="preserve">${xmlText(text)}</w:t></w:r></w:p>`;
}

/**
 * A table as journals print it (and as export.js's toHtml pastes it): rules above and below, a
 * bold header row ruled off and repeated on each page, levels indented under their variable,
 * numbers right-aligned; the caption in bold above and the notes in small type below.
 */
function table(t, width) {
  const numeric = new Set(t.numeric ?? []);
  // The first column (labels) gets two shares of the width, every other column one.
  const share = Math.floor(width / (t.head.length + 1));
  const grid = t.head.map((_, i) => `<w:gridCol w:w="${i === 0 ? width - share * (t.head.length - 1) : share}"/>`).join('');
  const cell = (text, i, { header = false } = {}) => {
    const level = i === 0 && /^\s/.test(String(text));
    const borders = header ? `<w:tcBorders><w:bottom ${RULE}/></w:tcBorders>` : '';
    const p = paragraph(String(text).trim(), {
      bold: header || (i === 0 && !level), size: TABLE_FONT_HALF_POINTS, after: 0,
      align: numeric.has(i) ? 'right' : 'left', indent: level ? 227 : 0,
    });
    return `<w:tc>${borders ? `<w:tcPr>${borders}</w:tcPr>` : ''}${p}</w:tc>`;
  };
  const head = `<w:tr><w:trPr><w:tblHeader/></w:trPr>${t.head.map((h, i) => cell(h, i, { header: true })).join('')}</w:tr>`;
  const body = t.body.map((row) => `<w:tr><w:trPr><w:cantSplit/></w:trPr>${row.map((c, i) => cell(c, i)).join('')}</w:tr>`).join('');
  const props = `<w:tblPr><w:tblW w:w="${width}" w:type="dxa"/><w:tblBorders><w:top ${RULE}/><w:bottom ${RULE}/></w:tblBorders>`
    + '<w:tblLayout w:type="autofit"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>';
  return [
    t.caption ? paragraph(t.caption, { bold: true, after: 60 }) : '',
    `<w:tbl>${props}<w:tblGrid>${grid}</w:tblGrid>${head}${body}</w:tbl>`,
    ...(t.notes ?? []).map((n) => paragraph(n, { size: NOTE_FONT_HALF_POINTS, after: 0 })),
    paragraph('', { after: 120 }),
  ].join('');
}

/** word/document.xml: the title, each table, then the methods under their own heading. */
function documentXml({ title, tables, methods }) {
  const landscape = tables.some((t) => t.head.length >= LANDSCAPE_FROM_COLUMNS);
  const [w, h] = landscape ? [A4.long, A4.short] : [A4.short, A4.long];
  const width = w - 2 * A4.margin;
  const body = [
    title ? paragraph(title, { bold: true, size: 28, after: 240 }) : '',
    ...tables.map((t) => table(t, width)),
    methods ? paragraph('Methods', { bold: true, after: 60 }) + paragraph(methods) : '',
  ].join('');
  const section = `<w:sectPr><w:pgSz w:w="${w}" w:h="${h}"${landscape ? ' w:orient="landscape"' : ''}/>`
    + `<w:pgMar w:top="${A4.margin}" w:right="${A4.margin}" w:bottom="${A4.margin}" w:left="${A4.margin}" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr>`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W}"><w:body>${body}${section}</w:body></w:document>`;
}

/** word/styles.xml: only the defaults (a sans-serif 10 pt, British English), so Word and LibreOffice agree. */
const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="${W}"><w:docDefaults>`
  + '<w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/><w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>'
  + '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults></w:styles>';

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
  + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
  + '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
  + '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>';

const PACKAGE_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${RELS}">`
  + `<Relationship Id="rId1" Type="${DOC_REL}/officeDocument" Target="word/document.xml"/></Relationships>`;

const DOCUMENT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${RELS}">`
  + `<Relationship Id="rId1" Type="${DOC_REL}/styles" Target="styles.xml"/></Relationships>`;

/** The .docx of some tables and a methods paragraph: { title, tables, methods } -> a Blob. */
export function docxBlob(content) {
  return zip([
    ['[Content_Types].xml', CONTENT_TYPES],
    ['_rels/.rels', PACKAGE_RELS],
    ['word/_rels/document.xml.rels', DOCUMENT_RELS],
    ['word/styles.xml', STYLES],
    ['word/document.xml', documentXml(content)],
  ], DOCX_TYPE);
}

// ---- zip (PKWARE APPNOTE 6.3: local headers, central directory, end record; files stored) ----

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip checks each file with. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Little-endian fields [bytes, value] as one header. */
function header(fields) {
  const size = fields.reduce((n, [bytes]) => n + bytes, 0);
  const view = new DataView(new ArrayBuffer(size));
  let at = 0;
  for (const [bytes, value] of fields) {
    if (bytes === 2) view.setUint16(at, value, true);
    else view.setUint32(at, value, true);
    at += bytes;
  }
  return new Uint8Array(view.buffer);
}

// Stored (not deflated): a few kilobytes of XML, and no compressor to load. Names are UTF-8
// (flag bit 11); every file is dated 1980-01-01, the zip epoch, so a document's bytes depend
// only on its content.
const UTF8_NAMES = 0x0800;
const EPOCH_DATE = (1 << 5) | 1;

function zip(files, type) {
  const encoder = new TextEncoder();
  const parts = [];
  const central = [];
  let offset = 0;
  for (const [name, text] of files) {
    const path = encoder.encode(name);
    const data = encoder.encode(text);
    const crc = crc32(data);
    const common = [[2, UTF8_NAMES], [2, 0], [2, 0], [2, EPOCH_DATE], [4, crc], [4, data.length], [4, data.length], [2, path.length], [2, 0]];
    parts.push(header([[4, 0x04034b50], [2, 20], ...common]), path, data);
    central.push(header([[4, 0x02014b50], [2, 20], [2, 20], ...common, [2, 0], [2, 0], [2, 0], [4, 0], [4, offset]]), path);
    offset += 30 + path.length + data.length;
  }
  const size = central.reduce((n, p) => n + p.length, 0);
  const end = header([[4, 0x06054b50], [2, 0], [2, 0], [2, files.length], [2, files.length], [4, size], [4, offset], [2, 0]]);
  return new Blob([...parts, ...central, end], { type });
}
