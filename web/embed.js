// gradscope embed loader: turns every <div class="gradscope"> into a live instance and
// gives each one a JavaScript API (element.gradscope). index.html uses the same code for
// the full-window app (window.gradscope). Everything read from attributes, links or API
// calls is treated as data: it is passed to the core as text and shown with textContent.
(function () {
  "use strict";
  if (window.Gradscope) return;

  var script = document.currentScript;
  var base = script ? script.src.replace(/[^\/]*$/, "") : "";
  var modulePromise = null;   // the Emscripten factory, loaded once per page
  var wasmPromise = null;     // the compiled WebAssembly module and its data, shared by instances
  var fontPromise = null;     // the TTF bytes, shared
  var counter = 0;

  function loadFactory() {
    if (!modulePromise) {
      modulePromise = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = base + "gradscope.js";
        s.onload = function () { resolve(window.createGradscopeModule); };
        s.onerror = function () { reject(new Error("could not load " + s.src)); };
        document.head.appendChild(s);
      });
      wasmPromise = fetch(base + "gradscope.wasm").then(function (r) {
        if (!r.ok) throw new Error("could not load gradscope.wasm (HTTP " + r.status + ")");
        return r.arrayBuffer();
      }).then(function (bytes) { return WebAssembly.compile(bytes); }).then(inflateData);
      // The app has no built-in font (CMakeLists.txt): without this file it cannot start.
      // The page's canvas draws its glyphs (web/font.cpp): it is added to document.fonts.
      fontPromise = fetch(base + "gradscope-font.ttf").then(function (r) {
        if (!r.ok) throw new Error("could not load gradscope-font.ttf (HTTP " + r.status + ")");
        return r.arrayBuffer();
      }).then(function (bytes) {
        return new FontFace("gradscope-font", bytes).load().then(function (face) {
          document.fonts.add(face);
          return bytes;
        }, function () { throw new Error("gradscope-font.ttf is not a font this browser can read"); });
      });
    }
    return Promise.all([modulePromise, wasmPromise, fontPromise]);
  }

  // The module's data segments are stored deflated in its custom section "gs.data"
  // (scripts/pack_wasm_data.py): each segment's address and length (uint32, little-endian) and
  // its bytes. Resolves to {module, data}: the compiled module and the inflated segments.
  function inflateData(module) {
    var packed = WebAssembly.Module.customSections(module, "gs.data");
    if (!packed.length) return { module: module, data: null };
    var stream = new Blob([packed[0]]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).arrayBuffer().then(function (data) { return { module: module, data: data }; });
  }

  // Writes the segments where the engine would have put them, before any code runs.
  function writeData(instance, data) {
    if (!data) return;
    var memory = null;
    for (var name in instance.exports)
      if (instance.exports[name] instanceof WebAssembly.Memory) memory = instance.exports[name];
    if (!memory) throw new Error("gradscope.wasm exports no memory to write its data into");
    var heap = new Uint8Array(memory.buffer), view = new DataView(data), bytes = new Uint8Array(data);
    for (var at = 0; at < data.byteLength;) {
      var address = view.getUint32(at, true), length = view.getUint32(at + 4, true);
      heap.set(bytes.subarray(at + 8, at + 8 + length), address);
      at += 8 + length;
    }
  }

  // --- program text <-> URL-safe base64 (UTF-8) ---------------------------------------
  function encodeText(text) {
    var bytes = new TextEncoder().encode(text), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function decodeText(b64) {
    if (!/^[A-Za-z0-9_-]*$/.test(b64)) throw new Error("it contains characters that are not base64url");
    var s = b64.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  }

  // --- the boundary: values into and out of the WebAssembly heap ------------------------
  // A string goes into the heap as UTF-8 (malloc, copy, call, free) with its byte count, and
  // comes back the same way: never through ccall's copy onto the 1 MiB stack, and a NUL in a
  // text stays part of it. Every size limit is checked here before anything is copied, so a
  // too-large input gets the command line's message and the app keeps working.
  var MAX_TEXT_BYTES = 256 * 1024;  // core/limits.h kMaxSourceBytes: a program, a value, a name
  var MAX_DIM = 4096, MAX_ELEMENTS = 4194304;  // kMaxDim, kMaxElements
  var utf8 = new TextEncoder();

  function tooLong(what, bytes, unit) {  // "the value is", 300000, " of JSON"
    return what + " " + bytes + " bytes" + (unit || "") + "; the limit is " + MAX_TEXT_BYTES;
  }
  function shortName(name) { return name.length <= 60 ? name : name.slice(0, 60) + "..."; }
  function programTooLong(bytes) {
    var message = tooLong("the program is", bytes);
    return [{ message: message, line: 0, column: 0, text: "program: error: " + message }];
  }
  // A value as JSON bytes, or a string saying why it cannot be one (too large, not JSON).
  function valueJson(matrix) {
    var json;
    try { json = JSON.stringify(matrix); } catch (e) { return "the value cannot be written as JSON: " + e.message; }
    var bytes = utf8.encode(json === undefined ? "" : json);
    if (bytes.length > MAX_TEXT_BYTES) return tooLong("the value is", bytes.length, " of JSON");
    if (Array.isArray(matrix)) {
      var rows = Array.isArray(matrix[0]) ? matrix.length : 1, cols = rows === 1 && !Array.isArray(matrix[0]) ?
        matrix.length : matrix[0].length;
      if (rows > MAX_DIM || cols > MAX_DIM || rows * cols > MAX_ELEMENTS)
        return "the matrix is too large (limit " + MAX_DIM + " rows or columns)";
    }
    return bytes;
  }

  function bridge(module) {
    var decoder = new TextDecoder();
    // Calls module._name: a Uint8Array argument becomes (pointer, byte count) in the heap.
    function call(name, args) {
      var owned = [], flat = [];
      try {
        for (var i = 0; i < args.length; i++) {
          if (args[i] instanceof Uint8Array) {
            var p = module._malloc(args[i].length + 1);
            module.HEAPU8.set(args[i], p);
            owned.push(p);
            flat.push(p, args[i].length);
          } else flat.push(args[i]);
        }
        return module["_" + name].apply(null, flat);
      } finally {
        owned.forEach(function (p) { module._free(p); });
      }
    }
    return {
      number: call,
      // For functions that return a string (gs_out_size() gives its length).
      text: function (name, args) {
        var p = call(name, args || []);
        return decoder.decode(module.HEAPU8.subarray(p, p + module._gs_out_size()));
      }
    };
  }

  function list(value) {
    if (!value) return [];
    return String(value).split(/[\s,]+/).filter(function (x) { return x.length > 0; });
  }

  // "program=...&lock=W,x&hide=editor&grads=W&step=1&example=seed" -> settings
  function parseHash(hash) {
    var out = {};
    var h = hash.replace(/^#/, "");
    if (!h) return out;
    h.split("&").forEach(function (part) {
      if (!part) return;
      var eq = part.indexOf("=");
      var key = eq < 0 ? part : part.slice(0, eq);
      var value = eq < 0 ? "" : part.slice(eq + 1);
      try { value = decodeURIComponent(value); } catch (e) {
        throw new Error("the value of '" + key + "' is not valid URL encoding");
      }
      if (key === "program") {
        try { out.program = decodeText(value); } catch (e) {
          throw new Error("the program in the link could not be decoded: " + e.message);
        }
      } else if (key === "example" || key === "lock" || key === "hide" || key === "grads" || key === "step" ||
                 key === "dark") {
        out[key] = value;
      } else {
        throw new Error("unknown setting '" + key + "' (known: program, example, lock, hide, grads, step, dark)");
      }
    });
    return out;
  }

  function buildHash(program, settings) {
    var parts = ["program=" + encodeText(program)];
    ["lock", "hide", "grads"].forEach(function (k) {
      if (settings[k] && settings[k].length) parts.push(k + "=" + encodeURIComponent(settings[k].join(",")));
    });
    if (settings.step) parts.push("step=1");
    if (settings.dark) parts.push("dark=1");
    return "#" + parts.join("&");
  }

  function checkSupport() {
    if (typeof WebAssembly !== "object") return "This browser does not support WebAssembly, which gradscope needs.";
    if (typeof DecompressionStream === "undefined")  // gradscope.wasm's data is deflated (inflateData)
      return "This browser is too old for gradscope (no DecompressionStream): use a current Chrome, Edge, " +
        "Firefox or Safari.";
    if (typeof FontFace === "undefined" || !document.fonts)  // the glyphs are drawn by the page (web/font.cpp)
      return "This browser is too old for gradscope (no FontFace): use a current Chrome, Edge, Firefox or Safari.";
    var c = document.createElement("canvas");
    if (!c.getContext("webgl2")) return "This browser cannot create a WebGL2 context, which gradscope needs to draw. " +
      "Try another browser, or enable hardware acceleration.";
    return null;
  }

  // --- input: the canvas's events, handed to the app (web/main.cpp, gs_input_*) ---------
  var BUTTONS = [0, 2, 1, 3, 4];  // DOM button -> ImGui button (left, right, middle, ...)
  function imguiButton(e) { return BUTTONS[e.button] === undefined ? 0 : BUTTONS[e.button]; }
  // With Ctrl (Cmd on a Mac) the app takes only text editing: A, C, X, Y, Z, Backspace, Delete,
  // Home, End and the arrows. Ctrl+V comes as a paste event; the rest stays the browser's.
  var EDIT_KEYS = { 65: 1, 67: 1, 88: 1, 89: 1, 90: 1, 8: 1, 46: 1, 35: 1, 36: 1, 37: 1, 38: 1, 39: 1, 40: 1 };
  var ZOOM_STEP = Math.log(1.15);  // ui/graph_view.cpp zooms by 1.15 per wheel notch
  var TAP_SLOP = 8;                // CSS pixels a finger may move and still tap

  function isMac() { return /Mac|iPhone|iPad|iPod/.test(navigator.platform || ""); }

  // `embedded`: the instance sits in a page (a .gradscope embed, or the app in an iframe). There
  // the wheel and vertical swipes scroll the page; Ctrl/Cmd + wheel and two-finger pinch zoom,
  // and one finger on an entry still drags it. The full app keeps wheel zoom and one-finger pan.
  function attachInput(module, canvas, ui, embedded) {
    var MAC = isMac();
    var heap = bridge(module);
    function modifiers(e) {
      return (e.ctrlKey ? 1 : 0) | (e.shiftKey ? 2 : 0) | (e.altKey ? 4 : 0) | (e.metaKey ? 8 : 0);
    }
    function at(e) {
      var b = canvas.getBoundingClientRect();
      return { x: e.clientX - b.left, y: e.clientY - b.top };
    }
    function point(p) { module._gs_input_pointer(p.x, p.y); }
    function text(t) { if (t) heap.number("gs_input_text", [utf8.encode(t)]); }

    // Touch: the fingers down now, a one-finger touch waiting to see whether it taps, drags
    // sideways or scrolls the page (embeds), and a pinch's last finger distance.
    var fingers = {}, waiting = null, pinch = null, claimed = false;
    function fingerCount() { return Object.keys(fingers).length; }
    function pinchDistance() {
      var ids = Object.keys(fingers), a = fingers[ids[0]], b = fingers[ids[1]];
      return { d: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)), mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
    }
    function press(p, button) { point(p); module._gs_input_button(button, 1); }

    canvas.addEventListener("pointerdown", function (e) {
      canvas.focus({ preventScroll: true });
      var p = at(e);
      if (e.pointerType === "touch") {
        fingers[e.pointerId] = p;
        if (fingerCount() === 2) {  // a pinch: whatever the first finger did ends
          if (!waiting) module._gs_input_button(0, 0);
          waiting = null;
          pinch = pinchDistance();
          claimed = true;
          return;
        }
        if (!e.isPrimary || pinch) return;
        claimed = !embedded || module._gs_entry_at(p.x, p.y) === 1;
        if (!claimed) { waiting = { start: p, id: e.pointerId }; return; }
      } else if (!e.isPrimary) return;
      try { canvas.setPointerCapture(e.pointerId); } catch (err) {}
      press(p, imguiButton(e));
      e.preventDefault();
    });
    // Scrolling is the browser's unless this touch drags an entry or pinches (touch events come
    // after the pointer events that decided it).
    canvas.addEventListener("touchstart", function (e) { if (claimed || e.touches.length > 1) e.preventDefault(); },
                            { passive: false });
    canvas.addEventListener("pointermove", function (e) {
      var p = at(e);
      if (e.pointerType === "touch" && fingers[e.pointerId]) {
        fingers[e.pointerId] = p;
        if (pinch) {
          if (fingerCount() < 2) return;
          var now = pinchDistance();
          point(now.mid);
          module._gs_input_wheel(0, Math.log(now.d / pinch.d) / ZOOM_STEP);
          pinch = now;
          return;
        }
        if (waiting) {  // sideways past the slop: the graph pans; upwards or downwards the page scrolls
          var dx = p.x - waiting.start.x, dy = p.y - waiting.start.y;
          if (Math.abs(dx) < TAP_SLOP || Math.abs(dx) < Math.abs(dy)) return;
          press(waiting.start, 0);
          waiting = null;
        }
      }
      if (e.isPrimary) point(p);
    });
    function release(e) {
      var wasPinch = pinch, tap = waiting && waiting.id === e.pointerId ? waiting : null;
      if (e.pointerType === "touch") {
        delete fingers[e.pointerId];
        if (fingerCount() === 0) { pinch = null; claimed = false; }
        if (wasPinch) { waiting = null; return; }
      }
      if (!e.isPrimary) return;
      waiting = null;
      if (e.type === "pointercancel") {  // the browser took the touch (a scroll): no click
        if (!tap) module._gs_input_button(0, 0);
        return;
      }
      if (tap) press(tap.start, 0);  // a tap: pressed and released within one frame is a click
      point(at(e));
      module._gs_input_button(imguiButton(e), 0);
    }
    canvas.addEventListener("pointerup", release);
    canvas.addEventListener("pointercancel", release);
    canvas.addEventListener("pointerleave", function (e) { if (e.isPrimary && e.pointerType !== "touch") module._gs_input_pointer_left(); });
    canvas.addEventListener("wheel", function (e) {
      if (embedded && !e.ctrlKey && !e.metaKey) { ui.wheelHint(); return; }  // the page scrolls
      // ImGui counts wheel notches: a notch is about 100 pixels or 3 lines.
      var unit = e.deltaMode === 1 ? 3 : e.deltaMode === 2 ? 1 : 100;
      point(at(e));
      module._gs_input_wheel(e.deltaX / unit, -e.deltaY / unit);
      e.preventDefault();
    }, { passive: false });
    canvas.addEventListener("keydown", function (e) {
      if (e.isComposing || e.keyCode === 229) return;
      var shortcut = MAC ? e.metaKey : e.ctrlKey;
      if (shortcut && !EDIT_KEYS[e.keyCode]) return;
      if (e.keyCode >= 112 && e.keyCode <= 123) return;  // F1..F12
      if (e.keyCode === 9 && !module._gs_input_text_active()) return;  // Tab leaves the canvas
      module._gs_input_key(e.keyCode, 1, modifiers(e));
      // A printable character (AltGr combinations included) is also typed.
      if (e.key && Array.from(e.key).length === 1 && !e.metaKey && !(e.ctrlKey && !e.altKey)) text(e.key);
      e.preventDefault();
    });
    canvas.addEventListener("keyup", function (e) { module._gs_input_key(e.keyCode, 0, modifiers(e)); });
    canvas.addEventListener("paste", function (e) {
      var t = e.clipboardData ? e.clipboardData.getData("text/plain") : "";
      var bytes = utf8.encode(t.replace(/\r\n?/g, "\n"));
      e.preventDefault();
      if (bytes.length > MAX_TEXT_BYTES) ui.showMessage("Nothing was pasted: " + tooLong("the text is", bytes.length) + ".", true);
      else if (bytes.length) heap.number("gs_input_text", [bytes]);
    });
    canvas.addEventListener("focus", function () { module._gs_input_focus(1); });
    canvas.addEventListener("blur", function () { module._gs_input_focus(0); });
  }

  // --- the accessible text view: the graph as HTML tables, kept in step with the canvas ---
  // Built once per node and updated in place: a change rewrites only the numbers that changed.
  // A matrix shows one page of at most PAGE x PAGE entries (the app sends only that page), with
  // buttons to move through the rest, so no matrix ever becomes a <td> per entry.
  var SR_ONLY = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;";
  var PANEL = "position:absolute;top:0;right:0;bottom:0;width:min(460px,100%);overflow:auto;background:#fff;" +
    "color:#111;border-left:1px solid #bbb;padding:10px 14px;font:14px/1.4 sans-serif;z-index:3;box-sizing:border-box;";
  var PAGE = 12;

  function setText(el, text) { if (el.textContent !== text) el.textContent = text; }

  // One matrix as a table of its current page; update(m, page) takes the page's rows.
  function matrixTable() {
    var t = element("table", "", "border-collapse:collapse;margin:2px 0 8px;font:13px monospace;");
    var cap = element("caption", "", "text-align:left;font:12px sans-serif;color:#555;white-space:nowrap;");
    t.appendChild(cap);
    var cells = [];
    return {
      el: t,
      update: function (caption, m, page) {
        setText(cap, caption);
        var cols = m.length ? m[0].length : 0;
        if (cells.length !== m.length || (cells[0] || []).length !== cols) {
          cells.forEach(function (row) { t.removeChild(row[0].parentNode); });
          cells = m.map(function () {
            var tr = t.appendChild(document.createElement("tr"));
            return m[0].map(function () {
              return tr.appendChild(element("td", "", "border:1px solid #ccc;padding:1px 6px;text-align:right;"));
            });
          });
        }
        m.forEach(function (row, r) {
          row.forEach(function (v, c) {
            var text = v === null ? "nan/inf" : String(v), td = cells[r][c];
            var label = caption + " row " + (page[0] + r + 1) + " column " + (page[1] + c + 1) + ": " + text;
            if (td.textContent !== text) td.textContent = text;
            if (td.getAttribute("aria-label") !== label) td.setAttribute("aria-label", label);
          });
        });
      }
    };
  }

  // "df/dW": a node's gradient label, written as core/graph.cpp's grad_label writes it.
  function gradLabel(output, name) { return "d" + output + "/d" + name; }

  // One node: heading, page buttons for a large matrix, value and gradient (or "hidden").
  function nodeSection(name, move) {
    var sec = element("section", "gradscope-text-node");
    sec.dataset.node = name;
    var h = sec.appendChild(element("h3", "", "font-size:15px;margin:10px 0 2px;"));
    var nav = sec.appendChild(element("div", "gradscope-text-page", "font:12px sans-serif;color:#555;"));
    var where = nav.appendChild(element("span"));
    [["\u2191 rows", -1, 0], ["rows \u2193", 1, 0], ["\u2190 columns", 0, -1], ["columns \u2192", 0, 1]].forEach(function (b) {
      var btn = nav.appendChild(element("button", "", "margin-left:6px;font:12px sans-serif;", b[0]));
      btn.type = "button";
      btn.onclick = function () { move(name, b[1] * PAGE, b[2] * PAGE); };
    });
    var parts = [matrixTable(), matrixTable()], hidden = [element("p"), element("p")];
    parts.forEach(function (p, k) { sec.appendChild(p.el); sec.appendChild(hidden[k]); });
    return {
      el: sec,
      update: function (n, output) {
        setText(h, n.name + (n.op === "input" ? " (input" + (n.locked ? ", locked" : "") + ")" : " = " + n.expr) +
                ", shape " + n.shape[0] + " by " + n.shape[1]);
        var paged = n.shape[0] > PAGE || n.shape[1] > PAGE, page = n.page || [0, 0];
        nav.style.display = paged ? "block" : "none";
        var shown = n.value || n.grad || [[]];
        if (paged) setText(where, "rows " + (page[0] + 1) + "-" + (page[0] + shown.length) + " of " + n.shape[0] +
                                  ", columns " + (page[1] + 1) + "-" + (page[1] + shown[0].length) + " of " + n.shape[1]);
        [["value of " + n.name, n.value], ["gradient " + gradLabel(output, n.name), n.grad]].forEach(function (x, k) {
          parts[k].el.style.display = x[1] ? "" : "none";
          hidden[k].style.display = x[1] ? "none" : "";
          if (x[1]) parts[k].update(x[0], x[1], page);
          else setText(hidden[k], x[0] + ": hidden");
        });
      }
    };
  }

  // The text view: always in the page for screen readers; "Text view" shows it on screen, with
  // the program in a plain textarea (on-screen keyboards and copy/paste work there).
  // connect(pull, apply): pull(pages) returns [text view data, program]; apply(text) edits.
  function buildTextView() {
    var view = element("section", "gradscope-text", SR_ONLY);
    view.setAttribute("aria-label", "gradscope text view: every node's value and gradient");
    var head = element("div");
    var label = element("label", "", "display:block;font-weight:bold;margin-bottom:4px;", "Program (edit here or on the canvas)");
    // Closed, the view is 1 px wide: a textarea that wide would wrap every character onto a line
    // of its own, and a large program then took 170 ms of layout at each change. It keeps a
    // reading width until the view opens.
    var AREA_CLOSED = "width:40em;box-sizing:border-box;font:13px monospace;";
    var area = element("textarea", "gradscope-text-program", AREA_CLOSED);
    area.spellcheck = false;
    area.rows = 9;
    label.appendChild(area);
    head.appendChild(label);
    var limit = element("p", "gradscope-text-limit", "color:#8a1c1c;margin:2px 0;");  // a too-long text stays unapplied
    limit.setAttribute("aria-live", "assertive");
    head.appendChild(limit);
    var summary = element("p", "gradscope-text-summary");
    summary.setAttribute("aria-live", "polite");
    var error = element("pre", "", "color:#8a1c1c;white-space:pre-wrap;");
    error.setAttribute("role", "alert");
    var body = element("div");
    [head, summary, error, body].forEach(function (el) { view.appendChild(el); });
    var toggle = element("button", "gradscope-text-toggle", HOST_STYLE.toggle, "Text view");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    toggle.onclick = function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      view.style.cssText = open ? PANEL : SR_ONLY;
      area.style.cssText = open ? AREA_CLOSED.replace("40em", "100%") : AREA_CLOSED;
      toggle.textContent = open ? "Close text view" : "Text view";
    };
    var pull = null, apply = null, typing = null;
    var sections = {}, order = "", pages = {};
    area.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(function () {
        var errs = apply ? apply(area.value) : [];
        limit.textContent = errs.length && errs[0].line === 0 ? errs[0].text : "";
      }, 300);
    });
    function move(name, dr, dc) {
      var p = pages[name] || [0, 0];
      pages[name] = [Math.max(0, p[0] + dr), Math.max(0, p[1] + dc)];
      refresh();
    }
    function refresh() {
      if (!pull) return;
      var got = pull(pages), data = got[0];
      var out = data.nodes.filter(function (n) { return n.name === data.output; })[0];
      setText(summary, out ? "Output " + out.name + " = " + (out.value ? out.value[0][0] : "hidden") : "");
      setText(error, data.error);
      error.style.display = data.error ? "" : "none";
      var names = data.nodes.map(function (n) { return n.name; }).join("\n");
      if (names !== order) {  // another program: sections for its nodes, in its order
        order = names;
        var next = {};
        body.textContent = "";
        data.nodes.forEach(function (n) {
          next[n.name] = sections[n.name] || nodeSection(n.name, move);
          body.appendChild(next[n.name].el);
        });
        sections = next;
      }
      data.nodes.forEach(function (n) {
        if (n.page) pages[n.name] = n.page;  // clamped by the app
        sections[n.name].update(n, data.output);
      });
      if (document.activeElement !== area) area.value = got[1];
    }
    return {
      view: view,
      toggle: toggle,
      connect: function (pullData, applyText) { pull = pullData; apply = applyText; },
      refresh: refresh
    };
  }

  // --- saved state: one localStorage entry per page path and embed ---------------------
  // The full app saves under its page path; the app in an iframe also under the link it was
  // opened with, and a .gradscope embed under its place on the page and its program, so none
  // of them overwrites another's work. Saving starts with the user's first change (opening a
  // page or a broken link never overwrites an earlier visit), runs 150 ms after a change and
  // at once when the page is hidden or left. A save from another tab is announced and offered,
  // never silently overwritten.
  var STORAGE_KEY = "gradscope:last-state:v1";  // the one key of earlier versions (still read)
  var tabId = Math.random().toString(36).slice(2);

  function fingerprint(text) {  // FNV-1a, 8 hex digits
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
    return ("0000000" + h.toString(16)).slice(-8);
  }
  function framed() { try { return window.self !== window.top; } catch (e) { return true; } }

  function storageKey(config) {
    var key = STORAGE_KEY + ":" + location.pathname.replace(/index\.html$/, "");
    if (!config.fullPage) return key + ":embed-" + config.embedIndex + "-" + fingerprint(String(config.program) + "|" + config.example);
    return framed() ? key + ":frame-" + fingerprint(location.hash) : key;
  }
  function parseRecord(raw) {
    var r = JSON.parse(raw);
    if (!r || typeof r !== "object" || typeof r.program !== "string") throw new Error("it has no program text");
    return r;
  }
  function storageGet(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }

  // ui: {showMessage, setProgram, revision, programText, writeHash}
  function createStore(config, ui) {
    var key = storageKey(config);
    var readKey = key;
    var known = 0;          // the save time of what this tab loaded or last wrote
    // Saves older than this page are earlier visits, not another tab's concurrent work: a page
    // opened from a link (or after leaving a page that saved on pagehide) must not announce them.
    var opened = Date.now();
    function newer(theirs) { return theirs.tab !== tabId && (theirs.saved || 0) > Math.max(known, opened); }
    var baseline = null;    // the revision when the page had loaded: nothing to save before a change
    var savedRevision = null;
    var blocked = false;    // unreadable data that could not be copied aside: never written over unasked
    var other = null;       // a newer save from another tab, not yet loaded or declined
    var timer = null;

    // The saved program, or null; an unreadable entry is reported (and kept aside if it can be).
    function load(problems) {
      var raw = storageGet(key);
      if (raw === null && config.fullPage && !framed()) { raw = storageGet(STORAGE_KEY); readKey = STORAGE_KEY; }
      if (!raw) return null;
      try {
        var r = parseRecord(raw);
        known = r.saved || 0;
        return r;
      } catch (e) {
        var aside = readKey + ":unreadable";
        try {
          if (storageGet(aside) !== raw) localStorage.setItem(aside, raw);
          problems.push("The state saved by an earlier visit could not be read (" + e.message +
                        "); it was kept aside under '" + aside + "'.");
        } catch (e2) {
          blocked = readKey === key;
          problems.push("The state saved by an earlier visit could not be read (" + e.message + "), and there is no " +
                        "room to keep a copy of it (" + e2.name + "). It is left as it was under '" + readKey + "'" +
                        (blocked ? ": this page saves nothing over it unless you choose to." : "."));
        }
        return null;
      }
    }
    function write() {
      clearTimeout(timer);
      timer = null;
      var revision = ui.revision();
      if (baseline === null || revision === savedRevision || blocked || other) return;
      var text = ui.programText();
      if (config.useStorage) {
        var now = storageGet(key), theirs = null;
        try { theirs = now && parseRecord(now); } catch (e) {}
        if (theirs && newer(theirs)) { announce(theirs); return; }
        var record = { version: 1, program: text, saved: Math.max(Date.now(), known + 1), tab: tabId,
                       link: location.hash };  // the link this state replaces (see linkIsStale)
        try {
          localStorage.setItem(key, JSON.stringify(record));
          known = record.saved;
        } catch (e) {
          ui.showMessage("Your work could not be saved in this browser (" + e.name + "): copy the link to keep it.", true);
        }
      }
      if (config.useHash && !framed()) ui.writeHash(text);
      savedRevision = revision;
    }
    function announce(theirs) {
      other = theirs;
      ui.showMessage("This program was changed in another tab (saved " + new Date(theirs.saved).toLocaleTimeString() +
                     "). This tab saves nothing over it until you choose.", false, [
        { label: "Load it here", run: function () {
          other = null;
          known = theirs.saved;
          ui.setProgram(theirs.program);
          savedRevision = ui.revision();
          if (config.useHash && !framed()) ui.writeHash(theirs.program);
          ui.showMessage("");
        } },
        { label: "Keep this tab's", run: function () { known = theirs.saved; other = null; savedRevision = null;
                                                       write(); ui.showMessage(""); } }]);
    }
    if (config.useStorage) {
      window.addEventListener("storage", function (e) {
        if (e.key !== key || !e.newValue) return;
        try {
          var theirs = parseRecord(e.newValue);
          if (newer(theirs)) announce(theirs);
        } catch (err) {}
      });
    }
    window.addEventListener("pagehide", write);
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") write(); });
    return {
      key: key,
      load: load,
      // The page's link still shows the state this save replaced: a reload right after an
      // edit (saved on pagehide, too late to change the address) must not bring that back.
      linkIsStale: function (record) { return record.link === location.hash; },
      started: function () { baseline = savedRevision = ui.revision(); },
      changed: function () {
        if (baseline === null || (!config.useHash && !config.useStorage)) return;
        clearTimeout(timer);
        timer = setTimeout(write, 150);
      },
      allowOverwrite: function () { blocked = false; savedRevision = null; write(); },
      // Forgets the saved state (Reset) and saves nothing more from this page.
      clear: function () {
        baseline = null;
        try {
          localStorage.removeItem(key);
          if (readKey !== key) localStorage.removeItem(readKey);
        } catch (e) {}
      },
      blocked: function () { return blocked; }
    };
  }

  // The full app remembers which side panels the user folded or opened (layout().fold), for
  // every page: a panel folded away stays folded after a reload.
  var folds = {
    key: "gradscope:panel-folds:v1",
    saved: function () {
      try { var f = JSON.parse(storageGet(folds.key)); return Array.isArray(f) ? f : undefined; } catch (e) {}
    },
    follow: function (canvas, current) {
      var last = JSON.stringify(folds.saved() || [0, 0]);
      canvas.addEventListener("pointerup", function () {  // the fold buttons act on the next frame
        requestAnimationFrame(function () { requestAnimationFrame(function () {
          var now = JSON.stringify(current());
          if (now === last) return;
          last = now;
          try { localStorage.setItem(folds.key, now); } catch (e) {}
        }); });
      });
    }
  };

  // --- one instance -------------------------------------------------------------------
  var HOST_STYLE = {
    canvas: "display:block;width:100%;height:100%;outline:none;",
    status: "position:absolute;left:0;right:0;top:0;padding:10px 14px;font:14px sans-serif;background:#fff8e1;" +
      "color:#5d4037;border-bottom:1px solid #e0c080;display:none;white-space:pre-wrap;z-index:2;",
    loading: "position:absolute;inset:0;display:flex;align-items:center;justify-content:center;font:15px sans-serif;" +
      "color:#555;background:#f5f5f3;",
    hint: "position:absolute;left:50%;top:40%;transform:translateX(-50%);padding:8px 14px;border-radius:6px;" +
      "background:rgba(30,30,30,.85);color:#fff;font:14px sans-serif;pointer-events:none;display:none;z-index:3;",
    toggle: "position:absolute;right:6px;bottom:4px;z-index:4;font:12px sans-serif;padding:2px 8px;",
    button: "margin:6px 8px 0 0;font:13px sans-serif;padding:2px 10px;"
  };
  function element(tag, className, css, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (css) el.style.cssText = css;
    if (text) el.textContent = text;
    return el;
  }

  // The instance's elements: canvas, loading and status lines, the wheel hint, the text view.
  function buildElements(container, config, id, embedded) {
    container.classList.add("gradscope-host");
    if (!config.fullPage) container.style.height = (parseInt(config.height, 10) || 420) + "px";
    if (getComputedStyle(container).position === "static") container.style.position = "relative";
    var canvas = element("canvas", "", HOST_STYLE.canvas + "touch-action:" + (embedded ? "pan-y" : "none") + ";");
    canvas.id = "gradscope-canvas-" + id;
    canvas.tabIndex = 0;
    canvas.setAttribute("aria-label", "gradscope computation graph (an HTML table view follows)");
    canvas.oncontextmenu = function (e) { e.preventDefault(); };
    var els = {
      canvas: canvas,
      loading: element("div", "gradscope-loading", HOST_STYLE.loading, "Loading gradscope..."),
      status: element("div", "gradscope-status", HOST_STYLE.status),
      hint: element("div", "gradscope-wheel-hint", HOST_STYLE.hint,
                    "Hold " + (isMac() ? "\u2318" : "Ctrl") + " and scroll to zoom the graph"),
      text: buildTextView()
    };
    container.textContent = "";
    [canvas, els.loading, els.status, els.hint, els.text.view, els.text.toggle].forEach(function (el) {
      container.appendChild(el);
    });
    return els;
  }

  // The status line: a message, optionally with buttons ({label, run}).
  function statusLine(status) {
    return function showMessage(text, isError, actions) {
      status.textContent = text;
      status.style.display = text ? "block" : "none";
      status.style.background = isError ? "#fdecea" : "#fff8e1";
      status.style.color = isError ? "#8a1c1c" : "#5d4037";
      (actions || []).forEach(function (a, k) {
        var b = element("button", "gradscope-status-action", HOST_STYLE.button, a.label);
        b.type = "button";
        b.onclick = a.run;
        if (k === 0) status.appendChild(document.createElement("br"));
        status.appendChild(b);
      });
    };
  }

  function flag(v) { return v === true || v === "1" || v === "true"; }

  // What to open: data-* attributes or create()'s config, then the URL hash (full page), then
  // the saved state. Returns {settings, program, example, problems}.
  function readSettings(config, store) {
    var settings = { lock: list(config.lock), hide: list(config.hide), grads: list(config.grads),
                     step: flag(config.step), dark: flag(config.dark) };
    var open = { settings: settings, program: config.program || null, example: config.example || null, problems: [] };
    var fromHash = config.useHash && location.hash.length > 1, brokenLink = false;
    if (fromHash) {
      try {
        var h = parseHash(location.hash);
        if (h.program !== undefined) open.program = h.program;
        if (h.example) open.example = h.example;
        ["lock", "hide", "grads"].forEach(function (k) { if (h[k] !== undefined) settings[k] = list(h[k]); });
        if (h.step !== undefined) settings.step = flag(h.step);
        if (h.dark !== undefined) settings.dark = flag(h.dark);
      } catch (e) {
        brokenLink = true;
        open.problems.push("This link is broken, so " +
                           (config.useStorage && (storageGet(store.key) || config.fullPage && !framed() && storageGet(STORAGE_KEY)) ?
                            "your last session" : "the default example") + " is shown instead: " + e.message + ".");
      }
    }
    if (config.useStorage) {
      var saved = store.load(open.problems);
      if (saved && (!fromHash || brokenLink || store.linkIsStale(saved))) open.program = saved.program;
    }
    return open;
  }

  function create(container, config) {
    config = config || {};
    var id = ++counter;
    var embedded = !config.fullPage || framed();
    var listeners = { change: [] };
    var module = null, heap = null, started = false;
    var readyResolve, readyReject;
    var ready = new Promise(function (res, rej) { readyResolve = res; readyReject = rej; });
    var els = buildElements(container, config, id, embedded);
    var showMessage = statusLine(els.status);
    var hinted = false;
    var ui = {
      showMessage: showMessage,
      wheelHint: function () {  // once per instance: how to zoom when the wheel scrolls the page
        if (hinted) return;
        hinted = true;
        els.hint.style.display = "block";
        setTimeout(function () { els.hint.style.display = "none"; }, 2500);
      },
      setProgram: function (t) { return api.setProgram(t); },
      revision: function () { return module._gs_revision(); },
      programText: function () { return call("gs_program_with_values"); },
      writeHash: function (text) { history.replaceState(null, "", buildHash(text, open.settings)); }
    };
    var store = createStore(config, ui);

    var unsupported = checkSupport();
    if (unsupported) {
      els.loading.textContent = unsupported;
      els.loading.style.color = "#8a1c1c";
      readyReject(new Error(unsupported));
      ready.catch(function () {});
      return { ready: ready, error: unsupported };
    }

    function call(name, args) {
      if (!module) throw new Error("gradscope is still loading: wait for instance.ready");
      return heap.text(name, args);
    }
    var api = makeApi(call, els, listeners, ready, showMessage, function () { return open.settings; });
    api.clearSaved = store.clear;
    // Pictures of the graph viewport as drawn (values, gradients, the theme's colours), after
    // the next frame: png() a Promise of a PNG Blob at the canvas's resolution; svg() one of
    // SVG text for slides, shapes as paths and every string as <text> (DejaVu Sans, the app's
    // font), from a frame the app draws without anti-aliasing.
    var waiting = { png: [], svg: [] };
    function picture(kind, request) {
      return new Promise(function (resolve, reject) {
        if (!module) throw new Error("gradscope is still loading: wait for instance.ready");
        waiting[kind].push({ resolve: resolve, reject: reject });
        module[request]();
      });
    }
    api.png = function () { return picture("png", "_gs_request_picture"); };
    api.svg = function () { return picture("svg", "_gs_request_svg"); };
    els.text.connect(function (pages) {
      return [JSON.parse(call("gs_text_view_json", [PAGE, PAGE, utf8.encode(JSON.stringify(pages))])), call("gs_program")];
    }, function (text) { return module ? api.setProgram(text) : []; });
    var open = readSettings(config, store);
    if (!embedded) open.fold = folds.saved();

    var textDue = false;
    function onChange() {
      if (!started) return;
      store.changed();
      // The text view catches up in a task of its own, after the frame that drew the change:
      // a large program's tables would otherwise lengthen that frame.
      if (!textDue) {
        textDue = true;
        setTimeout(function () { textDue = false; els.text.refresh(); }, 0);
      }
      listeners.change.forEach(function (fn) { try { fn(api); } catch (e) { console.error(e); } });
    }
    // The graph as drawn, copied from the canvas just after the app drew it (web/api.cpp's
    // after_frame: its drawing buffer is still whole in that task), as a PNG Blob. Resolves
    // every png() waiting; PICTURE_DOWNLOAD is the Export tab's button, which also downloads it.
    // An SVG (kinds 3 and 4) is read from the app the same way.
    var PICTURE_DOWNLOAD = 2, SVG_DOWNLOAD = 4;  // ui/state.h AppState::Picture
    function onPicture(kind) {
      var svg = kind > PICTURE_DOWNLOAD, format = svg ? "svg" : "png", promised = waiting[format];
      waiting[format] = [];
      try {
        if (svg) takeSvg(kind, promised); else copyPicture(kind, promised);
      } catch (e) {  // (this runs inside the app's frame: nothing may escape into it)
        promised.forEach(function (w) { w.reject(e); });
      }
    }
    function takeSvg(kind, waiting) {
      var text = call("gs_picture_svg");
      waiting.forEach(function (w) { w.resolve(text); });
      if (kind === SVG_DOWNLOAD) download(new Blob([text], { type: "image/svg+xml" }), "gradscope-graph.svg");
    }
    function download(blob, name) {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
      showMessage("Saved the picture of the graph (" + name + ").");
    }
    function copyPicture(kind, waiting) {
      var g = JSON.parse(call("gs_layout_json")).graph, canvas = els.canvas;
      var scale = canvas.width / Math.max(1, canvas.getBoundingClientRect().width);
      var crop = document.createElement("canvas");
      crop.width = Math.max(1, Math.round(g.width * scale));
      crop.height = Math.max(1, Math.round(g.height * scale));
      crop.getContext("2d").drawImage(canvas, Math.round(g.x * scale), Math.round(g.y * scale), crop.width,
                                      crop.height, 0, 0, crop.width, crop.height);
      crop.toBlob(function (blob) {
        waiting.forEach(function (w) { blob ? w.resolve(blob) : w.reject(new Error("the browser made no PNG")); });
        if (kind === PICTURE_DOWNLOAD && blob) download(blob, "gradscope-graph.png");
      }, "image/png");
    }
    function fail(e) {
      els.loading.style.display = "flex";
      els.loading.style.color = "#8a1c1c";
      els.loading.textContent = "gradscope could not start: " + e.message;
      readyReject(e);
    }

    loadFactory().then(function (parts) {
      return instantiate(parts, els.canvas, {
        ready: function () { els.loading.style.display = "none"; readyResolve(api); },
        change: onChange,
        picture: onPicture,
        fail: fail
      });
    }).then(function (m) {
      module = m.module;
      heap = bridge(module);
      startApp(module, m.font, container, embedded);
      attachInput(module, els.canvas, ui, embedded);
      if (!embedded) folds.follow(els.canvas, function () { return JSON.parse(call("gs_layout_json")).fold; });
      openProgram(api, heap, open);
      if (open.problems.length) {
        showMessage(open.problems.join("\n").replace(/\n$/, ""), true, store.blocked() ? [
          { label: "Save over it from now on", run: function () { store.allowOverwrite(); showMessage(""); } }] : []);
      }
      started = true;
      store.started();
      els.text.refresh();
    }).catch(fail);
    ready.catch(function () {});
    container.gradscope = api;
    return api;
  }

  // The Emscripten module on this canvas, sharing the compiled wasm; hooks.ready and
  // hooks.change are the app's notifications (web/api.cpp after_frame).
  function instantiate(parts, canvas, hooks) {
    var factory = parts[0], wasm = parts[1].module, data = parts[1].data, font = parts[2];
    return factory({
      canvas: canvas,
      instantiateWasm: function (imports, done) {
        WebAssembly.instantiate(wasm, imports).then(function (inst) { writeData(inst, data); done(inst, wasm); })
          .catch(hooks.fail);  // (without done() the factory never settles: say why on the page)
        return {};
      },
      print: function (t) { console.log("gradscope: " + t); },
      printErr: function (t) { console.warn("gradscope: " + t); },
      onGradscopeReady: hooks.ready,
      onGradscopeChange: hooks.change,
      onGradscopePicture: hooks.picture
    }).then(function (m) { return { module: m, font: font }; });
  }

  // gs_start with the font, the container's size and the pixel ratio; then follows resizes.
  function startApp(module, font, container, embedded) {
    var fontLen = font.byteLength, fontPtr = module._malloc(fontLen);
    module.HEAPU8.set(new Uint8Array(font), fontPtr);
    var rect = container.getBoundingClientRect();
    var w = Math.max(200, Math.round(rect.width)), h = Math.max(150, Math.round(rect.height));
    if (!module._gs_start(fontPtr, fontLen, window.devicePixelRatio || 1, w, h, 0, isMac() ? 1 : 0))
      throw new Error("the WebGL2 context could not be created");
    touchSize(container, w);
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver(function () {
        var b = container.getBoundingClientRect();
        module._gs_resize(Math.round(b.width), Math.round(b.height), window.devicePixelRatio || 1);
        touchSize(container, b.width);
      }).observe(container);
    }
  }

  // Below 600 px of width the app has a phone's layout and touch-sized controls (ui/layout.cpp);
  // the page's own button over the canvas is 40 px high there too (the app leaves it room).
  function touchSize(container, width) {
    var toggle = container.querySelector(".gradscope-text-toggle");
    if (toggle) toggle.style.minHeight = width < 600 ? "40px" : "";
  }

  // The example or program to open, then the instructor's options; problems gathers messages.
  function openProgram(api, heap, open) {
    if (open.example && !open.program) {
      var name = utf8.encode(String(open.example));
      if (name.length > MAX_TEXT_BYTES || !heap.number("gs_load_example", [name]))
        open.problems.push("There is no example named '" + shortName(String(open.example)) + "'; showing the default example.");
    }
    if (open.program !== null) {
      var errs = api.setProgram(open.program);
      if (errs.length) open.problems.push("The program has an error (it is kept in the editor; the graph shows the " +
                                          "default example until it is fixed):\n" + errs[0].text);
    }
    var s = open.settings;
    var optErr = api.setOptions({ lock: s.lock, hide: s.hide, grads: s.grads, step: s.step, dark: s.dark,
                                  fold: open.fold });
    if (optErr) open.problems.push("Ignored options: " + optErr + ".");
  }

  // The instance's JavaScript API (element.gradscope, window.gradscope in the full app).
  function makeApi(call, els, listeners, ready, showMessage, settings) {
    // A rectangle the app gives in canvas CSS pixels, in viewport CSS pixels (as the page's
    // getBoundingClientRect and mouse events measure).
    function onPage(x, y, width, height) {
      var b = els.canvas.getBoundingClientRect();
      return { x: b.left + x, y: b.top + y, width: width, height: height };
    }
    function nameBytes(name) {
      var bytes = utf8.encode(String(name));
      return bytes.length > MAX_TEXT_BYTES ? tooLong("the name is", bytes.length) : bytes;
    }
    var api = {
      ready: ready,
      // {value, grad, shape} of a node; matrices are lists of rows.
      get: function (name) {
        var n = nameBytes(name);
        if (typeof n === "string") throw new Error(n);
        var r = JSON.parse(call("gs_get", [n]));
        if (r.error) throw new Error(r.error);
        return r;
      },
      // Sets an input (a list of rows, or a number); returns "" or the reason it was refused.
      set: function (name, matrix) {
        var n = nameBytes(name), json = valueJson(matrix);
        if (typeof n === "string") return n;
        return typeof json === "string" ? json : call("gs_set", [n, json]);
      },
      program: function () { return call("gs_program"); },
      // Returns the list of errors, empty when the program built.
      setProgram: function (text) {
        var bytes = utf8.encode(String(text));
        if (bytes.length > MAX_TEXT_BYTES) return programTooLong(bytes.length);
        return JSON.parse(call("gs_set_program", [bytes]));
      },
      errors: function () { return JSON.parse(call("gs_errors")); },
      graph: function () { return JSON.parse(call("gs_graph_json")); },
      setOptions: function (o) {
        var json;
        try { json = utf8.encode(JSON.stringify(o) || ""); } catch (e) { return "the options cannot be written as JSON"; }
        return json.length > MAX_TEXT_BYTES ? tooLong("the options are", json.length, " of JSON")
                                            : call("gs_set_options", [json]);
      },
      on: function (event, fn) {
        if (!listeners[event]) throw new Error("unknown event '" + event + "' (known: change)");
        listeners[event].push(fn);
        return api;
      },
      // The viewport rectangle (CSS pixels) of a value cell as the graph draws it.
      cellRect: function (name, row, col) {
        var n = nameBytes(name);
        if (typeof n === "string") return null;
        var r = JSON.parse(call("gs_cell_rect", [n, row | 0, col | 0]));
        return r.length ? onPage(r[0], r[1], r[2], r[3]) : null;
      },
      // A link that reopens this exact state.
      link: function () {
        return location.href.replace(/#.*$/, "") + buildHash(call("gs_program_with_values"), settings());
      },
      // Exercises: the questions with their marks; answer(q, matrix) checks a prediction
      // (q counts from 0) and returns "" or why it was refused; reveal(q) shows the step.
      exercise: function () { return JSON.parse(call("gs_exercise_json")); },
      answer: function (q, matrix) {
        var json = valueJson(matrix);
        return typeof json === "string" ? json : call("gs_answer", [q | 0, json]);
      },
      reveal: function (q) { return call("gs_reveal", [q | 0]); },
      textView: function () { return JSON.parse(call("gs_text_view_json", [0, 0, new Uint8Array(0)])); },
      // Where the graph viewport, each panel, the Train plot, the stale-program banner and
      // every node card are drawn, in page CSS pixels like cellRect: {graph, panels: {left,
      // side, sheet}, train, stale_banner, cards: {name: rect}, views: {jacobian, forward, flow,
      // landscape}, zoom, arrangement, compact, hover}; rect is {x, y, width, height, visible}.
      layout: function () {
        var l = JSON.parse(call("gs_layout_json"));
        var move = function (r) { return Object.assign(r, onPage(r.x, r.y, r.width, r.height)); };
        [l.graph, l.train, l.stale_banner].concat(Object.values(l.panels), Object.values(l.cards), Object.values(l.views))
          .forEach(move);
        return l;
      },
      // Test hook: every string the canvas drew in the last frame; with boxes, each as
      // {text, x, y, width, height} in viewport CSS pixels.
      drawnText: function (boxes) {
        return JSON.parse(call("gs_drawn_text", [])).map(function (d) {
          return boxes ? Object.assign({ text: d.text }, onPage(d.x, d.y, d.w, d.h)) : d.text;
        });
      },
      undo: function () { return heap.number("gs_undo", []) === 1; },
      redo: function () { return heap.number("gs_redo", []) === 1; },
      // Derive mode: each claim of the program's "#! backward" section with its verdict.
      derivation: function () { return JSON.parse(call("gs_derivation_json")); },
      canvas: els.canvas,
      element: els.canvas.parentNode,
      showMessage: showMessage
    };
    return api;
  }

  function scan() {
    var nodes = document.querySelectorAll("div.gradscope");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      if (el.gradscope) continue;
      var d = el.dataset;
      var text = d.program || (el.textContent.trim() ? el.textContent : null);
      create(el, { program: text, example: d.example, lock: d.lock, hide: d.hide, grads: d.grads,
                   step: d.step, dark: d.dark, height: d.height, useStorage: true, embedIndex: el.id || i });
    }
  }

  window.Gradscope = { create: create, scan: scan, encodeText: encodeText, decodeText: decodeText,
                       parseHash: parseHash, buildHash: buildHash };
  if (!(script && script.hasAttribute("data-manual"))) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
    else scan();
  }
})();
