#!/usr/bin/env python3
"""Desktop end-to-end test: the real app in a real X server (Xvfb).

Starts build/native/gradscope under Xvfb, screenshots the screen with ImageMagick's
`import`, checks the graph is drawn (heatmap colours, not an empty window), drags W[0][0]
with xdotool at the position the app reports (--state-out), and checks W and every
gradient against `gradscope eval --set` on the same values. Then folds the side panel with
a click, and checks that it is still folded when the app starts again (its settings file).
Usage: desktop_e2e.py BUILD/gradscope [SCREENSHOT_DIR]
"""
import json
import os
import subprocess
import sys
import tempfile
import time

SEED = """# The notebook's f = ||sigmoid(W x)||^2
W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]
x = [[1], [0], [-1]]
Z = W @ x
y = sigmoid(Z)
f = norm2(y)    # ||y||^2, the output
"""

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def free_display():
    for n in range(90, 140):
        if not os.path.exists(f"/tmp/.X{n}-lock") and not os.path.exists(f"/tmp/.X11-unix/X{n}"):
            return n
    raise RuntimeError("no free X display number")


def read_state(path, newer_than=-1, timeout=15.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open(path) as f:
                state = json.load(f)
            if state["revision"] != newer_than:
                return state
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    raise TimeoutError(f"the app did not write {path} (revision other than {newer_than})")


def screenshot_pixels(display, png):
    env = dict(os.environ, DISPLAY=display)
    subprocess.run(["import", "-window", "root", png], env=env, check=True)
    ppm = subprocess.run(["convert", png, "-depth", "8", "ppm:-"], check=True, capture_output=True).stdout
    # P6\n<w> <h>\n255\n<data>
    parts = ppm.split(b"\n", 3)
    w, h = map(int, parts[1].split())
    return w, h, parts[3]


def count_near(data, rgb, tol=40):
    n = 0
    r0, g0, b0 = rgb
    for i in range(0, len(data) - 2, 3 * 2):  # every other pixel is plenty
        if abs(data[i] - r0) < tol and abs(data[i + 1] - g0) < tol and abs(data[i + 2] - b0) < tol:
            n += 1
    return n


def main():
    binary = os.path.abspath(sys.argv[1])
    shots = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="gradscope-shots-")
    os.makedirs(shots, exist_ok=True)
    num = free_display()
    display = f":{num}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app = None
    try:
        for _ in range(100):
            if os.path.exists(f"/tmp/.X11-unix/X{num}"):
                break
            time.sleep(0.05)
        state_path = os.path.join(tempfile.mkdtemp(prefix="gradscope-state-"), "state.json")
        # The app's settings (the panels' fold) live in a folder of the test's own.
        env = dict(os.environ, DISPLAY=display, XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="gradscope-config-"))
        app = subprocess.Popen([binary, "--state-out", state_path], env=env)
        state = read_state(state_path)
        time.sleep(0.3)  # one more frame on screen

        # 1. The graph is drawn: the seed's heatmap cells are orange (W's 7s, every df/dW 0.25)
        #    and purple (df/dW = -0.25, x = -1); an empty window has neither.
        png = os.path.join(shots, "desktop-start.png")
        w, h, data = screenshot_pixels(display, png)
        orange = count_near(data, (230, 97, 1))
        purple = count_near(data, (84, 39, 136))
        print(f"screenshot {png}: {w}x{h}, orange-ish pixels {orange}, purple-ish {purple}")
        check(w == 1280 and h == 800, "the screenshot is the whole 1280x800 screen")
        check(orange > 2000, "orange heatmap cells are on screen (graph drawn)")
        check(purple > 500, "purple heatmap cells are on screen (negative entries drawn)")

        nodes = {n["name"]: n for n in state["graph"]["nodes"]}
        check(nodes["f"]["value"] == [[0.75]], "f = 0.75 at start")
        check(nodes["W"]["grad"] == [[0.25, 0.0, -0.25]] * 3, "df/dW rows [0.25, 0, -0.25] at start")

        # 2. Drag W[0][0] 60 px to the right with the real pointer: +0.01 per pixel.
        x0, y0, cw, ch = state["cells"]["W"][0]
        cx, cy = int(x0 + cw / 2), int(y0 + ch / 2)
        xdo = lambda *a: subprocess.run(["xdotool", *map(str, a)], env=env, check=True)
        xdo("mousemove", cx, cy)
        time.sleep(0.15)
        xdo("mousedown", 1)
        for step in range(1, 7):
            time.sleep(0.05)
            xdo("mousemove", cx + 10 * step, cy)
        time.sleep(0.15)
        xdo("mouseup", 1)
        after = read_state(state_path, newer_than=state["revision"])
        time.sleep(0.5)
        after = read_state(state_path, newer_than=-1)
        nodes = {n["name"]: n for n in after["graph"]["nodes"]}
        w00 = nodes["W"]["value"][0][0]
        print(f"W[0][0] after the drag: {w00}")
        check(abs(w00 - 2.6) < 0.051, "dragging W[0][0] 60 px right raises it by about 0.6")

        # 3. Every value and gradient equals the command line's on the same W.
        w_literal = json.dumps(nodes["W"]["value"])
        cli = subprocess.run([binary, "eval", "-", "--json", "--set", f"W={w_literal}"], input=SEED,
                             capture_output=True, text=True, check=True)
        ref = {n["name"]: n for n in json.loads(cli.stdout)["nodes"]}
        for name in ("W", "x", "Z", "y", "f"):
            check(ref[name]["value"] == nodes[name]["value"] and ref[name]["grad"] == nodes[name]["grad"],
                  f"{name}: the app's value and gradient equal gradscope eval --set W=...")
        check(nodes["f"]["value"][0][0] != 0.75, "f changed after the drag")

        png2 = os.path.join(shots, "desktop-after-drag.png")
        screenshot_pixels(display, png2)
        print(f"screenshot after the drag: {png2}")

        # 4. Fold the side panel with its button (the first thing in the panel, top left), quit,
        #    start again: the panel is still folded, as the browser keeps it in localStorage.
        side = after["layout"]["panels"]["side"]
        check(side["visible"] and after["layout"]["fold"] == [0, 0], "the side panel is open at 1280x800")
        xdo("mousemove", int(side["x"] + 16), int(side["y"] + 15))
        time.sleep(0.15)
        xdo("click", 1)
        folded = read_state(state_path, newer_than=-1)
        for _ in range(100):
            if folded["layout"]["fold"] == [0, 2]:
                break
            time.sleep(0.05)
            folded = read_state(state_path, newer_than=-1)
        check(folded["layout"]["fold"] == [0, 2], "a click on the side panel's fold button folds it")
        app.terminate()
        app.wait(5)
        settings = os.path.join(env["XDG_CONFIG_HOME"], "gradscope", "settings")
        check(os.path.exists(settings) and open(settings).read() == "fold 0 2\n", f"{settings} keeps the fold")
        os.remove(state_path)
        app = subprocess.Popen([binary, "--state-out", state_path], env=env)
        again = read_state(state_path)
        check(again["layout"]["fold"] == [0, 2] and not again["layout"]["panels"]["side"]["visible"],
              "the side panel is still folded after a restart")
        graph = again["layout"]["graph"]
        check(graph["x"] + graph["width"] > side["x"] + side["width"] / 2, "the graph takes the folded panel's room")
    finally:
        if app:
            app.terminate()
            try:
                app.wait(5)
            except subprocess.TimeoutExpired:
                app.kill()
        xvfb.terminate()
        xvfb.wait(5)
    passed = 0 if failures else 1
    print(f"{passed} passed, {1 - passed} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
