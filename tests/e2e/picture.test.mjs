// Pictures of the graph in the browser: png() gives the graph viewport exactly as the canvas
// shows it, and the Export tab's "Save picture (PNG)" downloads the same picture.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startBrowser, newPage, openApp, frames, requireBuild, clickText } from './harness.mjs';

let env;
before(async () => { requireBuild(); env = await startBrowser(); });
after(async () => env && env.close());

// Decodes a PNG (bytes as base64) in the page: its size and RGBA pixels.
async function decode(page, b64) {
  return page.evaluate(async (b) => {
    const bitmap = await createImageBitmap(await (await fetch('data:image/png;base64,' + b)).blob());
    const c = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
    c.drawImage(bitmap, 0, 0);
    return { width: bitmap.width, height: bitmap.height, rgba: Array.from(c.getImageData(0, 0, bitmap.width, bitmap.height).data) };
  }, b64);
}

test('png() is the graph viewport as drawn, and the Export tab downloads it', { timeout: 120_000 }, async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await newPage(context);
  await openApp(page, env.base + 'index.html#example=seed');
  await frames(page, 4);
  await page.mouse.move(2, 2);  // no hover outline: the screen and the picture show the same frame
  await frames(page, 4);

  const shot = await page.evaluate(async () => {
    const blob = await window.gradscope.png();
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    return { type: blob.type, b64: btoa(bin), graph: window.gradscope.layout().graph };
  });
  assert.equal(shot.type, 'image/png');
  const picture = await decode(page, shot.b64);
  const g = shot.graph;
  assert.equal(picture.width, Math.round(g.width), 'as wide as the graph viewport (device pixel ratio 1)');
  assert.equal(picture.height, Math.round(g.height));

  // The same rectangle of the page, as the browser shows it: the picture matches it pixel by pixel.
  const screen = await decode(page, (await page.screenshot({
    clip: { x: Math.round(g.x), y: Math.round(g.y), width: picture.width, height: picture.height } })).toString('base64'));
  let same = 0, colours = new Set();
  for (let i = 0; i < picture.rgba.length; i += 4) {
    const d = Math.abs(picture.rgba[i] - screen.rgba[i]) + Math.abs(picture.rgba[i + 1] - screen.rgba[i + 1]) +
              Math.abs(picture.rgba[i + 2] - screen.rgba[i + 2]);
    same += d <= 6;
    colours.add((picture.rgba[i] << 16) | (picture.rgba[i + 1] << 8) | picture.rgba[i + 2]);
  }
  const pixels = picture.rgba.length / 4;
  assert.ok(same / pixels > 0.99, `the picture matches the screen at ${(100 * same / pixels).toFixed(2)}% of its pixels`);
  assert.ok(colours.size > 50, `a drawn graph, not a blank picture: ${colours.size} colours`);

  // The Export tab's button: a download of the same picture.
  assert.ok(await clickText(page, 'Export'), 'the Export tab is drawn');
  const [download] = await Promise.all([page.waitForEvent('download'), clickText(page, 'Save picture (PNG)')]);
  assert.equal(download.suggestedFilename(), 'gradscope-graph.png');
  const file = fs.readFileSync(await download.path());
  assert.equal(file.subarray(1, 4).toString(), 'PNG');
  assert.equal(file.readUInt32BE(16), Math.round(g.width), 'the IHDR width');
  assert.equal(file.readUInt32BE(20), Math.round(g.height), 'the IHDR height');
  const status = (await page.evaluate(() => window.gradscope.drawnText())).join('\n') +
                 await page.evaluate(() => document.body.innerText);
  assert.match(status, /Saved the picture of the graph/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('png() at device pixel ratio 2 has the canvas\'s resolution, twice the CSS size', { timeout: 120_000 }, async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
  const page = await newPage(context);
  await openApp(page, env.base + 'index.html#example=mlp');
  await frames(page, 4);
  const r = await page.evaluate(async () => {
    const bitmap = await createImageBitmap(await window.gradscope.png());
    const c = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
    c.drawImage(bitmap, 0, 0);
    const px = c.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const colours = new Set();
    for (let i = 0; i < px.length; i += 4) colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
    return { width: bitmap.width, height: bitmap.height, colours: colours.size, graph: window.gradscope.layout().graph };
  });
  assert.equal(r.width, Math.round(r.graph.width * 2));
  assert.equal(r.height, Math.round(r.graph.height * 2));
  assert.ok(r.colours > 50, `${r.colours} colours`);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('svg() is the graph viewport as SVG: it parses, names every node and shows every number drawn there; the Export tab downloads it', { timeout: 120_000 }, async () => {
  const context = await env.browser.newContext({ viewport: { width: 1920, height: 1080 }, acceptDownloads: true });
  const page = await newPage(context);
  await openApp(page, env.base + 'index.html#example=mlp');
  await frames(page, 4);
  await page.mouse.move(2, 2);
  await frames(page, 4);
  const r = await page.evaluate(async () => {
    const text = await window.gradscope.svg();
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const g = window.gradscope.layout().graph;
    // The strings the canvas drew inside the graph viewport (cards, legend).
    const drawn = window.gradscope.drawnText(true).filter((d) => d.x >= g.x && d.x + d.width <= g.x + g.width &&
                                                                  d.y >= g.y && d.y + d.height <= g.y + g.height);
    const svg = doc.documentElement;
    return { error: doc.querySelector('parsererror')?.textContent || '', root: svg.nodeName, width: svg.getAttribute('width'),
             height: svg.getAttribute('height'), viewBox: svg.getAttribute('viewBox'), g,
             background: svg.firstElementChild.nodeName === 'rect' ? svg.firstElementChild.getAttribute('fill') : '',
             texts: Array.from(doc.querySelectorAll('text')).map((t) => t.textContent),
             fills: Object.fromEntries(Array.from(doc.querySelectorAll('text')).map((t) => [t.textContent, t.getAttribute('fill')])),
             paths: doc.querySelectorAll('path').length, drawn: drawn.map((d) => d.text),
             nodes: window.gradscope.graph().nodes.map((n) => n.name) };
  });
  assert.equal(r.error, '', 'the SVG parses as XML');
  assert.equal(r.root, 'svg');
  assert.equal(Number(r.width), Math.round(r.g.width));
  assert.equal(Number(r.height), Math.round(r.g.height));
  assert.deepEqual(r.viewBox.split(' ').map(Number).slice(0, 2).map(Math.round), [Math.round(r.g.x), Math.round(r.g.y)]);
  assert.ok(r.paths > 20, `${r.paths} paths: cards, cells, edges`);
  const all = r.texts.join('\n');
  for (const n of r.nodes) assert.ok(all.includes(n), `node ${n} is named in the SVG`);
  // Every word drawn in the viewport is in the SVG (which splits runs where the colour changes).
  const words = (list) => list.join(' ').split(/\s+/).filter(Boolean).sort();
  assert.deepEqual(words(r.texts), words(r.drawn));
  // Each number in its cell's text colour: white on dL/dX's dark 0.157, dark on its pale -0.0075.
  const grey = (hex) => [1, 3, 5].reduce((sum, i) => sum + parseInt(hex.slice(i, i + 2), 16), 0) / 3;
  const fillOf = (word) => Object.entries(r.fills).find(([t]) => t.split(/\s+/).includes(word))[1];
  assert.ok(grey(fillOf('0.157')) > 200, `0.157 in ${fillOf('0.157')}`);
  assert.ok(grey(fillOf('-0.0075')) < 100, `-0.0075 in ${fillOf('-0.0075')}`);
  const runs = r.drawn.join(' | ');
  assert.ok(runs.includes('0.739') && runs.includes('-0.271'), `dL/dW1's numbers are among them: ${runs}`);
  assert.ok(!r.texts.some((t) => t === 'Export' || t === 'Inspector'), 'nothing from the side panel');

  assert.match(r.background, /^#[0-9a-f]{6}$/, 'the canvas colour fills the picture first (where no triangle draws it)');

  // png() and svg() asked together both answer, and the frames after the SVG's (drawn without
  // anti-aliasing) are anti-aliased again: the same picture as before it, pixel for pixel.
  const both = await page.evaluate(async () => {
    const late = (p) => Promise.race([p, new Promise((ok) => setTimeout(() => ok('TIMEOUT'), 5000))]);
    const pixels = async (blob) => {
      const bitmap = await createImageBitmap(blob);
      const c = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
      c.drawImage(bitmap, 0, 0);
      return c.getImageData(0, 0, bitmap.width, bitmap.height).data;
    };
    const before = await pixels(await window.gradscope.png());
    const [png, svg] = await late(Promise.all([window.gradscope.png(), window.gradscope.svg()])).then((x) => x === 'TIMEOUT' ? [x, x] : x);
    const svgFirst = await late(Promise.all([window.gradscope.svg(), window.gradscope.png()]));
    const after = await pixels(await window.gradscope.png());
    let differ = 0;
    for (let i = 0; i < before.length; i++) differ += before[i] !== after[i];
    return { png: png === 'TIMEOUT' ? png : png.size, svg: svg === 'TIMEOUT' ? svg : svg.length, svgFirst: svgFirst === 'TIMEOUT' ? svgFirst : 'both',
             differ, total: before.length };
  });
  assert.ok(both.png > 1000 && both.svg > 1000, JSON.stringify(both));
  assert.equal(both.svgFirst, 'both');
  assert.equal(both.differ, 0, `${both.differ} of ${both.total} bytes of the picture differ after an SVG`);

  // With the pointer over a cell, its tooltip (the cell's chain rule) is on the canvas but not
  // in the pictures, and it is back on the canvas after them.
  const cell = await page.evaluate(() => window.gradscope.cellRect('W1', 0, 0));
  await page.mouse.move(cell.x + cell.width / 2, cell.y + cell.height / 2);
  await frames(page, 4);
  const tip = 'drag left/right to change';
  const hasTip = async () => (await page.evaluate(() => window.gradscope.drawnText())).some((t) => t.startsWith(tip));
  assert.ok(await hasTip(), 'no tooltip over W1[0][0]');
  const hovered = await page.evaluate(async (t) => {
    const svg = await window.gradscope.svg();
    const png = await window.gradscope.png();
    return { svg: svg.includes(t.slice(0, 10)), png: png.size };
  }, tip);
  assert.equal(hovered.svg, false, 'the SVG holds the tooltip');
  assert.ok(hovered.png > 1000, JSON.stringify(hovered));
  await frames(page, 4);
  assert.ok(await hasTip(), 'the tooltip is not back after the pictures');
  await page.mouse.move(2, 2);
  await frames(page, 4);

  assert.ok(await clickText(page, 'Export'), 'the Export tab is drawn');
  const [download] = await Promise.all([page.waitForEvent('download'), clickText(page, 'SVG')]);
  assert.equal(download.suggestedFilename(), 'gradscope-graph.svg');
  const file = fs.readFileSync(await download.path(), 'utf8');
  assert.ok(file.startsWith('<?xml') && file.includes('<svg') && file.trimEnd().endsWith('</svg>'), file.slice(0, 200));
  assert.ok(file.includes('>W1<') && file.includes('>matmul_1 = W1 @ X<'), 'the download names the nodes');
  assert.deepEqual(page.errors, []);
  await context.close();
});
