// What the browser end-to-end tests and the page benchmarks (bench/*.mjs) share: a static
// server on 127.0.0.1 for build/web/dist (or another folder, with pages a test generates),
// Debian's chromium through playwright-core, animation frames, the native CLI's numbers,
// and the page helpers every test file needs.
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST = path.resolve(process.env.GRADSCOPE_DIST || path.join(here, '../../build/web/dist'));
export const CLI = path.resolve(process.env.GRADSCOPE_CLI || path.join(here, '../../build/native/gradscope'));
export const SHOTS = process.env.GRADSCOPE_SHOTS || path.join(os.tmpdir(), 'e2e-shots');
const CHROMIUM = process.env.GRADSCOPE_CHROMIUM || '/usr/bin/chromium';
export const DESKTOP = { width: 1280, height: 800 };
export const SEED = 'W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]\nx = [[1], [0], [-1]]\nZ = W @ x\ny = sigmoid(Z)\nf = norm2(y)\n';
export const LIMIT = 256 * 1024;  // core/limits.h kMaxSourceBytes

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.ttf': 'font/ttf', '.css': 'text/css', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml',
};

// Serves `root` (index.html for a folder), plus generated pages: `pages` is either
// { 'name.html': html } or a function of the URL's path ('/name.html') that returns html or
// null. Resolves to { server, base, pages, close() }.
export async function startServer(pages = {}, root = DIST) {
  const generated = typeof pages === 'function' ? pages
    : (rel) => (Object.hasOwn(pages, rel.slice(1)) ? pages[rel.slice(1)] : null);
  const server = http.createServer((req, res) => {
    let rel = null;
    try { rel = decodeURIComponent(new URL(req.url, 'http://host').pathname); } catch { /* a bad escape */ }
    const page = rel === null ? null : generated(rel);
    if (page !== null && page !== undefined) {
      res.writeHead(200, { 'content-type': MIME['.html'], 'cache-control': 'no-store' });
      res.end(page);
      return;
    }
    let file = rel === null ? null : path.join(root, path.normalize(rel));
    if (file && file !== root && !file.startsWith(root + path.sep)) file = null;  // no ../ escapes
    if (!file) { res.writeHead(400); res.end('bad path'); return; }
    if (rel.endsWith('/')) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found'); return; }
      res.writeHead(200, { 'content-type': MIME[path.extname(file)] || 'application/octet-stream',
                           'cache-control': 'no-store' });
      res.end(data);
    });
  });
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  return { server, base: `http://127.0.0.1:${server.address().port}/`, pages,
           close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }) };
}

// Headless chromium with software WebGL (SwiftShader), as root, with nothing reaching out.
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic',
           '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

// A server and a browser, for tests that need one of each: { base, browser, close() }.
export async function startBrowser(pages = {}, root = DIST) {
  const web = await startServer(pages, root);
  const browser = await launch();
  return { ...web, browser, close: async () => { await browser.close(); await web.close(); } };
}

// Stops a test file early, with the command to run, when the builds it needs are missing;
// makes the screenshot folder.
export function requireBuild({ cli = false } = {}) {
  for (const f of ['index.html', 'embed.js', 'embed-example.html', 'gradscope.js', 'gradscope.wasm'])
    assert.ok(fs.existsSync(path.join(DIST, f)), `${path.join(DIST, f)} is missing: build with cmake --preset web`);
  if (cli) assert.ok(fs.existsSync(CLI), `${CLI} is missing: build with cmake --preset native`);
  fs.mkdirSync(SHOTS, { recursive: true });
}

// A page that records uncaught errors and console errors.
export async function newPage(context) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push('console.error: ' + m.text()); });
  return page;
}

// Lets the browser run n animation frames (the app's main loop is requestAnimationFrame).
export function frames(page, n) {
  return page.evaluate((n) => new Promise((resolve) => {
    let k = 0;
    const tick = () => (++k >= n ? resolve() : requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  }), n);
}

// Opens url and waits for the instance `handle` (an expression) to draw its first frames.
export async function openApp(page, url, handle = 'window.gradscope') {
  await page.goto(url);
  await page.waitForFunction((h) => { try { return !!eval(h).ready; } catch { return false; } }, handle, { timeout: 20_000 });
  await page.evaluate((h) => eval(h).ready, handle);
  await frames(page, 2);
}

// The instance still works: it evaluates the seed (f = 0.75) and keeps drawing frames.
export async function assertEvaluatesSeed(page, handle = 'window.gradscope', what = '') {
  await frames(page, 2);
  const r = await page.evaluate(([h, seed]) => {
    const g = eval(h);
    return { errors: g.setProgram(seed), f: g.get('f').value, dW: g.get('W').grad };
  }, [handle, SEED]);
  assert.deepEqual(r.errors, [], `${what}: the seed did not compile afterwards`);
  assert.deepEqual(r.f, [[0.75]], `${what}: f of the seed`);
  assert.deepEqual(r.dW, [[0.25, 0, -0.25], [0.25, 0, -0.25], [0.25, 0, -0.25]], `${what}: dW of the seed`);
  await frames(page, 2);
  assert.deepEqual(page.errors, [], `${what}: the page reported errors`);
}

// The native CLI's JSON for a program with inputs overridden: the reference numbers.
export function cliEval(program, sets = {}) {
  const args = ['eval', '-', '--json'];
  for (const [name, m] of Object.entries(sets)) args.push('--set', `${name}=${JSON.stringify(m)}`);
  const r = spawnSync(CLI, args, { input: program, encoding: 'utf8' });
  assert.equal(r.status, 0, `gradscope ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// The text of a #program= link (base64url, no padding).
export function toBase64Url(text) {
  return Buffer.from(text, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// A program of exactly `bytes` bytes (at least 6) that compiles: "f = 1\n# aaaa...".
export function programOf(bytes) {
  const head = 'f = 1\n';
  return bytes <= head.length ? head.slice(0, bytes) : head + '#' + 'a'.repeat(bytes - head.length - 1);
}

// Rectangle r lies inside outer (half a pixel of rounding allowed).
export const within = (r, outer) => r.x >= outer.x - 0.5 && r.y >= outer.y - 0.5 &&
  r.x + r.width <= outer.x + outer.width + 0.5 && r.y + r.height <= outer.y + outer.height + 0.5;

// Clicks where the full app's canvas drew `label` (drawnText(true) gives each string's box; a
// tab cut short to "Inspecto..." counts): press and release a frame apart, as a user's click.
// False when nothing drawn holds it.
export async function clickText(page, label) {
  const boxes = await page.evaluate(() => window.gradscope.drawnText(true));
  for (const d of boxes) {
    let at = d.text.indexOf(label);
    for (let k = label.length - 1; at < 0 && k >= 4; k--) at = d.text.indexOf(label.slice(0, k) + '...');
    if (at < 0) continue;
    const x = d.x + (d.width * at) / Math.max(1, d.text.length) + 4;
    await page.mouse.move(x, d.y + d.height / 2);
    await frames(page, 1);
    await page.mouse.down();
    await frames(page, 1);
    await page.mouse.up();
    await frames(page, 2);
    return true;
  }
  return false;
}
