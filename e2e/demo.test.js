// The demo as a visitor meets it, in headless Chromium: open the exhibition, follow a hero to
// the person page, switch the language, and check every page with axe-core (no serious or
// critical violation). Also: the pages fit a phone screen, and work without JavaScript.
//
// Needs the debug binary (`cargo build`), Debian's chromium and `npm ci` in this folder; the
// project's `scripts/test` does all of that.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shots, startServer, launchBrowser, expectAccessible } from './support.js';

let server, url, browser, dataDir;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yodnoma-e2e-'));
  mkdirSync(shots, { recursive: true });
  ({ server, url } = await startServer(['--demo', '--data-dir', dataDir]));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

// The test contexts bypass CSP so that axe can be injected (see support.js).
async function newPage(options = {}) {
  const context = await browser.newContext({ bypassCSP: true, ...options });
  return context.newPage();
}

test('a visitor opens the exhibition, follows a hero and switches language', async () => {
  const page = await newPage({ locale: 'ru-RU' });
  await page.goto(`${url}/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');
  await expectAccessible(page, 'home');

  await page.getByRole('link', { name: 'Лица Победы' }).first().click();
  assert.equal(await page.locator('h1').innerText(), 'Лица Победы');
  await expectAccessible(page, 'exhibition');
  await page.screenshot({ path: join(shots, 'exhibition-ru.png'), fullPage: false });

  await page.getByRole('link', { name: /Мамраев/ }).first().click();
  assert.match(page.url(), /\/exhibits\/faces-of-victory-h001$/);
  const alt = await page.locator('figure.artwork img').getAttribute('alt');
  assert.ok(alt && alt.length > 20, 'the portrait says what it shows');
  await expectAccessible(page, 'exhibit');

  await page.locator('a[href^="/persons/"]').first().click();
  assert.equal(await page.locator('h1').innerText(), 'Мамраев Мартбек');
  await expectAccessible(page, 'person');

  await page.getByRole('navigation', { name: 'Язык' }).getByRole('link', { name: 'English' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.locator('h2#facts').innerText(), 'Facts');
  await expectAccessible(page, 'person in English');
  await page.screenshot({ path: join(shots, 'person-en.png'), fullPage: false });

  // The choice is remembered on the next page.
  await page.getByRole('link', { name: 'Exhibitions' }).first().click();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');

  await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Қазақша' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'kk');
  await expectAccessible(page, 'exhibitions in Kazakh');
  await page.context().close();
});

test('search finds a hero and every page fits a phone', async () => {
  const page = await newPage({ viewport: { width: 375, height: 740 }, locale: 'uz' });
  await page.goto(`${url}/search?lang=uz`);
  await page.getByRole('searchbox').fill('Спатаев');
  await page.getByRole('button', { name: 'Qidirish' }).click();
  await page.getByRole('link', { name: /Спатаев Карсыбай/ }).click();
  assert.match(await page.locator('h1').innerText(), /Спатаев/);
  await expectAccessible(page, 'person on a phone');
  for (const path of ['/', '/exhibitions/faces-of-victory', '/exhibits/faces-of-victory-h008']) {
    await page.goto(`${url}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} is ${overflow}px wider than a phone`);
  }
  await page.screenshot({ path: join(shots, 'exhibit-phone-uz.png'), fullPage: false });
  await page.context().close();
});

test('a family finds a hero by the Latin spelling they use, with the keyboard alone', async () => {
  const page = await newPage({ locale: 'en-GB', viewport: { width: 1100, height: 900 } });
  await page.goto(`${url}/search`);
  // The search box is reached by the keyboard and submitted with Enter.
  await page.getByRole('searchbox').focus();
  await page.keyboard.type('Mamrayev Martbek');
  await page.keyboard.press('Enter');
  await page.waitForURL(/q=Mamrayev/);
  const first = page.locator('ol.results > li').first();
  assert.match(await first.locator('a').innerText(), /Мамраев Мартбек/);
  // The page says how the name matched.
  assert.match(await first.locator('.matched').innerText(), /mamrayev → мамраев: written in BGN\/PCGN/);
  await expectAccessible(page, 'search results');
  await page.screenshot({ path: join(shots, 'search.png'), fullPage: false });

  // The filters open from the keyboard and narrow the results; facet counts are links.
  await page.locator('details.filters summary').focus();
  await page.keyboard.press('Enter');
  await page.getByLabel('Fate').selectOption('survived');
  await page.getByRole('searchbox').focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/fate=survived/);
  assert.match(await page.locator('ol.results > li').first().innerText(), /Мамраев/);
  assert.ok(await page.getByRole('complementary').getByRole('link').count() > 0);
  await expectAccessible(page, 'search with filters');

  // A spelling that only sounds like the record's is offered the registry's spelling.
  await page.goto(`${url}/search?q=${encodeURIComponent('Мамыраев')}&lang=en`);
  assert.match(await page.locator('.suggestion').innerText(), /Did you mean Мамраев Мартбек/);
  await page.context().close();
});

test('the site works without JavaScript', async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.goto(`${url}/exhibitions/faces-of-victory?lang=en`);
  assert.equal(await page.locator('h1').innerText(), 'Faces of Victory');
  const images = await page.locator('ul.exhibits img').count();
  assert.equal(images, 28);
  await page.context().close();
});

test('the accessibility check itself catches an image without alt text', async () => {
  const page = await newPage();
  await page.setContent('<!doctype html><html lang="en"><title>t</title><main><img src="x.png"></main></html>');
  await assert.rejects(expectAccessible(page, 'a broken page'), /image-alt/);
  await page.context().close();
});

test('the statistics are tables in every language, read as numbers', async () => {
  const page = await newPage();
  for (const [lang, heading, republic] of [
    ['ru', 'По республикам', 'Казахстан'],
    ['kk', 'Республикалар бойынша', 'Қазақстан'],
    ['uz', 'Respublikalar boʻyicha', 'Qozogʻiston'],
    ['en', 'By republic', 'Kazakhstan'],
  ]) {
    await page.goto(`${url}/statistics?lang=${lang}`);
    const table = page.locator('#stats-republic').locator('..').locator('table');
    assert.equal(await page.getByRole('heading', { name: heading }).count(), 1, lang);
    const row = table.getByRole('row', { name: new RegExp(republic) });
    assert.equal(await row.count(), 1, `${lang}: ${republic}`);
    assert.match(await row.innerText(), /\d+/);
    await expectAccessible(page, `statistics (${lang})`);
  }
  await page.context().close();
});
