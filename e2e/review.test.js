// A curator reviews record linkage in headless Chromium: signs in with their account, sees a
// pair side by side with the weight of each field, decides it is one person, finds the merged
// person's page explaining why, and undoes the decision. Every page is checked with axe-core.
//
// Needs the debug binary (`cargo build`), Debian's chromium and `npm ci` in this folder; the
// project's `scripts/test` does all of that.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary, shots, startServer, launchBrowser, expectAccessible } from './support.js';

const password = 'a password for the browser test';

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
  execFileSync(binary, ['--data-dir', data, 'user', 'add', '--role', 'curator', 'curator@museum.kz'], { env, input: `${password}\n` });
  ({ server, url } = await startServer(['--data-dir', data]));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

test('a curator merges a pair under review, reads why, and undoes it', async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: 'en-GB', viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  // The review asks an anonymous visitor to sign in, and brings them back afterwards.
  await page.goto(`${url}/review`);
  assert.match(page.url(), /\/login\?next=%2Freview$/);
  await expectAccessible(page, 'sign-in');
  await page.getByLabel('E-mail').fill('curator@museum.kz');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.equal(await page.getByRole('alert').innerText(), 'The e-mail or the password is not right.');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.match(page.url(), /\/review$/);
  assert.equal(await page.getByText('curator@museum.kz').isVisible(), true, 'the header names the account');
  assert.equal(await page.locator('h1').innerText(), 'Pairs to review');
  await expectAccessible(page, 'review');
  await page.screenshot({ path: join(shots, 'review-en.png'), fullPage: false });

  const waiting = await page.locator('main p strong').first().innerText();
  const first = page.locator('.review-pair').first();
  const people = await first.locator('thead a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.equal(people.length, 2);
  // Every field of the model is a row with the weight it added.
  assert.equal(await first.locator('tbody tr').count(), 11);
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
  await page.goto(`${url}/review`);
  assert.equal(await page.locator('h1').innerText(), 'Sign in');
  const forged = await page.request.post(`${url}/review/decide`, { form: { a: '1', b: '2', same: 'yes' } });
  assert.equal(forged.status(), 403);
  await context.close();
});
