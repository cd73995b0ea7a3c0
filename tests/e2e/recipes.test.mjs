// The README's course-site recipes, each loaded in Chromium: a plain HTML page, a MkDocs
// site built by Debian's mkdocs, an LMS iframe, and a Jupyter cell's HTML (inserted and run
// the way Jupyter runs an output's scripts). Each embed must start, and show its whole graph
// inside its viewport (layout()).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startBrowser, within, DIST } from './harness.mjs';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-recipes-'));
let env, base, browser;

// The recipes, as the README gives them (GRADSCOPE = where dist/ is served).
const plainPage = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><body>
<script src="gradscope/embed.js"></script>
<div class="gradscope" id="fig" data-example="seed" data-lock="W" data-height="420"></div></body>`;
const mkdocsPage = `# Backpropagation

<script src="gradscope/embed.js"></script>
<div class="gradscope" id="fig" data-example="mlp" data-height="460"></div>
`;
const lmsPage = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><body>
<iframe id="lms" src="gradscope/index.html#example=seed&hide=editor,inputs" title="gradscope: backpropagation"
        width="100%" height="460" style="border:0" loading="lazy"></iframe></body>`;
const jupyterCell = (id) => `<div class="gradscope" id="${id}" data-example="seed" data-height="420"></div>
<script>
  (function () {
    var base = "BASE";
    if (window.Gradscope) return Gradscope.scan();  // embed.js already loaded by another cell
    var s = document.createElement("script");
    s.src = base + "embed.js";
    document.head.appendChild(s);
  })();
</script>`;

before(async () => {
  fs.cpSync(DIST, path.join(root, 'gradscope'), { recursive: true });
  fs.writeFileSync(path.join(root, 'plain.html'), plainPage);
  fs.writeFileSync(path.join(root, 'lms.html'), lmsPage);
  fs.writeFileSync(path.join(root, 'notebook.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><body></body>');
  // MkDocs: docs/index.md and docs/gradscope/ (dist), built into site/.
  const docs = path.join(root, 'mk', 'docs');
  fs.mkdirSync(docs, { recursive: true });
  // (The theme's highlight.js would come from a CDN, which the test machine cannot reach.)
  fs.writeFileSync(path.join(root, 'mk', 'mkdocs.yml'),
                   'site_name: Course\nuse_directory_urls: false\ntheme:\n  name: mkdocs\n  highlightjs: false\n');
  fs.writeFileSync(path.join(docs, 'index.md'), mkdocsPage);
  fs.cpSync(DIST, path.join(docs, 'gradscope'), { recursive: true });
  const built = spawnSync('mkdocs', ['build', '--quiet', '--site-dir', path.join(root, 'site')],
                          { cwd: path.join(root, 'mk'), encoding: 'utf8' });
  assert.equal(built.status, 0, `mkdocs build failed (apt-get install mkdocs): ${built.error || built.stderr}`);

  env = await startBrowser({}, root);
  ({ base, browser } = env);
});

after(async () => {
  if (env) await env.close();
  fs.rmSync(root, { recursive: true, force: true });
});

// Waits for the instance `handle` (evaluated in `frame`) and checks its whole graph shows.
async function assertShowsGraph(frame, handle, what) {
  await frame.waitForFunction((h) => { try { return !!eval(h).ready; } catch { return false; } }, handle,
                              { timeout: 30_000 });
  await frame.evaluate((h) => eval(h).ready, handle);
  await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const l = await frame.evaluate((h) => eval(h).layout(), handle);
  const cards = Object.entries(l.cards);
  assert.ok(cards.length >= 5, `${what}: ${cards.length} cards`);
  for (const [name, c] of cards) assert.ok(within(c, l.graph), `${what}: card ${name} is outside the graph`);
  return l;
}

async function page() {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const p = await context.newPage();
  p.errors = [];
  p.on('pageerror', (e) => p.errors.push(e.message));
  return p;
}

test('a plain HTML page', { timeout: 60_000 }, async () => {
  const p = await page();
  await p.goto(base + 'plain.html');
  await assertShowsGraph(p, "document.getElementById('fig').gradscope", 'plain page');
  assert.deepEqual(p.errors, []);
});

test('a MkDocs page built by mkdocs', { timeout: 60_000 }, async () => {
  const p = await page();
  await p.goto(base + 'site/index.html');
  assert.match(await p.title(), /Course/);
  const l = await assertShowsGraph(p, "document.getElementById('fig').gradscope", 'MkDocs page');
  assert.ok('matmul_1' in l.cards, 'the mlp example is shown');
  assert.deepEqual(p.errors, []);
});

test('an LMS iframe with its settings in the hash', { timeout: 60_000 }, async () => {
  const p = await page();
  await p.goto(base + 'lms.html');
  const frame = await (await p.waitForSelector('#lms')).contentFrame();
  const l = await assertShowsGraph(frame, 'window.gradscope', 'iframe');
  assert.equal(l.panels.left.width, 0, 'hide=editor,inputs: no left panel');
  assert.deepEqual(p.errors, []);
});

test('two Jupyter cells (the second finds embed.js loaded)', { timeout: 60_000 }, async () => {
  const p = await page();
  await p.goto(base + 'notebook.html');
  // What Jupyter does with an HTML output: set it as innerHTML, then run each script anew.
  const run = (html) => p.evaluate((html) => {
    const out = document.createElement('div');
    out.innerHTML = html;
    document.body.appendChild(out);
    for (const old of out.querySelectorAll('script')) {
      const s = document.createElement('script');
      s.textContent = old.textContent;
      old.replaceWith(s);
    }
  }, html.replace('BASE', base + 'gradscope/'));
  await run(jupyterCell('cell1'));
  await assertShowsGraph(p, "document.getElementById('cell1').gradscope", 'first cell');
  await run(jupyterCell('cell2'));
  await assertShowsGraph(p, "document.getElementById('cell2').gradscope", 'second cell');
  assert.deepEqual(p.errors, []);
});
