// `gradscope export --to latex` renders: every align* block of the export of every built-in
// example, and of a program that uses every op, goes through KaTeX (the npm package) with
// throwOnError, and each row on its own too, so an error names its formula. Run with
// GRADSCOPE_CLI=build/native/gradscope node --test tests/e2e/katex_check.mjs (CTest: latex_katex).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import katex from 'katex';

const cli = process.env.GRADSCOPE_CLI;
assert.ok(cli, 'set GRADSCOPE_CLI to the gradscope binary');

// Every op of the language at least once (the test below checks that against `gradscope ops`).
const EVERY_OP = `W = [[1, -2], [0.5, 3]]
x = [[1], [2]]
b = [[0.1], [-0.2]]
t = [[0], [1]]
z = W @ x + b - 2 * x / 4
a = sigmoid(z) + tanh(z) + relu(z) + exp(-z) + softplus(z) + abs(z)
s = sqrt(a) + log(a) + a ^ 2 + softmax(z) + log_softmax(z)
f = sum(s) + mean(W.T) + norm2(z) + mse(a, t) + cross_entropy(z, t) + bce(sigmoid(z), t)
`;

function exportLatex(args, input) {
  return execFileSync(cli, ['export', ...args, '--to', 'latex'], { input, encoding: 'utf8' });
}

// The align* environments of a fragment.
function blocks(tex) {
  return [...tex.matchAll(/\\begin\{align\*\}\n([\s\S]*?)\\end\{align\*\}/g)].map((m) => m[1]);
}

function renders(formula, what) {
  try {
    return katex.renderToString(formula, { displayMode: true, throwOnError: true, strict: 'error' });
  } catch (e) {
    assert.fail(`${what}: KaTeX cannot render\n${formula}\n${e.message}`);
  }
}

function checkFragment(tex, what) {
  const found = blocks(tex);
  assert.equal(found.length, 3, `${what}: forward, backward and gradient blocks`);
  for (const body of found) {
    renders(`\\begin{align*}\n${body}\\end{align*}`, what);
    for (const row of body.split(' \\\\\n')) renders(`\\begin{aligned}${row.trim()}\\end{aligned}`, `${what}, row`);
  }
  return found;
}

test('the LaTeX export of every built-in example renders with KaTeX', () => {
  const names = execFileSync(cli, ['examples'], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(/\s+/)[0]);
  assert.ok(names.includes('seed') && names.length >= 5, names.join(' '));
  for (const name of names) checkFragment(exportLatex(['--example', name]), `example ${name}`);
});

test('every op\'s LaTeX renders, forward and chain rule', () => {
  const ops = JSON.parse(execFileSync(cli, ['ops', '--json'], { encoding: 'utf8' }));
  const tex = exportLatex(['-'], EVERY_OP);
  const html = checkFragment(tex, 'every op').map((b) => renders(`\\begin{align*}\n${b}\\end{align*}`, 'every op'));
  // The program reaches every op: its forward lines hold each op's own LaTeX.
  const forward = blocks(tex)[0];
  for (const [op, mark] of [['matmul', 'W\\, x'], ['sigmoid', '\\sigma('], ['softmax', '\\operatorname{softmax}('],
    ['transpose', 'W^\\top'], ['norm2', '\\lVert z \\rVert_F^2'], ['pow', '^{\\circ 2}']])
    assert.ok(forward.includes(mark), `${op}: ${mark} in\n${forward}`);
  assert.equal(ops.length, new Set(ops.map((o) => o.name)).size);
  for (const o of ops) assert.ok(!tex.includes(`\\operatorname{${o.name.replaceAll('_', '\\_')}}(`) || o.name === 'softmax',
    `${o.name} fell back to its name: no LaTeX in its record`);
  assert.ok(html.join('').includes('katex-display'));
});

test('the seed\'s fragment: shapes, numbers and the chain rule in matrix form', () => {
  const tex = exportLatex(['--example', 'seed']);
  assert.match(tex, /Needs \\usepackage\{amsmath\}/);
  assert.match(tex, /^Z &= W\\, x = \\begin\{bmatrix\} .* \\end\{bmatrix\} && 3 \\times 1 \\\\$/m);
  assert.match(tex, /\\frac\{\\partial f\}\{\\partial W\} &\\mathrel\{\+\}= \\frac\{\\partial f\}\{\\partial Z\}\\, x\^\\top = \\begin\{bmatrix\}/);
  assert.match(tex, /\\frac\{\\partial f\}\{\\partial x\} &\\mathrel\{\+\}= W\^\\top \\frac\{\\partial f\}\{\\partial Z\} = /);
});
