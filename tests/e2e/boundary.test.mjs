// The JavaScript-to-WebAssembly boundary: strings and matrices from 0 to 10 MB through every
// entry point (setProgram, the #program= link, localStorage, set, get, setOptions, answer,
// paste into the canvas, the text view's textarea, data-* attributes) give either success or
// the command line's clear message, and the page still evaluates the seed afterwards.
// (Links stop at 1.5 MB: Chromium refuses URLs over 2 MB before the page sees them.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, openApp, frames, assertEvaluatesSeed, toBase64Url, programOf, LIMIT, SEED }
  from './harness.mjs';

const MB = 1024 * 1024;
const SIZES = [0, 1000, LIMIT - 64, LIMIT, LIMIT + 1, MB, 10 * MB];
// At the limit itself the core refuses a program with a number in it: written out at full
// precision (as links and files store it) it could outgrow the limit.
const SAVE_LIMIT = /^program: error: the inputs hold \d+ numbers, too many to save: written out in full/;
const tooLong = (what, bytes, unit = '') => `${what} ${bytes} bytes${unit}; the limit is ${LIMIT}`;
const TIMEOUT = 120_000;
let web, browser, context, page;

before(async () => {
  web = await startServer({ 'blank.html': '<!doctype html><link rel="icon" href="data:,">' });
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1024, height: 680 } });
  page = await newPage(context);
  await openApp(page, web.base);
});
after(async () => {
  await browser?.close();
  web?.server.close();
});

// A page in a browser context of its own: the shared page's saves (made a moment after its
// test ends) land in another localStorage, so they are not another tab's newer work here.
async function ownPage() {
  const own = await browser.newContext({ viewport: { width: 1024, height: 680 } });
  const p = await newPage(own);
  p.dispose = () => own.close();
  return p;
}

test('setProgram: up to the limit it compiles, past it the command line\'s message, nothing copied', { timeout: TIMEOUT }, async () => {
  for (const bytes of SIZES) {
    const r = await page.evaluate((p) => {
      const errors = window.gradscope.setProgram(p);
      return { errors, length: window.gradscope.program().length };
    }, programOf(bytes));
    if (bytes === 0) assert.equal(r.errors.length, 1, 'an empty program is an error');
    else if (bytes === LIMIT) assert.match(r.errors[0].text, SAVE_LIMIT);
    else if (bytes < LIMIT) {
      assert.deepEqual(r.errors, [], `a ${bytes}-byte program`);
      assert.equal(r.length, bytes, 'the program was not kept whole');
    } else {
      const message = tooLong('the program is', bytes);
      assert.deepEqual(r.errors, [{ message, line: 0, column: 0, text: 'program: error: ' + message }]);
    }
    await assertEvaluatesSeed(page, undefined, `setProgram of ${bytes} bytes`);
  }
  // The issue's reproduction: a comment that put the copy past the stack.
  const issue = 'w = 0.5\nx = 2\nf = tanh(w * x)\n# ' + 'a'.repeat(261483) + '\n';
  assert.deepEqual(await page.evaluate((p) => window.gradscope.setProgram(p), issue), []);
  await frames(page, 5);
  assert.equal(await page.evaluate(() => window.gradscope.get('f').value[0][0]), Math.tanh(1));
  await assertEvaluatesSeed(page, undefined, 'the issue\'s program');
});

test('get and cellRect with names from 0 bytes to 10 MB', { timeout: TIMEOUT }, async () => {
  for (const bytes of SIZES) {
    const r = await page.evaluate((n) => {
      let message = '';
      try { window.gradscope.get('q'.repeat(n)); } catch (e) { message = e.message; }
      return { message, rect: window.gradscope.cellRect('q'.repeat(n), 0, 0) };
    }, bytes);
    assert.equal(r.message, bytes > LIMIT ? tooLong('the name is', bytes)
      : `no node named '${'q'.repeat(Math.min(bytes, 60))}${bytes > 60 ? '...' : ''}'`);
    assert.equal(r.rect, null);
  }
  await assertEvaluatesSeed(page, undefined, 'get');
});

test('set and answer with matrices from empty to 10 MB of JSON', { timeout: TIMEOUT }, async () => {
  const cases = [
    { rows: 0, cols: 0, expect: 'expected a non-empty list of rows, such as [[1, 2], [3, 4]]' },
    { rows: 60, cols: 60, value: 0.5, expect: '' },
    { rows: 150, cols: 150, value: 0.5, expect: /^the inputs hold 22500 numbers, too many to save/ },  // the issue's
    { rows: 150, cols: 150, value: 0.123456789, expect: tooLong('the value is', 270301, ' of JSON') },
    { rows: 4097, cols: 1, value: 1, expect: 'the matrix is too large (limit 4096 rows or columns)' },
    { rows: 1000, cols: 1000, value: 0.123456789, expect: tooLong('the value is', 12002001, ' of JSON') },
  ];
  await page.evaluate(() => window.gradscope.setProgram('#! ask: dA\nA = [[1]]\nf = sum(A * A)\n'));
  for (const c of cases) {
    const r = await page.evaluate(({ rows, cols, value }) => {
      const m = Array.from({ length: rows }, () => Array(cols).fill(value));
      const g = window.gradscope;
      return { set: g.set('A', m), shape: g.get('A').shape, answer: g.answer(0, m) };
    }, c);
    if (c.expect instanceof RegExp) assert.match(r.set, c.expect, `set of ${c.rows}x${c.cols}`);
    else assert.equal(r.set, c.expect, `set of ${c.rows}x${c.cols}`);
    if (!c.expect) assert.deepEqual(r.shape, [c.rows, c.cols]);
    if (typeof c.expect === 'string' && c.expect) assert.equal(r.answer, c.expect, `answer of ${c.rows}x${c.cols}`);
    await page.evaluate(() => window.gradscope.set('A', [[1]]));
  }
  assert.equal(await page.evaluate(() => window.gradscope.set('q'.repeat(300000), 1)), tooLong('the name is', 300000));
  await assertEvaluatesSeed(page, undefined, 'set');
});

test('setOptions with lists from empty to 10 MB', { timeout: TIMEOUT }, async () => {
  for (const count of [0, 100, 30000, 1000000]) {
    const r = await page.evaluate((count) => {
      const o = { lock: Array.from({ length: count }, (_, i) => 'name' + i) };
      return { result: window.gradscope.setOptions(o), bytes: new TextEncoder().encode(JSON.stringify(o)).length };
    }, count);
    assert.equal(r.result, r.bytes > LIMIT ? tooLong('the options are', r.bytes, ' of JSON') : '', `${count} names`);
  }
  assert.equal(await page.evaluate(() => window.gradscope.setOptions({})), '');
  await assertEvaluatesSeed(page, undefined, 'setOptions');
});

test('paste into the canvas: into the editor below the limit, a message above it', { timeout: TIMEOUT }, async () => {
  const paste = (text) => page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    window.gradscope.canvas.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
  await page.evaluate((s) => window.gradscope.setProgram(s), SEED);
  await frames(page, 2);
  await page.mouse.click(110, 330);  // into the program editor, below its last line
  await frames(page, 2);
  await paste('\n# ' + 'p'.repeat(100000));
  await frames(page, 3);
  assert.equal(await page.evaluate(() => window.gradscope.program().length), SEED.length + 100003 - 1 + 1,
               'the pasted comment did not reach the program');
  for (const bytes of [300000, 10 * MB]) {
    await paste('#'.repeat(bytes));
    await frames(page, 2);
    assert.equal(await page.locator('.gradscope-status').textContent(),
                 `Nothing was pasted: ${tooLong('the text is', bytes)}.`);
  }
  await page.keyboard.press('Escape');
  await assertEvaluatesSeed(page, undefined, 'paste');
});

test('the text view\'s textarea: a text over the limit is kept there with the message', { timeout: TIMEOUT }, async () => {
  await page.click('.gradscope-text-toggle');
  const area = page.locator('.gradscope-text-program');
  for (const bytes of [1000, LIMIT + 1, 10 * MB]) {
    await area.evaluate((el, p) => { el.focus(); el.value = p; el.dispatchEvent(new Event('input')); }, programOf(bytes));
    await page.waitForTimeout(400);  // the textarea applies 300 ms after the last keystroke
    await frames(page, 2);
    const limit = await page.locator('.gradscope-text-limit').textContent();
    assert.equal(limit, bytes > LIMIT ? 'program: error: ' + tooLong('the program is', bytes) : '');
    assert.equal(await area.evaluate((el) => el.value.length), bytes, 'the typed text was changed');
    if (bytes <= LIMIT) assert.equal(await page.evaluate(() => window.gradscope.program().length), bytes);
  }
  await area.evaluate((el) => { el.value = ''; el.blur(); });
  await page.click('.gradscope-text-toggle');
  await assertEvaluatesSeed(page, undefined, 'textarea');
});

test('#program= links from 0 to 1.5 MB, with a NUL in the program', { timeout: TIMEOUT }, async () => {
  const p = await ownPage();
  try {
    for (const bytes of [6, 1000, LIMIT - 64, LIMIT + 1, MB]) {
      await openApp(p, web.base + '?' + bytes + '#program=' + toBase64Url(programOf(bytes)));
      const status = (await p.locator('.gradscope-status').textContent()) || '';
      if (bytes <= LIMIT) assert.equal(status, '', `a ${bytes}-byte link`);
      else assert.equal(status, 'The program has an error (it is kept in the editor; the graph shows the default example ' +
                                'until it is fixed):\nprogram: error: ' + tooLong('the program is', bytes));
      await assertEvaluatesSeed(p, undefined, `a ${bytes}-byte link`);
    }
    // A NUL does not cut the program short: the lexer's located error, and the text kept whole.
    const nul = 'w = 0.5\nx = 2\0\nf = tanh(w * x)\n';
    await openApp(p, web.base + '?nul#program=' + toBase64Url(nul));
    assert.match(await p.locator('.gradscope-status').textContent(), /program:2:6: error: unexpected character/);
    assert.equal(await p.evaluate(() => window.gradscope.program()), nul);
    assert.deepEqual(await p.evaluate(() => window.gradscope.errors().map((e) => [e.line, e.column])), [[2, 6]]);
    // The same located error through setProgram, for a NUL and for another control character.
    for (const bad of [nul, nul.replace('\0', '\x1b')]) {
      const errs = await p.evaluate((t) => window.gradscope.setProgram(t), bad);
      assert.deepEqual(errs.map((e) => [e.line, e.column]), [[2, 6]], JSON.stringify(errs));
      assert.match(errs[0].text, /^program:2:6: error: unexpected character '\\x(00|1B)'/);
    }
    await p.evaluate((t) => window.gradscope.setProgram(t), nul);
    // The first change saves the whole text, NUL included.
    await p.evaluate(() => window.gradscope.setOptions({ dark: true }));
    await p.waitForFunction((nul) => Object.keys(localStorage).some((k) => localStorage.getItem(k).includes(JSON.stringify(nul).slice(1, -1))),
                            nul, { timeout: 5000 });
    assert.ok((await p.evaluate(() => location.hash)).includes(toBase64Url(nul)), 'the link lost part of the program');
    assert.deepEqual(p.errors, []);
  } finally {
    await p.dispose();
  }
});

test('localStorage: saved programs from 0 to 4.5 MB', { timeout: TIMEOUT }, async () => {
  const p = await ownPage();
  try {
    for (const bytes of [6, LIMIT - 64, LIMIT + 1, 4.5 * MB]) {
      await p.goto(web.base + 'blank.html');
      await p.evaluate((program) => {
        localStorage.clear();
        localStorage.setItem('gradscope:last-state:v1', JSON.stringify({ version: 1, program }));
      }, programOf(bytes));
      await openApp(p, web.base);
      const status = (await p.locator('.gradscope-status').textContent()) || '';
      if (bytes <= LIMIT) {
        assert.equal(status, '');
        assert.equal(await p.evaluate(() => window.gradscope.program().length), bytes);
      } else assert.match(status, new RegExp(tooLong('the program is', bytes)));
      await assertEvaluatesSeed(p, undefined, `a ${bytes}-byte saved program`);
    }
  } finally {
    await p.evaluate(() => localStorage.clear());
    await p.dispose();
  }
});

test('data-* attributes from 0 to 10 MB', { timeout: TIMEOUT }, async () => {
  const p = await ownPage();
  try {
    for (const bytes of [0, 1000, LIMIT + 1, 10 * MB]) {
      const attr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
      const long = 'n'.repeat(bytes);
      web.pages[`data-${bytes}.html`] = `<!doctype html><link rel="icon" href="data:,"><body>
        <div class="gradscope" id="a" data-program="${attr(programOf(Math.max(bytes, 6)))}"></div>
        <div class="gradscope" id="b" data-example="${long}" data-lock="${long}" data-hide="" data-grads="${long}"></div>
        <script src="embed.js"></script>`;
      await openApp(p, web.base + `data-${bytes}.html`, 'document.getElementById("a").gradscope');
      await p.evaluate(() => document.getElementById('b').gradscope.ready);
      const a = (await p.locator('#a .gradscope-status').textContent()) || '';
      const b = (await p.locator('#b .gradscope-status').textContent()) || '';
      assert.equal(a, bytes > LIMIT ? 'The program has an error (it is kept in the editor; the graph shows the default ' +
                                      'example until it is fixed):\nprogram: error: ' + tooLong('the program is', bytes) : '');
      if (bytes > 0) {
        const name = bytes > 60 ? 'n'.repeat(60) + '...' : 'n'.repeat(bytes);
        const options = JSON.stringify({ lock: [long], hide: [], grads: [long], step: false, dark: false }).length;
        assert.equal(b, `There is no example named '${name}'; showing the default example.` +
          (options > LIMIT ? `\nIgnored options: ${tooLong('the options are', options, ' of JSON')}.` : ''));
      }
      await assertEvaluatesSeed(p, 'document.getElementById("a").gradscope', `data-* of ${bytes} bytes (a)`);
      // (b's data-grads shows gradients only for a node that does not exist: lifted first.)
      assert.equal(await p.evaluate(() => document.getElementById('b').gradscope.setOptions({})), '');
      await assertEvaluatesSeed(p, 'document.getElementById("b").gradscope', `data-* of ${bytes} bytes (b)`);
      delete web.pages[`data-${bytes}.html`];
    }
  } finally {
    await p.dispose();
  }
});

test('the text view builds one page per matrix, updates in place and pages through the rest', { timeout: TIMEOUT }, async () => {
  const n = 256;
  const x = '[' + Array.from({ length: n }, (_, i) => `[${(i + 1) / 100}]`).join(', ') + ']';
  assert.deepEqual(await page.evaluate((p) => window.gradscope.setProgram(p), `x = ${x}\ny = x @ x.T\nf = sum(y)\n`), []);
  await frames(page, 2);
  const cells = (name) => page.evaluate((name) => [...document.querySelectorAll(`.gradscope-text [data-node="${name}"] td`)]
    .map((td) => td.textContent), name);
  const y = await cells('y');
  assert.equal(y.length, 2 * 12 * 12, 'y (256 x 256): one 12 x 12 page of values and one of gradients');
  assert.equal(y[12 + 1], String(0.02 * 0.02), 'y[1][1]');
  // An edit rewrites the numbers in the same <td> elements.
  await page.evaluate(() => { window.__td = document.querySelector('.gradscope-text [data-node="y"] td'); });
  await page.evaluate(() => window.gradscope.set('x', Array.from({ length: 256 }, (_, i) => [i === 0 ? 2 : (i + 1) / 100])));
  await frames(page, 2);
  assert.equal(await page.evaluate(() => window.__td.isConnected && window.__td.textContent), '4');
  // Paging: rows 13-24.
  await page.evaluate(() => [...document.querySelectorAll('.gradscope-text [data-node="y"] button')]
    .find((b) => b.textContent === 'rows \u2193').click());
  assert.match(await page.locator('.gradscope-text [data-node="y"] .gradscope-text-page span').textContent(),
               /^rows 13-24 of 256, columns 1-12 of 256$/);
  assert.equal((await cells('y'))[0], String(0.13 * 2));
  // The API's textView() still gives every entry.
  assert.equal(await page.evaluate(() => window.gradscope.textView().nodes.find((n) => n.name === 'y').value.length), n);
  await assertEvaluatesSeed(page, undefined, 'text view');
});
