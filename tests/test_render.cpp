// Pictures of the graph (ui/render.h): the SVG names every node and holds every number the
// canvas shows, follows --no-grads, the theme and the caption; the PNG's pixels are the
// canvas's colours and its size follows the graph. (tests/render_check.py runs the command
// line without a display and parses the SVG as XML.) Then `export --to latex`.
#include <doctest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

#include "core/examples.h"
#include "core/export_latex.h"
#include "core/ops.h"
#include "native/render.h"
#include "tests/helpers.h"
#include "ui/graph_parts.h"
#include "ui/render.h"
#include "ui/theme.h"

using namespace gs;
using namespace gs::ui;

namespace {

std::string unescape(std::string s) {
  const std::pair<const char*, const char*> entities[] = {{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities)
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + 1)) s.replace(at, std::strlen(from), to);
  return s;
}

// The contents of every <text> element, in order.
std::vector<std::string> svg_texts(const std::string& svg) {
  std::vector<std::string> out;
  for (size_t at = svg.find("<text "); at != std::string::npos; at = svg.find("<text ", at + 1)) {
    size_t open = svg.find('>', at), close = svg.find("</text>", at);
    REQUIRE(open < close);
    out.push_back(unescape(svg.substr(open + 1, close - open - 1)));
  }
  return out;
}

std::string joined(const std::vector<std::string>& texts) {
  std::string all;
  for (const std::string& t : texts) all += t + "\n";
  return all;
}

// "#rrggbb" of a palette colour, as the SVG writes fills.
std::string hex(ImU32 c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", (c >> IM_COL32_R_SHIFT) & 0xFF, (c >> IM_COL32_G_SHIFT) & 0xFF,
                (c >> IM_COL32_B_SHIFT) & 0xFF);
  return buf;
}

struct Pixels {
  int w = 0, h = 0;
  std::vector<unsigned char> rgba;
  ImU32 at(int x, int y) const {
    const unsigned char* p = &rgba[4 * (size_t(y) * size_t(w) + size_t(x))];
    return IM_COL32(p[0], p[1], p[2], p[3]);
  }
};

Pixels decode(const Picture& p) {
  Pixels out;
  int channels = 0;
  unsigned char* data = stbi_load_from_memory(reinterpret_cast<const unsigned char*>(p.bytes.data()), int(p.bytes.size()),
                                              &out.w, &out.h, &channels, 4);
  REQUIRE(data != nullptr);
  out.rgba.assign(data, data + size_t(out.w) * size_t(out.h) * 4);
  stbi_image_free(data);
  return out;
}

Picture picture(const std::string& program, PictureFormat f, PictureOptions opt = {}) {
  Picture p = render_picture(program, opt, f);
  REQUIRE(p.error == "");
  return p;
}

}  // namespace

TEST_CASE("the SVG holds every node's name and every number the canvas shows") {
  for (const Example& e : examples()) {
    CAPTURE(e.name);
    const Graph g = gs::testing::compiled(e.source);
    const Picture p = picture(e.source, PictureFormat::Svg);
    CHECK(p.bytes.rfind("<?xml", 0) == 0);
    CHECK(p.bytes.find("width=\"" + std::to_string(p.width) + "\" height=\"" + std::to_string(p.height) + "\"") !=
          std::string::npos);
    // Cells side by side are separate <text>s, each at its own place (one run over several
    // cells, stretched to its width, would stretch the digits in a viewer with another font).
    for (const std::string& t : svg_texts(p.bytes)) {
      CAPTURE(t);
      CHECK(t.find("   ") == std::string::npos);
    }
    const std::string text = joined(svg_texts(p.bytes));
    for (const Node& n : g.nodes) {
      CAPTURE(n.name);
      CHECK(text.find(card_title(n)) != std::string::npos);
      const bool numbers = n.value.rows() <= kMaxPrinted && n.value.cols() <= kMaxPrinted;
      if (!numbers || std::string(e.source).find("#! ask") != std::string::npos) continue;  // heatmaps; exercises hide answers
      for (Eigen::Index i = 0; i < n.value.size(); ++i) {
        CAPTURE(i);
        CHECK(text.find(cell_text(n.value.data()[i])) != std::string::npos);
        if (n.kind != NodeKind::Constant) CHECK(text.find(cell_text(n.grad.data()[i])) != std::string::npos);
      }
    }
  }
}

TEST_CASE("render options: --no-grads, the theme, the caption, the scale") {
  const std::string seed = find_example("seed")->source;
  const Graph g = gs::testing::compiled(seed);
  const Picture full = picture(seed, PictureFormat::Svg);
  SUBCASE("the cards are the desktop's: op name and shape under the title, however short the graph") {
    const std::string text = joined(svg_texts(full.bytes));
    CHECK(text.find("input  (3, 3)") != std::string::npos);
    CHECK(text.find("norm2  (1, 1)  output") != std::string::npos);
  }
  SUBCASE("without gradients there is no gradient label and the picture is smaller") {
    PictureOptions opt;
    opt.gradients = false;
    const Picture values = picture(seed, PictureFormat::Svg, opt);
    CHECK(joined(svg_texts(full.bytes)).find(grad_label(g, g.find("W"))) != std::string::npos);
    CHECK(joined(svg_texts(values.bytes)).find(grad_label(g, g.find("W"))) == std::string::npos);
    CHECK(values.width * values.height < full.width * full.height);
  }
  SUBCASE("the canvas is painted in the theme's background") {
    PictureOptions dark;
    dark.dark = true;
    const Picture d = picture(seed, PictureFormat::Svg, dark);
    CHECK(full.bytes.find("<path fill=\"" + hex(palette(false).canvas_bg) + "\"") != std::string::npos);
    CHECK(d.bytes.find("<path fill=\"" + hex(palette(true).canvas_bg) + "\"") != std::string::npos);
    CHECK(d.bytes.find("<path fill=\"" + hex(palette(false).canvas_bg) + "\"") == std::string::npos);
  }
  SUBCASE("a caption adds the node's chain rule below the graph") {
    PictureOptions opt;
    opt.caption = "Z";
    const Picture c = picture(seed, PictureFormat::Svg, opt);
    const std::string text = joined(svg_texts(c.bytes));
    CHECK(text.find("Z = W @ x") != std::string::npos);
    CHECK(text.find("dW += dZ @ x^T") != std::string::npos);
    CHECK(text.find("dx += W^T @ dZ") != std::string::npos);
    CHECK(c.height > full.height);
    CHECK(c.bytes.find(hex(palette(false).card_selected)) != std::string::npos);  // drawn selected
    opt.caption = "nope";
    CHECK(render_picture(seed, opt, PictureFormat::Svg).error == "there is no node named 'nope' to caption");
  }
  SUBCASE("scale 2 doubles the picture") {
    PictureOptions opt;
    opt.scale = 2;
    const Picture big = picture(seed, PictureFormat::Svg, opt);
    CHECK(std::abs(big.width - 2 * full.width) <= 2);
    CHECK(std::abs(big.height - 2 * full.height) <= 2);
    // The graph drawn at zoom 2 in it, not fitted again: the title's text at twice the size.
    auto first_font_size = [](const std::string& svg) {
      return std::stod(svg.substr(svg.find("font-size=\"") + std::strlen("font-size=\"")));
    };
    CHECK(first_font_size(big.bytes) == doctest::Approx(2 * first_font_size(full.bytes)).epsilon(0.01));
    // DejaVu Sans: ImGui's 15 px from descender to ascender is an em of 15 * 2048 / 2384 px.
    CHECK(first_font_size(full.bytes) == doctest::Approx(15.0 * 2048 / 2384).epsilon(0.001));  // not ImGui's built-in 13 px font
    CHECK(svg_texts(big.bytes) == svg_texts(full.bytes));
  }
  SUBCASE("a large matrix: every cell drawn (past 64K vertices), no ImGui check fails") {
    const int before = gs_imgui_check_failures();
    const Picture big = picture("A = " + format_matrix(Matrix::Constant(60, 60, 0.5)) + "\nf = sum(A * A)\n",
                                PictureFormat::Png);
    CHECK(gs_imgui_check_failures() == before);
    const Pixels px = decode(big);
    CHECK(px.w > full.width);
    CHECK(px.h > full.height);
  }
  SUBCASE("an exercise's picture hides what it asks, as the app does: a worksheet") {
    const Picture ex = picture("#! ask: dx, y\n" + seed, PictureFormat::Svg);
    const std::vector<std::string> texts = svg_texts(ex.bytes);
    const std::string text = joined(texts);
    // dx's and y's entries, and the gradients that would give them away (the app's rule).
    CHECK(std::count(texts.begin(), texts.end(), "?") >= 6);
    CHECK(text.find("df/dx (hidden)") != std::string::npos);
    CHECK(text.find("2.5") == std::string::npos);
    CHECK(text.find("0.5") == std::string::npos);
    CHECK(std::count(texts.begin(), texts.end(), "7") == 2);  // W's values are not asked
  }
  SUBCASE("a program that does not compile gives its error") {
    CHECK(render_picture("f = sum(", {}, PictureFormat::Svg).error != "");
  }
}

TEST_CASE("the PNG is the canvas's pixels, as large as the graph") {
  const std::string seed = find_example("seed")->source;
  const Picture p = picture(seed, PictureFormat::Png);
  const Pixels px = decode(p);
  CHECK(px.w == p.width);
  CHECK(px.h == p.height);
  // The corners are the canvas background; the cards' colour and many others are inside.
  CHECK(px.at(0, 0) == (palette(false).canvas_bg | IM_COL32_A_MASK));
  CHECK(px.at(px.w - 1, px.h - 1) == (palette(false).canvas_bg | IM_COL32_A_MASK));
  std::map<ImU32, int> counts;
  for (int y = 0; y < px.h; ++y)
    for (int x = 0; x < px.w; ++x) ++counts[px.at(x, y)];
  CHECK(counts[palette(false).card_bg | IM_COL32_A_MASK] > 1000);
  CHECK(counts.size() > 50);  // heatmap colours, anti-aliased text and edges
  CHECK(counts[palette(false).canvas_bg | IM_COL32_A_MASK] < px.w * px.h * 3 / 4);
  SUBCASE("the same picture as the SVG's, in size") {
    const Picture svg = picture(seed, PictureFormat::Svg);
    CHECK(svg.width == p.width);
    CHECK(svg.height == p.height);
  }
  SUBCASE("a larger graph gives a larger picture, a smaller one a smaller picture") {
    const Pixels mlp = decode(picture(find_example("mlp")->source, PictureFormat::Png));
    const Pixels one = decode(picture("x = [[1, 2]]\nf = sum(x)\n", PictureFormat::Png));
    CHECK(mlp.w * mlp.h > px.w * px.h);
    CHECK(one.w < px.w);
    CHECK(one.h <= px.h);
  }
  SUBCASE("dark theme") {
    PictureOptions dark;
    dark.dark = true;
    const Pixels d = decode(picture(seed, PictureFormat::Png, dark));
    CHECK(d.at(0, 0) == (palette(true).canvas_bg | IM_COL32_A_MASK));
  }
}

TEST_CASE("the desktop's Save as... with a .svg or .png name writes a picture of the graph") {
  CHECK(is_picture_path("graph.svg"));
  CHECK(is_picture_path("/tmp/Graph.PNG"));
  CHECK_FALSE(is_picture_path("program.gs"));
  CHECK_FALSE(is_picture_path("svg"));
  const std::string seed = find_example("seed")->source;
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "gradscope_render_test";
  std::filesystem::create_directories(dir);
  auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  RenderArgs args;
  args.dark = true;
  CHECK(save_picture((dir / "g.png").string(), seed, args) == "");
  Picture png;
  png.bytes = read(dir / "g.png");
  const Pixels px = decode(png);
  CHECK(px.at(0, 0) == (palette(true).canvas_bg | IM_COL32_A_MASK));
  CHECK(save_picture((dir / "g.svg").string(), seed, args) == "");
  CHECK(read(dir / "g.svg").rfind("<?xml", 0) == 0);
  CHECK(save_picture((dir / "missing" / "g.svg").string(), seed, args).rfind("cannot write", 0) == 0);
  std::filesystem::remove_all(dir);
}

// --- export --to latex (core/export_latex.cpp) -------------------------------------------


TEST_CASE("every op's record has its LaTeX: the forward and each input's chain rule") {
  for (const OpDef* op : all_ops()) {
    CAPTURE(op->name);
    CHECK(op->latex != nullptr);
    if (op->latex && op->arity != 0) CHECK(std::string(op->latex).find("@0") != std::string::npos);
    for (int k = 0; k < (op->arity == kAnyArity ? 1 : op->arity) && !op->no_grad; ++k) {  // none without a gradient
      CAPTURE(k);
      REQUIRE(op->latex_chain[k] != nullptr);
      CHECK(std::string(op->latex_chain[k]).find("@g") != std::string::npos);  // every VJP reads the gradient
    }
  }
}

TEST_CASE("LaTeX names, numbers and matrices") {
  CHECK(latex_name("W") == "W");
  CHECK(latex_name("h1") == "h_{1}");
  CHECK(latex_name("W12") == "W_{12}");
  CHECK(latex_name("loss") == "\\mathit{loss}");
  CHECK(latex_name("y_hat") == "\\mathit{y\\_hat}");
  CHECK(latex_name("_b2") == "\\mathit{\\_b}_{2}");
  CHECK(latex_name("matmul_1") == "\\mathit{matmul}_{1}");
  CHECK(latex_name("x_") == "\\mathit{x\\_}");
  CHECK(latex_matrix(gs::testing::matrix("[[0.75]]")) == "0.75");
  CHECK(latex_matrix(gs::testing::matrix("[[1, -2.5], [1e-7, 3]]")) ==
        "\\begin{bmatrix} 1 & -2.5 \\\\ 1 \\times 10^{-7} & 3 \\end{bmatrix}");
  // Past 8 rows or columns: the first three, dots, the last.
  const std::string big = latex_matrix(Matrix::Constant(10, 2, 0.5));
  CHECK(big == "\\begin{bmatrix} 0.5 & 0.5 \\\\ 0.5 & 0.5 \\\\ 0.5 & 0.5 \\\\ \\vdots & \\vdots \\\\ 0.5 & 0.5 \\end{bmatrix}");
  CHECK(latex_matrix(Matrix::Zero(9, 9)).find("\\ddots") != std::string::npos);
}

TEST_CASE("the seed's LaTeX: the forward pass and the chain rule with the notebook's numbers") {
  const Graph g = gs::testing::compiled(find_example("seed")->source);
  const std::string tex = export_latex(g, "<example seed>");
  CAPTURE(tex);
  CHECK(tex.find("Z &= W\\, x = \\begin{bmatrix} 0 \\\\ 0 \\\\ 0 \\end{bmatrix} && 3 \\times 1") != std::string::npos);
  CHECK(tex.find("y &= \\sigma(Z) = \\begin{bmatrix} 0.5 \\\\ 0.5 \\\\ 0.5 \\end{bmatrix}") != std::string::npos);
  CHECK(tex.find("f &= \\lVert y \\rVert_F^2 = 0.75 && 1 \\times 1") != std::string::npos);
  CHECK(tex.find("all shares in") == std::string::npos);  // one user each: the contribution is the gradient
  // dW += dZ x^T: the notebook's first hand computation, with its numbers.
  CHECK(tex.find("\\frac{\\partial f}{\\partial W} &\\mathrel{+}= \\frac{\\partial f}{\\partial Z}\\, x^\\top = "
                 "\\begin{bmatrix} 0.25 & 0 & -0.25 \\\\ 0.25 & 0 & -0.25 \\\\ 0.25 & 0 & -0.25 \\end{bmatrix} && "
                 "\\text{from } Z") != std::string::npos);
  CHECK(tex.find("\\frac{\\partial f}{\\partial Z} &\\mathrel{+}= \\frac{\\partial f}{\\partial y} \\odot y \\odot (1 - y)")
        != std::string::npos);
  CHECK(tex.find("\\frac{\\partial f}{\\partial x} &= \\begin{bmatrix} 2.5 \\\\ 2 \\\\ 2.5 \\end{bmatrix} && 3 \\times 1")
        != std::string::npos);
  SUBCASE("a broadcast input is summed back to its shape; constants are written as numbers") {
    const Graph b = gs::testing::compiled("x = [[1, 2], [3, 4]]\nc = [[1, -1]]\nf = sum(x * c - 2)\n");
    const std::string t = export_latex(b, "p");
    CAPTURE(t);
    CHECK(t.find("\\frac{\\partial f}{\\partial c} &\\mathrel{+}= \\operatorname{unbroadcast}_{1 \\times 2}"
                 "\\left(\\frac{\\partial f}{\\partial ") != std::string::npos);
    CHECK(t.find(" - 2 = ") != std::string::npos);
  }
  SUBCASE("a node used twice: both shares, then their sum") {
    const Graph b = gs::testing::compiled("x = [[1, 2]]\na = x * 3\nf = sum(a * a)\n");
    const std::string t = export_latex(b, "p");
    CAPTURE(t);
    CHECK(t.find("\\frac{\\partial f}{\\partial a} &\\mathrel{+}= \\left(\\frac{\\partial f}{\\partial ") != std::string::npos);
    CHECK(t.find("\\frac{\\partial f}{\\partial a} &= \\begin{bmatrix} 6 & 12 \\end{bmatrix} && \\text{all shares in}") !=
          std::string::npos);
  }
}
