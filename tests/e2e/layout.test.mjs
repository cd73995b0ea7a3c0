// Layout end-to-end: every built-in example in the full page at 1920x1080, 1366x768,
// 1280x800 and on a phone (390x844, touch, DPR 3), and in embeds 300 and 460 px high.
// Through the app's own layout() and cellRect() it asserts that every card lies inside the
// graph viewport after load, that value cells are at least 12 px high, that the graph has
// the phone's width, and that hovering a cell of every op tells its chain rule; that a
// panel the user folds stays folded after a reload; and that a phone's touch targets, the
// page's own buttons among them, are at least 40 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowser, frames, within, DIST } from './harness.mjs';

const EXAMPLES = ['seed', 'mlp', 'softmax', 'neuron', 'slip'];
const SIZES = [
  { name: '1920x1080', viewport: { width: 1920, height: 1080 } },
  { name: '1366x768', viewport: { width: 1366, height: 768 } },
  { name: '1280x800', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
];

let env, base, browser;

// The embed page of a course: text, then one embed per example, `height` px high.
const embedPage = (height) => `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<body style="font-family:sans-serif;max-width:760px;margin:24px auto"><p>Lecture text.</p>
<script src="embed.js"></script>
${EXAMPLES.map((e) => `<div class="gradscope" id="${e}" data-example="${e}" data-height="${height}"></div>`).join('\n')}
<p style="height:900px">More text.</p></body>`;


before(async () => {
  env = await startBrowser((url) => {
    const m = url.match(/^\/embed(\d+)\.html$/);
    return m ? embedPage(m[1]) : null;
  });
  ({ base, browser } = env);
});

after(async () => env && env.close());

// `handle` evaluates to an instance's API in the page. Checks every card and every value cell.
async function checkInstance(page, handle, what, least) {
  const r = await page.evaluate((h) => {
    const g = eval(h), layout = g.layout(), cells = [];
    for (const n of g.graph().nodes)
      for (let i = 0; i < n.shape[0]; i++)
        for (let j = 0; j < n.shape[1]; j++) cells.push([n.name, i, j, g.cellRect(n.name, i, j)]);
    return { layout, cells };
  }, handle);
  const { layout, cells } = r;
  assert.ok(Object.keys(layout.cards).length > 0, `${what}: no cards in ${JSON.stringify(layout)}`);
  for (const [name, rect] of Object.entries(layout.cards))
    assert.ok(within(rect, layout.graph), `${what}: card ${name} ${JSON.stringify(rect)} is outside the graph ${JSON.stringify(layout.graph)}`);
  for (const [name, i, j, rect] of cells) {
    assert.ok(rect, `${what}: cellRect(${name}, ${i}, ${j}) is null`);
    assert.ok(rect.height >= least, `${what}: ${name}[${i}][${j}] is ${rect.height.toFixed(1)} px high`);
  }
  return layout;
}

for (const size of SIZES) {
  test(`full page at ${size.name}: every example whole, cells readable`, { timeout: 120_000 }, async () => {
    const context = await browser.newContext(size);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    for (const example of EXAMPLES) {
      await page.goto(`${base}index.html?${example}#example=${example}`);  // a new document each time
      await page.waitForFunction(() => window.gradscope && window.gradscope.ready, null, { timeout: 30_000 });
      await page.evaluate(() => window.gradscope.ready);
      await frames(page, 4);
      const layout = await checkInstance(page, 'window.gradscope', `${example} at ${size.name}`, 12);
      if (size.name === 'phone') {
        assert.ok(layout.graph.width >= 0.9 * 390, `the graph is ${layout.graph.width} px wide on a 390 px phone`);
        assert.equal(layout.panels.left.visible, false, 'the left panel takes no width on a phone');
      }
      for (const p of Object.values(layout.panels))
        if (p.visible) for (const [name, c] of Object.entries(layout.cards))
          assert.ok(c.x >= p.x + p.width || c.x + c.width <= p.x || c.y >= p.y + p.height || c.y + c.height <= p.y,
                    `${example}: card ${name} lies under a panel`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

for (const height of [300, 460]) {
  test(`embeds ${height} px high: every example whole, compact below 480 px`, { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}embed${height}.html`);
    await page.waitForFunction((ids) => ids.every((id) => document.getElementById(id).gradscope), EXAMPLES);
    await page.evaluate((ids) => Promise.all(ids.map((id) => document.getElementById(id).gradscope.ready)), EXAMPLES);
    await frames(page, 4);
    for (const example of EXAMPLES) {
      const layout = await checkInstance(page, `document.getElementById('${example}').gradscope`,
                                         `embed ${example} at ${height} px`, 12);
      assert.equal(layout.compact, height < 480, `${example}: compact is ${layout.compact} at ${height} px`);
      // The page's own buttons over the canvas (the "Text view" toggle) cover no card, and the
      // graph lies inside the canvas.
      const { canvas, buttons } = await page.evaluate((id) => {
        const el = document.getElementById(id), box = (e) => e.getBoundingClientRect().toJSON();
        return { canvas: box(el.querySelector('canvas')),
                 buttons: [...el.querySelectorAll('button')].map(box).filter((b) => b.width > 0 && b.height > 0) };
      }, example);
      assert.ok(buttons.length > 0, `${example}: no Text view button over the embed`);
      assert.ok(within(layout.graph, canvas), `${example}: the graph ${JSON.stringify(layout.graph)} leaves the canvas ${JSON.stringify(canvas)}`);
      for (const [name, c] of Object.entries(layout.cards))
        for (const b of buttons)
          assert.ok(c.x >= b.x + b.width || c.x + c.width <= b.x || c.y >= b.y + b.height || c.y + c.height <= b.y,
                    `embed ${example} at ${height} px: card ${name} ${JSON.stringify(c)} lies under the button ${JSON.stringify(b)}`);
    }
    await context.close();
  });
}

test('hovering a value cell of every op tells its chain rule with numbers', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const seen = new Set();
  // Every example, and a program for the ops no example uses (exp, div: the notebook's slip).
  const slip = 'W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]\nx = [[1], [0], [-1]]\nZ = W @ x\ny = 1 / (1 + exp(Z))\nf = norm2(y)\n';
  const pages = EXAMPLES.map((e) => [e, `#example=${e}`])
    .concat([['exp-div', '#program=' + Buffer.from(slip).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')]]);
  for (const [example, hash] of pages) {
    await page.goto(`${base}index.html?${example}${hash}`);  // a new document each time
    await page.waitForFunction(() => window.gradscope && window.gradscope.ready);
    await page.evaluate(() => window.gradscope.ready);
    await frames(page, 3);
    const nodes = await page.evaluate(() => window.gradscope.graph().nodes.map((n) => ({ name: n.name, op: n.op })));
    for (const n of nodes) {
      const r = await page.evaluate((name) => window.gradscope.cellRect(name, 0, 0), n.name);
      await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
      await frames(page, 3);
      const hover = await page.evaluate(() => window.gradscope.layout().hover);
      assert.ok(hover && hover.node === n.name, `${example}: hovering ${n.name}[0][0] hovers ${JSON.stringify(hover)}`);
      assert.match(hover.text, new RegExp(`^${n.name}\\[0\\]\\[0\\]`), `${example}: the story of ${n.name}`);
      if (n.op !== 'input' && n.op !== 'const') {
        assert.ok(hover.text.split('\n').length >= 2, `${example}: ${n.op} tells only '${hover.text}'`);
        seen.add(n.op);
      }
    }
  }
  for (const op of ['matmul', 'add', 'relu', 'mse', 'sigmoid', 'norm2', 'cross_entropy', 'mul', 'tanh', 'exp', 'div'])
    assert.ok(seen.has(op), `no example hovered a ${op} cell (seen: ${[...seen].join(', ')})`);
  await context.close();
});

test('a side panel folded by the user stays folded after a reload; opened again, it stays open', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const open = async () => {
    await page.goto(`${base}index.html#example=seed`);
    await page.waitForFunction(() => window.gradscope && window.gradscope.ready);
    await page.evaluate(() => window.gradscope.ready);
    await frames(page, 4);
    return page.evaluate(() => window.gradscope.layout());
  };
  // The button drawn with `label` inside `rect`, from what the canvas drew.
  const button = async (label, rect) => {
    const boxes = await page.evaluate(() => window.gradscope.drawnText(true));
    const b = boxes.find((d) => d.text === label && within(d, rect));
    assert.ok(b, `no '${label}' button in ${JSON.stringify(rect)}`);
    return b;
  };
  let layout = await open();
  assert.equal(layout.panels.side.visible, true, 'the side panel opens at 1280x800');
  assert.deepEqual(layout.fold, [0, 0]);
  let b = await button('>', layout.panels.side);
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
  await frames(page, 4);
  assert.deepEqual((await page.evaluate(() => window.gradscope.layout())).fold, [0, 2]);
  layout = await open();
  assert.equal(layout.panels.side.visible, false, 'the folded side panel is folded after a reload');
  assert.deepEqual(layout.fold, [0, 2]);
  // The strip's button opens it again, and that is remembered too.
  b = await button('<', layout.panels.side);
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
  await frames(page, 4);
  layout = await open();
  assert.equal(layout.panels.side.visible, true, 'the reopened side panel is open after a reload');
  assert.deepEqual(layout.fold, [0, 1]);
  await context.close();
});

test('on a phone the bottom sheet names every tab in full, with touch targets of at least 40 px', { timeout: 120_000 }, async () => {
  const context = await browser.newContext(SIZES[3]);
  const page = await context.newPage();
  await page.goto(`${base}index.html#example=mlp`);
  await page.waitForFunction(() => window.gradscope && window.gradscope.ready);
  await page.evaluate(() => window.gradscope.ready);
  await frames(page, 4);
  const drawn = () => page.evaluate(() => window.gradscope.drawnText(true));
  // The page's own buttons are touch targets too, in a row of their own: none covers
  // anything the canvas drew (the status line, the sheet's button, Fit).
  const hosts = await page.evaluate(() => [...document.querySelectorAll('#bar button, .gradscope-text-toggle')].map((b) => {
    const r = b.getBoundingClientRect();
    return { text: b.textContent, x: r.x, y: r.y, width: r.width, height: r.height };
  }));
  assert.deepEqual(hosts.map((b) => b.text).sort(), ['Copy link', 'Reset', 'Text view']);
  const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  for (const b of hosts) {
    assert.ok(b.height >= 40 && b.width >= 40, `the page's '${b.text}' button is ${b.width} x ${b.height} px`);
    const under = (await drawn()).find((d) => overlap(d, b));
    assert.ok(!under, `the page's '${b.text}' button ${JSON.stringify(b)} covers '${under && under.text}' ${JSON.stringify(under)}`);
  }
  const open = (await drawn()).find((d) => d.text.startsWith('Program, inputs'));
  assert.ok(open, 'no button opens the bottom sheet');
  await page.touchscreen.tap(open.x + open.width / 2, open.y + open.height / 2);
  await frames(page, 4);
  let layout = await page.evaluate(() => window.gradscope.layout());
  assert.equal(layout.panels.sheet.visible, true, 'the tap opened the bottom sheet');
  const sheet = layout.panels.sheet;
  const label = async (name) => {
    const b = (await drawn()).find((d) => d.text === name && within(d, sheet));
    assert.ok(b, `the sheet shows no whole '${name}' tab: ${JSON.stringify((await drawn()).filter((d) => within(d, sheet)).map((d) => d.text))}`);
    return b;
  };
  for (const name of ['Program', 'Inspector', 'Check', 'Train', 'Export', 'Exercise']) await label(name);
  assert.ok(!(await drawn()).some((d) => within(d, sheet) && /\.\.\.|\u2026/.test(d.text)), 'a tab label is cut short');
  // A tap 9 px above or below a label still lands on its tab: each tab is at least 40 px high
  // (the label's own line is about 17).
  let b = await label('Train');
  await page.touchscreen.tap(b.x + b.width / 2, b.y - 9);
  await frames(page, 4);
  layout = await page.evaluate(() => window.gradscope.layout());
  assert.equal(layout.train.visible, true, 'a tap just above the Train label opens the Train tab');
  b = await label('Inspector');
  await page.touchscreen.tap(b.x + b.width / 2, b.y + b.height + 9);
  await frames(page, 4);
  layout = await page.evaluate(() => window.gradscope.layout());
  assert.equal(layout.train.visible, false, 'a tap just below the Inspector label leaves the Train tab');
  const shown = (await drawn()).filter((d) => within(d, sheet)).map((d) => d.text);
  assert.ok(shown.includes('matmul_1  (3, 4)'), `the Inspector (of the selected matmul_1) is not shown: ${JSON.stringify(shown)}`);
  await context.close();
});

test('at 1920x1080 the side panel is wide enough for all seven tab labels whole (slip: Derive and Views too)', async () => {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await page.goto(base + 'index.html#example=slip');
  await page.waitForFunction(() => window.gradscope && window.gradscope.ready);
  await page.evaluate(() => window.gradscope.ready);
  await frames(page, 4);
  const side = await page.evaluate(() => window.gradscope.layout().panels.side);
  const row = (await page.evaluate(() => window.gradscope.drawnText(true)))
    .filter((d) => d.x >= side.x && d.y < side.y + 30).map((d) => d.text).join(' ');
  for (const tab of ['Inspector', 'Check', 'Train', 'Views', 'Export', 'Exercise', 'Derive'])
    assert.ok(row.split(/\s+/).includes(tab), `"${tab}" is not drawn whole in the tab row: ${row}`);
  await context.close();
});
