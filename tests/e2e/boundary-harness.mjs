// What the boundary and storage tests share: a static server for build/web/dist on 127.0.0.1
// (with extra pages a test adds), Debian's chromium through playwright-core, and page helpers.
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST = path.resolve(process.env.GRADSCOPE_DIST || path.join(here, '../../build/web/dist'));
const CHROMIUM = process.env.GRADSCOPE_CHROMIUM || '/usr/bin/chromium';
export const SEED = 'W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]\nx = [[1], [0], [-1]]\nZ = W @ x\ny = sigmoid(Z)\nf = norm2(y)\n';
export const LIMIT = 256 * 1024;  // core/limits.h kMaxSourceBytes

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
               '.ttf': 'font/ttf' };

// Serves DIST, plus pages[name] = html (tests add their own pages here).
export async function startServer(pages = {}) {
  const server = http.createServer((req, res) => {
    let rel = new URL(req.url, 'http://host').pathname;
    if (rel.endsWith('/')) rel += 'index.html';
    const name = rel.replace(/^\//, '');
    if (Object.hasOwn(pages, name)) {
      res.writeHead(200, { 'content-type': MIME['.html'], 'cache-control': 'no-store' });
      res.end(pages[name]);
      return;
    }
    const file = path.join(DIST, path.normalize(rel));
    if (!file.startsWith(DIST + path.sep)) { res.writeHead(400); res.end(); return; }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); res.end('not found'); return; }
      res.writeHead(200, { 'content-type': MIME[path.extname(file)] || 'application/octet-stream',
                           'cache-control': 'no-store' });
      res.end(data);
    });
  });
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  return { server, base: `http://127.0.0.1:${server.address().port}/`, pages };
}

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic',
           '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
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

export function toBase64Url(text) {
  return Buffer.from(text, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// A program of exactly `bytes` bytes (at least 6) that compiles: "f = 1\n# aaaa...".
export function programOf(bytes) {
  const head = 'f = 1\n';
  return bytes <= head.length ? head.slice(0, bytes) : head + '#' + 'a'.repeat(bytes - head.length - 1);
}
