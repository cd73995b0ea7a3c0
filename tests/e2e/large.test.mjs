// Large matrices in the browser: a graph whose draw list passes 64K vertices (a 400 x 400
// matrix's cells, four vertices each) draws every card, and a long gradient check runs a
// slice a frame with its progress and Cancel, the page drawing all along.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startBrowser, newPage, openApp, frames, toBase64Url, clickText, SHOTS } from './harness.mjs';

let env, page;
const xs = Array.from({ length: 400 }, (_, i) => Math.sin(i + 1).toFixed(4));
const PROGRAM = `x = [[${xs.join('], [')}]]\nA = x @ x.T\nC = tanh(A)\nf = sum(C * C) / 1000\n`;

before(async () => {
  env = await startBrowser();
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await newPage(context);
  await openApp(page, env.base + '#program=' + toBase64Url(PROGRAM));
  await page.evaluate(() => window.gradscope.setOptions({ fold: [0, 1] }));  // the side panel open
  await frames(page, 4);
});
after(async () => env && env.close());

// The share of pixels in rectangle r (CSS px) that are the graph canvas's background.
async function backgroundShare(r) {
  const shot = await page.screenshot({ clip: { x: r.x + 2, y: r.y + 2, width: r.width - 4, height: r.height - 4 } });
  return page.evaluate(async (png) => {
    const img = await createImageBitmap(await (await fetch('data:image/png;base64,' + png)).blob());
    const c = new OffscreenCanvas(img.width, img.height), g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, img.width, img.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] === 246 && d[i + 1] === 246 && d[i + 2] === 243) n++;
    return n / (d.length / 4);
  }, shot.toString('base64'));
}

test('a graph past 64K vertices draws every card', async () => {
  const cards = (await page.evaluate(() => window.gradscope.layout())).cards;
  assert.deepEqual(Object.keys(cards).sort(), ['1e+03', 'A', 'C', 'f', 'mul_1', 'sum_1', 'transpose_1', 'x']);
  await page.screenshot({ path: path.join(SHOTS, 'large-400x400.png') });
  for (const [name, r] of Object.entries(cards)) {
    assert.ok(r.visible, name);
    const share = await backgroundShare(r);
    assert.ok(share < 0.05, `card ${name} at ${JSON.stringify(r)}: ${(share * 100).toFixed(1)}% canvas background (not drawn?)`);
  }
  for (const text of ['f = sum(C * C) / 1000', 'mul_1 = C * C', 'sum_1 = sum(C * C)'])
    assert.ok((await page.evaluate(() => window.gradscope.drawnText())).includes(text), text);
});

test('a long check runs a slice a frame, with progress and Cancel', async () => {
  assert.ok(await clickText(page, 'Check'), 'the Check tab');
  assert.ok(await clickText(page, 'Check now'), 'the Check now button');
  let text = await page.evaluate(() => window.gradscope.drawnText());
  const started = text.some((t) => / of 400 forward passes$/.test(t));
  assert.ok(started, 'Check now started a check with a progress count');
  // The page keeps drawing frames while it runs: the count goes up over frames.
  const counts = [];
  for (let k = 0; k < 3; k++) {
    await frames(page, 1);
    const t = (await page.evaluate(() => window.gradscope.drawnText())).find((t) => / of 400 forward passes$/.test(t));
    if (t) counts.push(Number(t.split(' ')[0]));
  }
  fs.writeFileSync(path.join(SHOTS, 'large-check-progress.png'), await page.screenshot());
  assert.ok(counts.length >= 2 && counts[counts.length - 1] > counts[0], `progress ${counts}`);
  assert.ok(text.includes('Cancel'));
});
