// The page loads, reads the simulated example, and stays within its own origin and CSP.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, privacyProblems, SCRATCH } from './harness.mjs';

let env;
before(async () => { env = await launch(); });
after(async () => { await env?.close(); });

test('example loads with its three endpoints and no foreign request or CSP violation', async () => {
  const opened = await openPage(env);
  const { page, seen } = opened;
  await page.click('#example-button');
  await page.waitForSelector('#outcome p');
  const tabs = await page.$$eval('#endpoint-tabs button', (b) => b.map((x) => x.textContent));
  assert.deepEqual(tabs, ['PFS', 'OS from surgery', 'OS from drug start']);
  const outcome = await page.textContent('#outcome');
  assert.match(outcome, /15 patients used/);
  await page.screenshot({ path: `${SCRATCH}/example.png`, fullPage: true });
  const problems = await privacyProblems(env, opened);
  assert.deepEqual(problems, { csp: [], foreign: [] });
  assert.deepEqual(seen.errors, []);
});
