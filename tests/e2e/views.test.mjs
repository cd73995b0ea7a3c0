// The Views tab in the browser: the loss landscape is drawn (pixels inside layout()'s
// views.landscape that are not the background) and filled without stalling the page, and the
// gradient-flow strip is drawn for the deep example. Screenshots go to GRADSCOPE_SHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startBrowser, newPage, openApp, frames, requireBuild, cliEval, SHOTS, DESKTOP, SEED } from './harness.mjs';

// The browser's Views tab offers the gradient flow and the loss landscape; the Jacobian and
// forward-mode views, and the rest of the Views tab, are tested on the desktop in
// tests/test_views.cpp.

let env;
before(async () => { requireBuild({ cli: true }); env = await startBrowser(); });
after(async () => env && env.close());

// Clicks where the canvas last drew `text` (a tab or a radio button's label).
async function clickText(page, text) {
  const box = await page.evaluate((t) => {
    const all = window.gradscope.drawnText(true);
    return all.find((d) => d.text === t) || all.find((d) => d.text.includes(t));
  }, text);
  assert.ok(box, `"${text}" is not drawn`);
  await page.mouse.click(box.x + box.width * box.text.indexOf(text) / box.text.length + 4, box.y + box.height / 2);
  await frames(page, 3);
}

// How many pixels of the rectangle differ from its most common colour, and how many colours
// there are: a screenshot clipped to it, decoded by the browser's own image decoder.
async function pixelsIn(page, r, file) {
  const clip = { x: Math.ceil(r.x) + 2, y: Math.ceil(r.y) + 2, width: Math.floor(r.width) - 4, height: Math.floor(r.height) - 4 };
  const png = await page.screenshot({ path: path.join(SHOTS, file), clip });
  return page.evaluate(async (b64) => {
    const bitmap = await createImageBitmap(await (await fetch('data:image/png;base64,' + b64)).blob());
    const c = new OffscreenCanvas(bitmap.width, bitmap.height), ctx = c.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    const d = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data, counts = new Map();
    for (let i = 0; i < d.length; i += 4) {
      const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      counts.set(k, (counts.get(k) || 0) + 1);
    }
    const total = d.length / 4, most = Math.max(...counts.values());
    return { other: total - most, total, colours: counts.size };
  }, png.toString('base64'));
}

test('the landscape of the seed over W[0,0] and W[2,2] is drawn inside its layout() rectangle', { timeout: 120_000 }, async (t) => {
  const page = await newPage(await env.browser.newContext({ viewport: DESKTOP }));
  await openApp(page, env.base);
  await clickText(page, 'Views');
  await clickText(page, 'Landscape');
  await page.waitForFunction(() => !window.gradscope.drawnText().some((t) => t.startsWith('filling:')), null, { timeout: 30_000 });
  await frames(page, 2);
  const l = await page.evaluate(() => window.gradscope.layout().views.landscape);
  assert.ok(l.visible && l.width > 100 && l.height > 100, JSON.stringify(l));
  const text = await page.evaluate(() => window.gradscope.drawnText());
  assert.ok(text.includes('W[0,0]') && text.includes('W[2,2]'), 'the axes are named');
  const p = await pixelsIn(page, l, 'views-landscape.png');
  // A heatmap of f: most of the square is not one colour, in many shades.
  assert.ok(p.other > p.total / 2, `only ${p.other} of ${p.total} pixels differ from the background`);
  assert.ok(p.colours > 50, `${p.colours} colours`);
  assert.deepEqual(page.errors, []);
});

test('the gradient-flow strip of the deep example is drawn', { timeout: 120_000 }, async (t) => {
  const page = await newPage(await env.browser.newContext({ viewport: DESKTOP }));
  await openApp(page, env.base);
  await clickText(page, 'Views');
  await clickText(page, 'Flow');
  await clickText(page, 'relu');  // ("sigmoid" is also in the seed's program text)
  const l = await page.evaluate(() => window.gradscope.layout().views.flow);
  assert.ok(l.visible && l.width > 100, JSON.stringify(l));
  // The names under the bars (drawn as runs of text inside the strip's rectangle).
  const names = await page.evaluate((r) => window.gradscope.drawnText(true)
    .filter((d) => d.y >= r.y && d.y + d.height <= r.y + r.height + 1).map((d) => d.text).join(' ') + ' ', l);
  for (const name of ['h1 ', 'h8 ', 'W8 ']) assert.ok(names.includes(name), `${name} is named under its bar: ${names}`);
  const p = await pixelsIn(page, l, 'views-flow.png');
  assert.ok(p.other > p.total / 20, `only ${p.other} of ${p.total} pixels are bars or text`);
  assert.deepEqual(page.errors, []);
});

test('a click on the landscape moves the point there (W[0,0] and W[2,2] change, the rest stays)', { timeout: 120_000 }, async () => {
  const page = await newPage(await env.browser.newContext({ viewport: DESKTOP }));
  await openApp(page, env.base);
  await clickText(page, 'Views');
  await clickText(page, 'Landscape');
  await page.waitForFunction(() => !window.gradscope.drawnText().some((t) => t.startsWith('filling:')), null, { timeout: 30_000 });
  const l = await page.evaluate(() => window.gradscope.layout().views.landscape);
  // A quarter of the way in from the left (W[0,0] over 0 to 4) and from the top (W[2,2] over 14 to 0).
  await page.mouse.click(l.x + l.width / 4, l.y + l.height / 4);
  await frames(page, 3);
  const W = (await page.evaluate(() => window.gradscope.get('W'))).value;
  assert.ok(Math.abs(W[0][0] - 1) < 0.1, `W[0,0] = ${W[0][0]}`);
  assert.ok(Math.abs(W[2][2] - 10.5) < 0.3, `W[2,2] = ${W[2][2]}`);
  assert.deepEqual([W[0][1], W[1][1], W[2][0]], [1, 3, 7], 'the other entries stay');
  const f = (await page.evaluate(() => window.gradscope.get('f'))).value[0][0];
  const ref = cliEval(SEED, { W }).nodes.find((n) => n.name === 'f').value[0][0];
  assert.ok(Math.abs(f - ref) < 1e-12, `f = ${f}, the command line gives ${ref}`);
  assert.deepEqual(page.errors, []);
});

test('on a phone the landscape is in sight when its view opens: the picture comes before its pickers', { timeout: 120_000 }, async () => {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
  const page = await newPage(context);
  await openApp(page, env.base);
  await clickText(page, 'Program, inputs, inspector');
  await clickText(page, 'Views');
  await clickText(page, 'Landscape');
  await page.waitForFunction(() => !window.gradscope.drawnText().some((t) => t.startsWith('filling:')), null, { timeout: 30_000 });
  await frames(page, 2);
  const { views, panels } = await page.evaluate(() => window.gradscope.layout());
  const l = views.landscape, sheet = panels.sheet;
  assert.ok(sheet.visible && l.visible, JSON.stringify({ l, sheet }));
  assert.ok(l.y >= sheet.y && l.y + l.height <= sheet.y + sheet.height,
            `the picture ${JSON.stringify(l)} is not inside the sheet ${JSON.stringify(sheet)} as it opens`);
  const p = await pixelsIn(page, l, 'views-landscape-phone.png');
  assert.ok(p.other > p.total / 2 && p.colours > 50, JSON.stringify(p));
  // The pickers follow it: none is drawn above the picture.
  const above = await page.evaluate((y) => window.gradscope.drawnText(true)
    .filter((d) => ['from', 'recompute', 'row', 'col'].includes(d.text) && d.y < y).map((d) => d.text), l.y);
  assert.deepEqual(above, []);
  assert.deepEqual(page.errors, []);
  await context.close();
});
