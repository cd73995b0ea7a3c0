// Saved state and the page around an embed: a reload 50 ms after an edit keeps it; an iframe
// demo and .gradscope embeds save under their own keys and never touch the full app's saved
// program; two tabs never silently overwrite each other; over an embed the wheel and vertical
// swipes scroll the page (Ctrl + wheel and a pinch zoom the graph, a finger on an entry drags it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, openApp, frames, SEED } from './harness.mjs';

const TIMEOUT = 120_000;
const APP_KEY = 'gradscope:last-state:v1:/';
const TALL = (body) => `<!doctype html><link rel="icon" href="data:,"><body style="margin:0">
  <p style="height:150px">A course page.</p>${body}<div style="height:3000px"></div><script src="embed.js"></script>`;
let web, browser;

before(async () => {
  web = await startServer({
    'course.html': TALL('<iframe id="demo" src="index.html#example=mlp" style="width:900px;height:460px"></iframe>'),
    'embeds.html': TALL('<div class="gradscope" id="one" data-height="460"></div>' +
                        '<div class="gradscope" id="two" data-example="mlp"></div>'),
    'blank.html': '<!doctype html><link rel="icon" href="data:,">',
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  web?.server.close();
});

const saved = (page, key) => page.evaluate((k) => localStorage.getItem(k), key);
const savedProgram = async (page, key) => JSON.parse((await saved(page, key)) || 'null')?.program ?? null;

test('a reload 50 ms after an edit keeps it, with and without a link in the address', { timeout: TIMEOUT }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 680 } });
  const page = await newPage(context);
  try {
    await openApp(page, web.base);
    assert.equal(await page.evaluate(() => window.gradscope.set('x', [[5], [6], [7]])), '');
    await page.waitForTimeout(50);
    await page.reload();
    await page.evaluate(() => window.gradscope.ready);
    assert.deepEqual((await page.evaluate(() => window.gradscope.get('x'))).value, [[5], [6], [7]]);
    // Now the address carries a link (written by the save after this edit); the next edit is
    // saved on pagehide, too late for the address, and must still win over the link.
    await page.evaluate(() => window.gradscope.set('x', [[1], [2], [3]]));
    await page.waitForFunction(() => location.hash.startsWith('#program='), null, { timeout: 5000 });
    await page.evaluate(() => window.gradscope.set('x', [[8], [9], [10]]));
    await page.waitForTimeout(50);
    await page.reload();
    await page.evaluate(() => window.gradscope.ready);
    assert.deepEqual((await page.evaluate(() => window.gradscope.get('x'))).value, [[8], [9], [10]]);
    // A program being typed (not compiling yet) survives the same way.
    const typing = SEED.replace('f = norm2(y)', 'f = norm2(y');
    await page.evaluate((t) => window.gradscope.setProgram(t), typing);
    await page.waitForTimeout(50);
    await page.reload();
    await page.evaluate(() => window.gradscope.ready);
    assert.equal(await page.evaluate(() => window.gradscope.program()), typing);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('an iframe demo and .gradscope embeds never touch the full app\'s saved program', { timeout: TIMEOUT }, async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 680 } });
  const page = await newPage(context);
  try {
    await openApp(page, web.base);
    await page.evaluate(() => window.gradscope.set('x', [[4], [4], [4]]));
    await page.waitForFunction((k) => (localStorage.getItem(k) || '').includes('[4], [4], [4]'), APP_KEY, { timeout: 5000 });
    const mine = await saved(page, APP_KEY);

    // An iframe of the full app: the student drags and edits in it.
    await page.goto(web.base + 'course.html');
    const frame = page.frameLocator('#demo');
    const demo = page.frames().find((f) => f.url().includes('#example=mlp'));
    await demo.waitForFunction(() => window.gradscope && window.gradscope.ready);
    await demo.evaluate(() => window.gradscope.ready);
    const x = await demo.evaluate(() => window.gradscope.get('X').value);
    x[0][0] += 1;
    assert.equal(await demo.evaluate((x) => window.gradscope.set('X', x), x), '');
    await page.waitForTimeout(400);
    assert.ok(frame, 'no frame');
    const keys = await page.evaluate(() => Object.keys(localStorage).sort());
    const frameKey = keys.find((k) => k.startsWith(APP_KEY + ':frame-'));
    assert.ok(frameKey, `the iframe saved nothing of its own: ${keys}`);
    assert.match(await savedProgram(page, frameKey), /W1/, 'the iframe\'s own save is not the mlp');
    assert.equal(await saved(page, APP_KEY), mine, 'the iframe overwrote the full app\'s saved program');
    // Reloading the course page brings the student's iframe work back.
    await page.reload();
    const again = page.frames().find((f) => f.url().includes('#example=mlp'));
    await again.waitForFunction(() => window.gradscope && window.gradscope.ready);
    await again.evaluate(() => window.gradscope.ready);
    assert.deepEqual(await again.evaluate(() => window.gradscope.get('X').value), x);

    // Two embeds on one page: each under its own key, neither the app's.
    await openApp(page, web.base + 'embeds.html', 'document.getElementById("two").gradscope');
    await page.evaluate(() => document.getElementById('one').gradscope.ready);
    await page.evaluate(() => document.getElementById('one').gradscope.set('x', [[3], [3], [3]]));
    await page.evaluate(() => document.getElementById('two').gradscope.set('X', [[0, 0, 0, 0], [1, 1, 1, 1]]));
    await page.waitForTimeout(400);
    const embedKeys = (await page.evaluate(() => Object.keys(localStorage))).filter((k) => k.includes(':embed-'));
    assert.equal(embedKeys.length, 2, `embed keys: ${embedKeys}`);
    assert.equal(await saved(page, APP_KEY), mine, 'an embed overwrote the full app\'s saved program');
    await openApp(page, web.base);
    assert.deepEqual((await page.evaluate(() => window.gradscope.get('x'))).value, [[4], [4], [4]]);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('two tabs: a newer save in one tab is announced in the other, never silently overwritten', { timeout: TIMEOUT }, async () => {
  const context = await browser.newContext({ viewport: { width: 900, height: 600 } });
  const a = await newPage(context), b = await newPage(context);
  try {
    await openApp(a, web.base);
    await openApp(b, web.base);
    await a.evaluate(() => window.gradscope.set('x', [[7], [7], [7]]));
    await b.waitForFunction(() => /changed in another tab/.test(document.querySelector('.gradscope-status').textContent),
                            null, { timeout: 5000 });
    // An edit in tab b saves nothing over tab a's work while the question is open.
    await b.evaluate(() => window.gradscope.set('x', [[1], [1], [1]]));
    await b.waitForTimeout(400);
    assert.match(await savedProgram(a, APP_KEY), /x = \[\[7\], \[7\], \[7\]\]/);
    await b.getByRole('button', { name: 'Load it here' }).click();
    assert.deepEqual((await b.evaluate(() => window.gradscope.get('x'))).value, [[7], [7], [7]]);
    assert.equal(await b.locator('.gradscope-status').isVisible(), false);
    // Keeping the other tab's version instead: tab a is told in turn.
    await b.evaluate(() => window.gradscope.set('x', [[2], [2], [2]]));
    await a.waitForFunction(() => /changed in another tab/.test(document.querySelector('.gradscope-status').textContent),
                            null, { timeout: 5000 });
    await a.evaluate(() => window.gradscope.set('x', [[3], [3], [3]]));
    await a.getByRole('button', { name: 'Keep this tab\'s' }).click();
    assert.match(await savedProgram(a, APP_KEY), /x = \[\[3\], \[3\], \[3\]\]/);
    await b.waitForFunction(() => /changed in another tab/.test(document.querySelector('.gradscope-status').textContent),
                            null, { timeout: 5000 });
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await context.close();
  }
});

test('unreadable saved data that cannot be copied aside is left alone until the user chooses', { timeout: TIMEOUT }, async () => {
  const context = await browser.newContext({ viewport: { width: 900, height: 600 } });
  const page = await newPage(context);
  try {
    await page.goto(web.base + 'blank.html');
    // 4.5M characters of unreadable data: a copy aside does not fit in the origin's quota.
    const junk = await page.evaluate((k) => {
      const v = '{' + 'x'.repeat(4.5 * 1024 * 1024);
      localStorage.setItem(k, v);
      return v.length;
    }, APP_KEY);
    await openApp(page, web.base);
    const status = await page.locator('.gradscope-status').textContent();
    assert.match(status, /^The state saved by an earlier visit could not be read \(.*\), and there is no room to keep a copy of it \(QuotaExceededError\)\. It is left as it was under 'gradscope:last-state:v1:\/': this page saves nothing over it unless you choose to\./);
    assert.equal(await page.evaluate((k) => localStorage.getItem(k + ':unreadable'), APP_KEY), null);
    await page.evaluate(() => window.gradscope.set('x', [[9], [9], [9]]));
    await page.waitForTimeout(400);
    assert.equal(await page.evaluate((k) => localStorage.getItem(k).length, APP_KEY), junk, 'the first edit overwrote it');
    await page.getByRole('button', { name: 'Save over it from now on' }).click();
    assert.match(await savedProgram(page, APP_KEY), /x = \[\[9\], \[9\], \[9\]\]/);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

// The graph's zoom, read as the drawn height of a cell.
const cellHeight = (page, h) => page.evaluate((h) => eval(h).cellRect('W', 0, 0).height, h);

test('the wheel over an embed scrolls the page; Ctrl + wheel zooms; the full app zooms', { timeout: TIMEOUT }, async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await newPage(context);
  const one = 'document.getElementById("one").gradscope';
  try {
    await openApp(page, web.base + 'embeds.html', one);
    const box = await page.locator('#one canvas').boundingBox();
    const h0 = await cellHeight(page, one);
    await page.mouse.move(box.x + box.width / 2, box.y + 200);
    await page.mouse.wheel(0, 300);
    await page.waitForFunction(() => window.scrollY > 0, null, { timeout: 5000 });
    await frames(page, 3);
    assert.equal(await cellHeight(page, one), h0, 'the wheel zoomed the graph instead');
    assert.equal(await page.locator('#one .gradscope-wheel-hint').isVisible(), true, 'no hint about Ctrl + wheel');
    const y = await page.evaluate(() => window.scrollY);
    const b2 = await page.locator('#one canvas').boundingBox();
    await page.mouse.move(b2.x + b2.width / 2, b2.y + 200);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await frames(page, 3);
    assert.ok(await cellHeight(page, one) > h0 * 1.2, 'Ctrl + wheel did not zoom');
    assert.equal(await page.evaluate(() => window.scrollY), y, 'Ctrl + wheel scrolled the page');

    // The same in an iframe embed: the course page scrolls.
    await page.goto(web.base + 'course.html');
    const demo = page.frames().find((f) => f.url().includes('#example=mlp'));
    await demo.waitForFunction(() => window.gradscope && window.gradscope.ready);
    await demo.evaluate(() => window.gradscope.ready);
    await page.mouse.move(450, 400);
    await page.mouse.wheel(0, 300);
    await page.waitForFunction(() => window.scrollY > 0, null, { timeout: 5000 });

    // The full app keeps wheel zoom.
    await openApp(page, web.base);
    const a0 = await cellHeight(page, 'window.gradscope');
    const c = await page.evaluate(() => window.gradscope.cellRect('W', 0, 0));
    await page.mouse.move(c.x + 60, c.y + 60);
    await page.mouse.wheel(0, -300);
    await frames(page, 3);
    assert.ok(await cellHeight(page, 'window.gradscope') > a0 * 1.2, 'the full app no longer zooms on the wheel');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('touch over an embed: a vertical swipe scrolls the page, a finger on an entry drags it, a pinch zooms', { timeout: TIMEOUT }, async () => {
  const context = await browser.newContext({ viewport: { width: 800, height: 700 }, hasTouch: true, isMobile: false });
  const page = await newPage(context);
  const one = 'document.getElementById("one").gradscope';
  try {
    await openApp(page, web.base + 'embeds.html', one);
    const cdp = await context.newCDPSession(page);
    const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });
    // Fingers move in steps a frame apart, as a hand does.
    async function gesture(starts, step, steps = 10) {
      await touch('touchStart', starts);
      for (let i = 1; i <= steps; i++) {
        await touch('touchMove', starts.map((p, k) => ({ x: p.x + step[k].x * i, y: p.y + step[k].y * i })));
        await frames(page, 1);
      }
      await touch('touchEnd', []);
      await frames(page, 2);
    }
    const box = await page.locator('#one canvas').boundingBox();
    const h0 = await cellHeight(page, one);
    // A vertical swipe on the graph's background.
    await gesture([{ x: Math.round(box.x + box.width / 2), y: Math.round(box.y + 400) }], [{ x: 0, y: -25 }]);
    await page.waitForFunction(() => window.scrollY > 100, null, { timeout: 5000 });
    assert.equal(await cellHeight(page, one), h0, 'the swipe zoomed the graph');
    await page.evaluate(() => window.scrollTo(0, 0));
    await frames(page, 3);

    // One finger on W[0][0] drags the entry and does not scroll the page.
    const r = await page.evaluate((h) => eval(h).cellRect('W', 0, 0), one);
    const w0 = (await page.evaluate((h) => eval(h).get('W').value[0][0], one));
    await gesture([{ x: Math.round(r.x + r.width / 2), y: Math.round(r.y + r.height / 2) }], [{ x: 4, y: -10 }], 5);
    assert.notEqual(await page.evaluate((h) => eval(h).get('W').value[0][0], one), w0, 'the finger did not drag W[0][0]');
    assert.equal(await page.evaluate(() => window.scrollY), 0, 'dragging an entry scrolled the page');

    // Two fingers pinch apart: the graph zooms, the page does not.
    const h1 = await cellHeight(page, one);
    const cx = Math.round(box.x + box.width / 2), cy = Math.round(box.y + 250);
    await gesture([{ x: cx - 40, y: cy }, { x: cx + 40, y: cy }], [{ x: -8, y: 0 }, { x: 8, y: 0 }]);
    assert.equal(await page.evaluate(() => window.scrollY), 0, 'the pinch scrolled the page');
    assert.ok(await cellHeight(page, one) > h1 * 1.3, `the pinch did not zoom (${h1} -> ${await cellHeight(page, one)})`);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});
