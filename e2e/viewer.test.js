// A visitor zooms into a large painting: an exhibition is imported from a TOML file with a
// 3,000 × 2,000 image beside it, and the exhibit page opens it in the deep-zoom viewer, whose
// buttons work from the keyboard and say the zoom aloud. Without JavaScript the page shows the
// plain scaled image. Every page is checked with axe-core.
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

let server, url, browser, dataDir;

const exhibition = `
id = "steppe-studies"
status = "published"
languages = ["ru", "en"]
title = { ru = "Этюды степи", en = "Steppe studies" }
introduction = { ru = "Большие картины для рассматривания вблизи.", en = "Large paintings to look at closely." }
institution = { ru = "Тестовый музей", en = "Test museum" }

[[sections]]
title = { ru = "Картины", en = "Paintings" }

[[sections.blocks]]
kind = "text"
text = { ru = "Приблизьте картину.", en = "Zoom into the painting." }

[[sections.exhibits]]
id = "steppe-study-1"
title = { ru = "Этюд № 1", en = "Study No. 1" }
description = { ru = "Цветные поля и тонкие линии.", en = "Fields of colour and fine lines." }
creator = "Test painter"
date = "1944"
dimensions = "300 × 200 cm"
inventory_number = "KP-0001"
rights = "https://creativecommons.org/publicdomain/zero/1.0/"

[[sections.exhibits.images]]
file = "study-1.png"
alt = { ru = "Цветные поля в клетку, пересечённые тонкими тёмными линиями", en = "Chequered fields of colour crossed by fine dark lines" }
`;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'yodnoma-viewer-'));
  mkdirSync(shots, { recursive: true });
  writeFileSync(join(dataDir, 'study-1.png'), painting(3000, 2000));
  writeFileSync(join(dataDir, 'exhibition.toml'), exhibition);
  const data = join(dataDir, 'data');
  const env = { ...process.env, RUST_LOG: 'warn' };
  const out = execFileSync(binary, ['--data-dir', data, 'import', 'exhibition', join(dataDir, 'exhibition.toml')], { env });
  assert.match(out.toString(), /exhibition steppe-studies \(published\): 1 exhibits, 1 new images/);
  ({ server, url } = await startServer(['--data-dir', data]));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

test('a visitor zooms into a painting with the keyboard', async () => {
  const context = await browser.newContext({ bypassCSP: true, locale: 'en-GB' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const tiles = [];
  page.on('request', (r) => r.url().includes('/iiif/3/steppe-study-1/') && tiles.push(r.url()));

  await page.goto(`${url}/exhibitions/steppe-studies?lang=en`);
  await page.getByRole('link', { name: 'Study No. 1' }).first().click();
  await page.waitForSelector('.viewer-stage:not([hidden])');
  assert.equal(await page.locator('figure.artwork img').isHidden(), true, 'the plain image gives way to the viewer');
  const stage = page.getByRole('group', { name: 'Chequered fields of colour crossed by fine dark lines' });
  assert.equal(await stage.count(), 1, 'the viewer carries the alt text');
  assert.ok(tiles.some((u) => u.endsWith('/info.json')), 'the viewer reads info.json');
  await page.waitForFunction(() => document.querySelector('.viewer-stage canvas') !== null);

  const before = tiles.length;
  const zoomIn = page.getByRole('button', { name: 'Zoom in' });
  await zoomIn.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => /Shown at \d+% of the original size/.test(
    document.querySelector('.viewer-zoom')?.textContent ?? ''));
  await page.waitForFunction((n) => performance.getEntriesByType('resource')
    .filter((e) => e.name.includes('/iiif/3/steppe-study-1/') && e.name.endsWith('.jpg')).length > n, before);
  const status = await page.locator('.viewer-zoom').textContent();
  const percent = Number(/(\d+)%/.exec(status)[1]);
  assert.ok(percent > 0 && percent <= 200, `a sensible zoom is announced: ${status}`);
  await page.getByRole('button', { name: 'Whole image' }).click();
  assert.equal(await page.getByText('the arrow keys move').isVisible(), true, 'the keys are explained');

  // Full page hides the rest of the page, but not the buttons: the same button, or Escape,
  // brings the page back, with the focus on that button.
  const fullPage = page.getByRole('button', { name: 'Full screen' });
  const mainShown = () => document.querySelector('main').offsetParent !== null;
  await fullPage.click();
  await page.waitForFunction(() => document.querySelector('main').offsetParent === null);
  assert.equal(await fullPage.isVisible(), true, 'the buttons stay in full-page mode');
  await page.keyboard.press('Escape');
  await page.waitForFunction(mainShown);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset?.action), 'full-page');
  await fullPage.click();
  await page.waitForFunction(() => document.querySelector('main').offsetParent === null);
  await fullPage.click();
  await page.waitForFunction(mainShown);

  await expectAccessible(page, 'exhibit with the deep-zoom viewer');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, 'exhibit-deep-zoom.png') });
  assert.deepEqual(errors, [], 'no script errors');
  await context.close();
});

test('without JavaScript the painting is a plain scaled image', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${url}/exhibits/steppe-study-1?lang=en`);
  const image = page.getByRole('img', { name: 'Chequered fields of colour crossed by fine dark lines' });
  assert.equal(await image.isVisible(), true);
  assert.equal(await page.getByRole('button', { name: 'Zoom in' }).isVisible(), false);
  const width = await image.evaluate((img) => img.naturalWidth);
  assert.ok(width > 0 && width <= 1600, `a scaled rendering, not the original: ${width}`);
  await context.close();
});
