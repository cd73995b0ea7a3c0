// Time from navigation to the first drawn frame of the browser build, in headless Chromium with
// software WebGL (SwiftShader), served from 127.0.0.1. window.gradscope.ready resolves after
// the first frame; an init script hooks it the moment the page creates window.gradscope, so
// the time is taken when the promise resolves, not when we get round to asking.
// Every run is a fresh browser context (empty cache, empty localStorage): a first visit.
// Prints one JSON object per line. Usage: node bench/page_bench.mjs DIST [RUNS]
import path from 'node:path';
import { DIST, startServer, launch } from '../tests/e2e/harness.mjs';

const RUNS = Number(process.argv[3] || 7);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const web = await startServer({}, process.argv[2] ? path.resolve(process.argv[2]) : DIST);
const url = web.base + 'index.html';
const browser = await launch();
const runs = [];
try {
  for (let i = 0; i <= RUNS; ++i) {  // run 0 warms the OS file cache and Chromium's own start-up
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(() => {
      let app;
      Object.defineProperty(window, 'gradscope', {
        configurable: true,
        get() { return app; },
        set(v) {
          app = v;
          if (v && v.ready) v.ready.then(() => { window.__gsFirstFrame = performance.now(); });
        },
      });
    });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.__gsFirstFrame !== undefined, null, { timeout: 60000 });
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = (name) => performance.getEntriesByType('resource').find((r) => r.name.endsWith(name));
      const wasm = res('gradscope.wasm'), js = res('gradscope.js');
      return {
        first_frame_ms: window.__gsFirstFrame,
        dom_content_loaded_ms: nav.domContentLoadedEventEnd,
        wasm_loaded_ms: wasm ? wasm.responseEnd : null,
        js_loaded_ms: js ? js.responseEnd : null,
      };
    });
    if (i > 0) runs.push(t);
    await context.close();
  }
} finally {
  await browser.close();
  await web.close();
}
const out = { kind: 'page_load', runs: runs.length };
for (const k of Object.keys(runs[0])) out[k] = median(runs.map((r) => r[k]));
out.first_frame_all_ms = runs.map((r) => Math.round(r.first_frame_ms));
console.log(JSON.stringify(out));
