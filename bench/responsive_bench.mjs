// Responsiveness of the browser build in headless Chromium (software WebGL, 1280x800): for
// programs at every limit and every built-in example, the longest main-thread task while the
// page loads (navigation to the first frames) and while one edit runs (a mouse drag on the
// first input entry: press, three moves a frame apart, release), and the longest frame of that
// edit (the gap between animation frames: input event to painted frame, as the user sees it).
// Where the drag cannot reach the entry, the edit is the same change made through set().
// Long tasks come from the Long Tasks API, which reports tasks of 50 ms or more: a figure of
// "< 50" means no task reached it. Prints one JSON object per line.
// A case still frozen after BUDGET seconds (default 90) is reported as such ("frozen_s").
// Usage: node bench/responsive_bench.mjs [DIST] [BUDGET]
import path from 'node:path';
import { DIST, startServer, launch, frames, toBase64Url } from '../tests/e2e/harness.mjs';

const BUDGET_S = Number(process.argv[3] || 90);

const column = (n, v) => '[' + Array.from({ length: n }, () => `[${v}]`).join(', ') + ']';
const row = (n, v) => '[' + Array(n).fill(v).join(', ') + ']';
const PROGRAMS = [
  ...[256, 1024, 2048].map((n) => ({ name: `outer product, n = ${n}`, input: 'x',
                                     program: `x = ${column(n, 0.01)}\ny = x @ x.T\nf = sum(y)\n` })),
  { name: 'matmul chain, 2^27 multiply-adds', input: 'c',
    program: `c = ${column(512, 0.001)}\nr = ${row(512, 1)}\nM = c + r\nf = sum(M @ M)\n` },
  { name: '512 nodes', input: 'x',
    program: 'x = [[1]]\nf = sum(' + Array.from({ length: 170 }, (_, k) => `x * ${k + 1}`).join(' + ') + ')\n' },
  { name: '4M entries (2048 x 2048)', input: 'c',
    program: `c = ${column(2048, 0.001)}\nr = ${row(2048, 1)}\nM = c + r\nf = sum(M)\n` },
];
const EXAMPLES = ['seed', 'mlp', 'softmax', 'neuron', 'slip'];

// Collects long tasks and frame gaps from the start of the document; take() reads and resets.
function instrument() {
  window.__long = [];
  window.__gaps = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); })
    .observe({ type: 'longtask', buffered: true });
  let last = 0;
  const tick = (t) => { if (last) window.__gaps.push(t - last); last = t; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  window.__take = () => {
    const r = { longest: Math.max(0, ...window.__long), frame: Math.max(0, ...window.__gaps) };
    window.__long = [];
    window.__gaps = [];
    return r;
  };
}

const web = await startServer({}, process.argv[2] ? path.resolve(process.argv[2]) : DIST);
const base = web.base + 'index.html';
// A browser per program: one still frozen at the end of its budget is closed with it.
try {
  const cases = [...PROGRAMS.map((p) => ({ ...p, url: base + '#program=' + toBase64Url(p.program) })),
                 ...EXAMPLES.map((e) => ({ name: `example ${e}`, url: base + '#example=' + e, example: true }))];
  for (const c of cases) {
    const browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const started = Date.now();
    let timer;
    const frozen = new Promise((resolve) => { timer = setTimeout(resolve, BUDGET_S * 1000, 'frozen'); });
    const result = await Promise.race([frozen, measure(c, context)]).catch((e) => ({ error: e.message }));
    clearTimeout(timer);
    if (result === 'frozen' || result.error) {
      console.log(JSON.stringify({ kind: 'responsive', program: c.name, example: !!c.example,
                                   frozen_s: (Date.now() - started) / 1000, error: result.error || '' }));
    } else console.log(JSON.stringify(result));
    await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
} finally {
  await web.close();
}

async function measure(c, context) {
  {
    await context.addInitScript(instrument);
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(c.url);
    await page.waitForFunction(() => window.gradscope && window.gradscope.ready, null, { timeout: 600_000 });
    await page.evaluate(() => window.gradscope.ready);
    const readyMs = Date.now() - t0;
    await frames(page, 5);
    const status = await page.evaluate(() => document.querySelector('.gradscope-status').textContent);
    const load = await page.evaluate(() => window.__take());
    // The edit: drag the first input's first entry (the first input of the graph for examples).
    const input = c.input || await page.evaluate(() => window.gradscope.graph().nodes.find((n) => n.op === 'input').name);
    const rect = await page.evaluate((n) => window.gradscope.cellRect(n, 0, 0), input);
    const before = await page.evaluate((n) => window.gradscope.get(n).value[0][0], input);
    let edit = { longest: NaN, frame: NaN }, changed = false;
    if (rect) {
      await page.evaluate(() => window.__take());
      const x = rect.x + rect.width / 2, y = rect.y + rect.height / 2;
      await page.mouse.move(x, y);
      await frames(page, 1);
      await page.evaluate(() => window.__take());
      await page.mouse.down();
      for (let i = 1; i <= 3; i++) { await frames(page, 1); await page.mouse.move(x + 10 * i, y); }
      await frames(page, 1);
      await page.mouse.up();
      await frames(page, 3);
      edit = await page.evaluate(() => window.__take());
      changed = (await page.evaluate((n) => window.gradscope.get(n).value[0][0], input)) !== before;
    }
    // Where the drag did not reach the entry (not drawn, or under a panel), the same edit
    // through the API: set() with the entry changed, then three frames.
    let method = 'drag';
    if (!changed) {
      method = 'set()';
      await page.evaluate(() => window.__take());
      const refused = await page.evaluate((n) => {
        const v = window.gradscope.get(n).value;
        v[0][0] += 0.25;
        return window.gradscope.set(n, v);
      }, input);
      await frames(page, 3);
      edit = await page.evaluate(() => window.__take());
      changed = !refused && (await page.evaluate((n) => window.gradscope.get(n).value[0][0], input)) !== before;
    }
    return { kind: 'responsive', program: c.name, example: !!c.example, ready_ms: readyMs,
             load_longest_ms: load.longest, edit_longest_ms: edit.longest, edit_frame_ms: edit.frame,
             edited: changed, edit: method, status };
  }
}
