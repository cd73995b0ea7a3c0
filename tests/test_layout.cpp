// The layout, headless with the browser's font: every example (and a 15-node network of
// 4x4 matrices) opens whole and readable at laptop sizes, numbers stay inside their cells,
// panels fold and come back, and every op's cells tell their chain rule.
#include <doctest.h>
#include <imgui.h>

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "core/examples.h"
#include "ui/cell_story.h"
#include "ui/graph_parts.h"
#include "ui/graph_view.h"
#include "ui/headless.h"
#include "ui/layout.h"

using namespace gs;

namespace {

const char* const kFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

// Three layers of 4x4 weights and a loss: 15 nodes, the largest graph the layout promises
// to fit on a laptop.
const char* const kDeep = R"(X = [[0.5, -1, 1.5, 0], [1, 0.5, -0.5, 2], [0.1, 0.2, 0.3, 0.4], [-1, 1, -1, 1]]
W1 = [[0.1, -0.2, 0.3, 0.05], [0.4, 0.3, -0.1, 0.2], [-0.5, 0.2, 0.1, 0.3], [0.2, 0.1, -0.3, 0.4]]
b1 = [[0], [0.1], [-0.1], [0.2]]
W2 = [[0.3, -0.6, 0.2, 0.1], [0.1, 0.2, 0.3, -0.4], [0.5, -0.1, 0.2, 0.3], [-0.2, 0.4, 0.1, 0.2]]
b2 = [[0.1], [0], [-0.2], [0.3]]
W3 = [[0.2, 0.1, -0.3, 0.5], [0.3, -0.2, 0.1, 0.1], [-0.1, 0.4, 0.2, 0.2], [0.1, 0.1, 0.1, -0.5]]
H1 = tanh(W1 @ X + b1)
H2 = tanh(W2 @ H1 + b2)
Y = [[1, 0, 0, 1], [0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 0]]
H3 = W3 @ H2
L = mse(H3, Y)
)";

struct Screen {
  float w, h;
};

ui::InitOptions browser_font() {
  ui::InitOptions o;
  o.font_path = kFont;
  return o;
}

// A headless app of the screen's size with `program` loaded, drawn for a few frames (the
// first one fits the view).
struct Opened : ui::Headless {
  Opened(const std::string& program, Screen screen) : ui::Headless(browser_font(), ImVec2(screen.w, screen.h)) {
    REQUIRE(ui::set_program(state, program));
    for (int i = 0; i < 4; ++i) frame();
  }
};

// Runs of spaces as one, none at either end.
std::string squeezed(const std::string& text) {
  std::string out;
  for (char ch : text)
    if (ch != ' ' || (!out.empty() && out.back() != ' ')) out += ch;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// A built-in example opened headless at the screen's size, drawn for a few frames.
struct ExampleOpened : ui::Headless {
  ExampleOpened(const std::string& name, Screen screen)
      : ui::Headless(browser_font(), ImVec2(screen.w, screen.h)) {
    CAPTURE(name);
    CAPTURE(screen.w);
    CAPTURE(screen.h);
    REQUIRE(ui::load_example(state, name));
    for (int i = 0; i < 4; ++i) frame();
  }
};

bool inside(const ui::Rect& r, const ui::Rect& outer) {
  return r.x >= outer.x - 0.5f && r.y >= outer.y - 0.5f && r.x + r.w <= outer.x + outer.w + 0.5f &&
         r.y + r.h <= outer.y + outer.h + 0.5f;
}

// Loads `program`, draws a few frames, and checks what a student would see.
void check_opens_readable(const std::string& what, const std::string& program, Screen screen) {
  CAPTURE(what);
  CAPTURE(screen.w);
  CAPTURE(screen.h);
  Opened h(program, screen);
  const ui::ViewState& v = h.state.view;
  CAPTURE(ui::layout_json(h.state));
  // Cell text of at least 12 px: the font is 15 px at zoom 1.
  CHECK(ImGui::GetFontSize() * v.zoom >= 12.f - 1e-3f);
  REQUIRE(v.cards.size() == h.state.graph.nodes.size());
  for (size_t i = 0; i < v.cards.size(); ++i) {
    CAPTURE(h.state.graph.nodes[i].name);
    CHECK(inside(v.cards[i], v.graph));
    for (int p = 0; p < ui::kPanelCount; ++p)
      if (v.panel_visible[p]) CHECK_FALSE(inside(v.cards[i], v.panels[p]));
  }
  // No number spills out of its cell.
  for (size_t id = 0; id < h.state.graph.nodes.size(); ++id) {
    const Matrix& m = h.state.graph.nodes[id].value;
    const auto& cells = h.state.value_cells.at(id);
    REQUIRE(cells.size() == size_t(m.size()));
    for (Eigen::Index r = 0; r < m.rows(); ++r)
      for (Eigen::Index c = 0; c < m.cols(); ++c) {
        float text = ImGui::CalcTextSize(ui::cell_text(m(r, c)).c_str()).x * v.zoom;
        CHECK(text <= cells[size_t(r * m.cols() + c)].w);
      }
  }
}

}  // namespace

TEST_CASE("every example opens whole, inside the graph viewport, with 12 px text at laptop sizes") {
  for (Screen screen : {Screen{1280, 800}, Screen{1366, 768}, Screen{1920, 1080}}) {
    for (const Example& e : examples())
      if (!e.large) check_opens_readable(e.name, e.source, screen);
    check_opens_readable("15 nodes of 4x4", kDeep, screen);
  }
}

TEST_CASE("a short embed folds its panels; a fold chosen by the user stays") {
  ui::Headless h(browser_font(), ImVec2(760, 300));
  REQUIRE(ui::load_example(h.state, "seed"));
  for (int i = 0; i < 3; ++i) h.frame();
  CHECK(h.state.view.compact);
  CHECK_FALSE(h.state.view.panel_visible[ui::kPanelLeft]);
  CHECK_FALSE(h.state.view.panel_visible[ui::kPanelSide]);
  h.state.view.fold[ui::kPanelSide] = ui::Fold::Open;
  h.frame();
  CHECK(h.state.view.panel_visible[ui::kPanelSide]);
  REQUIRE(ui::load_example(h.state, "mlp"));  // a new program keeps the user's choice
  for (int i = 0; i < 3; ++i) h.frame();
  CHECK(h.state.view.panel_visible[ui::kPanelSide]);
}

TEST_CASE("a phone shows the graph over the whole width and the panels in a bottom sheet") {
  ui::Headless h(browser_font(), ImVec2(390, 844));
  for (int i = 0; i < 3; ++i) h.frame();
  const ui::ViewState& v = h.state.view;
  CHECK(v.graph.w >= 0.9f * 390);
  CHECK_FALSE(v.panel_visible[ui::kPanelLeft]);
  CHECK_FALSE(v.panel_visible[ui::kPanelSheet]);
  h.state.view.sheet_open = true;
  for (int i = 0; i < 2; ++i) h.frame();
  CHECK(v.panel_visible[ui::kPanelSheet]);
  CHECK(v.panels[ui::kPanelSheet].y >= v.graph.y + v.graph.h);
  for (const ui::Rect& card : v.cards) CHECK(inside(card, v.graph));
}

TEST_CASE("cell stories: the matrix product, a broadcast bias, the seed of the backward pass") {
  ui::Headless h;
  REQUIRE(ui::load_example(h.state, "seed"));
  const Graph& g = h.state.graph;
  std::vector<ui::CellRef> reads;
  SUBCASE("Z[2][0] of W @ x reads row 2 of W and the column of x, with the numbers") {
    std::string s = ui::cell_story(h.state, g, {g.find("Z"), false, 2, 0}, reads);
    CHECK(s == "Z[2][0] = row 2 of W . column 0 of x\n  = W[2][0]*x[0][0] + W[2][1]*x[1][0] + W[2][2]*x[2][0]"
               "\n  = 7*1 + 4*0 + 7*-1\n  = 0");
    CHECK(reads.size() == 6);
    CHECK(reads[0] == ui::CellRef{g.find("W"), false, 2, 0});
    CHECK(reads[1] == ui::CellRef{g.find("x"), false, 0, 0});
  }
  SUBCASE("dW[1][2] = dZ[1] * x[2]") {
    std::string s = ui::cell_story(h.state, g, {g.find("W"), true, 1, 2}, reads);
    CHECK(s == "df/dW[1][2] = -0.25\nfrom Z:\ndW[1][2] += dZ[1][0]*x[2][0]\n  = 0.25*-1\n  = -0.25");
  }
  SUBCASE("the output's gradient is the seed") {
    CHECK(ui::cell_story(h.state, g, {g.output, true, 0, 0}, reads).rfind("df[0][0] = 1", 0) == 0);
  }
  SUBCASE("a bias added to every column sums the gradient over the columns") {
    REQUIRE(ui::load_example(h.state, "mlp"));
    const Graph& m = h.state.graph;
    std::string s = ui::cell_story(h.state, m, {m.find("b1"), true, 1, 0}, reads);
    CHECK(s.find("b1 was used for every column of add_1, so db1[1][0] sums dadd_1 over the columns") !=
          std::string::npos);
    CHECK(reads.size() == 4);
  }
}

TEST_CASE("every op's cells have a story, and it ends with the cell's own number") {
  ui::Headless h;
  for (const Example& e : examples()) {
    REQUIRE(ui::load_example(h.state, e.name));
    const Graph& g = h.state.graph;
    for (size_t id = 0; id < g.nodes.size(); ++id)
      for (bool grad : {false, true}) {
        CAPTURE(e.name);
        CAPTURE(g.nodes[id].name);
        CAPTURE(grad);
        std::vector<ui::CellRef> reads;
        std::string s = ui::cell_story(h.state, g, {int(id), grad, 0, 0}, reads);
        double v = grad ? g.nodes[id].grad(0, 0) : g.nodes[id].value(0, 0);
        CHECK(s.find('=') != std::string::npos);
        if (g.nodes[id].kind == NodeKind::Op || grad) CHECK(s.find(format_short(v, 4)) != std::string::npos);
      }
  }
}

TEST_CASE("short embeds: every example whole, cells at least 12 px high") {
  for (float height : {300.f, 460.f}) {
    for (const Example& e : examples()) {
      if (e.large) continue;
      CAPTURE(e.name);
      CAPTURE(height);
      ui::Headless h(browser_font(), ImVec2(760, height));
      REQUIRE(ui::load_example(h.state, e.name));
      for (int i = 0; i < 4; ++i) h.frame();
      const ui::ViewState& v = h.state.view;
      CAPTURE(ui::layout_json(h.state));
      for (const ui::Rect& card : v.cards) CHECK(inside(card, v.graph));
      for (const auto& cells : h.state.value_cells)
        for (const ui::CellRect& c : cells) CHECK(c.h >= 12.f);
    }
  }
}

TEST_CASE("the Inspector tells the selected node's cell story, as the graph's tooltip does") {
  ui::Headless h(browser_font());
  REQUIRE(ui::load_example(h.state, "seed"));
  h.state.selected = h.state.graph.find("Z");
  for (int i = 0; i < 3; ++i) h.frame();
  CHECK(h.drawn().find("Z[0][0] = row 0 of W . column 0 of x") != std::string::npos);
  h.state.view.story_cell = {h.state.graph.find("Z"), true, 2, 0};  // as if dZ[2][0] had been hovered
  h.frame();
  CHECK(h.drawn().find("df/dZ[2][0] = 0.25") != std::string::npos);
}

TEST_CASE("panels a page hides take no room") {
  ui::Headless h(browser_font());
  h.state.options.hidden = {"editor", "inputs"};
  for (int i = 0; i < 3; ++i) h.frame();
  CHECK_FALSE(ui::panel_visible(h.state, "editor"));
  CHECK(h.state.view.panels[ui::kPanelLeft].w == 0);
  CHECK(h.state.view.graph.x < 20);
}

TEST_CASE("cards that grow with their numbers (training) fit again, until the user pans or zooms") {
  ui::Headless h(browser_font(), ImVec2(1280, 800));
  REQUIRE(ui::load_example(h.state, "mlp"));
  for (int i = 0; i < 4; ++i) h.frame();
  const ui::ViewState& v = h.state.view;
  const float opened_w = ui::layout_graph(h.state, {v.vertical, v.side, v.bands, v.stack}).w;
  for (int i = 0; i < 50; ++i) ui::train_step(h.state);  // the parameters get long decimals
  for (int i = 0; i < 3; ++i) h.frame();
  REQUIRE(ui::layout_graph(h.state, {v.vertical, v.side, v.bands, v.stack}).w > opened_w + 1);  // cards grew
  for (size_t i = 0; i < v.cards.size(); ++i) {
    CAPTURE(h.state.graph.nodes[i].name);
    CHECK(inside(v.cards[i], v.graph));
  }
  // Once the user has moved the view, it stays where they put it.
  h.state.view.pan_x += 40;
  const float pan = h.state.view.pan_x;
  for (int i = 0; i < 50; ++i) ui::train_step(h.state);
  h.frame();
  CHECK(h.state.view.pan_x == pan);
}

namespace {

// Every segment of every routed edge misses the inside of every card but its two ends.
void check_edges_miss_cards(const ui::GraphLayout& l, const Graph& g) {
  CHECK(l.edges.size() > 0);
  for (const ui::EdgeRoute& e : l.edges) {
    CAPTURE(g.node(e.from).name);
    CAPTURE(g.node(e.to).name);
    REQUIRE(e.points.size() >= 2);
    for (size_t k = 0; k + 1 < e.points.size(); ++k) {
      const ImVec2 p = e.points[k], q = e.points[k + 1];
      CHECK((p.x == q.x || p.y == q.y));  // straight runs along the axes
      for (size_t c = 0; c < l.cards.size(); ++c) {
        if (int(c) == e.from || int(c) == e.to) continue;
        const ui::CardLayout& r = l.cards[c];
        CAPTURE(g.nodes[c].name);
        CAPTURE(k);
        CHECK_FALSE((std::min(p.x, q.x) < r.x + r.w - 0.5f && std::max(p.x, q.x) > r.x + 0.5f &&
                     std::min(p.y, q.y) < r.y + r.h - 0.5f && std::max(p.y, q.y) > r.y + 0.5f));
      }
    }
    // It leaves its input's card at the far side and enters its user's card at the near side.
    const ui::CardLayout &a = l.cards[size_t(e.from)], &b = l.cards[size_t(e.to)];
    const ImVec2 first = e.points.front(), last = e.points.back();
    if (l.arrangement.vertical) {
      CHECK(first.y == doctest::Approx(a.y + a.h));
      CHECK(last.y == doctest::Approx(b.y));
    } else {
      CHECK(first.x == doctest::Approx(a.x + a.w));
      CHECK(last.x == doctest::Approx(b.x));
    }
  }
}

}  // namespace

TEST_CASE("edges go around the cards they do not connect, in every arrangement and at every tested size") {
  std::vector<std::pair<std::string, std::string>> programs = {{"15 nodes of 4x4", kDeep}};
  for (const Example& e : examples()) programs.push_back({e.name, e.source});
  for (const auto& program : programs) {  // no structured binding: clang 14 cannot CAPTURE one
    const std::string& name = program.first;
    const std::string& source = program.second;
    CAPTURE(name);
    ui::Headless h(browser_font());
    REQUIRE(ui::set_program(h.state, source));
    h.frame();
    size_t edges = 0;
    for (const Node& n : h.state.graph.nodes) edges += size_t(n.arity());
    for (bool vertical : {false, true})
      for (bool side : {false, true})
        for (int bands : {1, 2, 3, 4})
          for (int stack : {0, 1, 2}) {
            CAPTURE(vertical);
            CAPTURE(side);
            CAPTURE(bands);
            CAPTURE(stack);
            ui::GraphLayout l = ui::layout_graph(h.state, {vertical, side, bands, stack});
            CHECK(l.edges.size() == edges);
            check_edges_miss_cards(l, h.state.graph);
          }
    // What the view draws at the tested sizes: the laptops, a phone and short embeds.
    for (Screen screen : {Screen{1280, 800}, Screen{1366, 768}, Screen{1920, 1080}, Screen{390, 844},
                          Screen{760, 300}, Screen{760, 460}}) {
      CAPTURE(screen.w);
      CAPTURE(screen.h);
      Opened at(source, screen);
      const ui::ViewState& v = at.state.view;
      check_edges_miss_cards(ui::layout_graph(at.state, {v.vertical, v.side, v.bands, v.stack}), at.state.graph);
    }
  }
}


TEST_CASE("every string drawn on a card stays inside it: titles, labels, numbers and claims") {
  // A string that overlaps a card must lie inside it: a gradient label such as "do/dx2" wider
  // than its card's matrices ran over the border in a short embed, into the edges beside it.
  auto overlaps = [](const ui::Rect& a, const ui::Rect& b) {
    return a.x < b.x + b.w - 0.5f && b.x < a.x + a.w - 0.5f && a.y < b.y + b.h - 0.5f && b.y < a.y + a.h - 0.5f;
  };
  for (std::string example : {"seed", "mlp", "softmax", "neuron", "slip"})
    for (Screen screen : {Screen{1280, 800}, Screen{1366, 768}, Screen{390, 844}, Screen{760, 300}, Screen{760, 460}}) {
      CAPTURE(example);
      CAPTURE(screen.w);
      CAPTURE(screen.h);
      ExampleOpened h(example, screen);
      int on_cards = 0, claims = 0;
      for (const ui::DrawnString& d : ui::drawn_strings()) {
        const ui::Rect box{d.x, d.y, d.w, d.h};
        for (const ui::Rect& card : h.state.view.cards) {
          if (!overlaps(box, card)) continue;
          CAPTURE(d.text);
          CAPTURE(d.x);
          CAPTURE(d.y);
          CAPTURE(d.w);
          CAPTURE(card.x);
          CAPTURE(card.w);
          CHECK(inside(box, card));
          ++on_cards;
        }
        claims += d.text.rfind("yours: ", 0) == 0;
      }
      CHECK(on_cards > 10);
      if (example == "slip") CHECK(claims == 4);  // the claims about dW, dx, dZ and dy
    }
}

TEST_CASE("the program editor shows every line of every example whole at laptop sizes") {
  // The issue's "a width that fits the examples": no line hides behind the editor's
  // horizontal scroll bar at 1280x800 or 1366x768 (the seed's comments did, and mlp's X).
  // Each row of text the left panel drew, its runs joined (a wide gap splits a run).
  auto rows = [](const ui::Rect& panel) {
    std::map<int, std::string> by_y;
    for (const ui::DrawnString& d : ui::drawn_strings()) {
      if (!inside({d.x, d.y, d.w, d.h}, panel)) continue;
      std::string& row = by_y[int(std::lround(d.y))];
      row += (row.empty() ? "" : " ") + d.text;
    }
    std::set<std::string> out;
    for (auto& [y, text] : by_y) out.insert(squeezed(text));
    return out;
  };
  for (const Example& e : examples())
    for (Screen screen : {Screen{1280, 800}, Screen{1366, 768}}) {
      CAPTURE(std::string(e.name));
      CAPTURE(screen.w);
      // ninja's 76 lines are taller than a laptop's editor: at the same width, a screen tall
      // enough to draw them all.
      ExampleOpened h(e.name, e.large ? Screen{screen.w, 2400} : screen);
      if (e.large) {  // its 45 cards fold the panels away: open the program as a student would
        h.state.view.fold[0] = ui::Fold::Open;
        for (int i = 0; i < 3; ++i) h.frame();
      }
      ui::Rect left = h.state.view.panels[ui::kPanelLeft];
      REQUIRE(left.w > 200);
      // The editor's text ends short of the panel's border: its padding and scroll bar.
      const ImGuiStyle& st = ImGui::GetStyle();
      left.w -= st.ScrollbarSize + st.WindowPadding.x + st.FramePadding.x;
      const std::set<std::string> shown = rows(left);
      const std::string source = e.source;
      for (size_t at = 0, end; at < source.size(); at = end + 1) {
        end = source.find('\n', at);
        const std::string line = squeezed(source.substr(at, end - at));
        if (line.empty()) continue;
        CAPTURE(line);
        CHECK(shown.count(line) == 1);
      }
    }
}

TEST_CASE("after a fit every edge is drawn inside the graph canvas, at laptop sizes and on a phone") {
  // An edge that goes around a row (mlp's add_1 -> H at 1920x1080) ran left of every card,
  // outside what the fit showed: its arrowhead came from nowhere.
  for (const Example& e : examples())
    for (Screen screen : {Screen{1280, 800}, Screen{1366, 768}, Screen{1920, 1080}, Screen{390, 844}}) {
      CAPTURE(std::string(e.name));
      CAPTURE(screen.w);
      ExampleOpened h(e.name, screen);
      const ui::ViewState& v = h.state.view;
      const ui::GraphLayout l = ui::layout_graph(h.state, {v.vertical, v.side, v.bands, v.stack});
      REQUIRE(!l.edges.empty());
      for (const ui::EdgeRoute& r : l.edges)
        for (const ImVec2& p : r.points) {
          const ui::Rect at{v.graph.x + v.pan_x + p.x * v.zoom, v.graph.y + v.pan_y + p.y * v.zoom, 0, 0};
          CAPTURE(at.x);
          CAPTURE(at.y);
          CHECK(inside(at, v.graph));
        }
    }
}

TEST_CASE("step-through's taller legend refits the graph: no card under the legend") {
  // At 1280x800 the canvas is under 640 px wide, so step-through's legend takes two lines;
  // the view fitted for one line left the seed's y card under it.
  for (const Example& e : examples())
    for (Screen screen : {Screen{1280, 800}, Screen{1366, 768}}) {
      CAPTURE(std::string(e.name));
      CAPTURE(screen.w);
      ExampleOpened h(e.name, screen);
      h.state.stepper.start(h.state.graph);
      for (int i = 0; i < 4; ++i) h.frame();
      float legend = 1e9f;
      for (const ui::DrawnString& d : ui::drawn_strings())
        if (d.text == "-max") legend = d.y;
      REQUIRE(legend < screen.h);
      for (const ui::Rect& card : h.state.view.cards) CHECK(card.y + card.h <= legend);
    }
}
