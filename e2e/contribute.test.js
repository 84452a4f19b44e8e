// A family shares a story in headless Chromium: signs up (the operator opened sign-up), writes
// a story with a photo, and sees it wait; a moderator approves it; every visitor then reads it on
// the person's page, in each of the four languages, apart from the official records. Every page
// is checked with axe-core.
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

let server, url, browser, dataDir, photo, personUrl;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yodnoma-contribute-'));
  mkdirSync(shots, { recursive: true });
  const data = join(dataDir, 'data');
  const env = { ...process.env, RUST_LOG: 'warn' };
  const list = join(dataDir, 'list.csv');
  writeFileSync(list, 'record_id,surname,given_name,birth_date,region\n1,Момыш-улы,Баурджан,1910,Джамбулская обл.\n');
  execFileSync(binary, ['--data-dir', data, 'import', 'records', list, '--source', 'list'], { env });
  execFileSync(binary, ['--data-dir', data, 'user', 'add', '--role', 'moderator', 'moderator@museum.kz'],
    { env, input: 'a moderator password\n' });
  photo = join(dataDir, 'grandfather.png');
  writeFileSync(photo, painting(600, 800));
  ({ server, url } = await startServer(['--data-dir', data, '--open-sign-up']));
  const found = await (await fetch(`${url}/api/v1/search?q=Momyshuly`)).json();
  personUrl = `/persons/${found.items[0].person_id}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

test('a family shares a story, a moderator approves it, and it shows in every language', async () => {
  const family = await browser.newContext({ bypassCSP: true, locale: 'en-GB' });
  const page = await family.newPage();
  await page.goto(`${url}${personUrl}?lang=en`);
  await page.getByRole('link', { name: 'Share a family story' }).click();
  assert.match(page.url(), /\/login\?next=/);
  await page.getByRole('link', { name: 'Make an account' }).click();
  await expectAccessible(page, 'sign-up');
  await page.getByLabel('Your name as it will be shown').fill('Aigerim, granddaughter');
  await page.getByLabel('E-mail').fill('aigerim@example.kz');
  await page.getByLabel('Password', { exact: true }).fill('our grandfather story');
  await page.getByLabel('The same password again').fill('our grandfather story');
  await page.getByRole('button', { name: 'Make the account' }).click();

  assert.match(page.url(), /\/contribute$/, 'back to the story form, signed in');
  await expectAccessible(page, 'contribute');
  await page.getByLabel('Title', { exact: true }).fill('He came home in 1945');
  await page.getByLabel('The story', { exact: true }).fill('Grandfather came back to *Almaty* in the autumn of 1945.\n\n- his letters\n- his medal');
  await page.getByLabel('Your relation to the person').fill('granddaughter');
  await page.getByLabel('A photo or document (optional)').setInputFiles(photo);
  await page.getByLabel('What the photo shows (needed with a photo)').fill('A soldier in a greatcoat by a house');
  await page.getByLabel(/I hold the rights/).check();
  await page.screenshot({ path: join(shots, 'contribute-en.png'), fullPage: true });
  await page.getByRole('button', { name: 'Send for moderation' }).click();
  assert.match(page.url(), /\/contributions\?sent=1$/);
  assert.equal(await page.getByRole('status').innerText(), 'Thank you: your story waits for a moderator.');
  assert.equal(await page.getByText('Waiting for a moderator').count(), 1);
  await expectAccessible(page, 'my contributions');
  await family.close();

  const staff = await browser.newContext({ bypassCSP: true, locale: 'en-GB', viewport: { width: 1100, height: 900 } });
  const desk = await staff.newPage();
  await desk.goto(`${url}/login?next=%2Fmoderation`);
  await desk.getByLabel('E-mail').fill('moderator@museum.kz');
  await desk.getByLabel('Password').fill('a moderator password');
  await desk.getByRole('button', { name: 'Sign in' }).click();
  assert.match(desk.url(), /\/moderation$/);
  assert.equal(await desk.getByText('One contribution waits.').count(), 1);
  await expectAccessible(desk, 'moderation');
  await desk.screenshot({ path: join(shots, 'moderation-en.png'), fullPage: false });
  await desk.getByRole('button', { name: 'Approve and publish' }).click();
  assert.equal(await desk.getByText('0 contributions wait.').count(), 1);
  await staff.close();

  const visitors = await browser.newContext({ bypassCSP: true });
  const visitor = await visitors.newPage();
  for (const [lang, heading] of [['ru', 'Память семьи'], ['kk', 'Отбасы жады'], ['uz', 'Oila xotirasi'], ['en', 'Family memories']]) {
    await visitor.goto(`${url}${personUrl}?lang=${lang}`);
    assert.equal(await visitor.getByRole('heading', { name: heading }).count(), 1, lang);
    const story = visitor.locator('.family-story');
    assert.equal(await story.getByRole('heading', { name: 'He came home in 1945' }).count(), 1, lang);
    assert.equal(await story.locator('em').innerText(), 'Almaty', lang);
    assert.match(await story.innerText(), /Aigerim, granddaughter/, lang);
    assert.doesNotMatch(await visitor.content(), /aigerim@example\.kz/, 'the e-mail stays private');
    const image = story.getByRole('img', { name: 'A soldier in a greatcoat by a house' });
    await image.scrollIntoViewIfNeeded();
    assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth > 0), `${lang}: the photo loads`);
    await expectAccessible(visitor, `person page with a family story (${lang})`);
  }
  await visitor.goto(`${url}${personUrl}?lang=en`);
  await visitor.locator('#family').scrollIntoViewIfNeeded();
  await visitor.screenshot({ path: join(shots, 'family-story-en.png'), fullPage: false });
  await visitors.close();
});
