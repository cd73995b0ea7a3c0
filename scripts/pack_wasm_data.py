#!/usr/bin/env python3
"""Stores gradscope.wasm's data segments deflated, in place.

The browser build's initialized memory (the op records' texts, the examples, ImGui's tables)
is a data section of about 65 KB that the page would load as it is. This step replaces the
section's segments with one custom section, "gs.data": each segment's address and length
(two little-endian uint32) and its bytes, the whole compressed with zlib. web/embed.js inflates
it with the browser's DecompressionStream and writes the segments into the instance's memory
before the runtime starts (its instantiateWasm hook), which is where the WebAssembly engine
would have put them. Run after every link of the browser build (CMakeLists.txt); a module
already packed is left as it is.

Usage: pack_wasm_data.py FILE.wasm
"""
import sys
import zlib


def leb(data, i):
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def uleb(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def section(sid, body):
    return bytes([sid]) + uleb(len(body)) + body


def segments(body):
    """(address, bytes) of each active segment; fails on anything else."""
    count, i = leb(body, 0)
    out = []
    for _ in range(count):
        flags, i = leb(body, i)
        if flags != 0:
            raise SystemExit(f"pack_wasm_data: segment with flags {flags} (only active segments of memory 0)")
        if body[i] != 0x41:  # i32.const
            raise SystemExit("pack_wasm_data: a segment's address is not an i32.const")
        address, i = leb(body, i + 1)  # (addresses here are below 2^31: a signed LEB reads the same)
        if body[i] != 0x0B:
            raise SystemExit("pack_wasm_data: a segment's address expression is not a lone constant")
        size, i = leb(body, i + 1)
        out.append((address, bytes(body[i:i + size])))
        i += size
    return out


def main():
    path = sys.argv[1]
    data = open(path, "rb").read()
    if data[:8] != b"\0asm\1\0\0\0":
        raise SystemExit(f"pack_wasm_data: {path} is not a WebAssembly module")
    out, i, blob = bytearray(data[:8]), 8, None
    while i < len(data):
        start = i
        sid = data[i]
        size, i = leb(data, i + 1)
        body = data[i:i + size]
        i += size
        if sid == 0:
            name_len, j = leb(body, 0)
            if body[j:j + name_len] == b"gs.data":
                print(f"pack_wasm_data: {path} is packed already")
                return 0
        if sid == 11:  # data: one packed blob, appended as a custom section below
            raw = b"".join(a.to_bytes(4, "little") + len(b).to_bytes(4, "little") + b for a, b in segments(body))
            blob = zlib.compress(raw, 9)
            out += section(11, uleb(0))
            continue
        if sid == 12:  # data count: none left, written in as many bytes as before so that the
            # code section after it keeps its offsets (a name section or source map points into it)
            out += section(12, b"\x80" * (len(body) - 1) + b"\x00")
            continue
        out += data[start:i]
    if blob is None:
        print(f"pack_wasm_data: {path} has no data section")
        return 0
    out += section(0, uleb(len(b"gs.data")) + b"gs.data" + blob)
    open(path, "wb").write(out)
    print(f"pack_wasm_data: {path}: {len(data)} -> {len(out)} bytes (data {len(raw)} -> {len(blob)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
