// What the browser tests share: the binary under test, a server on a free port over its own data
// directory, headless Chromium with the flags it needs on a closed network, and the axe check.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import axe from 'axe-core';
import { deflateSync } from 'node:zlib';

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

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/// An RGB PNG with detail at every scale: colour gradients, a checkerboard and fine lines, so
/// that zooming in visibly brings new tiles.
export function painting(width, height) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let at = 0;
  for (let y = 0; y < height; y++) {
    raw[at++] = 0;
    for (let x = 0; x < width; x++) {
      const line = x % 97 === 0 || y % 89 === 0;
      const check = ((x >> 6) ^ (y >> 6)) & 1;
      raw[at++] = line ? 20 : Math.floor((x * 255) / width);
      raw[at++] = line ? 20 : Math.floor((y * 255) / height);
      raw[at++] = line ? 20 : check ? 200 : 90;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
