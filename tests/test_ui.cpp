// The front end, headless: a real ImGui context with no renderer, driven by simulated
// mouse input, checked against the core.
#include <doctest.h>
#include <imgui.h>

#include "core/compile.h"
#include "core/examples.h"
#include "ui/app.h"
#include "ui/headless.h"
#include "ui/key_hold.h"
#include "ui/panels.h"

using namespace gs;

namespace {

struct Headless : ui::Headless {
  ImVec2 cell_center(const std::string& name, int row, int col) {
    int id = state.graph.find(name);
    const auto& n = state.graph.node(id);
    const ui::CellRect& c = state.value_cells.at(size_t(id)).at(size_t(row * n.value.cols() + col));
    REQUIRE(c.visible);
    return ImVec2(c.x + c.w / 2, c.y + c.h / 2);
  }
  // Press at `from`, move in steps to `to`, release: as a user's drag arrives, frame by frame.
  void drag(ImVec2 from, ImVec2 to, int steps = 6) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = from;
    frame();
    io.MouseDown[0] = true;
    frame();
    for (int i = 1; i <= steps; ++i) {
      float t = float(i) / float(steps);
      io.MousePos = ImVec2(from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t);
      frame();
    }
    io.MouseDown[0] = false;
    frame();
  }
};

}  // namespace

TEST_CASE("every example renders without ImGui check failures") {
  Headless h;
  int before = gs_imgui_check_failures();
  for (const Example& e : examples()) {
    CAPTURE(e.name);
    REQUIRE(ui::load_example(h.state, e.name));
    for (int i = 0; i < 3; ++i) h.frame();
    CHECK(gs_imgui_check_failures() == before);
    for (int id : h.state.graph.input_ids()) {
      CAPTURE(h.state.graph.node(id).name);
      CHECK(h.state.value_cells.at(size_t(id)).size() == size_t(h.state.graph.node(id).value.size()));
    }
    // Step through the whole forward and backward pass, drawing every step.
    h.state.stepper.start(h.state.graph);
    for (int s = 0; s <= h.state.stepper.last_step(); ++s) {
      h.state.stepper.go(h.state.graph, s);
      h.frame();
    }
    h.state.stepper.stop();
    CHECK(gs_imgui_check_failures() == before);
  }
}

TEST_CASE("dragging W[0][0] on the graph changes W and every gradient as the core computes") {
  Headless h;
  h.frame();
  h.frame();
  ImVec2 c = h.cell_center("W", 0, 0);
  h.drag(c, ImVec2(c.x + 50, c.y));  // 0.01 per pixel
  const Graph& g = h.state.graph;
  double w00 = g.node(g.find("W")).value(0, 0);
  CHECK(w00 == doctest::Approx(2.5).epsilon(1e-9));

  Matrix w = g.node(g.find("W")).value;
  auto ref = compile(find_example("seed")->source, {{"W", w}});
  REQUIRE(ref);
  for (const char* name : {"W", "x", "Z", "y", "f"}) {
    CAPTURE(name);
    CHECK(g.node(g.find(name)).value == ref->node(ref->find(name)).value);
    CHECK(g.node(g.find(name)).grad == ref->node(ref->find(name)).grad);
  }
  CHECK(g.node(g.output).value(0, 0) != 0.75);
  // The editor text follows the new value, so a save or a link keeps it.
  CHECK(h.state.program.find("W = [[2.5, 1, 2], [1, 3, 1], [7, 4, 7]]") != std::string::npos);
}

TEST_CASE("a locked input does not move when dragged") {
  Headless h;
  h.state.options.locked = {"W"};
  h.frame();
  h.frame();
  ImVec2 c = h.cell_center("W", 0, 0);
  h.drag(c, ImVec2(c.x + 50, c.y));
  CHECK(h.state.graph.node(h.state.graph.find("W")).value(0, 0) == 2.0);
  ImVec2 x = h.cell_center("x", 1, 0);
  h.drag(x, ImVec2(x.x - 30, x.y));
  CHECK(h.state.graph.node(h.state.graph.find("x")).value(1, 0) == doctest::Approx(-0.3));
}

TEST_CASE("an editor error keeps the last good graph and the user's text") {
  Headless h;
  h.frame();
  std::string bad = "W = [[1, 2]]\nx = [[1], [2], [3]]\nf = sum(W @ x)\n";
  CHECK_FALSE(ui::set_program(h.state, bad));
  REQUIRE(h.state.error.has_value());
  CHECK(h.state.error->message == "cannot apply '@' to (1, 2) and (3, 1): the left side has 2 columns but the right side has 3 rows");
  CHECK(h.state.error->line == 3);
  CHECK(h.state.program == bad);
  CHECK(h.state.graph.find("Z") >= 0);  // still the seed graph
  h.frame();
  // Dragging while the text has an error changes values but never rewrites the typed text.
  ImVec2 c = h.cell_center("W", 0, 0);
  h.drag(c, ImVec2(c.x + 10, c.y));
  CHECK(h.state.program == bad);
}

TEST_CASE("typing in the program editor rebuilds the graph, and Escape keeps the typed text") {
  Headless h;
  ImGuiIO& io = ImGui::GetIO();
  h.frame();
  const std::string seed = h.state.program;
  // Click into the editor (the left column, below the program's text), go to the end, type.
  io.MousePos = ImVec2(140, 400);
  h.frame();
  io.MouseDown[0] = true;
  h.frame();
  io.MouseDown[0] = false;
  h.frame();
  REQUIRE(io.WantTextInput);
  auto press = [&](ImGuiKey key, bool ctrl = false) {
    io.KeyCtrl = ctrl;
    io.KeysDown[io.KeyMap[key]] = true;
    h.frame();
    io.KeysDown[io.KeyMap[key]] = false;
    io.KeyCtrl = false;
    h.frame();
  };
  press(ImGuiKey_End, true);
  press(ImGuiKey_Enter);
  io.AddInputCharactersUTF8("q = 3 * f");
  h.frame();
  CHECK(h.state.program == seed + "\nq = 3 * f");
  REQUIRE(h.state.graph.find("q") >= 0);
  CHECK(h.state.graph.node(h.state.graph.find("q")).value(0, 0) == doctest::Approx(2.25));
  press(ImGuiKey_Escape);
  CHECK_FALSE(io.WantTextInput);
  CHECK(h.state.program == seed + "\nq = 3 * f");
  CHECK(h.state.graph.find("q") >= 0);
}

TEST_CASE("step-through walks the forward pass, then the backward pass") {
  Headless h;
  ui::Stepper& st = h.state.stepper;
  st.start(h.state.graph);
  const Graph& g = h.state.graph;
  int Z = g.find("Z"), y = g.find("y"), f = g.find("f"), W = g.find("W");
  SUBCASE("forward") {
    CHECK(st.caption() == "Forward 0/3: the inputs are given");
    CHECK_FALSE(st.value_known(Z));
    CHECK(st.value_known(W));
    st.next(g);
    CHECK(st.caption() == "Forward 1/3: Z = W @ x");
    CHECK(st.current() == Z);
    CHECK(st.reads(W));
    CHECK(st.value_known(Z));
    CHECK_FALSE(st.value_known(y));
  }
  SUBCASE("backward") {
    st.go(g, 4);
    CHECK(st.caption() == "Backward: df/df = 1");
    CHECK(st.grad_state(f) == ui::GradState::Final);
    CHECK(st.grad_state(y) == ui::GradState::Unknown);
    st.next(g);
    CHECK(st.caption() == "Backward 1/3: f = norm2(y) sends df/dy");
    CHECK(st.grad_state(y) == ui::GradState::Final);
    CHECK(st.view().node(y).grad == Matrix::Ones(3, 1));
    st.go(g, st.last_step());
    CHECK(st.caption() == "Backward 3/3: Z = W @ x sends df/dW and df/dx");
    CHECK(st.view().node(W).grad == g.node(W).grad);
  }
}

TEST_CASE("the inspector's chain rule names and shapes") {
  Headless h;
  const Graph& g = h.state.graph;
  int Z = g.find("Z");
  CHECK(ui::fill_template(g, Z, g.node(Z).op->chain[0]) == "dW += dZ @ x^T");
  CHECK(ui::fill_template(g, Z, g.node(Z).op->chain[0], true) == "(3, 3) += (3, 1) @ (3, 1)^T");
  CHECK(ui::fill_template(g, Z, g.node(Z).op->chain[1]) == "dx += W^T @ dZ");
  int y = g.find("y");
  CHECK(ui::fill_template(g, y, g.node(y).op->local) == "dy/dZ = y * (1 - y)  (elementwise)");
}

TEST_CASE("gradient descent lowers the output and records it") {
  Headless h;
  REQUIRE(ui::load_example(h.state, "mlp"));
  h.state.training.train = {"W1", "b1", "W2", "b2"};
  h.state.training.learning_rate = 0.1;
  double start = h.state.graph.node(h.state.graph.output).value(0, 0);
  for (int i = 0; i < 50; ++i) ui::train_step(h.state);
  REQUIRE(h.state.training.history.size() == 50);
  CHECK(h.state.training.history.back() < start * 0.8);
  SUBCASE("a diverging step is undone, not written into the inputs") {
    h.state.training.learning_rate = 1e300;
    Matrix before = h.state.graph.node(h.state.graph.find("W1")).value;
    ui::train_step(h.state);
    CHECK(h.state.graph.node(h.state.graph.find("W1")).value == before);
    CHECK(h.state.status.find("Training stopped") == 0);
  }
}

// --- keys held over a frame (ui/key_hold.h, used by both platforms) ------------------------

TEST_CASE("a key pressed and released within one frame is down for exactly one frame") {
  gs::ui::KeyHold keys;
  bool down[gs::ui::KeyHold::kCount] = {};
  SUBCASE("press and release between two frames") {
    keys.key(13, true);
    keys.key(13, false);
    keys.apply(down);
    CHECK(down[13]);  // this frame sees it
    keys.apply(down);
    CHECK_FALSE(down[13]);  // and the next one sees it released
    CHECK_FALSE(keys.down(13));
  }
  SUBCASE("a key held across frames is released when it comes up") {
    keys.key(65, true);
    keys.apply(down);
    keys.apply(down);
    CHECK(down[65]);
    keys.key(65, false);
    keys.apply(down);
    CHECK_FALSE(down[65]);
  }
  SUBCASE("pressed again before the held-over release: stays down") {
    keys.key(8, true);
    keys.key(8, false);
    keys.apply(down);
    keys.key(8, true);
    keys.apply(down);
    CHECK(down[8]);
  }
  SUBCASE("indices outside KeysDown are ignored") {
    keys.key(-1, true);
    keys.key(gs::ui::KeyHold::kCount, true);
    CHECK_FALSE(keys.down(-1));
    CHECK_FALSE(keys.down(gs::ui::KeyHold::kCount));
  }
}
