// A curator reviews record linkage in headless Chromium: signs in with the admin token, sees a
// pair side by side with the weight of each field, decides it is one person, finds the merged
// person's page explaining why, and undoes the decision. Every page is checked with axe-core.
//
// Needs the debug binary (`cargo build`), Debian's chromium and `npm ci` in this folder; the
// project's `scripts/test` does all of that.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import axe from 'axe-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binary = process.env.YODNOMA_BIN ?? join(root, 'target', 'debug', 'yodnoma');
const shots = join(root, 'e2e', 'test-results');
const token = 'curator-token-for-the-browser-test';

let server, url, browser, dataDir;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yodnoma-review-'));
  mkdirSync(shots, { recursive: true });
  const data = join(dataDir, 'data');
  const records = execFileSync(binary, ['gen', 'records', '--count', '1500', '--seed', '5']);
  const file = join(dataDir, 'records.csv');
  writeFileSync(file, records);
  const env = { ...process.env, RUST_LOG: 'warn' };
  execFileSync(binary, ['--data-dir', data, 'import', 'records', file, '--source', 'generated'], { env });
  execFileSync(binary, ['--data-dir', data, 'link'], { env });
  server = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--data-dir', data], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...env, YODNOMA_ADMIN_TOKEN: token },
  });
  url = await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: server.stdout }).once('line', (line) => {
      resolve(line.replace('yodnoma listening on ', '').replace(/\/$/, ''));
    });
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

async function expectAccessible(page, name) {
  await page.evaluate(axe.source);
  const result = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }));
  const grave = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = grave.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(report, [], `${name}: axe found serious or critical violations`);
}

test('a curator merges a pair under review, reads why, and undoes it', async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: 'en-GB', viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${url}/curator/sign-in`);
  await expectAccessible(page, 'sign-in');
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in as a curator' }).click();
  assert.match(page.url(), /\/review$/);
  assert.equal(await page.locator('h1').innerText(), 'Pairs to review');
  await expectAccessible(page, 'review');
  await page.screenshot({ path: join(shots, 'review-en.png'), fullPage: false });

  const waiting = await page.locator('main p strong').first().innerText();
  const first = page.locator('.review-pair').first();
  const people = await first.locator('thead a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.equal(people.length, 2);
  // Every field of the model is a row with the weight it added.
  assert.equal(await first.locator('tbody tr').count(), 9);
  await first.getByRole('button', { name: 'One person: merge' }).click();
  assert.notEqual(await page.locator('main p strong').first().innerText(), waiting);

  await page.goto(`${url}${people[0]}`);
  await expectAccessible(page, 'merged person');
  await page.getByRole('heading', { name: 'Why these records are one person' }).waitFor();
  await page.screenshot({ path: join(shots, 'person-linked-en.png'), fullPage: true });
  // The person merged away leads to the one it joined.
  await page.goto(`${url}${people[1]}`);
  assert.equal(new URL(page.url()).pathname, people[0]);

  await page.goto(`${url}/review`);
  await page.getByRole('button', { name: 'Undo' }).first().click();
  assert.equal(await page.locator('main p strong').first().innerText(), waiting);
  await page.goto(`${url}${people[1]}`);
  assert.equal(new URL(page.url()).pathname, people[1]);
  await context.close();
});

test('visitors cannot reach the review, and forms from elsewhere are refused', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  const response = await page.goto(`${url}/review`);
  assert.equal(response.status(), 403);
  const forged = await page.request.post(`${url}/review/decide`, { form: { a: '1', b: '2', same: 'yes' } });
  assert.equal(forged.status(), 403);
  await context.close();
});
