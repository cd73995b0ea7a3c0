#!/usr/bin/env python3
"""What gradscope.wasm is made of: bytes of code per part (Dear ImGui, Eigen, the core, the
front end, the C and C++ libraries ...), the data segments (deflated in the custom section
"gs.data"), and the largest functions.

It needs function names, so build the browser app once more with them kept:

  source /var/cache/gradscope/env.sh
  emcmake cmake -S . -B build/web-names -G Ninja -DCMAKE_BUILD_TYPE=Release \\
      -DCMAKE_EXE_LINKER_FLAGS=--profiling-funcs
  cmake --build build/web-names --target gradscope_web
  bench/wasm_sizes.py build/web-names/dist/gradscope.wasm [--top 30]

(--profiling-funcs only adds a name section; the code is the same as the shipped build's.)
"""
import argparse
import collections
import re
import subprocess


def leb(b, i):
    result = shift = 0
    while True:
        x = b[i]
        i += 1
        result |= (x & 0x7F) << shift
        shift += 7
        if x < 0x80:
            return result, i


def read_module(path):
    """Section sizes, function names, and (function index, body size) for every body."""
    b = open(path, "rb").read()
    assert b[:4] == b"\0asm", f"{path} is not a WebAssembly module"
    i, sections, names, bodies, imported = 8, [], {}, [], 0
    while i < len(b):
        sid = b[i]
        size, i = leb(b, i + 1)
        start, end = i, i + size
        if sid == 0:
            n, j = leb(b, i)
            name = b[j:j + n].decode()
            j += n
            sections.append(("custom " + name, size))
            while name == "name" and j < end:
                sub = b[j]
                sub_size, j = leb(b, j + 1)
                sub_end = j + sub_size
                if sub == 1:
                    count, j = leb(b, j)
                    for _ in range(count):
                        idx, j = leb(b, j)
                        n, j = leb(b, j)
                        names[idx] = b[j:j + n].decode("utf8", "replace")
                        j += n
                j = sub_end
        else:
            sections.append(({1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global", 7: "export", 12: "datacount",
                              9: "element", 10: "code", 11: "data"}.get(sid, str(sid)), size))
            if sid == 2:  # count imported functions: they come first in the index space
                count, j = leb(b, start)
                for _ in range(count):
                    for _ in range(2):
                        n, j = leb(b, j)
                        j += n
                    kind = b[j]
                    j += 1
                    if kind == 0:
                        imported += 1
                        _, j = leb(b, j)
                    elif kind in (1, 2):
                        j += 1 if kind == 1 else 0
                        flags, j = leb(b, j)
                        _, j = leb(b, j)
                        if flags & 1:
                            _, j = leb(b, j)
                    elif kind == 3:
                        j += 2
            if sid == 10:
                count, j = leb(b, start)
                for k in range(count):
                    n, j2 = leb(b, j)
                    bodies.append((imported + k, j2 - j + n))
                    j = j2 + n
        i = end
    return sections, names, bodies


PARTS = [  # first match wins; a template's part is where its name starts
    ("front end (gs::ui)", r"^gs::ui::|^\(anonymous namespace\)::frame\(\)"),  # LTO inlines gs::ui::frame there
    ("web/ platform and API", r"^gs_|^\(anonymous namespace\)::(begin_frame|apply_size|update_cursor|\w+_clipboard)"),
    ("core (gs::, ops with Eigen)", r"^(void )?gs::"),
    ("Eigen kernels", r"^(void )?Eigen::"),
    ("Dear ImGui (+ stb)", r"ImGui|ImDraw|ImFont|ImStb|stbtt|stbrp|^Im[A-Z]|STB"),
    ("C++ library", r"^(void )?std::|__cxa|__cxx|operator new|operator delete"),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wasm")
    ap.add_argument("--top", type=int, default=20, help="list this many of the largest functions")
    args = ap.parse_args()
    sections, names, bodies = read_module(args.wasm)
    if not names:
        raise SystemExit(f"{args.wasm} has no function names: link it with --profiling-funcs (see --help)")
    raw = [names.get(idx, f"function {idx}") for idx, _ in bodies]
    demangled = subprocess.run(["c++filt"], input="\n".join(raw), capture_output=True, text=True).stdout.split("\n")
    parts, functions = collections.Counter(), []
    for (_, size), name in zip(bodies, demangled):
        part = next((p for p, rx in PARTS if re.search(rx, name)), "C library and the rest")
        parts[part] += size
        functions.append((size, part, name))
    # The name section is what --profiling-funcs adds; "gs.data" is the shipped data segments,
    # deflated (scripts/pack_wasm_data.py), and counts.
    total = sum(s for n, s in sections if n != "custom name")
    print(f"{args.wasm}: {total} bytes without the name section ({total / 1024:.1f} KB)")
    for name, size in sections:
        print(f"  section {name:14s} {size:8d}")
    print("code by part:")
    for part, size in parts.most_common():
        print(f"  {part:30s} {size / 1024:7.1f} KB")
    print(f"largest {args.top} functions:")
    for size, part, name in sorted(functions, reverse=True)[:args.top]:
        print(f"  {size:7d}  {part:22s} {name[:110]}")


if __name__ == "__main__":
    main()
