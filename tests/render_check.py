#!/usr/bin/env python3
"""`gradscope render` as users run it, with no display (DISPLAY unset): for every built-in
example the SVG parses as XML and its <text> elements hold every node's name and every number
the canvas shows (from `gradscope eval --json`); the PNG decodes, is not blank, is as large
as the SVG, and a larger graph gives a larger picture; the options and the error messages.
Usage: render_check.py BUILD/gradscope"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

GS = sys.argv[1]
ENV = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
SVG_NS = "{http://www.w3.org/2000/svg}"
MAX_PRINTED = 8  # ui/graph_parts.h kMaxPrinted: larger matrices are heatmaps
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def run(*args, stdin=None):
    return subprocess.run([GS, *args], env=ENV, input=stdin, capture_output=True, timeout=120)


def cell_text(v):  # ui/graph_parts.h cell_text: format_short(v, 3)
    return "%.3g" % v


def png_pixels(data):
    """(width, height, rows of RGBA bytes) of an 8-bit RGBA, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + size]
        if kind == b"IHDR":
            w, h, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour == 6, "expected 8-bit RGBA"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + size
    raw, stride, rows, prev = zlib.decompress(idat), w * 4, [], bytearray(w * 4)
    for y in range(h):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 4] if i >= 4 else 0
            b = prev[i]
            c = prev[i - 4] if i >= 4 else 0
            if kind == 1: line[i] = (line[i] + a) & 255
            elif kind == 2: line[i] = (line[i] + b) & 255
            elif kind == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows


def render(args, suffix):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "picture." + suffix)
        r = run("render", *args, "--" + suffix, out)
        check(r.returncode == 0, f"render {' '.join(args)} --{suffix}: exit {r.returncode}: {r.stderr.decode()}")
        return open(out, "rb").read() if r.returncode == 0 else b""


def svg_texts(data):
    root = ET.fromstring(data)  # raises on malformed XML
    check(root.tag == SVG_NS + "svg", "the root element is <svg>")
    return [t.text or "" for t in root.iter(SVG_NS + "text")], int(root.get("width")), int(root.get("height"))


examples = [line.split()[0] for line in run("examples").stdout.decode().splitlines()]
check("seed" in examples, "the examples include seed")
sizes = {}
for name in examples:
    graph = json.loads(run("eval", "--example", name, "--json").stdout)
    texts, w, h = svg_texts(render(["--example", name], "svg"))
    shown = "\n".join(texts)
    hides = any(line.startswith("#! ask") for line in run("export", "--example", name, "--to", "program").stdout.decode().splitlines())
    for node in graph["nodes"]:
        check(any(t.startswith(node["name"]) for t in texts), f"{name}: node {node['name']} named in the SVG")
        small = node["shape"][0] <= MAX_PRINTED and node["shape"][1] <= MAX_PRINTED
        if small and not hides:
            for row in node["value"] + (node["grad"] if node["op"] != "const" else []):
                for v in row:
                    check(cell_text(v) in shown, f"{name}: {node['name']} shows {cell_text(v)}")
    pw, ph, rows = png_pixels(render(["--example", name], "png"))
    check((pw, ph) == (w, h), f"{name}: the PNG ({pw}x{ph}) is as large as the SVG ({w}x{h})")
    colours = {row[i:i + 4] for row in rows[::3] for i in range(0, len(row), 12)}
    check(len(colours) > 20, f"{name}: the PNG is not blank ({len(colours)} colours sampled)")
    sizes[name] = pw * ph
    print(f"{name}: {pw}x{ph}, {len(texts)} strings")

check(sizes["mlp"] > sizes["seed"], "the mlp's picture is larger than the seed's")
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "one.svg")
    r = run("render", "-", "--svg", out, stdin=b"x = [[1, 2]]\nf = sum(x)\n")
    check(r.returncode == 0, "render - reads the program from standard input")
    _, w, h = svg_texts(open(out, "rb").read())
    check(w * h < sizes["seed"], "a two-node graph gives a smaller picture than the seed's")

# Options: --no-grads drops the gradient rows, --set changes the numbers, --caption adds the chain rule.
texts, w, h = svg_texts(render(["--example", "seed", "--no-grads", "--theme", "dark"], "svg"))
check(not any(t.startswith("df/d") for t in texts), "--no-grads: no gradient labels")
texts, _, _ = svg_texts(render(["--example", "seed", "--set", "x=[[5], [6], [7]]"], "svg"))
check("7" in texts and "6" in texts, "--set: the new input values are drawn")
texts, _, ch = svg_texts(render(["--example", "seed", "--caption", "Z"], "svg"))
check("dW += dZ @ x^T" in texts and "shapes: (3, 3) += (3, 1) @ (3, 1)^T" in texts,
      "--caption Z: the chain rule line with its shapes")
_, _, plain_h = svg_texts(render(["--example", "seed"], "svg"))
check(ch > plain_h, "--caption: the caption adds to the height")
svg_out = run("render", "--example", "seed", "--svg", "-")
check(svg_out.returncode == 0 and svg_out.stdout.startswith(b"<?xml"), "--svg - writes to standard output")

r = run("render", "--example", "seed")
check(r.returncode == 1 and b"give --svg FILE, --png FILE or both" in r.stderr, f"no output: {r.stderr!r}")
r = run("render", "--example", "seed", "--svg", "/dev/null", "--caption", "nope")
check(r.returncode == 1 and b"there is no node named 'nope' to caption" in r.stderr, f"bad caption: {r.stderr!r}")
r = run("render", "-", "--svg", "/dev/null", stdin=b"f = sum(\n")
check(r.returncode == 2 and b"<stdin>:" in r.stderr, f"a program error: {r.stderr!r}")

print("render_check:", "FAILED" if failures else "passed", f"({len(failures)} failures)")
sys.exit(1 if failures else 0)
