// The R script beside each result (issue 15): downloaded from the page for Kaplan-Meier, Cox,
// Table 1 and competing risks on the simulated example, it names the data file and holds no row
// of data; run by Rscript beside the file (where R is installed), R's numbers equal the page's
// (as the page rounds them) and the command line's JSON (to 1e-6).
//
// The expected numbers come from survcalc's command line (target/debug/survcalc, --json) and from
// the page's own tables; the values checked against them come from R's survival, cmprsk and stats
// packages running the downloaded script.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, privacyProblems, ROOT, SCRATCH, cells, CLI, ensureCli, openExample } from './harness.mjs';

const EXAMPLE_DIR = join(ROOT, 'www', 'example');
const EXAMPLE = join(EXAMPLE_DIR, 'gist_simulated.csv');
// The example's first endpoint (PFS) as the page sets it up (www/input.js, EXAMPLE).
const PFS = ['--start-date', 'date_surgery', '--end-date', 'date_progression_or_last', '--unit', 'months',
  '--event', 'first_event', '--event-value', 'progression', '--event-value', 'death'];

let env;
before(async () => {
  ensureCli();
  env = await launch();
});
after(async () => { await env?.close(); });

function cli(...args) {
  return JSON.parse(execFileSync(CLI, [...args, '--json'], { encoding: 'utf8' }));
}

/** Why R cannot run the scripts here, or null when Rscript with survival and cmprsk is installed. */
function rMissing() {
  try {
    execFileSync('Rscript', ['-e', 'library(survival); library(cmprsk)'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'Rscript with the survival and cmprsk packages is not installed here, so the downloaded scripts were checked as text only (install r-base-core, r-cran-survival and r-cran-cmprsk to run them)';
  }
}

/** Loads the example and downloads the R script of the Kaplan-Meier, Cox, Table 1 and competing-risks results. */
async function downloadScripts() {
  const opened = await openExample(env);
  const { page } = opened;
  const take = async (kind) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#${kind}-r-script`)]);
    return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
  };
  const scripts = { km: await take('km') };
  const shown = { summary: await cells(page, 'km-summary'), tests: await cells(page, 'km-tests') };
  await page.click('#view-tabs button[data-view=cox]');
  await page.waitForSelector('#cox-multivariable');
  scripts.cox = await take('cox');
  shown.cox = await cells(page, 'cox-multivariable');
  await page.click('#view-tabs button[data-view=table1]');
  await page.waitForSelector('#table1');
  scripts.table1 = await take('table1');
  shown.table1 = await cells(page, 'table1');
  await page.click('#tab-cif');
  await page.waitForSelector('#cif-tests');
  scripts.cif = await take('cif');
  shown.gray = await cells(page, 'cif-tests');
  return { opened, scripts, shown };
}

/**
 * Whether a number shown with d decimals ("12.3", or the start of "12.3 (8.1–NR)") is x rounded,
 * or, shown as "<0.001" or ">0.999", is below or above that bound.
 */
function shownAs(text, x) {
  const m = /^([<>]?)(-?\d+(?:\.(\d+))?)/.exec(text.trim());
  assert.ok(m, `a number is shown: "${text}"`);
  const shown = Number(m[2]);
  if (m[1] === '<') return x < shown;
  if (m[1] === '>') return x > shown;
  return Math.abs(shown - x) <= 0.5 * 10 ** -(m[3]?.length ?? 0) + 1e-12;
}

function close(a, b, what) {
  assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${what}: R ${a}, survcalc ${b}`);
}

/** The epilogue's helper: `out(name, x)` prints a line `name<TAB>x1<TAB>x2...` (NA as NA). */
const OUT = 'out <- function(name, x) { cat(name, format(as.numeric(x), digits = 17), sep = "\\t"); cat("\\n") }';

let downloaded;
async function scriptsOnce() {
  downloaded ??= await downloadScripts();
  return downloaded;
}

test('an R script beside each result names the data file, holds the settings and never the data', async () => {
  const { opened, scripts } = await scriptsOnce();
  assert.deepEqual(Object.values(scripts).map((s) => s.name).slice(0, 3), ['pfs-resection-km.R', 'pfs-cox.R', 'table1-resection.R']);
  assert.match(scripts.cif.name, /-cif\.R$/);
  for (const s of Object.values(scripts)) {
    assert.match(s.text, /read\.csv\("gist_simulated\.csv"/, s.name);
    assert.match(s.text, /Save this script in the data file's folder/, s.name);
  }
  assert.match(scripts.km.text, /fit <- survfit\(Surv\(time, status\) ~ resection, data = d, conf\.type = "log-log", conf\.int = 0\.95\)/);
  assert.match(scripts.km.text, /30\.4375/, 'months from dates with the same divisor');
  assert.match(scripts.km.text, /test <- survdiff\(/);
  assert.match(scripts.cox.text, /fit <- coxph\(Surv\(time, status\) ~ resection \+ age, data = d, ties = "efron"\)/);
  assert.match(scripts.table1.text, /tests\[\["age"\]\] <- t\.test\(age ~ resection/);
  assert.match(scripts.cif.text, /fit <- cuminc\(/);
  // No patient's identifier, date or free-text value appears in any script.
  const rows = readFileSync(EXAMPLE, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
  const values = new Set(rows.flatMap((r) => [r[0], r[7], r[8], r[10], r[12]]));
  for (const s of Object.values(scripts)) {
    for (const v of values) assert.ok(!s.text.includes(v), `"${v}" (a data value) is in ${s.name}`);
  }
  assert.deepEqual(await privacyProblems(env, opened), { csp: [], foreign: [] });
  assert.deepEqual(opened.seen.errors, []);
});

const missing = rMissing();

test('run by Rscript beside the data file, each script gives the page\'s numbers and the command line\'s', { skip: missing ?? false }, async () => {
  const { scripts, shown } = await scriptsOnce();
  const epilogue = {
    km: 'out("chisq", test$chisq)\nout("median", summary(fit)$table[, "median"])',
    cox: 'out("coef", coef(fit))',
    table1: 'for (v in names(tests)) out(paste0("p:", v), tests[[v]]$p.value)',
    cif: 'out("gray", fit$Tests[1, "stat"])',
  };
  const r = {};
  const dir = join(SCRATCH, 'rscript');
  mkdirSync(dir, { recursive: true });
  for (const [kind, s] of Object.entries(scripts)) {
    const file = join(dir, s.name);
    writeFileSync(file, `${s.text}\n# the test's epilogue\n${OUT}\ncat("-- values --\\n")\n${epilogue[kind]}\n`);
    const printed = execFileSync('Rscript', [file], { cwd: EXAMPLE_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const values = printed.split('-- values --\n')[1];
    r[kind] = Object.fromEntries(values.trim().split('\n').map((line) => {
      const [name, ...xs] = line.split('\t');
      return [name, xs.map(Number)];
    }));
  }

  // Kaplan-Meier: the log-rank chi-square and each group's median.
  const km = cli('km', EXAMPLE, ...PFS, '--group', 'resection');
  close(r.km.chisq[0], km.tests.find((t) => t.name === 'log-rank').chisq, 'log-rank chi-square');
  assert.ok(shownAs(shown.tests[0][1], r.km.chisq[0]), `page ${shown.tests[0][1]}, R ${r.km.chisq[0]}`);
  km.groups.forEach((g, i) => {
    const median = r.km.median[i];
    if (g.median === null) assert.ok(Number.isNaN(median), `${g.name}: median not reached in R too`);
    else {
      close(median, g.median, `${g.name} median`);
      assert.ok(shownAs(shown.summary[i][3], median), `page ${shown.summary[i][3]}, R ${median}`);
    }
  });

  // Cox: every coefficient, in the order of the terms.
  const cox = cli('cox', EXAMPLE, ...PFS, '--categorical', 'resection', '--covariate', 'age');
  assert.equal(r.cox.coef.length, cox.terms.length);
  cox.terms.forEach((t, i) => close(r.cox.coef[i], t.coef, `coefficient of ${t.name}`));
  const coefCells = shown.cox.map((row) => row[1]).filter((c) => c !== '');
  r.cox.coef.forEach((b, i) => assert.ok(shownAs(coefCells[i], b), `page ${coefCells[i]}, R ${b}`));

  // Table 1: the P value of every characteristic, by the test survcalc chose.
  const t1 = cli('table1', EXAMPLE, '--group', 'resection', ...['age', 'sex', 'primary_site', 'kit_mutation', 'metastatic_site'].flatMap((v) => ['--variable', v]));
  for (const row of t1.rows) {
    const p = r.table1[`p:${row.variable}`]?.[0];
    assert.ok(p !== undefined, `R tested ${row.variable}`);
    close(p, row.p, `P of ${row.variable}`);
    const cell = shown.table1.find((c) => c[0].startsWith(`${row.variable}, `)).at(-1);
    assert.ok(shownAs(cell, p), `page ${cell}, R ${p}`);
  }

  // Competing risks: Gray's test of the incidence of progression (death competing), as cmprsk::cuminc.
  const cif = cli('cif', EXAMPLE, ...PFS.slice(0, 6), '--event', 'first_event', '--event-value', 'progression', '--competing-value', 'death', '--group', 'resection');
  close(r.cif.gray[0], cif.gray_test.chisq, 'Gray\'s test');
  assert.ok(shownAs(shown.gray[0][1], r.cif.gray[0]), `page ${shown.gray[0][1]}, R ${r.cif.gray[0]}`);
});
