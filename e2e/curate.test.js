// A curator composes an exhibition in headless Chromium: creates a draft, adds a section, a
// narrative block and an exhibit with its image, previews it, is refused publication while alt
// text is missing in a language of the exhibition (each missing one listed), narrows its
// languages, publishes, and visitors read it. Every page is checked with axe-core.
//
// Needs the debug binary (`cargo build`), Debian's chromium and `npm ci` in this folder; the
// project's `scripts/test` does all of that.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binary, shots, startServer, launchBrowser, expectAccessible, painting } from './support.js';

const password = 'a password for the browser test';

let server, url, browser, dataDir, scan;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yodnoma-curate-'));
  mkdirSync(shots, { recursive: true });
  const data = join(dataDir, 'data');
  const env = { ...process.env, RUST_LOG: 'warn' };
  execFileSync(binary, ['--data-dir', data, 'user', 'add', '--role', 'curator', 'curator@museum.kz'], { env, input: `${password}\n` });
  scan = join(dataDir, 'letter.png');
  writeFileSync(scan, painting(900, 600));
  ({ server, url } = await startServer(['--data-dir', data, '--demo']));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

test('a curator composes, previews and publishes an exhibition once every alt text is written', async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: 'en-GB', viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${url}/curate`);
  assert.match(page.url(), /\/login\?next=%2Fcurate$/);
  await page.getByLabel('E-mail').fill('curator@museum.kz');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.match(page.url(), /\/curate$/);
  assert.equal(await page.locator('h1').innerText(), 'Curating exhibitions');
  assert.equal(await page.getByRole('link', { name: 'Faces of Victory', exact: true }).count(), 1, 'the demo is listed');
  await expectAccessible(page, 'curate');

  // A new draft.
  const create = page.locator('form[aria-labelledby="new"]');
  await create.getByLabel('Id').fill('home-front');
  await create.getByLabel('English').fill('The home front');
  await create.getByLabel('Русский').fill('Тыл');
  await page.getByRole('button', { name: 'Create the draft' }).click();
  assert.match(page.url(), /\/curate\/exhibitions\/home-front$/);
  await expectAccessible(page, 'editor');

  // A section and its narrative.
  const addSection = page.locator('form[aria-labelledby="add-section"]');
  await addSection.getByLabel('English').fill('Evacuation');
  await addSection.getByRole('button', { name: 'Add a section' }).click();
  const section = page.locator('#section-0');
  assert.equal(await section.getByRole('heading', { name: 'Section 1' }).count(), 1);
  await section.getByText('Add a block').first().click();
  await section.locator('details form').getByLabel('English').first().fill('More than **three million** evacuees were taken in by the five republics.');
  await section.locator('details form').getByRole('button', { name: 'Add a block' }).click();

  // An exhibit with its scan, placed in the section.
  await page.locator('#section-0').getByRole('link', { name: 'New exhibit' }).click();
  assert.match(page.url(), /\/curate\/exhibits\/new\?exhibition=home-front&section=0$/);
  await expectAccessible(page, 'new exhibit');
  await page.getByLabel('Id').fill('evacuation-letter');
  await page.locator('fieldset', { hasText: 'Title' }).first().getByLabel('English').fill('A letter from the evacuation');
  await page.getByLabel('Creator').fill('Unknown');
  await page.getByLabel('Persons shown').fill('demo:h017');
  await page.getByLabel('Image file').setInputFiles(scan);
  await page.locator('fieldset', { hasText: 'Alt text' }).last().getByLabel('English').fill('A handwritten letter on squared paper');
  await page.getByRole('button', { name: 'Save the exhibit' }).click();
  assert.match(page.url(), /\/curate\/exhibitions\/home-front#section-0$/);
  assert.equal(await page.locator('#section-0').getByRole('link', { name: 'A letter from the evacuation' }).count(), 1);

  // The draft previewed; visitors do not find it.
  const preview = await context.newPage();
  await preview.goto(`${url}/curate/exhibitions/home-front/preview?lang=en`);
  assert.match(await preview.locator('.preview-banner').innerText(), /Preview/);
  assert.equal(await preview.locator('.narrative strong').innerText(), 'three million');
  await expectAccessible(preview, 'preview');
  const hidden = await preview.request.get(`${url}/exhibitions/home-front`);
  assert.equal(hidden.status(), 404);
  await preview.close();

  // Refused while alt text is missing in Russian, Kazakh and Uzbek; each one listed.
  await page.getByRole('button', { name: 'Publish' }).click();
  assert.match(await page.getByRole('alert').innerText(), /Not published/);
  const missing = page.locator('.missing-alt li');
  assert.equal(await missing.count(), 3);
  assert.match(await missing.first().innerText(), /image evacuation-letter: no alt text in Русский/);
  await expectAccessible(page, 'refused');
  await page.screenshot({ path: join(shots, 'curate-refused-en.png'), fullPage: false });

  // Published in English only: the alt text it has is enough.
  const details = page.locator('form[aria-labelledby="details"]');
  for (const language of ['Русский', 'Қазақша', 'Oʻzbekcha']) {
    await details.getByRole('checkbox', { name: language }).uncheck();
  }
  await details.getByRole('button', { name: 'Save' }).click();
  assert.equal(await page.locator('.missing-alt').count(), 0);
  await page.getByRole('button', { name: 'Publish' }).click();
  assert.match(await page.locator('main > p').nth(1).innerText(), /Published/);
  await page.screenshot({ path: join(shots, 'curate-editor-en.png'), fullPage: false });

  const visitor = await browser.newContext({ bypassCSP: true, locale: 'en-GB' });
  const shown = await visitor.newPage();
  await shown.goto(`${url}/exhibitions/home-front?lang=en`);
  assert.equal(await shown.locator('h1').innerText(), 'The home front');
  assert.equal(await shown.getByRole('heading', { name: 'Evacuation' }).count(), 1);
  assert.equal(await shown.getByAltText('A handwritten letter on squared paper').count(), 1);
  await expectAccessible(shown, 'published exhibition');
  await visitor.close();
  await context.close();
});
