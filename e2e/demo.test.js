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

test('the statistics are charts with tables in every language, read as numbers', async () => {
  const page = await newPage();
  for (const [lang, heading, republic] of [
    ['ru', 'По республикам', 'Казахстан'],
    ['kk', 'Республикалар бойынша', 'Қазақстан'],
    ['uz', 'Respublikalar boʻyicha', 'Qozogʻiston'],
    ['en', 'By republic', 'Kazakhstan'],
  ]) {
    await page.goto(`${url}/statistics?lang=${lang}`);
    const table = page.locator('#stats-republic').locator('..').locator('table');
    assert.equal(await page.getByRole('heading', { name: heading, exact: true }).count(), 1, lang);
    const row = table.getByRole('row', { name: new RegExp(republic) });
    assert.equal(await row.count(), 1, `${lang}: ${republic}`);
    assert.match(await row.innerText(), /\d+/);
    // Every chart is an image with a name; the map names each republic with its count.
    const charts = page.locator('svg.chart');
    assert.ok((await charts.count()) >= 4, `${lang}: charts`);
    for (const chart of await charts.all()) {
      assert.equal(await chart.getAttribute('role'), 'img');
      assert.ok((await chart.locator(':scope > title').textContent()).length > 3);
    }
    assert.match(await page.locator('#chart-map-title').textContent(), /\S/);
    await expectAccessible(page, `statistics (${lang})`);
  }
  // A phone: the charts shrink to the screen instead of widening the page.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${url}/statistics?lang=en`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the page is ${width}px wide on a 360px screen`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${url}/statistics?lang=en`);
  await page.locator('#stats-republic').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'statistics-map-en.png'), fullPage: false });
  await page.locator('#stats-timeline').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'statistics-timeline-en.png'), fullPage: false });
  // Districts as the records write them: the five Panfilov guardsmen of Kogaly in one.
  const districts = page.locator('section[aria-labelledby="stats-district"]');
  await districts.scrollIntoViewIfNeeded();
  const kerbulak = districts.locator('tr', { hasText: 'Кербулакский район' });
  assert.equal(await kerbulak.locator('td.number').innerText(), '5');
  await page.screenshot({ path: join(shots, 'statistics-district-en.png'), fullPage: false });
  // Narrowing by a filter from the form.
  await page.goto(`${url}/statistics?lang=en`);
  await page.locator('.stats-filters summary').click();
  await page.selectOption('#fate', 'killed');
  await page.getByRole('button', { name: 'Count' }).click();
  assert.match(page.url(), /fate=killed/);
  await page.context().close();
});

test('the timeline of events and the places of memory, in every language', async () => {
  const page = await newPage();
  for (const [lang, title, event, place] of [
    ['ru', 'События войны', 'Битва за Москву', 'Парк имени 28 гвардейцев-панфиловцев'],
    ['kk', 'Соғыс оқиғалары', 'Мәскеу шайқасы', '28 панфиловшы гвардияшылар атындағы саябақ'],
    ['uz', 'Urush voqealari', 'Moskva jangi', '28 panfilovchi gvardiyachi nomidagi bogʻ'],
    ['en', 'Events of the war', 'The Battle of Moscow', 'Park of the 28 Panfilov Guardsmen'],
  ]) {
    await page.goto(`${url}/events?lang=${lang}`);
    assert.equal(await page.getByRole('heading', { level: 1, name: title }).count(), 1, lang);
    assert.equal(await page.getByRole('heading', { level: 2, name: '1941' }).count(), 1, lang);
    await expectAccessible(page, `events (${lang})`);
    await page.getByRole('link', { name: event }).click();
    assert.match(page.url(), /\/events\/battle-of-moscow/);
    await expectAccessible(page, `an event (${lang})`);
    await page.goto(`${url}/memorials?lang=${lang}`);
    await expectAccessible(page, `places of memory (${lang})`);
    assert.equal(await page.locator('#chart-memorials-title').count(), 1, `${lang}: the map`);
    if (lang === 'en') {
      await page.screenshot({ path: join(shots, 'memorials-map-en.png'), fullPage: false });
    }
    await page.getByRole('link', { name: place }).click();
    await expectAccessible(page, `a place of memory (${lang})`);
    if (lang === 'en') {
      await page.screenshot({ path: join(shots, 'memorial-en.png'), fullPage: false });
      // The place names the guardsmen remembered there; one of them leads to his page.
      await page.locator('#persons').locator('..').getByRole('link').first().click();
      assert.match(page.url(), /\/persons\//);
      assert.equal(await page.getByRole('heading', { name: 'Places of memory' }).count(), 1);
      assert.equal(await page.getByRole('heading', { name: 'Events' }).count(), 1);
    }
  }
  await page.goto(`${url}/events?lang=en`);
  await page.screenshot({ path: join(shots, 'events-en.png'), fullPage: false });
  await page.context().close();
});
