// What the browser tests share: the binary under test, a server on a free port over its own data
// directory, headless Chromium with the flags it needs on a closed network, and the axe check.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import axe from 'axe-core';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const binary = process.env.YODNOMA_BIN ?? join(root, 'target', 'debug', 'yodnoma');
export const shots = join(root, 'e2e', 'test-results');

/// Starts `yodnoma serve` with `args` and resolves to the server and its base URL.
export async function startServer(args, env = {}) {
  const server = spawn(binary, ['serve', '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, RUST_LOG: 'warn', ...env },
  });
  const url = await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: server.stdout }).once('line', (line) => {
      resolve(line.replace('yodnoma listening on ', '').replace(/\/$/, ''));
    });
  });
  return { server, url };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/// No serious or critical axe-core violation on the page. axe is injected through the DevTools
/// protocol; the site's own policy forbids inline script, so test contexts bypass CSP for it.
export async function expectAccessible(page, name) {
  await page.evaluate(axe.source);
  const result = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }));
  const grave = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = grave.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(report, [], `${name}: axe found serious or critical violations`);
}
