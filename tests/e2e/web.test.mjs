// Browser end-to-end tests for the web build: the full page (index.html) and the embed
// page (embed-example.html), driven through Debian's chromium with playwright-core.
// Run from anywhere: `node --test /work/main/tests/e2e/`. Needs build/web/dist (override
// with GRADSCOPE_DIST) and the native CLI (GRADSCOPE_CLI) as the numeric reference.
//
//   1. the first frame is drawn and get() returns the notebook's numbers
//   2. a real mouse drag on W[0][0] edits it; gradients match `gradscope eval --set`
//   3. two embeds on one page: isolation, a locked input, a hidden editor, the neuron
//   4. a shared link and a reload reproduce the state
//   5. broken links and broken saved state show a readable message, nothing is lost
//   6. setProgram with a parse error: the error fields, the last good graph stays
//  6b. an edit that does not compile yet shows in the text view and is saved
//   7. an exercise in a link: predict, check, reveal; the text view follows
//   8. keyboard, paste, copy, Tab, wheel and touch reach the app through its canvas
// Screenshots of both pages go to $GRADSCOPE_SHOTS (default /tmp/e2e-shots).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { DIST, CLI, SHOTS, DESKTOP, requireBuild, startBrowser, newPage, frames, openApp, cliEval, toBase64Url } from './harness.mjs';

// Headless WebGL is software-rendered: a frame costs time in proportion to the canvas area,
// so most tests use a smaller window; test 1 (and its screenshot) uses a desktop-sized one.
const VIEWPORT = { width: 1024, height: 680 };
const STORAGE_KEY = 'gradscope:last-state:v1:/';  // the full app's saved state, keyed by its page path
const BROKEN_LINK = 'This link is broken, so the default example is shown instead: ';
const TIMEOUT = 120_000;  // test 5 opens six pages in turn: about 30 s on 2 busy cores, as in boundary and storage

// --- PNG decoding (8-bit RGB/RGBA, as Chromium writes them) for pixel assertions ---------
function decodePng(buf) {
  assert.equal(buf.readUInt32BE(0), 0x89504e47, 'not a PNG');
  let off = 8, width = 0, height = 0, channels = 0;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off), type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      const depth = data[8], color = data[9], interlace = data[12];
      assert.ok(depth === 8 && (color === 2 || color === 6) && interlace === 0, `unsupported PNG ${depth}/${color}`);
      channels = color === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels, out = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride), p = 0;
  for (let y = 0; y < height; y++) {
    const filter = raw[p++], line = Buffer.from(raw.subarray(p, p + stride));
    p += stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? line[i - channels] : 0, b = prev[i], c = i >= channels ? prev[i - channels] : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[i] = (line[i] + pred) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4, s = x * channels;
      out[o] = line[s]; out[o + 1] = line[s + 1]; out[o + 2] = line[s + 2];
      out[o + 3] = channels === 4 ? line[s + 3] : 255;
    }
    prev = line;
  }
  return { width, height, data: out };
}

const ORANGE = [230, 97, 1];   // ui/theme.cpp heat_color: the positive end (light theme)
const PURPLE = [84, 39, 136];  // the negative end
const near = (d, i, c, tol) => Math.abs(d[i] - c[0]) + Math.abs(d[i + 1] - c[1]) + Math.abs(d[i + 2] - c[2]) <= tol;

// Counts heatmap-orange, heatmap-purple, pure-white pixels and distinct colours in a region.
function pixelStats(img, region = { x: 0, y: 0, width: img.width, height: img.height }) {
  let orange = 0, purple = 0, white = 0;
  const colours = new Set();
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) {
      const i = (y * img.width + x) * 4, d = img.data;
      if (near(d, i, ORANGE, 40)) orange++;
      if (near(d, i, PURPLE, 40)) purple++;
      if (d[i] === 255 && d[i + 1] === 255 && d[i + 2] === 255) white++;
      colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    }
  }
  return { orange, purple, white, colours: colours.size };
}

// A screenshot of what the page shows inside an element. (A clip of a page screenshot:
// locator.screenshot() waits for stability, which costs seconds while the app redraws.)
async function shoot(locator) {
  const box = await locator.boundingBox();
  assert.ok(box && box.width > 0 && box.height > 0, 'the element has no box');
  return decodePng(await locator.page().screenshot({ clip: box }));
}

async function canvasStats(locator) {
  return pixelStats(await shoot(locator));
}

// A canvas showing the seed graph: its heatmap cells must be there, not just background.
async function assertDrawsGraph(locator, what) {
  const s = await canvasStats(locator);
  assert.ok(s.orange > 2000, `${what}: only ${s.orange} orange heatmap pixels (canvas blank?) ${JSON.stringify(s)}`);
  assert.ok(s.purple > 500, `${what}: only ${s.purple} purple heatmap pixels ${JSON.stringify(s)}`);
  assert.ok(s.colours > 50, `${what}: only ${s.colours} distinct colours`);
  return s;
}

// --- numbers ----------------------------------------------------------------------------
function assertMatrixClose(actual, expected, tol, what) {
  assert.ok(Array.isArray(actual), `${what}: not a matrix: ${JSON.stringify(actual)}`);
  assert.equal(actual.length, expected.length, `${what}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
  for (let r = 0; r < expected.length; r++) {
    assert.equal(actual[r].length, expected[r].length, `${what}: row ${r} length`);
    for (let c = 0; c < expected[r].length; c++) {
      const a = actual[r][c], e = expected[r][c];
      assert.ok(typeof a === 'number' && Math.abs(a - e) <= tol,
                `${what}[${r}][${c}] = ${a}, expected ${e} (tolerance ${tol})`);
    }
  }
}

// The CLI's error text for a program that does not compile (names the file "<stdin>").
function cliError(program) {
  const r = spawnSync(CLI, ['eval', '-', '--json'], { input: program, encoding: 'utf8' });
  assert.notEqual(r.status, 0, 'the CLI accepted a program that should not compile');
  return r.stderr.trim();
}

// --- browser helpers --------------------------------------------------------------------
let env, base, browser;
before(async () => { requireBuild({ cli: true }); ({ base, browser } = env = await startBrowser()); });
after(() => env?.close());

// A fresh context (its own localStorage) and a page that records uncaught errors.
async function freshPage(viewport = VIEWPORT) {
  const context = await browser.newContext({ viewport });
  return { context, page: await newPage(context) };
}

// A real drag: press at (x, y), move dx pixels right in steps with frames in between (ImGui
// samples the pointer once per frame), release. `pointer` is the mouse by default, or
// touchScreen(cdp) for one finger.
// (A requestAnimationFrame callback queued after an input event runs after the app's own
// frame callback of the same round, which was queued a frame earlier: one frame suffices.)
async function drag(page, x, y, dx, steps = 4, pointer = mouse(page)) {
  await pointer.down(x, y);
  await frames(page, 1);
  for (let i = 1; i <= steps; i++) {
    await pointer.move(x + Math.round((dx * i) / steps), y);
    await frames(page, 1);
  }
  await pointer.up();
  await frames(page, 2);
}

// The mouse moves to the spot a frame before it presses, as a hand does.
function mouse(page) {
  return {
    down: async (x, y) => { await page.mouse.move(x, y); await frames(page, 1); await page.mouse.down(); },
    move: (x, y) => page.mouse.move(x, y),
    up: () => page.mouse.up(),
  };
}

// One finger on the touch screen, through Chromium's input domain.
function touchScreen(cdp) {
  const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });
  return {
    down: (x, y) => touch('touchStart', [{ x, y }]),
    move: (x, y) => touch('touchMove', [{ x, y }]),
    up: () => touch('touchEnd', []),
  };
}

// The integer pixel at the centre of a value cell, from the app's own cellRect.
async function cellCentre(page, handle, name, row, col) {
  const r = await page.evaluate(([h, name, row, col]) => eval(h).cellRect(name, row, col), [handle, name, row, col]);
  assert.ok(r && r.width > 4 && r.height > 4, `cellRect('${name}', ${row}, ${col}) = ${JSON.stringify(r)}`);
  return { x: Math.round(r.x + r.width / 2), y: Math.round(r.y + r.height / 2), rect: r };
}

// Every node's {value, grad, shape} of an instance, keyed by name.
function snapshot(page, handle) {
  return page.evaluate((h) => {
    const g = eval(h);
    const out = {};
    for (const n of g.graph().nodes) out[n.name] = g.get(n.name);
    return out;
  }, handle);
}

// Puts `value` in the origin's localStorage as an earlier visit would have, from an empty
// page on the same origin (so no instance runs while it is written).
async function saveState(page, value) {
  await page.route(base + '__blank', (route) => route.fulfill({ contentType: 'text/html',
                                                                    body: '<!doctype html><link rel="icon" href="data:,">' }));
  await page.goto(base + '__blank');
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [STORAGE_KEY, value]);
}

function assertNoPageErrors(page) {
  assert.deepEqual(page.errors, [], 'the page reported errors');
}

const SEED_W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]];

// ---------------------------------------------------------------------------------------
test('1. index.html draws its first frame with the notebook\'s numbers', { timeout: TIMEOUT }, async () => {
  const { context, page } = await freshPage(DESKTOP);
  try {
    await openApp(page, base);
    assert.equal(await page.locator('.gradscope-loading').isVisible(), false, 'the loading message is still shown');
    assert.equal(await page.locator('.gradscope-status').isVisible(), false, 'a status message is shown on a clean start');
    const canvas = page.locator('canvas');
    assert.equal(await canvas.count(), 1);
    const box = await canvas.boundingBox();
    assert.deepEqual([box.width, box.height], [DESKTOP.width, DESKTOP.height], 'the canvas fills the window');
    await assertDrawsGraph(canvas, 'index.html');
    await page.screenshot({ path: path.join(SHOTS, 'index.png') });

    const v = await page.evaluate(() => {
      const g = window.gradscope;
      return { f: g.get('f'), W: g.get('W'), x: g.get('x'), Z: g.get('Z'), y: g.get('y') };
    });
    assertMatrixClose(v.f.value, [[0.75]], 0, 'f');
    assert.deepEqual(v.f.shape, [1, 1]);
    assertMatrixClose(v.W.value, SEED_W, 0, 'W');
    assertMatrixClose(v.W.grad, [[0.25, 0, -0.25], [0.25, 0, -0.25], [0.25, 0, -0.25]], 0, 'dW');
    assert.deepEqual(v.W.shape, [3, 3]);
    assertMatrixClose(v.x.grad, [[2.5], [2], [2.5]], 0, 'dx');
    assertMatrixClose(v.Z.value, [[0], [0], [0]], 0, 'Z');
    assertMatrixClose(v.y.value, [[0.5], [0.5], [0.5]], 0, 'y');
    assertMatrixClose(v.y.grad, [[1], [1], [1]], 0, 'dy');
    assert.match(await page.evaluate(() => { try { window.gradscope.get('nope'); return ''; } catch (e) { return e.message; } }),
                 /no node named 'nope'/);
    assertNoPageErrors(page);
  } finally {
    await context.close();
  }
});

test('2. a real mouse drag on W[0][0] edits it and the gradients match the CLI', { timeout: TIMEOUT }, async () => {
  const { context, page } = await freshPage();
  try {
    await openApp(page, base);
    const program = await page.evaluate(() => window.gradscope.program());
    assert.match(program, /^W = \[\[2, 1, 2\], \[1, 3, 1\], \[7, 4, 7\]\]/m, 'the page starts on the seed program');
    await page.evaluate(() => {
      window.changes = [];
      window.gradscope.on('change', (g) => window.changes.push(g.get('W').value[0][0]));
    });
    const c = await cellCentre(page, 'window.gradscope', 'W', 0, 0);
    // The reported rectangle is really where W[0][0] is drawn: the cell is heatmap-coloured
    // (light orange for 2/7) inside, unlike the card's white background around it.
    const cell = decodePng(await page.screenshot({ clip: { x: c.x - 3, y: c.y - 3, width: 1, height: 1 } }));
    assert.ok(cell.data[2] < 230, `the pixel near W[0][0]'s centre is not a heatmap colour: ${[...cell.data.subarray(0, 3)]}`);

    await drag(page, c.x, c.y, 50);
    const after = await snapshot(page, 'window.gradscope');
    // 50 px to the right at 0.01 per pixel: 2 -> 2.5; nothing else changes.
    assertMatrixClose(after.W.value, [[2.5, 1, 2], [1, 3, 1], [7, 4, 7]], 1e-12, 'W after the drag');
    assertMatrixClose(after.x.value, [[1], [0], [-1]], 0, 'x after the drag');
    const changes = await page.evaluate(() => window.changes);
    assert.ok(changes.length >= 1, 'no change event fired');
    assert.equal(changes.at(-1), 2.5, `the last change event saw W[0][0] = ${changes.at(-1)}`);

    // The reference: the same program with the same W through the native CLI.
    const ref = cliEval(program, { W: after.W.value });
    assert.deepEqual(Object.keys(after).sort(), ref.nodes.map((n) => n.name).sort());
    for (const n of ref.nodes) {
      assert.deepEqual(after[n.name].shape, n.shape, `${n.name} shape`);
      assertMatrixClose(after[n.name].value, n.value, 1e-12, `${n.name} value`);
      assertMatrixClose(after[n.name].grad, n.grad, 1e-12, `d${n.name}`);
    }
    assert.ok(Math.abs(after.f.value[0][0] - 0.75) > 0.1, 'f did not move with W');

    // graph() is the CLI's JSON: same nodes, ops, inputs, shapes, numbers.
    const graph = await page.evaluate(() => window.gradscope.graph());
    assert.equal(graph.output, ref.output);
    assert.deepEqual(graph.nodes.map((n) => [n.name, n.op, n.inputs, n.shape]),
                     ref.nodes.map((n) => [n.name, n.op, n.inputs, n.shape]));
    for (let i = 0; i < ref.nodes.length; i++) {
      assertMatrixClose(graph.nodes[i].value, ref.nodes[i].value, 1e-12, `graph() ${ref.nodes[i].name}`);
      assertMatrixClose(graph.nodes[i].grad, ref.nodes[i].grad, 1e-12, `graph() d${ref.nodes[i].name}`);
    }

    // Dragging left goes the other way: 30 px left of the new centre, 2.5 -> 2.2.
    const c2 = await cellCentre(page, 'window.gradscope', 'W', 0, 0);
    await drag(page, c2.x, c2.y, -30);
    assertMatrixClose((await page.evaluate(() => window.gradscope.get('W'))).value,
                      [[2.2, 1, 2], [1, 3, 1], [7, 4, 7]], 1e-12, 'W after dragging left');
    assertNoPageErrors(page);
  } finally {
    await context.close();
  }
});

test('3. embed-example.html: two isolated instances, a locked input, a hidden editor', { timeout: TIMEOUT }, async () => {
  const { context, page } = await freshPage({ width: 1280, height: 1250 });  // both embeds in view
  const SEED = 'document.getElementById("seed").gradscope', NEURON = 'document.getElementById("neuron").gradscope';
  try {
    await page.goto(base + 'embed-example.html');
    await page.evaluate(() => Promise.all([document.getElementById('seed').gradscope.ready,
                                           document.getElementById('neuron').gradscope.ready]));
    await frames(page, 3);
    assert.equal(await page.locator('div.gradscope canvas').count(), 2, 'one canvas per embed');
    const html = fs.readFileSync(path.join(DIST, 'embed-example.html'), 'utf8');
    for (const id of ['seed', 'neuron']) {
      const height = html.match(new RegExp(`<div class="gradscope" id="${id}"[^>]*data-height="(\\d+)"`))[1];
      assert.equal(await page.locator('#' + id).evaluate((e) => getComputedStyle(e).height), height + 'px', `#${id} data-height`);
    }
    await assertDrawsGraph(page.locator('#seed canvas'), '#seed');
    await page.screenshot({ path: path.join(SHOTS, 'embed-example.png'), fullPage: true });

    // The neuron: micrograd's example, o = tanh(x1 w1 + x2 w2 + b) = 0.7071 and its grads.
    const neuronText = html.match(/<div class="gradscope" id="neuron"[^>]*>([\s\S]*?)<\/div>/)[1];
    const neuron0 = await snapshot(page, NEURON);
    assert.ok(Math.abs(neuron0.o.value[0][0] - 0.7071) < 1e-4, `o = ${neuron0.o.value[0][0]}`);
    const micrograd = { x1: -1.5, w1: 1.0, x2: 0.5, w2: 0.0, b: 0.5, n: 0.5 };  // micrograd's printed grads
    for (const [name, g] of Object.entries(micrograd)) assertMatrixClose(neuron0[name].grad, [[g]], 1e-9, `d${name}`);
    const neuronRef = cliEval(neuronText);
    for (const n of neuronRef.nodes) {
      assertMatrixClose(neuron0[n.name].value, n.value, 1e-12, `neuron ${n.name}`);
      assertMatrixClose(neuron0[n.name].grad, n.grad, 1e-12, `neuron d${n.name}`);
    }
    // data-hide="editor": the editor is gone but the program text is all there.
    assert.equal(await page.evaluate((h) => eval(h).program(), NEURON), neuronText);
    const neuronCanvas = page.locator('#neuron canvas');
    const leftPanel = (img) => pixelStats(img, { x: 0, y: 0, width: 230, height: img.height }).white;
    const hiddenWhite = leftPanel(await shoot(neuronCanvas));
    assert.equal(await page.evaluate((h) => eval(h).setOptions({ hide: [] }), NEURON), '');
    await frames(page, 3);
    const shownWhite = leftPanel(await shoot(neuronCanvas));
    assert.equal(await page.evaluate((h) => eval(h).setOptions({ hide: ['editor'] }), NEURON), '');
    // The editor is a large white text box in the left panel (thousands of white pixels).
    assert.ok(shownWhite - hiddenWhite > 8000,
              `showing the editor added only ${shownWhite - hiddenWhite} white pixels (hidden ${hiddenWhite}, shown ${shownWhite})`);

    // #seed has W locked: set() refuses with a reason, a drag on a W cell changes nothing.
    const seed0 = await snapshot(page, SEED);
    await page.evaluate((h) => { window.seedChanges = 0; eval(h).on('change', () => window.seedChanges++); }, SEED);
    const refusal = await page.evaluate((h) => eval(h).set('W', [[1, 1, 1], [1, 1, 1], [1, 1, 1]]), SEED);
    assert.match(refusal, /locked/);
    const w = await cellCentre(page, SEED, 'W', 0, 0);
    await drag(page, w.x, w.y, 40);
    assert.deepEqual(await snapshot(page, SEED), seed0, 'a drag on the locked W changed the seed instance');
    assert.equal(await page.evaluate(() => window.seedChanges), 0, 'a change event fired for a locked input');

    // ... while x is editable, by drag (+30 px: 1 -> 1.3) and by set(); the neuron is untouched.
    const x = await cellCentre(page, SEED, 'x', 0, 0);
    await drag(page, x.x, x.y, 30);
    const seed1 = await snapshot(page, SEED);
    assertMatrixClose(seed1.x.value, [[1.3], [0], [-1]], 1e-12, 'seed x after the drag');
    assertMatrixClose(seed1.W.value, SEED_W, 0, 'seed W after dragging x');
    assert.ok(await page.evaluate(() => window.seedChanges) >= 1, 'no change event for the x drag');
    const refX = cliEval(await page.evaluate((h) => eval(h).program(), SEED));
    for (const n of refX.nodes) assertMatrixClose(seed1[n.name].grad, n.grad, 1e-12, `seed d${n.name}`);
    assert.equal(await page.evaluate((h) => eval(h).set('x', [[0.5], [-2], [1]]), SEED), '');
    assertMatrixClose((await page.evaluate((h) => eval(h).get('x'), SEED)).value, [[0.5], [-2], [1]], 0, 'seed x');
    assert.deepEqual(await snapshot(page, NEURON), neuron0, 'editing #seed changed #neuron');

    // And the other way round: editing the neuron leaves #seed as it was.
    const seed2 = await snapshot(page, SEED);
    assert.equal(await page.evaluate((h) => eval(h).set('x1', 3), NEURON), '');
    const neuron1 = await snapshot(page, NEURON);
    assertMatrixClose(neuron1.x1.value, [[3]], 0, 'neuron x1');
    assertMatrixClose(neuron1.o.value, [[Math.tanh(3 * -3 + 6.8813735870195432)]], 1e-12, 'neuron o after x1 = 3');
    assert.match(await page.evaluate((h) => eval(h).program(), NEURON), /^x1 = 3$/m);
    await frames(page, 3);
    assert.deepEqual(await snapshot(page, SEED), seed2, 'editing #neuron changed #seed');
    assertNoPageErrors(page);
  } finally {
    await context.close();
  }
});

test('4. a shared link and a reload reproduce the state', { timeout: TIMEOUT }, async () => {
  const a = await freshPage();
  const b = await freshPage();
  try {
    await openApp(a.page, base);
    const X = [[1 / 3], [0.1 + 0.2], [-2.75]];  // full double precision must survive the link
    assert.equal(await a.page.evaluate((X) => window.gradscope.set('x', X), X), '');
    const state = await snapshot(a.page, 'window.gradscope');
    assertMatrixClose(state.x.value, X, 0, 'x after set()');
    const link = await a.page.evaluate(() => window.gradscope.link());
    assert.ok(link.startsWith(base + '#program='), `link() = ${link}`);

    // A new browser context: no shared storage, only the link.
    await openApp(b.page, link);
    const shared = await snapshot(b.page, 'window.gradscope');
    for (const name of Object.keys(state)) {
      assertMatrixClose(shared[name].value, state[name].value, 0, `linked ${name}`);
      assertMatrixClose(shared[name].grad, state[name].grad, 0, `linked d${name}`);
    }
    assert.equal(await b.page.locator('.gradscope-status').isVisible(), false, 'a message is shown for a good link');
    await assertDrawsGraph(b.page.locator('canvas'), 'linked page');

    // The first page: its hash and storage follow the edit, so a reload keeps it...
    await a.page.waitForFunction(([key, x0]) => {
      const s = localStorage.getItem(key);
      return s && s.includes(String(x0)) && location.hash.startsWith('#program=');
    }, [STORAGE_KEY, X[0][0]], { timeout: 5000 });
    await a.page.reload();
    await a.page.evaluate(() => window.gradscope.ready);
    assertMatrixClose((await a.page.evaluate(() => window.gradscope.get('x'))).value, X, 0, 'x after a reload');
    // ... and so does opening the page without a hash (localStorage alone).
    const c = await newPage(a.context);
    await openApp(c, base);
    const stored = await snapshot(c, 'window.gradscope');
    assertMatrixClose(stored.x.value, X, 0, 'x from localStorage');
    assertMatrixClose(stored.W.grad, state.W.grad, 0, 'dW from localStorage');
    assertNoPageErrors(a.page);
    assertNoPageErrors(b.page);
    assertNoPageErrors(c);
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

const SHAPE_ERROR_PROGRAM = 'W = [[1, 2], [3, 4]]\nx = [[1], [2], [3]]\nf = sum(W @ x)\n';

test('5. broken links and broken saved state: a readable message, the app still works', { timeout: TIMEOUT }, async (t) => {
  // Opens url in a fresh context (optionally with something in localStorage first) and
  // checks the app came up on the default example and shows `message` in the status div.
  async function openBroken(url, message, storage) {
    const { context, page } = await freshPage();
    try {
      if (storage !== undefined) await saveState(page, storage);
      await openApp(page, url);
      const status = page.locator('.gradscope-status');
      assert.equal(await status.isVisible(), true, 'the status message is not visible');
      assert.equal(await status.textContent(), message);
      assertMatrixClose((await page.evaluate(() => window.gradscope.get('f'))).value, [[0.75]], 0, 'f');
      await assertDrawsGraph(page.locator('canvas'), url);
      assertNoPageErrors(page);
      return { context, page };
    } catch (e) {
      await context.close();
      throw e;
    }
  }

  await t.test('#program=%%%notbase64', async () => {
    const { context } = await openBroken(base + '#program=%%%notbase64',
                                         BROKEN_LINK + "the value of 'program' is not valid URL encoding.");
    await context.close();
  });
  await t.test('#program=not*base64', async () => {
    const { context } = await openBroken(base + '#program=not*base64', BROKEN_LINK +
      'the program in the link could not be decoded: it contains characters that are not base64url.');
    await context.close();
  });
  await t.test('#bogus=1', async () => {
    const { context } = await openBroken(base + '#bogus=1', BROKEN_LINK +
      "unknown setting 'bogus' (known: program, example, lock, hide, grads, step, dark).");
    await context.close();
  });
  await t.test('a program with a shape error: the text is kept', async () => {
    const cli = cliError(SHAPE_ERROR_PROGRAM);
    assert.equal(cli, "<stdin>:3:11: error: cannot apply '@' to (2, 2) and (3, 1): the left side has 2 columns but " +
                      'the right side has 3 rows\n    f = sum(W @ x)\n              ^');
    const { context, page } = await openBroken(base + '#program=' + toBase64Url(SHAPE_ERROR_PROGRAM),
      'The program has an error (it is kept in the editor; the graph shows the default example until it is fixed):\n' +
      cli.replace('<stdin>', 'program'));
    try {
      assert.equal(await page.evaluate(() => window.gradscope.program()), SHAPE_ERROR_PROGRAM);
      const errors = await page.evaluate(() => window.gradscope.errors());
      assert.equal(errors.length, 1);
      assert.deepEqual([errors[0].line, errors[0].column], [3, 11]);
      // The page rewrites its hash from its state: the user's text must still be in it.
      await frames(page, 20);
      const hash = await page.evaluate(() => location.hash);
      assert.equal(await page.evaluate((h) => Gradscope.decodeText(h.replace(/^#program=/, '').split('&')[0]), hash),
                   SHAPE_ERROR_PROGRAM, `the hash lost the program: ${hash}`);
      await page.reload();
      await page.evaluate(() => window.gradscope.ready);
      assert.equal(await page.evaluate(() => window.gradscope.program()), SHAPE_ERROR_PROGRAM, 'lost on reload');
    } finally {
      await context.close();
    }
  });
  await t.test('unreadable saved state is kept aside, not dropped', async () => {
    const { context, page } = await openBroken(base, "The state saved by an earlier visit could not be read " +
      `(it has no program text); it was kept aside under '${STORAGE_KEY}:unreadable'.`, '{"version": 1}');
    try {
      assert.equal(await page.evaluate((k) => localStorage.getItem(k + ':unreadable'), STORAGE_KEY), '{"version": 1}');
    } finally {
      await context.close();
    }
  });
  await t.test('a broken link does not overwrite the work saved by an earlier visit', async () => {
    const saved = 'W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]\nx = [[9], [8], [7]]\nZ = W @ x\ny = sigmoid(Z)\nf = norm2(y)\n';
    const { context, page } = await freshPage();
    try {
      await saveState(page, JSON.stringify({ version: 1, program: saved }));
      await openApp(page, base + '#bogus=1');
      assert.match(await page.locator('.gradscope-status').textContent(), /^This link is broken/);
      await frames(page, 30);  // past the page's 150 ms persist delay
      await page.waitForTimeout(300);
      const stored = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY));
      assert.equal(stored.program, saved, 'opening a broken link replaced the saved program with the default example');
    } finally {
      await context.close();
    }
  });
});

test('6. setProgram with a parse error: exact error fields, the last good graph stays', { timeout: TIMEOUT }, async () => {
  const { context, page } = await freshPage();
  try {
    await openApp(page, base);
    const bad = 'x = [[1]]\nf = sum(x';
    const errors = await page.evaluate((t) => window.gradscope.setProgram(t), bad);
    // An unclosed bracket is reported at the bracket itself.
    const text = "program:2:8: error: expected ')' to close the call to 'sum', found the end of the program\n" +
                 '    f = sum(x\n           ^';
    assert.deepEqual(errors, [{ message: "expected ')' to close the call to 'sum', found the end of the program",
                                line: 2, column: 8, text }]);
    assert.equal(cliError(bad).replace('<stdin>', 'program'), text, 'the page and the CLI disagree on the error');
    assert.deepEqual(await page.evaluate(() => window.gradscope.errors()), errors);
    assert.equal(await page.evaluate(() => window.gradscope.program()), bad, 'the typed text was not kept');
    // The last good graph (the seed) is still there, still drawn.
    const v = await page.evaluate(() => ({ f: window.gradscope.get('f'), W: window.gradscope.get('W') }));
    assertMatrixClose(v.f.value, [[0.75]], 0, 'f');
    assertMatrixClose(v.W.grad, [[0.25, 0, -0.25], [0.25, 0, -0.25], [0.25, 0, -0.25]], 0, 'dW');
    await frames(page, 3);
    await assertDrawsGraph(page.locator('canvas'), 'after a parse error');
    // An error on the first line and column: the fields count from 1.
    assert.deepEqual((await page.evaluate(() => window.gradscope.setProgram('3 = [[1]]'))).map((e) => [e.message, e.line, e.column]),
                     [["expected a statement 'name = ...', found '3'", 1, 1]]);

    // A good program replaces the graph and clears the errors.
    assert.deepEqual(await page.evaluate(() => window.gradscope.setProgram('a = [[1, 2]]\nf = sum(a * 3)')), []);
    assert.deepEqual(await page.evaluate(() => window.gradscope.errors()), []);
    const f = await page.evaluate(() => window.gradscope.get('f'));
    assertMatrixClose(f.value, [[9]], 0, 'f of the new program');
    assertMatrixClose((await page.evaluate(() => window.gradscope.get('a'))).grad, [[3, 3]], 0, 'da');
    assert.match(await page.evaluate(() => { try { window.gradscope.get('W'); return ''; } catch (e) { return e.message; } }),
                 /no node named 'W'/, 'the old graph is still there');
    assertNoPageErrors(page);
  } finally {
    await context.close();
  }
});

// An edit that does not compile is still the user's work: the page's text view must show
// its error and the page must save it (api.cpp's gs_program_with_values returns the
// erroneous text for links and storage precisely for this). Both are checked before failing.
test('6b. an edit that does not compile yet shows in the text view and survives a reload', { timeout: TIMEOUT }, async () => {
  const { context, page } = await freshPage();
  try {
    await openApp(page, base);
    // Opening the page saves nothing (it must not overwrite an earlier visit's work).
    assert.equal(await page.evaluate(() => location.hash), '');
    const typing = 'W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]\nx = [[1], [0], [-1]]\nZ = W @ x\ny = sigmoid(Z\n';
    const errors = await page.evaluate((t) => window.gradscope.setProgram(t), typing);
    assert.equal(errors.length, 1);
    assert.equal((await page.evaluate(() => window.gradscope.textView())).error, errors[0].text);
    await frames(page, 30);  // past the page's 150 ms persist delay
    await page.waitForTimeout(300);
    const problems = [];
    const view = await page.evaluate(() => ({
      alert: document.querySelector('.gradscope-text [role=alert]')?.textContent ?? null,
      program: document.querySelector('.gradscope-text-program').value,
    }));
    if (view.alert !== errors[0].text) problems.push(`the HTML text view shows no error (role=alert: ${view.alert})`);
    if (view.program !== typing) problems.push('the HTML text view\'s program box still shows the old program');
    await page.reload();
    await page.evaluate(() => window.gradscope.ready);
    if (await page.evaluate(() => window.gradscope.program()) !== typing)
      problems.push('a reload replaced the text being typed with the last program that compiled');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// Issue 7: an exercise travels in a link; a wrong prediction is marked wrong entry by entry, a
// right one right; Reveal gives the chain-rule step; the HTML text view hides what is asked and
// otherwise matches the API after an edit.
test('7. an exercise in a link: predict, check, reveal; the text view follows', { timeout: TIMEOUT }, async () => {
  const exercise = '#! ask: dy, dZ, dW\n#! lock: W\n' +
    'W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]\nx = [[1], [0], [-1]]\nZ = W @ x\ny = sigmoid(Z)\nf = norm2(y)\n';
  const { context, page } = await freshPage();
  try {
    await openApp(page, base + '#program=' + toBase64Url(exercise));
    const ex = await page.evaluate(() => window.gradscope.exercise());
    assert.deepEqual(ex.questions.map((q) => q.label), ['df/dy', 'df/dZ', 'df/dW']);
    assert.ok(ex.questions.every((q) => q.answer === null && !q.done));
    let view = await page.evaluate(() => window.gradscope.textView());
    const Zview = view.nodes.find((n) => n.name === 'Z');
    assert.equal(Zview.grad, null, 'the asked gradient is not in the text view');
    assert.equal(Zview.hidden_grad, true);
    assert.deepEqual(Zview.value, [[0], [0], [0]]);
    assert.match(await page.evaluate(() => document.querySelector('.gradscope-text').textContent), /gradient df\/dZ: hidden/);

    // A wrong prediction: the middle entry is off.
    assert.equal(await page.evaluate(() => window.gradscope.answer(1, [[0.25], [0.3], [0.25]])), '');
    let q = (await page.evaluate(() => window.gradscope.exercise())).questions[1];
    assert.deepEqual(q.right, [true, false, true]);
    assert.equal(q.correct, 2);
    assert.equal(q.done, false);
    assert.equal(q.answer, null);
    // A right one (within the tolerance).
    await page.evaluate(() => window.gradscope.answer(1, [[0.25], [0.2504], [0.25]]));
    q = (await page.evaluate(() => window.gradscope.exercise())).questions[1];
    assert.deepEqual(q.right, [true, true, true]);
    assert.equal(q.done, true);
    assert.deepEqual(q.answer, [[0.25], [0.25], [0.25]]);
    // A wrong shape is refused with the reason.
    assert.equal(await page.evaluate(() => window.gradscope.answer(0, [[1, 1]])),
                 'the answer must have shape (3, 1), not (1, 2)');
    // Reveal shows the step that produces df/dW.
    await page.evaluate(() => window.gradscope.reveal(2));
    q = (await page.evaluate(() => window.gradscope.exercise())).questions[2];
    assert.equal(q.step[0], 'from Z = W @ x: dW += dZ @ x^T');
    assert.equal(q.step[1], '  shapes: (3, 3) += (3, 1) @ (3, 1)^T');
    assert.deepEqual(q.answer, [[0.25, 0, -0.25], [0.25, 0, -0.25], [0.25, 0, -0.25]]);
    // W is locked by the exercise.
    assert.equal(await page.evaluate(() => window.gradscope.set('W', [[1, 1, 1], [1, 1, 1], [1, 1, 1]])), "'W' is locked");

    // After an edit the text view's tables equal the API's values (the unanswered dy stays hidden).
    assert.equal(await page.evaluate(() => window.gradscope.set('x', [[0.5], [-1], [2]])), '');
    await frames(page, 3);
    view = await page.evaluate(() => window.gradscope.textView());
    for (const n of view.nodes) {
      const api = await page.evaluate((name) => window.gradscope.get(name), n.name);
      assert.deepEqual(n.value, api.value, `text view value of ${n.name}`);
      if (n.name === 'y') assert.equal(n.grad, null, 'df/dy is still asked');
      else assert.deepEqual(n.grad, api.grad, `text view gradient of ${n.name}`);
    }
    const cells = await page.evaluate(() => [...document.querySelectorAll('.gradscope-text [data-node="x"] td')]
      .map((td) => Number(td.textContent)));
    assert.deepEqual(cells.slice(0, 3), [0.5, -1, 2], 'the HTML table shows the new x');
    assertNoPageErrors(page);
  } finally {
    await context.close();
  }
});

// Keys one at a time with a frame after each, as a person types (ImGui reads typed
// characters before the keys of the same frame, so Enter and a letter in one frame swap).
async function typeSlowly(page, text) {
  for (const ch of text) {
    if (ch === '\n') await page.keyboard.press('Enter');
    else await page.keyboard.type(ch);
    await frames(page, 1);
  }
}

test('8. keyboard, paste, copy, Tab, wheel and touch reach the app through its canvas', { timeout: TIMEOUT }, async () => {
  const context = await browser.newContext({ viewport: DESKTOP, hasTouch: true });
  const page = await newPage(context);
  try {
    await openApp(page, base);
    const seed = await page.evaluate(() => window.gradscope.program());
    const canvasFocused = () => page.evaluate(() => document.activeElement === window.gradscope.canvas);

    // Click into the program editor (left column, below the text), go to its end, type a line.
    await page.mouse.click(140, 400);
    await frames(page, 2);
    assert.ok(await canvasFocused(), 'a click does not give the canvas the keyboard focus');
    await page.keyboard.press('Control+End');
    await frames(page, 1);
    await typeSlowly(page, '\nq = 2 * ff');
    await page.keyboard.press('Backspace');
    await frames(page, 2);
    assert.equal(await page.evaluate(() => window.gradscope.program()), seed + '\nq = 2 * f');
    assert.deepEqual(await page.evaluate(() => window.gradscope.errors()), []);
    assertMatrixClose((await page.evaluate(() => window.gradscope.get('q'))).value, [[1.5]], 1e-15, 'q typed');

    // Paste (what the browser delivers for Ctrl+V): CRLF becomes LF, the text lands at the caret.
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('text/plain', '\r\nr = q + 1');
      document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await frames(page, 2);
    const pasted = await page.evaluate(() => window.gradscope.program());
    assert.ok(pasted.endsWith('\nq = 2 * f\nr = q + 1'), `after the paste: ${JSON.stringify(pasted.slice(-40))}`);
    assertMatrixClose((await page.evaluate(() => window.gradscope.get('r'))).value, [[2.5]], 1e-15, 'r pasted');

    // Copy: Ctrl+A, Ctrl+C in the editor hands the program to the system clipboard.
    await page.evaluate(() => {
      window.copied = [];
      const write = navigator.clipboard.writeText.bind(navigator.clipboard);
      navigator.clipboard.writeText = (t) => { window.copied.push(t); return write(t).catch(() => {}); };
    });
    await page.keyboard.press('Control+A');
    await frames(page, 1);
    await page.keyboard.press('Control+C');
    await frames(page, 2);
    assert.deepEqual(await page.evaluate(() => window.copied), [pasted], 'Ctrl+C did not copy the program');

    // While the editor is active Tab stays in it; Escape leaves the editor, then Tab leaves the canvas.
    await page.keyboard.press('Escape');
    await frames(page, 2);
    await page.keyboard.press('Tab');
    assert.equal(await canvasFocused(), false, 'Tab is trapped in the canvas');
    assert.equal(await page.evaluate(() => window.gradscope.program()), pasted, 'Tab or Escape changed the program');

    // Touch: a one-finger drag on W[0][0], 40 px right: 2 -> 2.4.
    const cdp = await context.newCDPSession(page);
    const c = await cellCentre(page, 'window.gradscope', 'W', 0, 0);
    await drag(page, c.x, c.y, 40, 4, touchScreen(cdp));
    assertMatrixClose((await page.evaluate(() => window.gradscope.get('W'))).value,
                      [[2.4, 1, 2], [1, 3, 1], [7, 4, 7]], 1e-12, 'W after a touch drag');

    // The wheel over the graph zooms about the pointer: one notch up, 1.15x larger cells.
    const before = (await cellCentre(page, 'window.gradscope', 'W', 0, 0)).rect;
    await page.mouse.move(before.x + 150, before.y + 250);
    await frames(page, 1);
    await page.mouse.wheel(0, -100);
    await frames(page, 2);
    const zoomed = (await cellCentre(page, 'window.gradscope', 'W', 0, 0)).rect;
    assert.ok(Math.abs(zoomed.width / before.width - 1.15) < 0.02,
              `cell width ${before.width} -> ${zoomed.width} after one wheel notch`);
    assertNoPageErrors(page);
  } finally {
    await context.close();
  }
});
