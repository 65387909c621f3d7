// Times the page in headless chromium: a generated CSV of 10^5 and 10^6 rows dropped on it, to the
// drawn Kaplan-Meier curve with all four tests. Prints the figures; a benchmark, not a test.
//
// Data: 3 groups, integer-month times 1-120 with heavy ties, about 30% censored (seeded, so the
// same file every run). Also reports the longest main-thread task seen, to show the page did not freeze.

import { launch, openPage } from '../tests/web/harness.mjs';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

function csv(n) {
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const lines = ['time,status,arm'];
  for (let i = 0; i < n; i++) {
    const arm = ['A', 'B', 'C'][i % 3];
    const time = 1 + Math.floor(rand() * 120 * (arm === 'A' ? 1 : arm === 'B' ? 0.8 : 0.6));
    lines.push(`${time},${rand() < 0.7 ? 1 : 0},${arm}`);
  }
  return lines.join('\n') + '\n';
}

const env = await launch();
try {
  for (const name of ['survcalc_bg.wasm', 'survcalc_sheets_bg.wasm']) {
    const wasm = readFileSync(new URL(`../www/pkg/${name}`, import.meta.url));
    console.log(`${name}: ${wasm.length} bytes, ${gzipSync(wasm, { level: 9 }).length} gzipped`);
  }
  for (const n of [1e5, 1e6]) {
    const text = csv(n);
    const { page, context } = await openPage(env);
    await page.evaluate(() => {
      window.__longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    // The file is built in the page first, so only reading, computing and drawing are timed.
    await page.evaluate((t) => { window.__file = new File([t], 'bench.csv', { type: 'text/csv' }); }, text);
    const ms = await page.evaluate(() => new Promise((resolve) => {
      const start = performance.now();
      const seen = new MutationObserver(() => {
        if (document.querySelector('#km-tests tbody tr') && document.querySelector('#km-canvas')) {
          seen.disconnect();
          requestAnimationFrame(() => resolve(performance.now() - start));
        }
      });
      seen.observe(document.body, { childList: true, subtree: true });
      const dt = new DataTransfer();
      dt.items.add(window.__file);
      document.querySelector('main').dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    }));
    const longest = await page.evaluate(() => window.__longest);
    const mb = (text.length / 1e6).toFixed(1);
    console.log(`${n.toExponential(0)} rows (${mb} MB): dropped to drawn curve with all tests in ${ms.toFixed(0)} ms; ${longest > 0 ? `longest main-thread task ${longest.toFixed(0)} ms` : 'no main-thread task over 50 ms (the page never froze)'}`);
    await context.close();
  }
} finally {
  await env.close();
}
