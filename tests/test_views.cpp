// The Views tab, headless: what the Jacobian, forward-mode, gradient-flow and landscape views
// draw (drawnText), where (layout()'s "views"), and that they keep hidden answers hidden.
#include <doctest.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "core/examples.h"
#include "core/forward.h"
#include "ui/app.h"
#include "ui/graph_view.h"
#include "ui/headless.h"
#include "ui/layout.h"
#include "ui/render.h"

using namespace gs;

namespace {

struct Views : ui::Headless {
  explicit Views(const ui::InitOptions& opt = {}) : ui::Headless(opt) {
    frame();
    frame();
  }
  // A click where the last frame drew `text`: a string of its own if there is one, else in a run.
  bool click_text(const std::string& text) {
    ImGui::SetCurrentContext(context);
    std::vector<ui::DrawnString> drawn = ui::drawn_strings();
    std::stable_partition(drawn.begin(), drawn.end(), [&](const ui::DrawnString& d) { return d.text == text; });
    for (const ui::DrawnString& d : drawn) {
      size_t at = d.text.find(text);
      if (at == std::string::npos) continue;
      click(ImVec2(d.x + ImGui::CalcTextSize(d.text.substr(0, at).c_str()).x + 3, d.y + d.h / 2));
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
    io.MousePos = ImVec2(-100, -100);
    frame();
  }
  // The Views tab with one of its views open.
  void open(const char* view) {
    REQUIRE(click_text("Views"));
    REQUIRE(click_text(view));
  }
};

std::string list(const Matrix& m) {
  std::string out = "[";
  for (Eigen::Index i = 0; i < m.size(); ++i) out += (i ? ", " : "") + format_short(m.data()[i], 4);
  return out + "]";
}

}  // namespace

TEST_CASE("the Jacobian view of Z against W: labelled J, g, and g^T J equal to backward's VJP") {
  Views h;
  ui::AppState& s = h.state;
  s.selected = s.graph.find("Z");
  h.open("Jacobian");
  const std::string drawn = h.drawn();
  CHECK(drawn.find("J = dZ/dW: 3 x 9") != std::string::npos);
  for (const char* label : {"Z[0,0]", "Z[1,0]", "Z[2,0]", "W[0,0]", "W[2,2]"}) {
    CAPTURE(label);
    CHECK(drawn.find(label) != std::string::npos);
  }
  const Jacobian& j = s.views.jac;
  REQUIRE(j.J.rows() == 3);
  REQUIRE(j.J.cols() == 9);
  // dZ[i]/dW[i][k] = x[k]; zero off the block diagonal.
  const Matrix& x = s.graph.node(s.graph.find("x")).value;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 9; ++c) CHECK(j.J(r, c) == (c / 3 == r ? x(c % 3, 0) : 0.0));
  // g^T J and the VJP, drawn as numbers, are the same numbers: backward's dW, row by row.
  Matrix dw = s.graph.node(s.graph.find("W")).grad.transpose();
  Matrix dw_row = Eigen::Map<Matrix>(dw.data(), 1, 9);
  CHECK(j.product.isApprox(dw_row, 1e-12));
  CHECK(j.vjp == dw_row);
  const std::string shown = list(dw_row).substr(0, 14);  // (the rest wraps at the panel's width)
  CHECK(drawn.find("g^T J = " + shown) != std::string::npos);
  CHECK(drawn.find("VJP   = " + shown) != std::string::npos);
  CHECK(j.max_difference <= 1e-12);
  CHECK(drawn.find("g^T J equals the VJP backward computed for df/dW") != std::string::npos);
  CHECK(drawn.find("Why reverse mode never builds J") != std::string::npos);
  const std::string layout = ui::layout_json(s);
  CHECK(layout.find("\"jacobian\":{\"x\"") != std::string::npos);
  CHECK(s.views.jacobian.visible);
  CHECK(s.views.jacobian.w > 100);
  SUBCASE("the output against a node: one row, equal to the node's gradient") {
    REQUIRE(h.click_text("df/dZ (output)"));
    CHECK(h.drawn().find("J = df/dZ: 1 x 3") != std::string::npos);
    CHECK(s.views.jac.J.isApprox(s.graph.node(s.graph.find("Z")).grad.transpose(), 1e-12));
  }
  SUBCASE("larger than 64 x 64: a note and one chosen column") {
    std::string w = "W = [", x = "x = [";
    for (int r = 0; r < 70; ++r) {
      w += r ? ", [" : "[", x += (r ? ", [" : "[") + std::to_string(r % 3) + "]";
      for (int c = 0; c < 70; ++c) w += (c ? ", " : "") + std::to_string((r + c) % 5 - 2);
      w += "]";
    }
    REQUIRE(ui::set_program(s, w + "]\n" + x + "]\nZ = W @ x\nf = sum(Z * Z)\n"));
    s.selected = s.graph.find("Z");
    h.frame();
    h.frame();
    std::string d = h.drawn();
    INFO(d);
    CHECK(d.find("J = dZ/dW: 70 x 4900") != std::string::npos);
    CHECK(d.find("more than 64 rows: showing row") != std::string::npos);
    CHECK(s.views.jac.row_labels == std::vector<std::string>{"Z[0,0]"});
    CHECK(s.views.jac.J.rows() == 1);
    CHECK(s.views.jac.J.cols() == 4900);
  }
}

TEST_CASE("forward mode along W[0][0]: a tangent row on every card, and df.v = <grad f, v>") {
  Views h;
  ui::AppState& s = h.state;
  const int z = s.graph.find("Z");
  auto card_height = [&] { return ui::layout_graph(s, {}).cards[size_t(z)].h; };  // graph units, one arrangement
  const float before = card_height();
  h.open("Forward");
  h.frame();
  const std::string drawn = h.drawn();
  INFO(drawn);
  for (const char* label : {"tangent dW.v", "tangent dZ.v", "tangent dy.v", "tangent df.v"}) {
    CAPTURE(label);
    CHECK(drawn.find(label) != std::string::npos);
  }
  CHECK(card_height() > before);  // the third row
  const double dw00 = s.graph.node(s.graph.find("W")).grad(0, 0);
  CHECK(drawn.find("v = 1 at W[0,0], 0 elsewhere") != std::string::npos);
  CHECK(drawn.find("forward mode: df.v = " + format_short(dw00, 10)) != std::string::npos);
  CHECK(drawn.find("reverse mode: <grad f, v> = " + format_short(dw00, 10)) != std::string::npos);
  CHECK(drawn.find("equal (difference") != std::string::npos);
  std::string flowing = drawn;  // the cost line as one text, however the panel wraps it
  std::replace(flowing.begin(), flowing.end(), '\n', ' ');
  for (const char* cost : {"forward mode: one sweep per input direction", "(12 entries -> 12 sweeps)", "for all 12."}) {
    CAPTURE(cost);
    CHECK(flowing.find(cost) != std::string::npos);
  }
  // The tangent of Z along W[0][0] is x[0] in Z's first row.
  const Matrix& t = s.views.tangents.at(size_t(z));
  CHECK(t(0, 0) == s.graph.node(s.graph.find("x")).value(0, 0));
  CHECK(t(1, 0) == 0);
  SUBCASE("along a random unit direction and along W's gradient, the two numbers agree") {
    for (const char* choice : {"random", "gradient"}) {
      CAPTURE(choice);
      REQUIRE(h.click_text(choice));
      double inner = 0;
      for (const auto& [name, m] : s.views.direction) inner += s.graph.node(s.graph.find(name)).grad.cwiseProduct(m).sum();
      CHECK(std::abs(s.views.tangents.at(size_t(s.graph.output))(0, 0) - inner) <= 1e-12);
      CHECK(h.drawn().find("equal (difference") != std::string::npos);
      // Every tangent is written in its cell, however long its number ("-0.0702"): the cards
      // widen their tangent rows to fit them.
      h.frame();
      const std::string shown = h.drawn();
      for (size_t i = 0; i < s.graph.nodes.size(); ++i) {
        const Matrix& t = s.views.tangents.at(i);
        for (Eigen::Index k = 0; k < t.size(); ++k) {
          const std::string number = format_short(t.data()[k], 3);
          CAPTURE(s.graph.nodes[i].name);
          CAPTURE(number);
          CHECK(shown.find(number) != std::string::npos);
        }
      }
    }
  }
  SUBCASE("leaving the view takes the rows off the cards") {
    REQUIRE(h.click_text("Inspe"));
    h.frame();
    CHECK(h.drawn().find("tangent dZ.v") == std::string::npos);
    CHECK(card_height() == doctest::Approx(before));
  }
}

TEST_CASE("the gradient-flow strip: a bar per node in graph order, sigmoid's shrinking against relu's") {
  Views h;
  ui::AppState& s = h.state;
  h.open("Flow");
  double first_over_last[2] = {0, 0};
  for (int k : {0, 1}) {
    // (The headless font's drawn "sigmoid" reads back in pieces: that button is loaded directly.)
    if (k) REQUIRE(h.click_text("relu"));
    else ui::load_deep_example(s, "sigmoid");
    h.frame();
    const std::string drawn = h.drawn();
    INFO(drawn);
    std::string strip;  // the text drawn inside the strip's rectangle: ticks and names
    const ui::ViewRect r = s.views.flow;
    for (const ui::DrawnString& d : ui::drawn_strings())
      if (d.y >= r.y && d.y + d.h <= r.y + r.h + 1 && d.x >= r.x - 1) strip += d.text + " ";
    CAPTURE(strip);
    for (const char* name : {"x ", "h1 ", "h8 ", "W8 "}) CHECK(strip.find(name) != std::string::npos);
    CHECK(drawn.find("1e") != std::string::npos);  // the log scale's ticks
    CHECK(s.views.flow.visible);
    const Graph& g = s.graph;
    first_over_last[k] = g.node(g.find("h1")).grad.norm() / g.node(g.find("h8")).grad.norm();
  }
  CHECK(first_over_last[0] < 0.01);  // sigmoid: about fourfold smaller a layer
  CHECK(first_over_last[1] > 0.1);   // relu: about level
}

TEST_CASE("the landscape over W[0][0] and W[2][2]: filled progressively, the gradient arrow, a click, the path") {
  Views h;
  ui::AppState& s = h.state;
  h.open("Landscape");
  const ui::ViewsState& v = s.views;
  REQUIRE(v.has_land);
  for (int i = 0; i < 200 && !v.land.done(); ++i) h.frame();
  REQUIRE(v.land.done());
  const std::string drawn = h.drawn();
  CHECK(drawn.find("W[0,0]") != std::string::npos);
  CHECK(drawn.find("W[2,2]") != std::string::npos);
  CHECK(v.landscape.visible);
  // Grid values are f at those points.
  Graph g = s.graph;
  g.node(g.find("W")).value(0, 0) = v.land.x_at(5);
  g.node(g.find("W")).value(2, 2) = v.land.y_at(40);
  g.forward();
  CHECK(v.land.f(40, 5) == doctest::Approx(g.node(g.output).value(0, 0)).epsilon(1e-12));
  // The arrow points along the gradient, in the picture's scale (screen y grows downwards).
  const Matrix& dw = s.graph.node(s.graph.find("W")).grad;
  ImVec2 d(v.arrow_to.x - v.arrow_from.x, v.arrow_to.y - v.arrow_from.y);
  double gx = dw(0, 0) / (v.land.x.hi - v.land.x.lo), gy = -dw(2, 2) / (v.land.y.hi - v.land.y.lo);
  CHECK(std::abs(d.x * gy - d.y * gx) <= 1e-3 * std::hypot(d.x, d.y) * std::hypot(gx, gy));
  CHECK(d.x * gx + d.y * gy > 0);
  // A click in the picture's centre moves both entries to the middle of their ranges.
  const ui::ViewRect r = v.landscape;
  h.click(ImVec2(r.x + r.w / 2, r.y + r.h / 2));
  const Matrix& w = s.graph.node(s.graph.find("W")).value;
  CHECK(w(0, 0) == doctest::Approx((v.land.x.lo + v.land.x.hi) / 2).epsilon(0.02));
  CHECK(w(2, 2) == doctest::Approx((v.land.y.lo + v.land.y.hi) / 2).epsilon(0.02));
  // Training draws its path: one point per step, the grid kept.
  s.training.train = {"W"};
  for (int i = 0; i < 5; ++i) ui::train_step(s), h.frame();
  CHECK(v.path.size() == 6);  // the start and five steps
  CHECK(v.land.done());
}

TEST_CASE("the views give no hidden answer away") {
  Views h;
  ui::AppState& s = h.state;
  REQUIRE(ui::set_program(s, "#! ask: dW\n" + std::string(find_example("seed")->source)));
  h.frame();
  h.frame();
  REQUIRE(h.click_text("Views"));
  h.frame();
  const std::string drawn = h.drawn();
  INFO(drawn);
  CHECK(drawn.find("Locked while gradients are hidden") != std::string::npos);
  for (const char* view : {"Jacobian", "Landscape", "Flow", "g^T J", "tangent d", "gradient here"}) {
    CAPTURE(view);
    CHECK(drawn.find(view) == std::string::npos);
  }
  CHECK_FALSE(s.views.forward);
  CHECK_FALSE(s.views.landscape.visible);
}

// Screenshots of each view at 1280 x 800 with the desktop's font, drawn by the PNG writer of
// `gradscope render`: GRADSCOPE_SHOTS=DIR gradscope_tests -tc="*screenshots*".
TEST_CASE("the views' screenshots") {
  const char* dir = std::getenv("GRADSCOPE_SHOTS");
  if (!dir) return;
  ui::InitOptions opt;
  opt.font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  Views h(opt);
  ImGui::SetCurrentContext(h.context);
  ImGui::GetIO().BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  ui::AppState& s = h.state;
  auto shot = [&](const std::string& name) {
    for (int i = 0; i < 3; ++i) h.frame();
    std::string png = ui::draw_data_png(*ImGui::GetDrawData(), 1280, 800);
    CHECK(png.size() > 10000);
    std::ofstream(std::string(dir) + "/" + name + ".png", std::ios::binary) << png;
  };
  s.selected = s.graph.find("Z");
  h.open("Jacobian");
  shot("jacobian_Z_W");
  h.open("Forward");
  shot("forward_W00");
  h.open("Landscape");
  for (int i = 0; i < 100 && !s.views.land.done(); ++i) h.frame();
  s.training.train = {"W"};
  s.training.learning_rate = 0.3;
  for (int i = 0; i < 25; ++i) ui::train_step(s), h.frame();
  shot("landscape_W00_W22");
  h.open("Flow");
  for (const char* act : {"sigmoid", "relu"}) {
    ui::load_deep_example(s, act);
    shot(std::string("flow_deep_") + act);
  }
}
