// The front end, headless: a real ImGui context with no renderer, driven by simulated
// mouse input, checked against the core.
#include <doctest.h>
#include <imgui.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "core/compile.h"
#include "core/examples.h"
#include "core/export.h"
#include "ui/app.h"
#include "ui/graph_view.h"
#include "ui/headless.h"
#include "ui/key_hold.h"
#include "ui/layout.h"
#include "ui/panels.h"
#include "ui/theme.h"

using namespace gs;

namespace {

struct Headless : ui::Headless {
  using ui::Headless::Headless;
  ImVec2 cell_center(const std::string& name, int row, int col) {
    int id = state.graph.find(name);
    const auto& n = state.graph.node(id);
    const ui::CellRect& c = state.value_cells.at(size_t(id)).at(size_t(row * n.value.cols() + col));
    REQUIRE(c.visible);
    return ImVec2(c.x + c.w / 2, c.y + c.h / 2);
  }
  // A click where the last frame drew `text` (a tab label cut short counts: "Inspecto").
  bool click_text(const std::string& text) {
    ImGui::SetCurrentContext(context);
    for (const ui::DrawnString& d : ui::drawn_strings()) {
      size_t at = d.text.find(text);
      for (size_t k = text.size() - 1; at == std::string::npos && k >= 4; --k) at = d.text.find(text.substr(0, k) + "...");
      if (at == std::string::npos) continue;
      float x = d.x + ImGui::CalcTextSize(d.text.substr(0, at).c_str()).x + 3;
      click(ImVec2(x, d.y + d.h / 2));
      return true;
    }
    return false;
  }
  void click(ImVec2 at) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = at;
    frame();
    io.MouseDown[0] = true;
    frame();
    io.MouseDown[0] = false;
    frame();
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

namespace {

// Every way the UI spells a number (graph cards 3 digits, inspector 5, status 6, tooltips
// and JSON in full).
std::set<std::string> spellings(double v) {
  return {format_short(v, 3), format_short(v, 5), format_short(v, 6), format_number(v)};
}

std::vector<std::string> numbers_in(const std::string& text) {
  static const std::regex number(R"(-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it)
    out.push_back(it->str());
  return out;
}

// What an exercise may show while all its questions are open, named by hand (not by the
// rule under test): every value or those listed, and the gradients listed.
struct MayShow {
  std::set<std::string> values, grads;
  bool all_values = true;
};

// The spellings of hidden answers that nothing shown also has: the final value of every
// quantity the exercise or the current step hides, minus the spellings of every shown
// entry, the numbers in the program text, and small integers (step counters, shapes and
// question numbers print them).
std::set<std::string> secrets(const ui::AppState& s, const MayShow& may) {
  std::set<std::string> hidden, shown;
  const Graph& g = ui::shown_graph(s);
  const ui::Stepper& st = s.stepper;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (bool grad : {false, true}) {
      const std::string& name = g.nodes[i].name;
      bool computed = !st.active() || (grad ? st.grad_state(int(i)) != ui::GradState::Unknown : st.value_known(int(i)));
      bool allowed = grad ? may.grads.count(name) > 0 : may.all_values || may.values.count(name) > 0;
      bool h = !computed || !allowed;
      const Matrix& final_m = grad ? s.graph.nodes[i].grad : s.graph.nodes[i].value;
      const Matrix& shown_m = grad ? g.nodes[i].grad : g.nodes[i].value;
      for (Eigen::Index k = 0; k < final_m.size(); ++k)
        for (const std::string& t : spellings(h ? final_m.data()[k] : shown_m.data()[k])) (h ? hidden : shown).insert(t);
    }
  for (const std::string& t : numbers_in(s.program)) shown.insert(t);
  for (int i = -20; i <= 20; ++i) shown.insert(std::to_string(i));
  std::set<std::string> out;
  for (const std::string& t : hidden)
    if (!shown.count(t)) out.insert(t);
  return out;
}

// The hidden answers among the numbers of `text` ("" if none).
std::string leaked(const std::set<std::string>& secret, const std::string& text) {
  std::string found;
  for (const std::string& t : numbers_in(text))
    if (secret.count(t)) found += t + " ";
  return found;
}

const char* kValueExercise =
    "#! ask: y\n"
    "W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]\n"
    "x = [[0.1], [0.2], [-0.3]]\n"
    "Z = W @ x\n"
    "y = sigmoid(Z)\n"
    "f = norm2(y)\n";

std::string worked_example(int which) {
  return which == 1 ? "#! ask: dy, dZ, dW, dx\n#! lock: *\n" + std::string(find_example("seed")->source)
                    : "#! ask: dZ, db\n#! lock: X, T\n#! tolerance: 0.005\n" + std::string(find_example("softmax")->source);
}

}  // namespace

TEST_CASE("no hidden answer is drawn, in the text view, get() or an export: every step, every tab, every hover") {
  Headless h;
  const MayShow may[] = {{{}, {"f"}}, {{}, {"L", "T"}}, {{"W", "x", "Z"}, {}, false}};
  for (int which : {1, 2, 3}) {
    CAPTURE(which);
    const MayShow& shows = may[which - 1];
    const std::string program = which == 3 ? std::string(kValueExercise) : worked_example(which);
    ui::AppState& s = h.state;
    {  // The check can fail: the same program without its questions shows the secrets.
      REQUIRE(ui::set_program(s, strip_exercise(program)));
      s.fit_pending = true;
      h.frame();
      h.frame();
      REQUIRE(h.click_text("Inspector"));
      std::set<std::string> secret = secrets(s, shows);
      REQUIRE_FALSE(secret.empty());
      CHECK_FALSE(leaked(secret, h.drawn()).empty());
    }
    REQUIRE(ui::set_program(s, program));
    h.frame();
    REQUIRE(s.exercise.active());
    s.stepper.start(s.graph);
    for (int step = -1; step <= s.stepper.last_step(); ++step) {
      CAPTURE(step);
      if (step < 0) s.stepper.stop();  // first without step-through, then every step
      else if (!s.stepper.active()) s.stepper.start(s.graph);
      if (step >= 0) ui::step_to(s, step);
      for (std::string tab : {"Exercise", "Inspector", "Check", "Train", "Export"}) {
        CAPTURE(tab);
        h.frame();
        bool opened = h.click_text(tab);
        if (tab == "Export") CHECK_FALSE(opened);  // no Export tab while questions are open
        std::set<std::string> secret = secrets(s, shows);
        CHECK(leaked(secret, h.drawn()) == "");
        CHECK(leaked(secret, ui::visible_graph_json(s)) == "");
        for (size_t i = 0; i < s.graph.nodes.size(); ++i) CHECK(leaked(secret, ui::visible_node_json(s, int(i))) == "");
        if (tab != "Inspector") continue;
        // Hover every value and gradient cell of every card.
        const ui::ViewState& v = s.view;
        ui::GraphLayout gl = ui::layout_graph(s, {v.vertical, v.side, v.bands, v.stack});
        for (size_t i = 0; i < s.graph.nodes.size(); ++i)
          for (size_t k = 0; k < s.value_cells[i].size(); ++k)
            for (bool grad : {false, true}) {
              const ui::CellRect& c = s.value_cells[i][k];
              if (!c.visible || (grad && s.graph.nodes[i].kind == NodeKind::Constant)) continue;
              const ui::CardLayout& card = gl.cards[i];
              const int cols = int(s.graph.nodes[i].value.cols()), row = int(k) / cols, col = int(k) % cols;
              const ui::CellRect& first = s.value_cells[i][0];  // the value matrix's top left
              ImVec2 at(c.x + c.w / 2, c.y + c.h / 2);
              if (grad)
                at = ImVec2(first.x + (card.grad_x - card.value_x + (float(col) + 0.5f) * card.grad_cell_w) * v.zoom,
                            first.y + (card.grad_y - card.value_y + (float(row) + 0.5f) * card.cell_h) * v.zoom);
              ImGui::GetIO().MousePos = at;
              h.frame();
              h.frame();
              CAPTURE(s.graph.nodes[i].name);
              CAPTURE(grad);
              CAPTURE(k);
              // The pointer is on the cell meant (so the check below reads its tooltip).
              CHECK((v.hovered == ui::CellRef{int(i), grad, row, col}));
              CHECK(leaked(secret, h.drawn()) == "");
            }
        ImGui::GetIO().MousePos = ImVec2(-100, -100);
      }
    }
    s.stepper.stop();
  }
}

TEST_CASE("the step hint flags each question at exactly its step, on screen") {
  Headless h;
  REQUIRE(ui::set_program(h.state, worked_example(1)));
  h.frame();
  ui::AppState& s = h.state;
  s.stepper.start(s.graph);
  // forward Z (1), y (2), f (3); backward df/df (4), dy (5), dZ (6), dW and dx (7)
  const std::map<int, std::set<std::string>> expected = {{5, {"df/dy"}}, {6, {"df/dZ"}}, {7, {"df/dW", "df/dx"}}};
  for (int step = 0; step <= s.stepper.last_step(); ++step) {
    CAPTURE(step);
    ui::step_to(s, step);
    h.frame();
    h.frame();
    std::set<std::string> flagged;
    std::string question;
    for (const std::string& t : h.drawn_text()) {
      auto at = t.find("What is ");
      if (at != std::string::npos) question = t.substr(at + 8, t.find('?') - at - 8);
      if (t.find("This step computes it") != std::string::npos) flagged.insert(question);
    }
    auto it = expected.find(step);
    CHECK(flagged == (it == expected.end() ? std::set<std::string>{} : it->second));
  }
}

TEST_CASE("the status line and the inspector say ? before step-through computes a value") {
  Headless h;
  h.frame();
  CHECK(h.drawn().find("f = 0.75") != std::string::npos);
  h.state.stepper.start(h.state.graph);
  h.frame();
  h.frame();
  std::string at0 = h.drawn();
  CHECK(at0.find("0.75") == std::string::npos);
  CHECK(at0.find("0.25") == std::string::npos);  // no gradient either
  CHECK(at0.find("not computed yet at this step") != std::string::npos);
  ui::step_to(h.state, h.state.stepper.last_step());
  h.frame();
  h.frame();
  CHECK(h.drawn().find("0.25") != std::string::npos);
}

TEST_CASE("two instances side by side share nothing") {
  // Wide enough that every side tab shows without scrolling the tab bar.
  Headless a({}, ImVec2(1920, 1080)), b({}, ImVec2(1920, 1080));
  auto io = [](Headless& h) -> ImGuiIO& {
    ImGui::SetCurrentContext(h.context);
    return ImGui::GetIO();
  };
  auto press_letter = [&](Headless& h, char c) {
    ImGuiIO& i = io(h);
    int key = i.KeyMap[ImGuiKey_A] + (c - 'A');
    i.KeysDown[key] = true;
    h.frame();
    io(h).KeysDown[key] = false;
    h.frame();
  };
  a.frame();
  b.frame();
  press_letter(a, 'H');  // the help window, in a only
  b.frame();
  CHECK(a.drawn().find("Drag the background to pan") != std::string::npos);
  CHECK(b.drawn().find("Drag the background to pan") == std::string::npos);
  // The Export tab's format and the Check tab's option, chosen in a.
  REQUIRE(a.click_text("Export"));
  REQUIRE(a.click_text("JSON"));
  REQUIRE(b.click_text("Export"));
  CHECK(a.drawn().find("\"output\"") != std::string::npos);
  CHECK(b.drawn().find("import torch") != std::string::npos);
  REQUIRE(a.click_text("Check"));
  REQUIRE(a.click_text("re-check on every change"));
  CHECK_FALSE(a.state.panels.auto_check);
  CHECK(b.state.panels.auto_check);
  // The authoring ticks of the Exercise tab.
  a.state.panels.ask_grads.insert("Z");
  b.frame();
  CHECK(b.state.panels.ask_grads.empty());
  // Undo history and programs.
  REQUIRE(ui::load_example(a.state, "mlp"));
  a.frame();
  b.frame();
  CHECK(b.state.example == "seed");
  CHECK(ui::can_undo(a.state));
  CHECK_FALSE(ui::can_undo(b.state));
  ImGui::SetCurrentContext(a.context);
  REQUIRE(ui::undo(a.state));
  CHECK(a.state.example == "seed");
  // The graph view: a hovered cell, a drag on an entry and a wheel zoom in a only.
  a.frame();
  b.frame();
  const ui::ViewState b_view = b.state.view;
  const Matrix b_x = b.state.graph.node(b.state.graph.find("x")).value;
  const ImVec2 at = a.cell_center("x", 0, 0);
  io(a).MousePos = at;
  a.frame();
  a.frame();
  CHECK(a.state.view.hovered.node == a.state.graph.find("x"));
  a.drag(at, ImVec2(at.x + 60, at.y));
  CHECK(a.state.graph.node(a.state.graph.find("x")).value(0, 0) != b_x(0, 0));
  const float a_zoom = a.state.view.zoom;
  io(a).MousePos = at;
  io(a).MouseWheel = 2;
  a.frame();
  io(a).MouseWheel = 0;
  a.frame();
  CHECK(a.state.view.zoom > a_zoom);
  b.frame();
  CHECK(b.state.graph.node(b.state.graph.find("x")).value == b_x);
  CHECK(b.state.view.zoom == b_view.zoom);
  CHECK(b.state.view.pan_x == b_view.pan_x);
  CHECK(b.state.view.hovered == b_view.hovered);
  CHECK(b.state.view.drag == b_view.drag);
}

TEST_CASE("the step-through legend names the two roles, true forward and backward") {
  Headless h;
  REQUIRE(ui::load_example(h.state, "seed"));
  h.frame();
  ui::Stepper& st = h.state.stepper;
  for (int step : {1, st.last_step()}) {  // Forward 1/3 (Z from W and x); the last backward step (Z sends dW, dx)
    st.start(h.state.graph);
    ui::step_to(h.state, step);
    h.frame();
    h.frame();
    CAPTURE(step);
    CHECK(h.drawn().find("this step's node") != std::string::npos);
    CHECK(h.drawn().find("its inputs") != std::string::npos);
    CHECK(h.drawn().find("computed now") == std::string::npos);  // untrue backward, where the node sends
  }
}

TEST_CASE("a long gradient check runs a slice a frame, with a progress bar and Cancel") {
  // x (300, 1) and x @ x.T: a check of 200 sampled entries, too long for one frame.
  std::string xs;
  for (int i = 0; i < 300; ++i) xs += (i ? "], [" : "") + std::to_string(std::sin(i + 1.0));
  const std::string program = "x = [[" + xs + "]]\nA = x @ x.T\nf = sum(A * A) / 1000\n";
  Headless h;
  REQUIRE(ui::set_program(h.state, program));
  h.state.view.fold[ui::kPanelSide] = ui::Fold::Open;  // a large graph folds it on its own
  h.state.panels.check_slice_seconds = 0;  // one forward pass a frame, whatever the machine's speed
  h.frame();
  h.frame();  // a tab bar shown for the first time draws its tabs in its second frame
  REQUIRE(h.click_text("Check"));
  REQUIRE(h.click_text("Check now"));
  REQUIRE(h.state.panels.check_run);
  h.frame();
  CHECK(h.drawn().find("of 400 forward passes") != std::string::npos);
  CHECK(h.drawn().find("Cancel") != std::string::npos);
  CHECK(h.drawn().find("Check now") == std::string::npos);
  SUBCASE("it finishes over frames, with the whole check's result") {
    int frames = 0;
    while (h.state.panels.check_run && frames < 10000) h.frame(), ++frames;
    CHECK_FALSE(h.state.panels.check_run);
    CHECK(frames >= 390);  // 400 passes, one a frame: some ran during the clicks
    h.frame();
    const GradCheck& report = h.state.panels.report;
    CHECK(report.checked == 200);
    CHECK(report.passed());
    Graph copy = h.state.graph;
    const GradCheck whole = gradient_check(copy);
    const Matrix& a = report.inputs[0].numeric;  // nan where not checked
    const Matrix& b = whole.inputs[0].numeric;
    CHECK(a.array().isNaN().matrix() == b.array().isNaN().matrix());
    CHECK(a.array().isNaN().select(0.0, a).matrix() == b.array().isNaN().select(0.0, b).matrix());
    CHECK(h.drawn().find("(a sample: 200 of 300 input entries") != std::string::npos);
    CHECK(h.drawn().find("out of date") == std::string::npos);
  }
  SUBCASE("Cancel stops it") {
    REQUIRE(h.click_text("Cancel"));
    CHECK_FALSE(h.state.panels.check_run);
    h.frame();
    CHECK(h.drawn().find("Check now") != std::string::npos);
    CHECK(h.drawn().find("out of date") != std::string::npos);
  }
  SUBCASE("an edit stops it") {
    ui::set_input_entry(h.state, h.state.graph.find("x"), 0, 0, 2.5);
    h.frame();
    CHECK_FALSE(h.state.panels.check_run);
    CHECK(h.drawn().find("out of date") != std::string::npos);
  }
}

TEST_CASE("the desktop's settings file keeps the user's panel folds, and a bad one changes nothing") {
  Headless h(ui::InitOptions{}, ImVec2(1280, 800));
  for (int i = 0; i < 3; ++i) h.frame();
  REQUIRE(h.state.view.panel_visible[ui::kPanelSide]);
  CHECK(ui::panel_settings(h.state) == "fold 0 0\n");
  h.state.view.fold[1] = ui::Fold::Closed;
  const std::string kept = ui::panel_settings(h.state);
  CHECK(kept == "fold 0 2\n");

  Headless again(ui::InitOptions{}, ImVec2(1280, 800));
  for (const char* bad : {"", "fold", "fold 1", "panels 2 2\n", "{\"fold\": [2, 2]}"}) {
    CAPTURE(bad);
    ui::apply_panel_settings(again.state, bad);
    CHECK(ui::panel_settings(again.state) == "fold 0 0\n");
  }
  ui::apply_panel_settings(again.state, kept);
  for (int i = 0; i < 3; ++i) again.frame();
  CHECK(again.state.view.fold[1] == ui::Fold::Closed);
  CHECK_FALSE(again.state.view.panel_visible[ui::kPanelSide]);
  CHECK(again.state.view.panel_visible[ui::kPanelLeft]);
  ui::apply_panel_settings(again.state, "fold 9 -4\n");  // out of range: the nearest choice
  CHECK(ui::panel_settings(again.state) == "fold 2 0\n");
}

TEST_CASE("the theme's colour tables are ImGui's StyleColorsDark and StyleColorsLight") {
  Headless h;
  for (bool dark : {true, false}) {
    CAPTURE(dark);
    ImGuiStyle imgui;
    if (dark) ImGui::StyleColorsDark(&imgui);
    else ImGui::StyleColorsLight(&imgui);
    ui::apply_theme(dark);
    const ImGuiStyle& ours = ImGui::GetStyle();
    for (int i = 0; i < ImGuiCol_COUNT; ++i) {
      if (i == ImGuiCol_WindowBg) continue;  // made opaque on purpose (ui/theme.cpp)
      std::string name = ImGui::GetStyleColorName(i);
      CAPTURE(name);
      CHECK(ours.Colors[i].x == imgui.Colors[i].x);
      CHECK(ours.Colors[i].y == imgui.Colors[i].y);
      CHECK(ours.Colors[i].z == imgui.Colors[i].z);
      CHECK(ours.Colors[i].w == imgui.Colors[i].w);
    }
    CHECK(ours.Colors[ImGuiCol_WindowBg].w == 1.f);
  }
}

TEST_CASE("the Export tab shows each line of code whole, from its start: a long line scrolls, it does not wrap") {
  Headless h({}, ImVec2(1920, 1080));
  h.frame();
  h.state.program = "";
  ui::load_example(h.state, "mlp");
  h.frame();
  REQUIRE(h.click_text("Export"));
  h.frame();
  const std::string code = export_pytorch(h.state.graph);
  std::vector<std::string> lines;  // the code's lines, spaces dropped (the runs read spaces back from gaps)
  auto squeeze = [](std::string t) {
    t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
    return t;
  };
  for (size_t at = 0; at < code.size();) {
    size_t end = code.find('\n', at);
    if (end == std::string::npos) end = code.size();
    lines.push_back(squeeze(code.substr(at, end - at)));
    at = end + 1;
  }
  const ui::Rect box = h.state.view.panels[1];  // the side panel
  int shown = 0, longer = 0;
  size_t widest = 0;
  REQUIRE(h.state.view.panel_visible[1]);
  for (const std::string& l : lines) widest = std::max(widest, l.size());
  float top = 1e9f;  // the box's first line: the code's first line
  for (const ui::DrawnString& d : ui::drawn_strings())
    if (squeeze(d.text).size() >= 6 && lines[0].rfind(squeeze(d.text), 0) == 0) top = std::min(top, d.y);
  REQUIRE(top < 1e9f);
  for (const ui::DrawnString& d : ui::drawn_strings()) {
    if (d.x < box.x || d.x > box.x + box.w || d.y < top || d.y > box.y + box.h) continue;
    const std::string t = squeeze(d.text);
    bool starts_line = false;
    for (const std::string& l : lines) starts_line |= l.rfind(t, 0) == 0;
    ++shown;
    longer += t.size() > 40;
    CHECK_MESSAGE(starts_line, "\"" << d.text << "\" is drawn in the Export box but starts no line of the code");
  }
  CHECK(shown > 10);
  CHECK(widest > 80);  // the PyTorch export has lines longer than the box is wide
  CHECK(longer > 0);
}
