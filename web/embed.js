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
  var wasmPromise = null;     // the compiled WebAssembly module, shared by instances
  var fontPromise = null;     // the TTF bytes, shared
  var counter = 0;
  var STORAGE_KEY = "gradscope:last-state:v1";

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
      }).then(function (bytes) { return WebAssembly.compile(bytes); });
      fontPromise = fetch(base + "gradscope-font.ttf").then(function (r) {
        return r.ok ? r.arrayBuffer() : null;
      }).catch(function () { return null; });
    }
    return Promise.all([modulePromise, wasmPromise, fontPromise]);
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

  function savedState() {
    try { return localStorage.getItem(STORAGE_KEY); } catch (e) { return null; }
  }

  function checkSupport() {
    if (typeof WebAssembly !== "object") return "This browser does not support WebAssembly, which gradscope needs.";
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

  function isMac() { return /Mac|iPhone|iPad|iPod/.test(navigator.platform || ""); }

  function attachInput(module, canvas, showMessage) {
    var MAC = isMac();
    function modifiers(e) {
      return (e.ctrlKey ? 1 : 0) | (e.shiftKey ? 2 : 0) | (e.altKey ? 4 : 0) | (e.metaKey ? 8 : 0);
    }
    function point(e) {
      var b = canvas.getBoundingClientRect();
      module._gs_input_pointer(e.clientX - b.left, e.clientY - b.top);
    }
    var heap = bridge(module);
    function text(t) { if (t) heap.number("gs_input_text", [utf8.encode(t)]); }
    // One pointer drives the app: a second finger on a touch screen is ignored.
    canvas.addEventListener("pointermove", function (e) { if (e.isPrimary) point(e); });
    canvas.addEventListener("pointerdown", function (e) {
      canvas.focus({ preventScroll: true });
      if (!e.isPrimary) return;
      try { canvas.setPointerCapture(e.pointerId); } catch (err) {}
      point(e);
      module._gs_input_button(imguiButton(e), 1);
      e.preventDefault();
    });
    function release(e) {
      if (!e.isPrimary) return;
      point(e);
      module._gs_input_button(imguiButton(e), 0);
    }
    canvas.addEventListener("pointerup", release);
    canvas.addEventListener("pointercancel", function (e) { if (e.isPrimary) module._gs_input_button(0, 0); });
    canvas.addEventListener("pointerleave", function (e) { if (e.isPrimary) module._gs_input_pointer_left(); });
    canvas.addEventListener("wheel", function (e) {
      // ImGui counts wheel notches: a notch is about 100 pixels or 3 lines.
      var unit = e.deltaMode === 1 ? 3 : e.deltaMode === 2 ? 1 : 100;
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
      if (bytes.length > MAX_TEXT_BYTES) showMessage("Nothing was pasted: " + tooLong("the text is", bytes.length) + ".", true);
      else if (bytes.length) heap.number("gs_input_text", [bytes]);
    });
    canvas.addEventListener("focus", function () { module._gs_input_focus(1); });
    canvas.addEventListener("blur", function () { module._gs_input_focus(0); });
  }

  // --- the accessible text view: the graph as HTML tables, kept in step with the canvas ---
  var SR_ONLY = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;";
  var PANEL = "position:absolute;top:0;right:0;bottom:0;width:min(460px,100%);overflow:auto;background:#fff;" +
    "color:#111;border-left:1px solid #bbb;padding:10px 14px;font:14px/1.4 sans-serif;z-index:3;box-sizing:border-box;";

  function matrixTable(caption, m) {
    var t = document.createElement("table");
    t.style.cssText = "border-collapse:collapse;margin:2px 0 8px;font:13px monospace;";
    var cap = document.createElement("caption");
    cap.textContent = caption;
    cap.style.cssText = "text-align:left;font:12px sans-serif;color:#555;white-space:nowrap;";
    t.appendChild(cap);
    m.forEach(function (row, r) {
      var tr = document.createElement("tr");
      row.forEach(function (v, c) {
        var td = document.createElement("td");
        td.textContent = v === null ? "nan/inf" : String(v);
        td.setAttribute("aria-label", caption + " row " + (r + 1) + " column " + (c + 1) + ": " + td.textContent);
        td.style.cssText = "border:1px solid #ccc;padding:1px 6px;text-align:right;";
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    return t;
  }

  function renderTextView(body, data) {
    body.textContent = "";
    var out = data.nodes.filter(function (n) { return n.name === data.output; })[0];
    var summary = document.createElement("p");
    summary.setAttribute("aria-live", "polite");
    summary.className = "gradscope-text-summary";
    summary.textContent = out ? "Output " + out.name + " = " + (out.value ? out.value[0][0] : "hidden") : "";
    body.appendChild(summary);
    if (data.error) {
      var err = document.createElement("pre");
      err.setAttribute("role", "alert");
      err.style.cssText = "color:#8a1c1c;white-space:pre-wrap;";
      err.textContent = data.error;
      body.appendChild(err);
    }
    data.nodes.forEach(function (n) {
      var sec = document.createElement("section");
      sec.className = "gradscope-text-node";
      sec.dataset.node = n.name;
      var h = document.createElement("h3");
      h.style.cssText = "font-size:15px;margin:10px 0 2px;";
      h.textContent = n.name + (n.op === "input" ? " (input" + (n.locked ? ", locked" : "") + ")" : " = " + n.expr) +
        ", shape " + n.shape[0] + " by " + n.shape[1];
      sec.appendChild(h);
      if (n.value) sec.appendChild(matrixTable("value of " + n.name, n.value));
      else { var pv = document.createElement("p"); pv.textContent = "value of " + n.name + ": hidden"; sec.appendChild(pv); }
      var gname = "d" + data.output + "/d" + n.name;
      if (n.grad) sec.appendChild(matrixTable("gradient " + gname, n.grad));
      else { var pg = document.createElement("p"); pg.textContent = "gradient " + gname + ": hidden"; sec.appendChild(pg); }
      body.appendChild(sec);
    });
  }

  // --- one instance -------------------------------------------------------------------
  function create(container, config) {
    config = config || {};
    var id = ++counter;
    var listeners = { change: [] };
    var module = null, started = false;
    var readyResolve, readyReject;
    var ready = new Promise(function (res, rej) { readyResolve = res; readyReject = rej; });

    container.classList.add("gradscope-host");
    if (!config.fullPage) container.style.height = (parseInt(config.height, 10) || 420) + "px";
    if (getComputedStyle(container).position === "static") container.style.position = "relative";
    var canvas = document.createElement("canvas");
    canvas.id = "gradscope-canvas-" + id;
    canvas.tabIndex = 0;
    canvas.setAttribute("aria-label", "gradscope computation graph (an HTML table view follows)");
    canvas.style.cssText = "display:block;width:100%;height:100%;outline:none;touch-action:none;";
    canvas.oncontextmenu = function (e) { e.preventDefault(); };
    var status = document.createElement("div");
    status.className = "gradscope-status";
    status.style.cssText = "position:absolute;left:0;right:0;top:0;padding:10px 14px;font:14px sans-serif;" +
      "background:#fff8e1;color:#5d4037;border-bottom:1px solid #e0c080;display:none;white-space:pre-wrap;z-index:2;";
    var loading = document.createElement("div");
    loading.className = "gradscope-loading";
    loading.style.cssText = "position:absolute;inset:0;display:flex;align-items:center;justify-content:center;" +
      "font:15px sans-serif;color:#555;background:#f5f5f3;";
    loading.textContent = "Loading gradscope...";
    // The text view: always in the page for screen readers; "Text view" shows it on screen,
    // with the program in a plain textarea (on-screen keyboards and copy/paste work there).
    var textView = document.createElement("section");
    textView.className = "gradscope-text";
    textView.setAttribute("aria-label", "gradscope text view: every node's value and gradient");
    textView.style.cssText = SR_ONLY;
    var textHead = document.createElement("div");
    var textLabel = document.createElement("label");
    textLabel.textContent = "Program (edit here or on the canvas)";
    textLabel.style.cssText = "display:block;font-weight:bold;margin-bottom:4px;";
    var textArea = document.createElement("textarea");
    textArea.className = "gradscope-text-program";
    textArea.spellcheck = false;
    textArea.rows = 9;
    textArea.style.cssText = "width:100%;box-sizing:border-box;font:13px monospace;";
    textLabel.appendChild(textArea);
    textHead.appendChild(textLabel);
    var textLimit = document.createElement("p");  // a text over the size limit stays here, unapplied
    textLimit.className = "gradscope-text-limit";
    textLimit.setAttribute("aria-live", "assertive");
    textLimit.style.cssText = "color:#8a1c1c;margin:2px 0;";
    textHead.appendChild(textLimit);
    var textBody = document.createElement("div");
    textView.appendChild(textHead);
    textView.appendChild(textBody);
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "gradscope-text-toggle";
    toggle.textContent = "Text view";
    toggle.setAttribute("aria-expanded", "false");
    toggle.style.cssText = "position:absolute;right:6px;bottom:4px" +
      ";z-index:4;font:12px sans-serif;padding:2px 8px;";
    toggle.onclick = function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      textView.style.cssText = open ? PANEL : SR_ONLY;
      toggle.textContent = open ? "Close text view" : "Text view";
    };
    var typing = null;
    textArea.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(function () {
        if (!module) return;
        var errs = api.setProgram(textArea.value);
        textLimit.textContent = errs.length && errs[0].line === 0 ? errs[0].text : "";
      }, 300);
    });

    container.textContent = "";
    container.appendChild(canvas);
    container.appendChild(loading);
    container.appendChild(status);
    container.appendChild(textView);
    container.appendChild(toggle);

    function refreshTextView() {
      if (!module) return;
      renderTextView(textBody, JSON.parse(call("gs_text_view_json")));
      if (document.activeElement !== textArea) textArea.value = call("gs_program");
    }

    function showMessage(text, isError) {
      status.textContent = text;
      status.style.display = text ? "block" : "none";
      status.style.background = isError ? "#fdecea" : "#fff8e1";
      status.style.color = isError ? "#8a1c1c" : "#5d4037";
    }

    var unsupported = checkSupport();
    if (unsupported) {
      loading.textContent = unsupported;
      loading.style.color = "#8a1c1c";
      readyReject(new Error(unsupported));
      ready.catch(function () {});
      return { ready: ready, error: unsupported };
    }

    var heap = null;  // bridge(module) once loaded
    function call(name, args) {
      if (!module) throw new Error("gradscope is still loading: wait for instance.ready");
      return heap.text(name, args);
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
        if (!r.length) return null;
        var b = canvas.getBoundingClientRect();
        return { x: b.left + r[0], y: b.top + r[1], width: r[2], height: r[3] };
      },
      // A link that reopens this exact state.
      link: function () {
        return location.href.replace(/#.*$/, "") + buildHash(call("gs_program_with_values"), settings);
      },
      // Exercises: the questions with their marks; answer(q, matrix) checks a prediction
      // (q counts from 0) and returns "" or why it was refused; reveal(q) shows the step.
      exercise: function () { return JSON.parse(call("gs_exercise_json")); },
      answer: function (q, matrix) {
        var json = valueJson(matrix);
        return typeof json === "string" ? json : call("gs_answer", [q | 0, json]);
      },
      reveal: function (q) { return call("gs_reveal", [q | 0]); },
      textView: function () { return JSON.parse(call("gs_text_view_json")); },
      // Where the graph viewport, each panel, the Train plot and every node card are drawn, in
      // page CSS pixels like cellRect: {graph, panels: {left, side, sheet}, train, cards: {name:
      // rect}, zoom, arrangement, compact, hover}; rect is {x, y, width, height, visible}.
      layout: function () {
        var l = JSON.parse(call("gs_layout_json")), b = canvas.getBoundingClientRect();
        var move = function (r) { if (r && r.width !== undefined) { r.x += b.left; r.y += b.top; } };
        [l.graph, l.train].concat(Object.values(l.panels), Object.values(l.cards)).forEach(move);
        return l;
      },
      // Derive mode: each claim of the program's "#! backward" section with its verdict.
      derivation: function () { return JSON.parse(call("gs_derivation_json")); },
      canvas: canvas,
      element: container,
      showMessage: showMessage
    };

    // Settings: data-* attributes (embed) or the URL hash (full page), then options.
    function flag(v) { return v === true || v === "1" || v === "true"; }
    var settings = { lock: list(config.lock), hide: list(config.hide), grads: list(config.grads),
                     step: flag(config.step), dark: flag(config.dark) };
    var program = config.program || null;
    var example = config.example || null;
    var problems = [];
    var brokenLink = false;
    if (config.useHash && location.hash.length > 1) {
      try {
        var h = parseHash(location.hash);
        if (h.program !== undefined) program = h.program;
        if (h.example) example = h.example;
        if (h.lock !== undefined) settings.lock = list(h.lock);
        if (h.hide !== undefined) settings.hide = list(h.hide);
        if (h.grads !== undefined) settings.grads = list(h.grads);
        if (h.step !== undefined) settings.step = flag(h.step);
        if (h.dark !== undefined) settings.dark = flag(h.dark);
      } catch (e) {
        brokenLink = true;
        problems.push("This link is broken, so " +
                      (config.useStorage && savedState() ? "your last session" : "the default example") +
                      " is shown instead: " + e.message + ".");
      }
    }
    if (config.useStorage && (!config.useHash || location.hash.length <= 1 || brokenLink)) {
      try {
        var saved = localStorage.getItem(STORAGE_KEY);
        if (saved) {
          var st = JSON.parse(saved);
          if (!st || typeof st !== "object" || typeof st.program !== "string") throw new Error("it has no program text");
          program = st.program;
        }
      } catch (e) {
        // Keep the unreadable state aside rather than dropping it silently.
        try { localStorage.setItem(STORAGE_KEY + ":unreadable", localStorage.getItem(STORAGE_KEY)); } catch (e2) {}
        problems.push("The state saved by an earlier visit could not be read (" + e.message +
                      "); it was kept aside under '" + STORAGE_KEY + ":unreadable'.");
      }
    }

    // Saving starts with the user's first change: opening a page (or a broken link) must never
    // overwrite what an earlier visit saved.
    var baseline = null;
    var persistTimer = null;
    function persist() {
      if (!config.useHash && !config.useStorage) return;
      if (baseline === null || module._gs_revision() === baseline) return;
      clearTimeout(persistTimer);
      persistTimer = setTimeout(function () {
        var text = call("gs_program_with_values");
        if (config.useStorage) {
          try { localStorage.setItem(STORAGE_KEY, JSON.stringify({ version: 1, program: text })); } catch (e) {}
        }
        if (config.useHash) history.replaceState(null, "", buildHash(text, settings));
      }, 150);
    }

    loadFactory().then(function (parts) {
      var factory = parts[0], wasm = parts[1], font = parts[2];
      return factory({
        canvas: canvas,
        instantiateWasm: function (imports, done) {
          WebAssembly.instantiate(wasm, imports).then(function (inst) { done(inst, wasm); });
          return {};
        },
        print: function (t) { console.log("gradscope: " + t); },
        printErr: function (t) { console.warn("gradscope: " + t); },
        onGradscopeReady: function () {
          loading.style.display = "none";
          readyResolve(api);
        },
        onGradscopeChange: function () {
          if (!started) return;
          persist();
          refreshTextView();
          listeners.change.forEach(function (fn) { try { fn(api); } catch (e) { console.error(e); } });
        }
      }).then(function (m) { return { m: m, font: font }; });
    }).then(function (r) {
      module = r.m;
      heap = bridge(module);
      var fontPtr = 0, fontLen = 0;
      if (r.font) {
        fontLen = r.font.byteLength;
        fontPtr = module._malloc(fontLen);
        module.HEAPU8.set(new Uint8Array(r.font), fontPtr);
      }
      var rect = container.getBoundingClientRect();
      var w = Math.max(200, Math.round(rect.width)), hgt = Math.max(150, Math.round(rect.height));
      var ok = module._gs_start(fontPtr, fontLen, window.devicePixelRatio || 1, w, hgt, 0, isMac() ? 1 : 0);
      if (!ok) throw new Error("the WebGL2 context could not be created");
      attachInput(module, canvas, showMessage);
      if (example && !program) {
        var ex = nameBytes(example);
        if (typeof ex === "string" || !heap.number("gs_load_example", [ex]))
          problems.push("There is no example named '" + shortName(String(example)) + "'; showing the default example.");
      }
      if (program !== null) {
        var errs = api.setProgram(program);
        if (errs.length) problems.push("The program has an error (it is kept in the editor; the graph shows the " +
                                       "default example until it is fixed):\n" + errs[0].text);
      }
      var optErr = api.setOptions({ lock: settings.lock, hide: settings.hide, grads: settings.grads,
                                    step: settings.step, dark: settings.dark });
      if (optErr) problems.push("Ignored options: " + optErr + ".");
      if (problems.length) showMessage(problems.join("\n"), true);
      started = true;
      baseline = module._gs_revision();
      refreshTextView();
      if (typeof ResizeObserver !== "undefined") {
        new ResizeObserver(function () {
          var b = container.getBoundingClientRect();
          module._gs_resize(Math.round(b.width), Math.round(b.height), window.devicePixelRatio || 1);
        }).observe(container);
      }
    }).catch(function (e) {
      loading.style.display = "flex";
      loading.style.color = "#8a1c1c";
      loading.textContent = "gradscope could not start: " + e.message;
      readyReject(e);
    });
    ready.catch(function () {});
    container.gradscope = api;
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
                   step: d.step, dark: d.dark, height: d.height });
    }
  }

  window.Gradscope = { create: create, scan: scan, encodeText: encodeText, decodeText: decodeText,
                       parseHash: parseHash, buildHash: buildHash };
  if (!(script && script.hasAttribute("data-manual"))) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
    else scan();
  }
})();
