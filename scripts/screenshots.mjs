// The README's pictures, made by the page itself in headless chromium (`make web` first; R with
// `survival` writes the data): the page with the simulated example, and four figures as a journal
// receives them (the PNG export at 300 dpi): two groups, four groups with long names, greyscale
// with confidence bands (two groups: shaded and hatched; four: each band as its limits), the Cox view's forest plot and its proportional-hazards plots. Data: survival's `gbsg` (686 patients of
// the German Breast Cancer Study Group, LGPL), written to the scratch folder, never committed.
//
//   node scripts/screenshots.mjs          writes www/example/screenshot.png and docs/figures/*.png

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, dropFile, ROOT, SCRATCH } from '../tests/web/harness.mjs';

const OUT = join(ROOT, 'docs', 'figures');
const GBSG = join(SCRATCH, 'gbsg.csv');

/** gbsg with `arm`, menopausal status by hormone therapy coded 1-4 as a trial's four arms would be. */
function writeData() {
  mkdirSync(SCRATCH, { recursive: true });
  execFileSync('Rscript', ['-e', `library(survival); d <- gbsg; d$arm <- d$meno * 2 + d$hormon + 1; write.csv(d, "${GBSG}", row.names = FALSE)`]);
}

const ENDPOINT = { id: 'e1', name: 'Recurrence-free survival', source: 'column', time: 'rfstime', time_unit: 'days', event: 'status', display_unit: 'months' };
const HORMON = { labels: { 0: 'No hormone therapy', 1: 'Tamoxifen' } };
const ARM = { labels: { 1: 'Premenopausal, no hormone therapy', 2: 'Premenopausal, tamoxifen', 3: 'Postmenopausal, no hormone therapy', 4: 'Postmenopausal, tamoxifen' } };

const FIGURES = [
  { file: 'km-two-groups.png', settings: { group: 'hormon', levels: { hormon: HORMON }, plot: { hazard_ratio: 'cox', risk_table_events: true } } },
  { file: 'km-four-groups.png', settings: { group: 'arm', levels: { arm: ARM }, plot: { size: 'one-and-half' } } },
  { file: 'km-greyscale-bands.png', settings: { group: 'hormon', levels: { hormon: HORMON }, plot: { palette: 'greyscale', conf_bands: true, hazard_ratio: 'mantel-haenszel' } } },
  { file: 'km-greyscale-four.png', settings: { group: 'arm', levels: { arm: ARM }, plot: { size: 'one-and-half', palette: 'greyscale', conf_bands: true } } },
  {
    file: 'forest.png',
    settings: {
      view: 'cox', group: 'hormon', levels: { hormon: HORMON },
      cox: { covariates: ['age', 'meno', 'size', 'grade', 'nodes', 'pgr', 'er', 'hormon'], categorical: ['meno', 'grade', 'hormon'], firth: false, subgroups: [] },
    },
    button: '#cox-forest-export-png',
  },
  {
    file: 'zph.png',
    settings: {
      view: 'cox', group: 'hormon', levels: { hormon: HORMON },
      cox: { covariates: ['age', 'size', 'nodes', 'hormon'], categorical: ['hormon'], firth: false, subgroups: [] },
      plot: { zph_size: 'double' },
    },
    button: '#zph-all-export-png',
  },
];

const fragment = (settings) => `#s=${Buffer.from(JSON.stringify({ endpoints: [ENDPOINT], active: 'e1', ...settings })).toString('base64url')}`;

async function figure(env, { file, settings, button = '#export-png' }) {
  const { page, context } = await openPage(env, fragment(settings));
  await dropFile(page, 'gbsg.csv', readFileSync(GBSG, 'utf8'));
  await page.waitForSelector(button);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  copyFileSync(await download.path(), join(OUT, file));
  await page.screenshot({ path: join(SCRATCH, `page-${file}`), fullPage: true });
  await context.close();
}

async function example(env) {
  const { page, context } = await openPage(env);
  await page.click('#example-button');
  await page.waitForSelector('#km-canvas');
  // The results: the figure with its controls, the tables under it.
  await page.locator('#panel-km').screenshot({ path: join(ROOT, 'www', 'example', 'screenshot.png') });
  await context.close();
}

writeData();
mkdirSync(OUT, { recursive: true });
const env = await launch();
try {
  for (const f of FIGURES) await figure(env, f);
  await example(env);
} finally {
  await env.close();
}
