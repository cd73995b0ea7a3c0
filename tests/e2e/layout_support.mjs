// What the layout and recipe tests share: a static server on 127.0.0.1 (with generated
// pages), Chromium, animation frames, and "this rectangle lies inside that one".
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

// Serves `root`; `pages(url)` may return HTML for a generated page. Resolves to
// { base, browser, close() }.
export async function start(root, pages = () => null) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://host').pathname, page = pages(url);
    if (page) return res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    const file = path.join(root, path.normalize(url).replace(/^([/\\])+/, ''));
    fs.readFile(file, (err, data) => (err ? res.writeHead(404).end()
      : res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' }).end(data)));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: process.env.GRADSCOPE_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--disable-gpu'] });
  return {
    base: `http://127.0.0.1:${server.address().port}/`,
    browser,
    close: async () => { await browser.close(); server.close(); },
  };
}

// Lets the page run n animation frames (the app draws once per frame).
export const frames = (page, n) => page.evaluate((n) => new Promise((resolve) => {
  let k = 0;
  const tick = () => (++k >= n ? resolve() : requestAnimationFrame(tick));
  requestAnimationFrame(tick);
}), n);

export const within = (r, outer) => r.x >= outer.x - 0.5 && r.y >= outer.y - 0.5 &&
  r.x + r.width <= outer.x + outer.width + 0.5 && r.y + r.height <= outer.y + outer.height + 0.5;
