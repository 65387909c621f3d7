// The page's traps (issue 12, "Wrong or misleading on the page today"), each as a user meets it,
// and the exports that land in Word and Excel; every page is checked for requests and CSP
// violations as well. Each numbered test failed on the page before its fix (www/ of 4818016).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, privacyProblems, dropFile, ROOT, SCRATCH, cells, CLI, ensureCli, cli, openExample } from './harness.mjs';

const AML = join(ROOT, 'tests', 'data', 'aml.csv');
const CLEAN = join(ROOT, 'tests', 'data', 'input', 'clean.csv');
const COVER = join(ROOT, 'tests', 'data', 'input', 'cover_sheet.xlsx');
const VETERAN = join(ROOT, 'tests', 'data', 'veteran.csv');
const EXAMPLE = join(ROOT, 'www', 'example', 'gist_simulated.csv');

let env;
before(async () => {
  ensureCli();
  env = await launch();
});
after(async () => { await env?.close(); });

const heads = (page, id = 'km-summary') => page.$$eval(`#${id} thead th`, (th) => th.map((h) => h.textContent));

async function noLeaks(opened) {
  assert.deepEqual(await privacyProblems(env, opened), { csp: [], foreign: [] });
  assert.deepEqual(opened.seen.errors, []);
}

/** Types into a text field and commits it as a user does (the change event). */
async function type(page, selector, text) {
  await page.fill(selector, text);
  await page.dispatchEvent(selector, 'change');
}

async function openAml(page) {
  await dropFile(page, 'aml.csv', readFileSync(AML, 'utf8'));
  await page.waitForSelector('#km-summary');
  await page.selectOption('#group', 'x');
  await page.waitForFunction(() => document.querySelectorAll('#km-summary tbody tr').length === 2);
}

test('1. clearing "Survival at times" removes its columns and adds no time-0 column', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await openAml(page);
  await type(page, '#opt-at', '12, 24');
  await page.waitForFunction(() => document.querySelector('#km-summary thead')?.textContent.includes('Survival at 24.0'));
  const ref = cli('km', AML, '--time', 'time', '--event', 'status', '--group', 'x', '--at', '12,24');
  const row = (await cells(page, 'km-summary'))[0];
  const at = ref.groups[0].at[0];
  assert.equal(row[6], `${(at.surv * 100).toFixed(1)}% (${(at.lower * 100).toFixed(1)}%–${(at.upper * 100).toFixed(1)}%)`);

  await type(page, '#opt-at', '');
  await page.waitForFunction(() => !document.querySelector('#km-summary thead')?.textContent.includes('Survival at'));
  assert.deepEqual((await heads(page)).filter((h) => h.startsWith('Survival at')), []);
  assert.equal(await page.inputValue('#opt-at'), '');
  await noLeaks(opened);
});

test('2. "Survival at times", the restricted-mean limit and the time axis belong to an endpoint, in its unit', async () => {
  const first = await openPage(env);
  const { page } = first;
  await openAml(page);
  await page.selectOption('#ep-time-unit', 'months');
  await type(page, '#ep-name', 'OS');
  await type(page, '#opt-at', '12');
  await type(page, '#opt-tau', '24');
  await page.waitForFunction(() => document.querySelector('#km-summary tfoot')?.textContent.includes('τ = 24.0 months'));
  assert.ok((await heads(page)).includes('Survival at 12.0 months (95% CI)'), (await heads(page)).join('|'));

  // A second endpoint in days: what was given in months does not follow it, and the page says so.
  await page.click('#ep-add');
  await type(page, '#ep-name', 'RFS');
  await page.selectOption('#ep-time-unit', 'days');
  await page.waitForSelector('#notice-unit-e2');
  assert.match(await page.textContent('#notice-unit-e2'), /from months to days, so “Survival at times”, the restricted-mean limit .* were cleared/);
  await page.waitForFunction(() => document.querySelector('#panel-km h3')?.textContent.startsWith('RFS')
    && document.querySelector('#km-summary thead')?.textContent.includes('Median, days'));
  assert.deepEqual((await heads(page)).filter((h) => h.startsWith('Survival at')), [], 'no "Survival at 12.0 days"');
  assert.doesNotMatch(await page.textContent('#km-summary tfoot'), /τ =/);
  assert.match(await page.textContent('label[for=opt-at]'), /days/);

  await type(page, '#opt-at', '365');
  await page.waitForFunction(() => document.querySelector('#km-summary thead')?.textContent.includes('Survival at 365.0 days'));
  await page.click('#endpoint-tabs button:text-is("OS")');
  await page.waitForFunction(() => document.querySelector('#panel-km h3')?.textContent.startsWith('OS'));
  assert.ok((await heads(page)).includes('Survival at 12.0 months (95% CI)'));
  assert.equal(await page.inputValue('#opt-at'), '12');
  assert.equal(await page.inputValue('#opt-tau'), '24');
  assert.match(await page.textContent('#km-summary tfoot'), /τ = 24\.0 months/);

  // Each endpoint keeps its own times through a share link.
  await page.click('#copy-link');
  await page.waitForFunction(() => location.hash.startsWith('#s='));
  const second = await openPage(env, await page.evaluate(() => location.hash));
  await dropFile(second.page, 'aml.csv', readFileSync(AML, 'utf8'));
  await second.page.waitForFunction(() => document.querySelector('#km-summary thead')?.textContent.includes('Survival at 12.0 months'));
  await second.page.click('#endpoint-tabs button:text-is("RFS")');
  await second.page.waitForFunction(() => document.querySelector('#km-summary thead')?.textContent.includes('Survival at 365.0 days'));
  await noLeaks(first);
  await noLeaks(second);
});

test('3. the confidence-interval choice and the methods name whose default each transform is', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await openAml(page);
  const choices = await page.$$eval('#opt-conf-type option', (o) => o.map((x) => [x.value, x.textContent]));
  assert.deepEqual(choices, [
    ['log-log', 'log-log (Stata\'s and SAS\'s default)'],
    ['log', 'log (R survfit\'s default)'],
    ['plain', 'plain, untransformed (SPSS)'],
  ]);
  const expected = {
    'log-log': [/on the log-log scale \(the default of Stata and SAS; R's survfit defaults to the log scale\)/, /log-log transformation, the default of Stata and SAS/],
    log: [/on the log scale \(the default of R's survfit; Stata and SAS default to the log-log scale\)/, /the default of R's survfit \(conf\.type = "log"\)/],
    plain: [/on the plain \(untransformed\) scale \(as SPSS gives them\)/, /as SPSS gives them \(R's survfit with conf\.type = "plain"\)/],
  };
  for (const [value, [methods, note]] of Object.entries(expected)) {
    await page.focus('#opt-conf-type');
    await page.selectOption('#opt-conf-type', value);
    await page.waitForFunction((m) => new RegExp(m).test(document.querySelector('#methods-text')?.textContent), methods.source);
    assert.match(await page.textContent('#km-summary tfoot'), note);
    const ref = cli('km', AML, '--time', 'time', '--event', 'status', '--group', 'x', '--conf-type', value);
    const g = ref.groups[0];
    assert.equal((await cells(page, 'km-summary'))[0][3], `${g.median.toFixed(1)} (${g.median_lower.toFixed(1)}–${g.median_upper === null ? 'NR' : g.median_upper.toFixed(1)})`);
  }
  assert.equal(await page.$eval('#opt-conf-type', (s) => document.activeElement === s), true, 'focus stays on the control after the view is drawn again');
  await noLeaks(opened);
});

test('4. a share link opened with a file that does not fit keeps its message, naming what did not fit, until dismissed', async () => {
  const first = await openPage(env);
  await first.page.click('#example-button');
  await first.page.waitForSelector('#km-summary');
  await first.page.click('#copy-link');
  await first.page.waitForFunction(() => location.hash.startsWith('#s='));
  const second = await openPage(env, await first.page.evaluate(() => location.hash));
  const { page } = second;
  await page.setInputFiles('#file-input', CLEAN);
  await page.waitForSelector('#km-summary');
  await page.waitForSelector('#notice-link');
  const text = await page.textContent('#notice-link');
  assert.match(text, /Link settings not applied: this file has no column “resection” \(compare groups\), “first_event” \(PFS: event\), “date_surgery” \(PFS: start date\)/);
  assert.match(text, /The columns were guessed instead/);
  // The analysis with the guessed roles has finished; the message is still there.
  assert.equal(await page.inputValue('#group'), 'arm');
  await page.selectOption('#group', 'sex');
  await page.waitForFunction(() => document.querySelector('#panel-km h3')?.textContent.includes('by sex'));
  assert.equal(await page.isVisible('#notice-link'), true);
  await page.click('#dismiss-link');
  await page.waitForSelector('#notice-link', { state: 'detached' });
  await noLeaks(first);
  await noLeaks(second);
});

test('5. "Survival at times" refuses what is not a list of numbers, saying why, and accepts "12, 36, 60"', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await openAml(page);
  await page.selectOption('#ep-time-unit', 'months');
  await page.waitForFunction(() => document.querySelector('#km-summary thead')?.textContent.includes('Median, months'));
  const before = await heads(page);

  await type(page, '#opt-at', '1 year, 3 years');
  await page.waitForSelector('#opt-at-error');
  assert.match(await page.textContent('#opt-at-error'), /Not applied: “1 year” is not a number: give each time as a number in months \(this endpoint's unit\), separated by commas, for example 12, 36, 60/);
  assert.equal(await page.getAttribute('#opt-at', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#opt-at'), '1 year, 3 years', 'what was typed stays, to be corrected');
  assert.deepEqual(await heads(page), before, 'no column for 1 or 3 months');

  await type(page, '#opt-at', '1826,25');
  await page.waitForFunction(() => document.querySelector('#opt-at-error')?.textContent.includes('1826,25'));
  assert.match(await page.textContent('#opt-at-error'), /“1826,25” is ambiguous: a comma between digits may be a decimal comma \(1826\.25\) or two times/);
  assert.deepEqual(await heads(page), before);

  await type(page, '#opt-at', '12, 36, 60');
  await page.waitForFunction(() => document.querySelector('#km-summary thead')?.textContent.includes('Survival at 60.0 months'));
  assert.equal(await page.$('#opt-at-error'), null);
  assert.equal(await page.getAttribute('#opt-at', 'aria-invalid'), null);
  assert.deepEqual((await heads(page)).filter((h) => h.startsWith('Survival at')),
    ['Survival at 12.0 months (95% CI)', 'Survival at 36.0 months (95% CI)', 'Survival at 60.0 months (95% CI)']);
  await noLeaks(opened);
});

test('6. errors name the control to change and highlight it, in every view; every hint\'s control exists', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  // age with one stray word: the Cox model stops at it, naming the choice next to the covariate.
  const lines = readFileSync(CLEAN, 'utf8').split('\n');
  lines[7] = lines[7].replace(/,[\d.]+,([FM])$/, ',unknown,$1');
  await dropFile(page, 'clean.csv', lines.join('\n'));
  await page.waitForSelector('#km-summary');

  await page.click('#tab-cox');
  await page.check('#cox-use-age');
  await page.waitForSelector('#cox-error');
  const cox = await page.textContent('#cox-error');
  assert.match(cox, /column “age”, row 8 of the spreadsheet: 'unknown' is not a number.*choose “categorical” next to it in the Cox view/);
  assert.doesNotMatch(cox, /--/);
  assert.equal(await page.$eval('#cox-kind-age', (n) => n.classList.contains('attention')), true);
  // The same cell in Table 1 (age as mean (SD)): the hint names Table 1's own choice next to age.
  await page.click('#tab-table1');
  if (!(await page.$eval('#group', (s) => s.value))) await page.selectOption('#group', 'arm');
  await page.check('#table1-use-age');
  await page.waitForSelector('#table1-error');
  const t1 = await page.textContent('#table1-error');
  assert.match(t1, /column “age”, row 8 of the spreadsheet: 'unknown' is not a number.*“Missing-value codes”.*choose “categories, n \(%\)” next to “age” in the Table 1 view/);
  assert.equal(await page.$eval('#table1-summary-age', (n) => n.classList.contains('attention')), true);
  assert.equal(await page.$eval('#read-missing', (n) => n.classList.contains('attention')), true);
  await page.click('#tab-cox');
  // The other fix: “unknown” read as a missing value; the file is read again and the model appears
  // (highlighting “Missing-value codes” above opened “How the file is read”).
  if (!(await page.$eval('#read-details', (d) => d.open))) await page.click('#read-details summary');
  await type(page, '#read-missing', 'unknown');
  await page.waitForSelector('#cox-multivariable');
  assert.equal(await page.$$eval('.attention', (n) => n.length), 0);

  // Every control a hint may name exists on the page (views and options shown in turn).
  const controls = await page.evaluate(async () => Object.values((await import('./hints.js')).CONTROLS).flatMap(([, ids]) => ids));
  const seen = new Set();
  const look = async () => { for (const id of await page.$$eval('[id]', (n) => n.map((x) => x.id))) seen.add(id); };
  await look();
  await page.click('#tab-table1');
  await page.waitForSelector('#table1');
  await look();
  await page.click('#tab-regression');
  await page.waitForSelector('#reg-outcome');
  await look();
  await page.click('#tab-cif');
  await page.waitForSelector('#cif-causes');
  await page.waitForSelector('#cif-at');
  await look();
  await page.click('#tab-km');
  await page.setInputFiles('#file-input', VETERAN);
  await page.waitForSelector('#km-summary');
  await page.selectOption('#group', 'celltype');
  await page.waitForSelector('#opt-trend');
  await page.check('#opt-fh');
  await page.waitForSelector('#opt-fh-p');
  await page.check('#opt-exact');
  await page.waitForSelector('#opt-seed');
  await look();
  await page.setInputFiles('#file-input', COVER);
  await page.waitForSelector('#read-sheet');
  await look();
  assert.deepEqual(controls.filter((id) => !seen.has(id)), []);
  await noLeaks(opened);
});

test('7. error rows and excluded rows are the spreadsheet\'s own rows, in the sheet read', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await page.setInputFiles('#file-input', COVER);
  await page.waitForSelector('#km-summary');
  const ref = cli('km', COVER, '--time', 'time', '--event', 'status', '--group', 'arm');
  assert.deepEqual(ref.excluded.map((e) => e.row), [5, 12], 'data rows 5 and 12 of the fixture have no time');
  await page.waitForSelector('#excluded-table');
  assert.match(await page.textContent('#excluded summary'), /2 rows were excluded \(rows numbered as sheet “Data” shows them, the header being row 1\)/);
  assert.deepEqual(await page.$$eval('#excluded-table thead th', (t) => t.map((h) => h.textContent)), ['Row (sheet “Data”)', 'Reason']);
  assert.deepEqual((await cells(page, 'excluded-table')).map((r) => r[0]), ['6', '13']);

  // An error in a cell names the sheet and the row as the spreadsheet shows it; a column of
  // text chosen as time asks for another column (highlighted), not for the cell to be corrected.
  await page.selectOption('#ep-time', 'sex');
  await page.waitForSelector('#outcome-error');
  assert.match(await page.textContent('#outcome-error'), /sheet “Data”, column “sex”, row 2: the column holds text \('F'\), not follow-up times\. Choose another column for the time column\./);
  assert.equal(await page.$eval('#ep-time', (n) => n.classList.contains('attention')), true);
  await noLeaks(opened);
});

test('8. a workbook with a cover sheet: the data sheet is read and named, the sheets are listed and another can be chosen', async () => {
  const first = await openPage(env);
  const { page } = first;
  await page.setInputFiles('#file-input', COVER);
  await page.waitForSelector('#km-summary');
  assert.match(await page.textContent('#file-label'), /read as xlsx sheet “Data”/);
  assert.match(await page.textContent('#warnings'), /read sheet 'Data': the sheet before it \('Cover'\) holds no table/);
  assert.deepEqual(await page.$$eval('#read-sheet option', (o) => o.map((x) => x.textContent)), ['Cover', 'Data', 'Codebook']);
  assert.equal(await page.inputValue('#read-sheet'), 'Data');
  const ref = cli('km', COVER, '--time', 'time', '--event', 'status', '--group', 'arm');
  assert.deepEqual((await cells(page, 'km-summary')).map((r) => r.slice(0, 3)), ref.groups.map((g) => [g.name, String(g.n), String(g.events)]));

  // Another sheet: read, said, and the roles chosen again since its columns differ.
  await page.selectOption('#read-sheet', 'Codebook');
  await page.waitForFunction(() => document.querySelector('#file-label')?.textContent.includes('sheet “Codebook”'));
  assert.match(await page.textContent('#notice-reread'), /read this way, the file has no column .*“status” \(Survival: event\)/);
  assert.deepEqual(await page.$$eval('#preview thead th', (t) => t.map((h) => h.firstChild.textContent)), ['variable', 'meaning']);
  await page.selectOption('#read-sheet', 'Data');
  await page.waitForFunction(() => document.querySelector('#file-label')?.textContent.includes('sheet “Data”'));
  await page.selectOption('#ep-time', 'time');
  await page.selectOption('#ep-event', 'status');
  await page.waitForSelector('#km-summary');

  // The sheet travels in a share link.
  await page.selectOption('#read-sheet', 'Codebook');
  await page.waitForFunction(() => document.querySelector('#file-label')?.textContent.includes('sheet “Codebook”'));
  await page.click('#copy-link');
  await page.waitForFunction(() => location.hash.startsWith('#s='));
  const second = await openPage(env, await page.evaluate(() => location.hash));
  assert.match(await second.page.textContent('#restore-note'), /sheet “Codebook”/);
  await second.page.setInputFiles('#file-input', COVER);
  await second.page.waitForFunction(() => document.querySelector('#file-label')?.textContent.includes('sheet “Codebook”'));
  await noLeaks(first);
  await noLeaks(second);
});

test('9. a 1/2 treatment column chosen as the event: the coding is shown beside the choice, with a warning', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  const text = readFileSync(CLEAN, 'utf8').replace(/,A,/g, ',1,').replace(/,B,/g, ',2,');
  await dropFile(page, 'trial.csv', text);
  await page.waitForSelector('#km-summary');
  assert.equal(await page.textContent('#ep-event-coding'), 'Read as: event = 1, censored = 0.');
  await page.selectOption('#group', '');
  await page.selectOption('#ep-event', 'arm');
  await page.waitForFunction(() => document.querySelector('#ep-event-coding')?.textContent.includes('event = 2, censored = 1'));
  const coding = await page.textContent('#ep-event-coding');
  assert.match(coding, /^Read as: event = 2, censored = 1\./);
  assert.match(coding, /'arm' looks more like a grouping than an event/);
  const ref = JSON.parse(execFileSync(CLI, ['km', '-', '--json', '--time', 'time', '--event', 'arm'], { input: text, encoding: 'utf8' }));
  assert.ok(ref.warnings.some((w) => w.includes('looks more like a grouping')), 'the command line warns too');
  await noLeaks(opened);
});

test('views are updated in place: the element clicked or typed in stays, a select keeps its choice when its options change', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  const seen = await page.evaluate(async () => {
    const { el, replace } = await import('./views.js');
    const box = document.body.appendChild(document.createElement('div'));
    const choice = (options, value) => {
      const s = el('select', { id: 'probe' }, options.map((o) => el('option', { value: o, text: o })));
      s.value = value;
      return s;
    };
    replace(box, choice(['a'], 'a'), el('input', { type: 'text', id: 'field', value: 'x' }));
    const [select, input] = [box.querySelector('#probe'), box.querySelector('#field')];
    input.focus();
    input.value = 'typed';
    replace(box, choice(['a', 'b', 'c'], 'c'), el('input', { type: 'text', id: 'field', value: 'x' }));
    const kept = box.querySelector('#probe') === select && box.querySelector('#field') === input;
    const after = { kept, value: select.value, options: select.options.length, typed: input.value, focused: document.activeElement === input };
    box.remove();
    return after;
  });
  assert.deepEqual(seen, { kept: true, value: 'c', options: 3, typed: 'typed', focused: true });
  await noLeaks(opened);
});

test('Copy for Word/Excel puts a real table (HTML) and tab-separated text on the clipboard; CSV opens in Excel as UTF-8', async () => {
  const opened = await openExample(env);
  const { page } = opened;
  await page.click('#km-summary-copy');
  await page.waitForFunction(() => document.querySelector('#km-summary-copy')?.textContent === 'Copied');
  const clip = await page.evaluate(async () => {
    const [item] = await navigator.clipboard.read();
    const read = async (type) => (item.types.includes(type) ? (await item.getType(type)).text() : null);
    return { types: item.types, html: await read('text/html'), text: await read('text/plain') };
  });
  assert.deepEqual([...clip.types].sort(), ['text/html', 'text/plain']);
  const shown = await cells(page, 'km-summary');
  const table = await page.evaluate((html) => {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    return {
      caption: doc.querySelector('p b')?.textContent,
      head: [...doc.querySelectorAll('thead th')].map((th) => [th.textContent, th.style.fontWeight]),
      body: [...doc.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
      notes: [...doc.querySelectorAll('table ~ p')].map((p) => p.textContent),
    };
  }, clip.html);
  assert.equal(table.caption, 'Survival summary');
  assert.ok(table.head.every(([, weight]) => weight === 'bold'), 'a bold header row');
  assert.equal(table.head[0][0], 'Group');
  assert.deepEqual(table.body, shown);
  assert.ok(table.notes.some((n) => n.startsWith('NR: not reached')), 'the footnotes come along');
  assert.deepEqual(clip.text.split('\n')[1].split('\t'), shown[0]);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#km-summary-csv')]);
  const bytes = readFileSync(await csv.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte-order mark');
  const csvRows = bytes.toString('utf8').slice(1).split('\r\n');
  assert.equal(csvRows[1], shown[0].map((c) => (/[",]/.test(c) ? `"${c}"` : c)).join(','), 'the table\'s first row, en dashes intact');
  assert.match(csvRows[1], /\(\d+\.\d–(\d|NR)/);
  await page.screenshot({ path: join(SCRATCH, 'traps-example.png'), fullPage: true });
  await noLeaks(opened);
});

/** A downloaded .docx checked part by part: the zip (by unzip, which checks every CRC-32), its package, its body. */
async function wordDocument(page, saved, file) {
  await saved.saveAs(file);
  execFileSync('unzip', ['-tq', file]);
  // unzip reads a name as a pattern: brackets escaped.
  const part = (name) => execFileSync('unzip', ['-p', file, name.replace(/[[\]]/g, '\\$&')], { encoding: 'utf8' });
  assert.match(part('[Content_Types].xml'), /PartName="\/word\/document\.xml" ContentType="application\/vnd\.openxmlformats-officedocument\.wordprocessingml\.document\.main\+xml"/);
  assert.match(part('_rels/.rels'), /Target="word\/document\.xml"/);
  const doc = await page.evaluate((xml) => {
    const d = new DOMParser().parseFromString(xml, 'application/xml');
    if (d.querySelector('parsererror')) return { error: d.querySelector('parsererror').textContent };
    const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
    const all = (node, tag) => [...node.getElementsByTagNameNS(W, tag)];
    const text = (node) => all(node, 't').map((t) => t.textContent).join('');
    const body = all(d, 'body')[0];
    return {
      paragraphs: [...body.children].filter((n) => n.localName === 'p').map(text),
      tables: all(d, 'tbl').map((tbl) => ({
        rules: all(all(tbl, 'tblBorders')[0], 'top').length + all(all(tbl, 'tblBorders')[0], 'bottom').length,
        head: all(all(tbl, 'tr')[0], 'tc').map((tc) => [text(tc), all(tc, 'b').length > 0, all(tc, 'bottom').length > 0]),
        repeated: all(all(tbl, 'tr')[0], 'tblHeader').length === 1,
        body: all(tbl, 'tr').slice(1).map((tr) => all(tr, 'tc').map(text)),
      })),
    };
  }, part('word/document.xml'));
  assert.equal(doc.error, undefined, doc.error);
  return doc;
}

test('each view\'s tables and methods paragraph as a Word document: a valid .docx, tables with bold ruled headers, as shown', async () => {
  const opened = await openPage(env);
  const { page } = opened;
  await page.click('#example-button');
  await page.waitForSelector('#km-tests');
  const views = [['km', '#km-tests', '#km-docx', '#methods-text'], ['cox', '#cox-multivariable', '#cox-methods-docx', '#cox-methods'], ['table1', '#table1', '#table1-docx', null],
    ['cif', '#cif-models-table', '#cif-docx', '#cif-methods'], ['regression', '#reg-table', '#reg-docx', '#reg-methods']];
  for (const [view, ready, button, methodsId] of views) {
    await page.click(`#tab-${view}`);
    if (view === 'regression') {
      await page.selectOption('#reg-outcome', 'age');
      await page.check('#reg-use-sex');
    }
    await page.waitForSelector(ready);
    const [saved] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    assert.match(saved.suggestedFilename(), /\.docx$/);
    const doc = await wordDocument(page, saved, join(SCRATCH, `traps-example-${view}.docx`));
    // Every result table (the competing-risks view's table of codes is a control, not a result).
    const ids = await page.$$eval(`#panel-${view} table.data`, (t) => t.filter((x) => !x.closest('#cif-causes')).map((x) => x.id));
    assert.ok(ids.length >= 1, view);
    assert.equal(doc.tables.length, ids.length, `${view}: every table of the view`);
    for (const [i, t] of doc.tables.entries()) {
      assert.equal(t.rules, 2, 'a rule above and below');
      assert.ok(t.repeated, 'the header row repeats on each page');
      assert.deepEqual(t.head.map(([h]) => h), await heads(page, ids[i]));
      assert.ok(t.head.every(([, bold, ruled]) => bold && ruled), 'a bold header ruled off');
      assert.deepEqual(t.body, await cells(page, ids[i]));
      assert.ok(doc.paragraphs.includes(await page.$eval(`#${ids[i]} caption`, (c) => c.textContent)), 'the caption above');
    }
    if (view === 'km') assert.ok(doc.paragraphs.some((p) => p.startsWith('NR: not reached')), 'the footnotes come along');
    const methods = doc.paragraphs.indexOf('Methods');
    if (methodsId) assert.equal(doc.paragraphs[methods + 1], await page.textContent(methodsId));
    else assert.equal(methods, -1);
  }
  await noLeaks(opened);
});

test('the example, looked at: no control left unlabelled, every view drawn without a page error', async () => {
  const opened = await openExample(env);
  const { page } = opened;
  for (const view of ['cox', 'table1', 'km']) {
    await page.click(`#tab-${view}`);
    await page.waitForSelector({ cox: '#cox-multivariable', table1: '#table1', km: '#km-summary' }[view]);
    const unlabelled = await page.$$eval('input:not([type=hidden]), select, textarea', (nodes) => nodes
      .filter((n) => n.getClientRects().length && !n.labels?.length && !n.getAttribute('aria-label'))
      .map((n) => n.id || n.outerHTML.slice(0, 60)));
    assert.deepEqual(unlabelled, [], `${view}: every visible control has a label`);
  }
  const ref = cli('km', EXAMPLE, '--start-date', 'date_surgery', '--end-date', 'date_progression_or_last', '--unit', 'months', '--event', 'first_event', '--event-value', 'progression', '--event-value', 'death', '--group', 'resection');
  assert.match(await page.textContent('#methods-text'), new RegExp(ref.time_description.replace(/[()/.]/g, '\\$&')), 'the methods give the core\'s own conversion of dates to months');
  await noLeaks(opened);
});
