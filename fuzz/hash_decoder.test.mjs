// Property test of the browser's link decoder (web/embed.js: parseHash, decodeText and their
// inverses buildHash, encodeText) under node, on generated and hostile URL hashes. The real
// embed.js runs in a sandbox; its closure's helpers are reached by one line added at load
// time (embed.js exports only encodeText/decodeText). GRADSCOPE_HASH_CASES sets the number of
// cases per property (scripts/fuzz runs many; ctest's default is quick).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

const CASES = Number(process.env.GRADSCOPE_HASH_CASES || 2000);
const source = readFileSync(new URL("../web/embed.js", import.meta.url), "utf8");

function loadEmbed() {
  const anchor = "window.Gradscope = {";
  assert.ok(source.includes(anchor), "web/embed.js no longer assigns window.Gradscope: update this test");
  for (const name of ["parseHash", "buildHash", "encodeText", "decodeText", "list"])
    assert.ok(source.includes("function " + name + "("), "web/embed.js has no function " + name);
  const patched = source.replace(anchor,
    "window.__hash = { parseHash: parseHash, buildHash: buildHash, list: list }; " + anchor);
  const sandbox = {
    document: { currentScript: { src: "http://127.0.0.1/embed.js", hasAttribute: () => true },
                readyState: "complete", addEventListener() {} },
    atob, btoa, TextEncoder, TextDecoder, console, setTimeout, clearTimeout,
  };
  sandbox.window = sandbox;
  vm.createContext(sandbox);
  vm.runInContext(patched, sandbox, { filename: "web/embed.js" });
  return { ...sandbox.window.__hash, encodeText: sandbox.window.Gradscope.encodeText,
           decodeText: sandbox.window.Gradscope.decodeText, SandboxError: vm.runInContext("Error", sandbox),
           plainPrototype: vm.runInContext("Object.prototype", sandbox) };
}

const { parseHash, buildHash, encodeText, decodeText, SandboxError, plainPrototype } = loadEmbed();
// An Error of either realm: embed.js's own, or one thrown by atob/TextDecoder (node's).
const isError = (e) => e instanceof SandboxError || e instanceof Error;

// A small deterministic generator (mulberry32), so a failure names a reproducible case.
function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pickFrom = (r, xs) => xs[Math.floor(r() * xs.length)];

// Program-like text: ASCII, line ends, the URL's own syntax, accents, CJK and astral characters.
const PIECES = ["W", "x", " = ", "[[1, 2], [3, 4]]", " @ ", "sigmoid(", ")", "\n", "\r\n", "#", "&", "=", "%",
  "%25", "+", "/", "?", "é", "∂f/∂W", "中文", "😀", "\t", "#! ask: dW\n", "'", "\"", "<script>", "\\", "\u0000"];
function program(r) {
  let s = "";
  const n = Math.floor(r() * 24);
  for (let i = 0; i < n; i++) s += r() < 0.8 ? pickFrom(r, PIECES) : String.fromCodePoint(Math.floor(r() * 0xd7ff));
  return s;
}
function names(r) {
  const out = [];
  const n = Math.floor(r() * 4);
  for (let i = 0; i < n; i++) out.push(pickFrom(r, ["W", "x", "b1", "*", "editor", "side", "Z_2"]));
  return out;
}

const KNOWN_KEYS = new Set(["program", "example", "lock", "hide", "grads", "step", "dark"]);
const MESSAGES = [/^the value of '.*' is not valid URL encoding$/s, /^the program in the link could not be decoded: ./s,
  /^unknown setting '.*' \(known: program, example, lock, hide, grads, step, dark\)$/s];

// Whatever the hash, parseHash returns plain settings or throws one of its three messages.
function checkHostile(hash) {
  let out;
  try {
    out = parseHash(hash);
  } catch (e) {
    assert.ok(isError(e), "threw a non-Error for " + JSON.stringify(hash));
    assert.ok(MESSAGES.some((m) => m.test(e.message)), "unexpected message " + JSON.stringify(e.message) +
              " for " + JSON.stringify(hash));
    return;
  }
  for (const [k, v] of Object.entries(out)) {
    assert.ok(KNOWN_KEYS.has(k), "unknown key " + k + " accepted");
    assert.equal(typeof v, "string");
  }
  assert.equal(Object.getPrototypeOf(out), plainPrototype, "the settings object's prototype changed");
}

test("encodeText/decodeText round-trip any well-formed text and emit only base64url", () => {
  const r = rng(1);
  for (let i = 0; i < CASES; i++) {
    const text = program(r);
    const b64 = encodeText(text);
    assert.match(b64, /^[A-Za-z0-9_-]*$/);
    assert.equal(decodeText(b64), text);
  }
});

test("parseHash(buildHash(program, settings)) gives back the program and settings", () => {
  const r = rng(2);
  for (let i = 0; i < CASES; i++) {
    const text = program(r);
    const settings = { lock: names(r), hide: names(r), grads: names(r), step: r() < 0.5 };
    const back = parseHash(buildHash(text, settings));
    assert.equal(back.program, text);
    for (const k of ["lock", "hide", "grads"])
      assert.equal(back[k], settings[k].length ? settings[k].join(",") : undefined, k);
    assert.equal(back.step, settings.step ? "1" : undefined);
  }
});

test("random hashes: settings or one of the three messages, never anything else", () => {
  const r = rng(3);
  const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=&%#+/?.,!~*'()[]{}<> \u00e9\u2202";
  const PARTS = ["program=", "example=", "lock=", "hide=", "grads=", "step=", "dark=", "&", "=", "%", "%2", "%E0%A4%A",
    "%FF", "%00", "__proto__=", "constructor=", "prototype=", "#", "program=_w", "program=a", "program=AAAA"];
  for (let i = 0; i < CASES; i++) {
    let hash = r() < 0.5 ? "#" : "";
    const n = Math.floor(r() * 12);
    for (let k = 0; k < n; k++)
      hash += r() < 0.4 ? pickFrom(r, PARTS) : ALPHABET[Math.floor(r() * ALPHABET.length)];
    checkHostile(hash);
  }
});

test("mutated valid links: settings or one of the three messages", () => {
  const r = rng(4);
  for (let i = 0; i < CASES; i++) {
    const chars = [...buildHash(program(r), { lock: names(r), hide: [], grads: names(r), step: r() < 0.3 })];
    const edits = 1 + Math.floor(r() * 3);
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(r() * chars.length);
      const what = r();
      if (what < 0.33) chars.splice(at, 1);
      else if (what < 0.66) chars.splice(at, 0, String.fromCharCode(32 + Math.floor(r() * 95)));
      else chars[at] = String.fromCharCode(Math.floor(r() * 256));
    }
    const hash = chars.join("");
    checkHostile(hash);
    try {  // a program that decodes is well-formed text: it survives another trip
      const out = parseHash(hash);
      if (out.program !== undefined) assert.equal(decodeText(encodeText(out.program)), out.program);
    } catch (e) { /* checked above */ }
  }
});

test("hostile links: the exact message, and no time or memory blow-up", () => {
  const fails = (hash) => {
    try { parseHash(hash); } catch (e) { return e.message; }
    return "";
  };
  assert.equal(fails("#program=%E0%A4%A"), "the value of 'program' is not valid URL encoding");
  assert.equal(fails("#lock=%"), "the value of 'lock' is not valid URL encoding");
  assert.equal(fails("#colour=red"), "unknown setting 'colour' (known: program, example, lock, hide, grads, step, dark)");
  assert.equal(fails("#__proto__=x"), "unknown setting '__proto__' (known: program, example, lock, hide, grads, step, dark)");
  assert.equal(fails("#program=abc!"),
               "the program in the link could not be decoded: it contains characters that are not base64url");
  // 0xFF is not UTF-8 (the message is the runtime's own; this is node's)
  assert.match(fails("#program=_w"), /^the program in the link could not be decoded: .*utf-8/i);
  // a length that is 1 mod 4 is no base64 at all
  assert.match(fails("#program=a"), /^the program in the link could not be decoded: ./);
  assert.deepEqual({ ...parseHash("") }, {});
  assert.deepEqual({ ...parseHash("#") }, {});
  assert.deepEqual({ ...parseHash("#&&&") }, {});
  assert.deepEqual({ ...parseHash("#step=1&dark") }, { step: "1", dark: "" });
  // A megabyte-long link decodes (or fails) promptly.
  const started = Date.now();
  const big = "#program=" + encodeText("x = 1\n".repeat(170000)) + "&lock=" + "x,".repeat(100000);
  assert.equal(parseHash(big).program.length, 6 * 170000);
  assert.match(fails("#" + "&".repeat(1e6) + "bad"), /^unknown setting 'bad'/);
  assert.match(fails("#program=" + "A".repeat(1e6) + "!"), /not base64url$/);
  assert.ok(Date.now() - started < 5000, "took " + (Date.now() - started) + " ms");
});
