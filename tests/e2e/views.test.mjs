// The Views tab in the browser: the Jacobian of Z against W (its heatmap drawn, g^T J equal to
// dW, a hovered cell exact), forward mode (a tangent row on every card, df.v equal to <grad f, v>),
// the loss landscape (pixels inside layout()'s views.landscape that are not the background,
// filled without stalling the page), and the gradient-flow strip of the deep example.
// Screenshots go to GRADSCOPE_SHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startBrowser, newPage, openApp, frames, requireBuild, cliEval, SHOTS, DESKTOP, SEED } from './harness.mjs';

// The rest of the Views tab (every op's Jacobian, directions, larger-than-64 Jacobians) is
// tested on the desktop in tests/test_views.cpp and tests/test_forward_views.cpp.

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

// The numbers of a drawn "name = [a, b, ...]" line.
async function drawnList(page, prefix) {
  const line = (await page.evaluate(() => window.gradscope.drawnText())).find((t) => t.startsWith(prefix));
  assert.ok(line, `no line starts with "${prefix}"`);
  return line.slice(line.indexOf('[') + 1, line.lastIndexOf(']')).split(',').map(Number);
}

// Clicks a card's title bar, which selects its node.
async function selectNode(page, name) {
  const c = (await page.evaluate(() => window.gradscope.layout().cards))[name];
  assert.ok(c && c.visible, `the card of ${name}: ${JSON.stringify(c)}`);
  await page.mouse.click(c.x + c.width / 2, c.y + 6);
  await frames(page, 3);
}

test('the Jacobian of Z = W @ x against W: drawn, g^T J equal to dW, a hovered entry exact', { timeout: 120_000 }, async () => {
  const page = await newPage(await env.browser.newContext({ viewport: DESKTOP }));
  await openApp(page, env.base);
  await clickText(page, 'Views');
  await clickText(page, 'Jacobian');
  await selectNode(page, 'Z');
  const text = await page.evaluate(() => window.gradscope.drawnText());
  assert.ok(text.includes('J = dZ/dW: 3 x 9'), text.filter((t) => t.startsWith('J')).join(' | '));
  for (const label of ['Z[0,0]', 'Z[2,0]', 'W[0,0]', 'W[2,2]', 'g^T J', 'VJP']) assert.ok(text.includes(label), `${label} is not drawn`);
  assert.match(text.join(' '), /g\^T J equals the VJP backward computed for df\/dW: largest difference 0\./);  // (wrapped)
  // g^T J as drawn is dW, entry by entry (row by row, 4 significant digits).
  const graph = await page.evaluate(() => window.gradscope.graph());
  const dW = graph.nodes.find((n) => n.name === 'W').grad.flat(), x = graph.nodes.find((n) => n.name === 'x').value.flat();
  for (const prefix of ['g^T J = ', 'VJP   = ']) {
    const drawn = await drawnList(page, prefix);
    assert.equal(drawn.length, 9, prefix);
    drawn.forEach((v, i) => assert.ok(Math.abs(v - dW[i]) <= 5e-4 * Math.max(1, Math.abs(dW[i])), `${prefix}entry ${i}: ${v}, dW ${dW[i]}`));
  }
  const r = await page.evaluate(() => window.gradscope.layout().views.jacobian);
  assert.ok(r.visible && r.width > 100 && r.height > 50, JSON.stringify(r));
  const p = await pixelsIn(page, r, 'views-jacobian.png');
  assert.ok(p.other > p.total / 10 && p.colours > 10, JSON.stringify(p));
  // A real pointer over J's cell (row Z[1,0], column W[1,2]): dZ[1,0]/dW[1,2] = x[2].
  const cells = await page.evaluate(() => window.gradscope.drawnText(true));
  const row = cells.find((d) => d.text === 'Z[1,0]'), col = cells.find((d) => d.text === 'W[1,2]');
  await page.mouse.move(col.x + col.width / 2, row.y + row.height / 2);
  await frames(page, 3);
  const tip = (await page.evaluate(() => window.gradscope.drawnText())).find((t) => t.startsWith('dZ[1,0] / dW[1,2] = '));
  assert.ok(tip, 'no tooltip for the hovered entry');
  assert.equal(Number(tip.split(' = ')[1]), x[2]);
  assert.deepEqual(page.errors, []);
});

test("a Jacobian's g^T J line too long for the panel wraps between numbers, never inside one (mlp, 1920x1080)", { timeout: 120_000 }, async () => {
  const page = await newPage(await env.browser.newContext({ viewport: { width: 1920, height: 1080 } }));
  await openApp(page, env.base + 'index.html#example=mlp');
  await clickText(page, 'Views');
  await clickText(page, 'Jacobian');
  await selectNode(page, 'add_1');
  const text = await page.evaluate(() => window.gradscope.drawnText());
  assert.ok(text.includes('J = dadd_1/dmatmul_1: 12 x 12'), text.filter((t) => t.startsWith('J')).join(' | '));
  for (const prefix of ['g^T J = [', 'VJP   = [']) {
    const first = text.findIndex((t) => t.startsWith(prefix));
    assert.ok(first >= 0, prefix);
    const lines = [text[first]];
    while (!lines[lines.length - 1].endsWith(']')) lines.push(text[first + lines.length]);
    assert.ok(lines.length > 1, `the line fits the panel, so this test shows nothing: ${lines}`);
    for (const line of lines)
      assert.match(line.slice(line.startsWith(prefix) ? prefix.length : 0), /^\s*(-?[0-9.e+-]+, )*-?[0-9.e+-]+[,\]]$/, `a line breaks inside a number: ${JSON.stringify(lines)}`);
    assert.equal(lines.join(' ').slice(prefix.length).split(',').length, 12);
  }
  assert.deepEqual(page.errors, []);
});

test('forward mode: every card gets its tangent row, and df.v equals <grad f, v> for an entry and a random v', { timeout: 120_000 }, async () => {
  const page = await newPage(await env.browser.newContext({ viewport: DESKTOP }));
  await openApp(page, env.base);
  await clickText(page, 'Views');
  await clickText(page, 'Forward');
  let text = await page.evaluate(() => window.gradscope.drawnText());
  assert.ok(text.includes('v = 1 at W[0,0], 0 elsewhere'), text.filter((t) => t.startsWith('v')).join(' | '));
  for (const n of ['W', 'x', 'Z', 'y', 'f']) assert.ok(text.includes(`tangent d${n}.v`), `the card of ${n} has no tangent row`);
  const number = (prefix, lines) => Number(lines.find((t) => t.startsWith(prefix)).split(' = ')[1]);
  const dW00 = (await page.evaluate(() => window.gradscope.graph())).nodes.find((n) => n.name === 'W').grad[0][0];
  const forward = number('forward mode: df.v', text), reverse = number('reverse mode: <grad f, v>', text);
  assert.ok(Math.abs(forward - dW00) <= 1e-9 * Math.abs(dW00), `df.v = ${forward}, dW[0,0] = ${dW00}`);
  assert.ok(Math.abs(reverse - dW00) <= 1e-9 * Math.abs(dW00), `<grad f, v> = ${reverse}, dW[0,0] = ${dW00}`);
  assert.ok(text.some((t) => t.startsWith('equal (difference')), 'the two are not shown equal');
  assert.match(text.join(' '), /Cost: forward mode: one sweep per input direction \(12 entries -> 12 sweeps\); reverse mode: one sweep for all 12\./);
  const card = (await page.evaluate(() => window.gradscope.layout().cards)).Z;
  const p = await pixelsIn(page, card, 'views-forward-card-Z.png');
  assert.ok(p.other > p.total / 10, JSON.stringify(p));
  await clickText(page, 'random');
  text = await page.evaluate(() => window.gradscope.drawnText());
  assert.ok(text.some((t) => t.startsWith('v: random, unit length over every input')), 'the random direction is not named');
  const f2 = number('forward mode: df.v', text), r2 = number('reverse mode: <grad f, v>', text);
  assert.ok(f2 !== forward && Math.abs(f2 - r2) <= 1e-9 * Math.max(1, Math.abs(r2)), `df.v = ${f2}, <grad f, v> = ${r2}`);
  assert.ok(text.some((t) => t.startsWith('equal (difference')), 'the two are not shown equal along the random direction');
  assert.deepEqual(page.errors, []);
});

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

test("on a phone the Jacobian and forward mode, chosen, scroll into sight: J's heatmap and the two numbers inside the sheet", { timeout: 120_000 }, async () => {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, hasTouch: true, isMobile: true });
  const open = async (view) => {
    const page = await newPage(context);
    await openApp(page, env.base);
    await clickText(page, 'Program, inputs, inspector');
    await clickText(page, 'Views');
    await clickText(page, 'Flow');
    await clickText(page, view);
    await frames(page, 2);
    return page;
  };
  let page = await open('Jacobian');
  const { views, panels } = await page.evaluate(() => window.gradscope.layout());
  const sheet = panels.sheet, j = views.jacobian;
  assert.ok(sheet.visible && j.visible, JSON.stringify({ j, sheet }));
  assert.ok(j.y >= sheet.y && j.y + 40 <= sheet.y + sheet.height,
            `J's heatmap ${JSON.stringify(j)} is not in sight in the sheet ${JSON.stringify(sheet)} as the view opens`);
  assert.deepEqual(page.errors, []);
  page = await open('Forward');
  const line = (await page.evaluate(() => window.gradscope.drawnText(true))).find((d) => d.text.startsWith('reverse mode: <grad f, v>'));
  assert.ok(line && line.y >= sheet.y && line.y + line.height <= sheet.y + sheet.height,
            `the reverse-mode line ${JSON.stringify(line)} is not in sight in the sheet ${JSON.stringify(sheet)}`);
  assert.deepEqual(page.errors, []);
  await context.close();
});
