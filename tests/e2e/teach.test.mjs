// Browser end-to-end tests of the teaching features, driven through Debian's chromium with
// playwright-core by real mouse and keyboard events, and read back through what the canvas
// drew (drawnText()):
//
//   1. README worked example 2 (and a question about a value): no hidden answer is drawn,
//      in textView(), get() or graph(), at any step of step-through, while hovering each card
//   2. the "predict before you step on" hint flags each question at exactly its step
//   3. the Train plot is large enough, has axes, and draws a curve; Reset training restores
//   4. with every input locked, typing in the editor changes nothing; set() says why
//   5. Ctrl+Z undoes a drag on the graph and the program panel's Reset; Ctrl+Shift+Z redoes
// Needs build/web/dist (GRADSCOPE_DIST) and the native CLI (GRADSCOPE_CLI) for reference numbers.
// Screenshots go to $GRADSCOPE_SHOTS (default /tmp/e2e-shots).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DIST, SHOTS, DESKTOP, SEED, requireBuild, startBrowser, newPage, frames, cliEval, toBase64Url, clickText }
  from './harness.mjs';

const TIMEOUT = 300_000;  // software WebGL at 1280x800: a walk through every step with hovers takes ~2 minutes

const SOFTMAX = 'X = [[1.0, -0.5, 0.2], [0.3, 0.8, -1.0]]\nW = [[0.2, -0.1], [0.5, 0.3], [-0.4, 0.6]]\n' +
  'b = [[0.0], [0.1], [-0.1]]\nT = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]\nZ = W @ X + b\nL = cross_entropy(Z, T)\n';
const MLP = 'X = [[0.5, -1.0, 1.5, 0.0], [1.0, 0.5, -0.5, 2.0]]\nW1 = [[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]]\n' +
  'b1 = [[0.0], [0.1], [-0.1]]\nW2 = [[0.3, -0.6, 0.2]]\nb2 = 0.05\nY = [[1.0, 0.0, 1.0, 0.0]]\n' +
  'H = relu(W1 @ X + b1)\nP = W2 @ H + b2\nL = mse(P, Y)\n';
const EXAMPLE1 = '#! ask: dy, dZ, dW, dx\n#! lock: *\n' + SEED;
const EXAMPLE2 = '#! ask: dZ, db\n#! lock: X, T\n#! tolerance: 0.005\n' + SOFTMAX;
const VALUE_QUESTION = '#! ask: y\n' + SEED.replace('x = [[1], [0], [-1]]', 'x = [[0.1], [0.2], [-0.3]]');

let env, base, browser;
before(async () => { requireBuild({ cli: true }); ({ base, browser } = env = await startBrowser()); });
after(() => env?.close());

async function openApp(program) {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await newPage(context);
  await page.goto(base + (program ? '#program=' + toBase64Url(program) : ''));
  await page.waitForFunction(() => window.gradscope && window.gradscope.ready, null, { timeout: 20_000 });
  await page.evaluate(() => window.gradscope.ready);
  await page.locator('canvas').first().focus();  // keys go to the app
  await frames(page, 3);
  return { context, page };
}

const api = (page, fn, ...args) => page.evaluate(([fn, args]) => window.gradscope[fn](...args), [fn, args]);
const drawn = async (page) => (await api(page, 'drawnText')).join('\n');

async function key(page, k) {
  await page.keyboard.press(k);
  await frames(page, 2);
}

// --- what must not be shown -----------------------------------------------------------
// Every entry of the quantities an open exercise hides (named by hand, not by the rule under
// test: `grads` are the gradients it may show, `values` the values, all if null), and the
// rest: what may be shown.
function partition(program, { values = null, grads = [] }) {
  const g = cliEval(program.replace(/^#!.*\n/gm, ''));
  const hidden = [], shown = [];
  for (const n of g.nodes) {
    (values === null || values.includes(n.name) ? shown : hidden).push(...n.value.flat());
    (grads.includes(n.name) ? shown : hidden).push(...n.grad.flat());
  }
  for (const t of program.match(/-?\d+\.?\d*/g) || []) shown.push(Number(t));
  return { hidden, shown };
}

// Numbers in `text` that equal a hidden entry to the digits printed and no shown one; small
// integers are skipped (step counters and shapes print them).
function leaks(text, { hidden, shown }, during = []) {
  const out = [];
  for (const t of text.match(/-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?/gi) || []) {
    const x = Number(t);
    if (Number.isInteger(x) && Math.abs(x) <= 20) continue;
    const mant = t.replace(/^-/, '').replace(/e.*$/i, '');
    const decimals = mant.includes('.') ? mant.length - mant.indexOf('.') - 1 : 0;
    const exp = /e/i.test(t) ? Number(t.replace(/^.*e/i, '')) : 0;
    const tol = 0.5 * Math.pow(10, exp - decimals) * 1.001;
    const near = (v) => Math.abs(v - x) <= tol;
    if (hidden.some(near) && !shown.some(near) && !during.some(near)) out.push(t);
  }
  return out;
}

async function assertNothingLeaks(page, secrets, what) {
  const text = await drawn(page);
  assert.deepEqual(leaks(text, secrets), [], `${what}: drawn on the canvas`);
  const view = JSON.stringify(await api(page, 'textView'));
  assert.deepEqual(leaks(view, secrets), [], `${what}: textView()`);
  const graph = await api(page, 'graph');
  assert.deepEqual(leaks(JSON.stringify(graph), secrets), [], `${what}: graph()`);
  for (const n of graph.nodes) {
    const got = await api(page, 'get', n.name);
    assert.deepEqual(leaks(JSON.stringify(got), secrets), [], `${what}: get('${n.name}')`);
    if (got.hidden) assert.ok(Array.isArray(got.shape), 'a hidden quantity still gives its shape');
  }
}

// 1 ---------------------------------------------------------------------------------------
for (const [name, program, may] of [
  ['worked example 2', EXAMPLE2, { grads: ['L', 'T'] }],
  ['a value question', VALUE_QUESTION, { values: ['W', 'x', 'Z'], grads: [] }],
]) {
  test(`1. ${name}: no hidden answer in drawnText, textView, get or graph at any step or hover`, { timeout: TIMEOUT }, async () => {
    const secrets = partition(program, may);
    const { context, page } = await openApp(program);
    try {
      assert.ok((await drawn(page)).includes('What is'), 'the exercise tab is open');
      await assertNothingLeaks(page, secrets, 'on opening');
      const nodes = (await api(page, 'graph')).nodes.map((n) => n.name);
      await clickText(page, 'Inspector');
      await key(page, 's');  // step through
      const caption = () => drawn(page).then((t) => (t.match(/(Forward|Backward)[^\n]*/) || [''])[0]);
      let steps = 0;
      for (let guard = 0; guard < 20; guard++, steps++) {
        const cap = await caption();
        // Not yet computed at this step: everything from the step on (its values are "?").
        await assertNothingLeaks(page, secrets, `at "${cap}"`);
        for (const n of nodes) {  // hover each card's first value cell
          const r = await api(page, 'cellRect', n, 0, 0);
          if (!r) continue;
          await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
          await frames(page, 2);
          assert.deepEqual(leaks(await drawn(page), secrets), [], `at "${cap}", hovering ${n}`);
        }
        await page.mouse.move(2, 2);
        await key(page, 'n');
        if ((await caption()) === cap) break;  // the last step
      }
      assert.ok(steps >= 6, `walked ${steps} steps`);
      await page.screenshot({ path: path.join(SHOTS, `teach-1-${name.replace(/ /g, '-')}.png`) });
      // Reveal everything: now the numbers may be shown, and they are.
      await key(page, 'Escape');
      const questions = (await api(page, 'exercise')).questions;
      for (let q = 0; q < questions.length; q++) await api(page, 'reveal', q);
      await frames(page, 3);
      assert.ok(leaks(await drawn(page), secrets).length > 0, 'revealed answers are drawn (the check can fail)');
      assert.deepEqual(page.errors, []);
    } finally {
      await context.close();
    }
  });
}

// 1b --------------------------------------------------------------------------------------
test('1b. the Views tab shows nothing an open exercise hides; revealed, it shows its pictures', { timeout: TIMEOUT }, async () => {
  const secrets = partition(EXAMPLE2, { grads: ['L', 'T'] });
  const { context, page } = await openApp(EXAMPLE2);
  try {
    await clickText(page, 'Views');
    await frames(page, 3);
    const text = await drawn(page);
    assert.ok(text.includes('Locked while gradients are hidden'), text);
    for (const view of ['Flow', 'Landscape']) assert.ok(!text.includes(view), `${view} is offered while locked`);
    const views = (await api(page, 'layout')).views;
    assert.ok(!Object.values(views).some((r) => r.visible), JSON.stringify(views));
    await assertNothingLeaks(page, secrets, 'the Views tab');
    await page.screenshot({ path: path.join(SHOTS, 'teach-1b-views-locked.png') });
    // Revealed: the same tab draws the gradient flow, whose bars are the gradients' norms.
    const questions = (await api(page, 'exercise')).questions;
    for (let q = 0; q < questions.length; q++) await api(page, 'reveal', q);
    await frames(page, 3);
    await clickText(page, 'Flow');
    await frames(page, 3);
    assert.ok((await api(page, 'layout')).views.flow.visible, 'the flow strip is drawn once revealed');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

// 2 ---------------------------------------------------------------------------------------
test('2. the step hint flags each question at exactly the step that computes it', { timeout: TIMEOUT }, async () => {
  const { context, page } = await openApp(EXAMPLE1);
  try {
    await key(page, 's');
    const flagged = [];
    for (let step = 0; step <= 7; step++) {
      const lines = await api(page, 'drawnText');
      let question = '', here = [];
      for (const t of lines) {
        const m = t.match(/What is (\S+)\?/);
        if (m) question = m[1];
        if (t.includes('This step computes it')) here.push(question);
      }
      flagged.push(here.join(','));
      if (step === 6) await page.screenshot({ path: path.join(SHOTS, 'teach-2-step-hint.png') });
      await key(page, 'n');
    }
    // forward Z, y, f (1-3); df/df (4); f sends dy (5); y sends dZ (6); Z sends dW and dx (7)
    assert.deepEqual(flagged, ['', '', '', '', '', 'df/dy', 'df/dZ', 'df/dW,df/dx']);
  } finally {
    await context.close();
  }
});

// 3 ---------------------------------------------------------------------------------------
test('3. the Train plot is readable, draws a curve, and Reset training restores the start', { timeout: TIMEOUT }, async () => {
  const { context, page } = await openApp(MLP);
  try {
    const w1 = (await api(page, 'get', 'W1')).value;
    // At 1280x800 the two-layer graph folds the side panel away to stay legible: open it with
    // its strip's button, the "<" at the right edge.
    const opener = (await api(page, 'drawnText', true)).filter((d) => d.text === '<').sort((a, b) => b.x - a.x)[0];
    assert.ok(opener && opener.x > DESKTOP.width - 60, 'the folded side panel\'s button');
    await page.mouse.click(opener.x + opener.width / 2, opener.y + opener.height / 2);
    await frames(page, 3);
    assert.ok(await clickText(page, 'Train'), 'the Train tab');
    const text = await drawn(page);
    for (const name of ['W1', 'b1', 'W2', 'b2', 'X', 'Y']) assert.ok(text.includes(name), `${name} offered`);
    assert.ok(await clickText(page, 'Run'));
    await frames(page, 40);
    assert.ok(await clickText(page, 'Pause'));
    const rect = (await api(page, 'layout')).train;
    assert.ok(rect.visible && rect.width >= 240 && rect.height >= 140, `plot ${JSON.stringify(rect)}`);
    const after = await drawn(page);
    assert.match(after, /step \d+\s+L = [0-9.]+/);
    const shot = await page.screenshot({ clip: { x: rect.x, y: rect.y, width: rect.width, height: rect.height } });
    fs.writeFileSync(path.join(SHOTS, 'teach-3-train-plot.png'), shot);
    await page.screenshot({ path: path.join(SHOTS, 'teach-3-train.png') });
    // Count the curve's pixels (the plot's line colour, strongly saturated) in the browser.
    const curve = await page.evaluate(async (png) => {
      const img = await createImageBitmap(await (await fetch('data:image/png;base64,' + png)).blob());
      const c = new OffscreenCanvas(img.width, img.height), g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, img.width, img.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        const max = Math.max(d[i], d[i + 1], d[i + 2]), min = Math.min(d[i], d[i + 1], d[i + 2]);
        if (max - min > 80) n++;
      }
      return n;
    }, shot.toString('base64'));
    assert.ok(curve > 150, `only ${curve} curve pixels in the plot`);
    assert.notDeepEqual((await api(page, 'get', 'W1')).value, w1, 'training moved W1');
    assert.ok(await clickText(page, 'Reset training'));
    assert.deepEqual((await api(page, 'get', 'W1')).value, w1, 'Reset training restores W1');
    // And it is undoable.
    await key(page, 'Control+z');
    assert.notDeepEqual((await api(page, 'get', 'W1')).value, w1, 'undo brings the trained W1 back');
  } finally {
    await context.close();
  }
});

// 4 ---------------------------------------------------------------------------------------
test('4. with every input locked, the editor is read-only and set() says why', { timeout: TIMEOUT }, async () => {
  const { context, page } = await openApp(EXAMPLE1);
  try {
    const before = await api(page, 'program');
    // Click into the editor on the line of x and type.
    const boxes = await api(page, 'drawnText', true);
    const line = boxes.find((d) => d.text.startsWith('x = [[1]'));
    assert.ok(line, 'the program line of x is drawn');
    await page.mouse.click(line.x + 30, line.y + line.height / 2);
    await frames(page, 2);
    await page.keyboard.type('9');
    await page.keyboard.press('Delete');
    await frames(page, 3);
    assert.equal(await api(page, 'program'), before, 'typing changed nothing');
    assert.deepEqual((await api(page, 'get', 'x')).value, [[1], [0], [-1]]);
    assert.equal(await api(page, 'set', 'x', [[5], [0], [-1]]), "'x' is locked");
    const text = await drawn(page);
    assert.ok(text.includes('Read-only: every input is locked.'));
    assert.ok(text.includes('locked'), 'the lock is shown');
    await page.screenshot({ path: path.join(SHOTS, 'teach-4-locked.png') });
  } finally {
    await context.close();
  }
});

// 5 ---------------------------------------------------------------------------------------
test('5. undo and redo: a drag on the graph, the program Reset', { timeout: TIMEOUT }, async () => {
  const { context, page } = await openApp();
  try {
    const seed = await api(page, 'program');
    const r = await api(page, 'cellRect', 'W', 0, 0);
    const x = r.x + r.width / 2, y = r.y + r.height / 2;
    await page.mouse.move(x, y);
    await frames(page, 1);
    await page.mouse.down();
    await frames(page, 1);
    for (let i = 1; i <= 4; i++) { await page.mouse.move(x + 10 * i, y); await frames(page, 1); }
    await page.mouse.up();
    await frames(page, 3);
    const dragged = (await api(page, 'get', 'W')).value[0][0];
    assert.ok(dragged > 2.2, `the drag moved W[0][0] to ${dragged}`);
    assert.ok(await clickText(page, 'Reset'));
    assert.equal(await api(page, 'program'), seed, 'Reset restored the seed');
    await key(page, 'Control+z');
    assert.equal((await api(page, 'get', 'W')).value[0][0], dragged, 'undo brings the dragged value back');
    await key(page, 'Control+z');
    assert.equal(await api(page, 'program'), seed, 'a second undo undoes the drag');
    await key(page, 'Control+Shift+z');
    assert.equal((await api(page, 'get', 'W')).value[0][0], dragged, 'redo');
    // A broken program: the banner over the graph.
    await api(page, 'setProgram', 'W = [[1, 2]]\nx = [[1], [2], [3]]\nf = sum(W @ x)\n');
    await frames(page, 3);
    assert.ok((await drawn(page)).includes('Showing the last valid program: line 3'));
    assert.ok((await api(page, 'layout')).stale_banner.visible);
    await page.screenshot({ path: path.join(SHOTS, 'teach-5-error.png') });
  } finally {
    await context.close();
  }
});
