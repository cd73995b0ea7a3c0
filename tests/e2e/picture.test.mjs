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
