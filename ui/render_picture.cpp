// The graph as a picture: one frame of the app's graph canvas (graph_view) in a headless
// ImGui context sized to the graph at zoom `scale`, then handed to the SVG or PNG writer.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "ui/graph_view.h"
#include "ui/headless.h"
#include "ui/panels.h"
#include "ui/render.h"
#include "ui/theme.h"

namespace gs::ui {
namespace {

// The Inspector's chain rule of node `id`: for an op, its forward and one line per input
// (with the shapes); for an input, what each of its users sends it.
std::vector<std::string> caption_lines(const Graph& g, int id) {
  std::vector<std::string> lines;
  const Node& n = g.node(id);
  if (n.kind == NodeKind::Op) {
    lines.push_back(fill_template(g, id, n.op->formula));
    for (int k = 0; k < n.arity(); ++k)
      if (g.node(n.inputs[k]).kind != NodeKind::Constant && n.op->chain_for(k))
        lines.push_back(fill_template(g, id, n.op->chain_for(k)) + "      shapes: " + fill_template(g, id, n.op->chain_for(k), true));
    return lines;
  }
  for (size_t j = 0; j < g.nodes.size(); ++j)
    for (int k = 0; k < g.nodes[j].arity(); ++k)
      if (g.nodes[j].inputs[k] == id && g.nodes[j].op->chain_for(k))
        lines.push_back("from " + g.nodes[j].name + ": " + fill_template(g, int(j), g.nodes[j].op->chain_for(k)));
  if (lines.empty()) lines.push_back(n.name + ": nothing reads it");
  return lines;
}

// ImGui (stb_truetype) sizes a font by its height from descender to ascender; CSS and SVG by
// its em. The ratio, em / height, from the TTF's 'head' and 'hhea' tables (0: not a TTF).
float em_per_height(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return 0;
  std::vector<unsigned char> ttf(1 << 24);  // fonts are smaller than 16 MB
  ttf.resize(std::fread(ttf.data(), 1, ttf.size(), f));
  std::fclose(f);
  auto u16 = [&](size_t at) { return at + 2 <= ttf.size() ? unsigned(ttf[at] << 8 | ttf[at + 1]) : 0u; };
  auto u32 = [&](size_t at) { return size_t(u16(at)) << 16 | u16(at + 2); };
  size_t head = 0, hhea = 0;
  for (size_t t = 0, n = u16(4); t < n; ++t) {
    const size_t rec = 12 + 16 * t;
    if (rec + 16 > ttf.size()) break;
    const std::string tag(ttf.begin() + long(rec), ttf.begin() + long(rec) + 4);
    if (tag == "head") head = u32(rec + 8);
    if (tag == "hhea") hhea = u32(rec + 8);
  }
  const int units = int(u16(head + 18)), height = int(int16_t(u16(hhea + 4))) - int(int16_t(u16(hhea + 6)));
  return head && hhea && units > 0 && height > 0 ? float(units) / float(height) : 0;
}

// One frame: the canvas in a child window of the graph's size, the caption below it.
void draw_frame(AppState& s, ImVec2 size, ImVec2 graph, float scale, const std::vector<std::string>& caption,
                float margin) {
  const Palette& pal = palette(s.dark);
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(size);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, pal.canvas_bg);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.f);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoNav;
  ImGui::Begin("picture", nullptr, flags);
  ImGui::SetWindowFontScale(1);  // the caption's scale (below) stays with the window: not for the graph
  ImGui::BeginChild("graph", graph, false, flags);
  graph_view(s);
  ImGui::EndChild();
  ImGui::SetWindowFontScale(scale);  // the atlas is rasterized at `scale` (InitOptions::pixel_ratio)
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text);
  for (const std::string& line : caption) {
    ImGui::SetCursorPosX(margin);
    ImGui::TextUnformatted(line.c_str());
  }
  ImGui::PopStyleColor();
  ImGui::End();
  ImGui::PopStyleVar(3);
  ImGui::PopStyleColor();
  ImGui::Render();
}

}  // namespace

Picture render_picture(const std::string& program, const PictureOptions& opt, PictureFormat format) {
  Picture out;
  if (!(opt.scale >= 0.5f && opt.scale <= 8)) return out.error = "the scale must be between 0.5 and 8", out;
  InitOptions init;
  init.pixel_ratio = opt.scale;  // fonts rasterized `scale` times finer, drawn at zoom `scale`
  const float em = em_per_height(opt.font_path);
  if (em > 0) init.font_path = opt.font_path;  // else ImGui's built-in font
  Headless h(init, ImVec2(64, 64));
  ImGuiContext* previous = ImGui::GetCurrentContext();
  ImGui::SetCurrentContext(h.context);
  AppState& s = h.state;
  s.dark = opt.dark;
  apply_theme(s.dark);
  if (!set_program(s, program)) {
    out.error = s.error ? s.error->message : "the program does not compile";
    ImGui::SetCurrentContext(previous);
    return out;
  }
  s.show_gradients = opt.gradients;
  s.selected = -1;
  std::vector<std::string> caption;
  if (!opt.caption.empty()) {
    s.selected = s.graph.find(opt.caption);
    if (s.selected < 0) {
      out.error = "there is no node named '" + shown_text(opt.caption) + "' to caption";
      ImGui::SetCurrentContext(previous);
      return out;
    }
    caption = caption_lines(s.graph, s.selected);
  }
  // Sizes in pixels: the graph at zoom `scale` with the margin around it, the caption below.
  // The font size (layout's unit) is known inside a frame. The display is at least the desktop
  // window's size (a short one would get the short embed's cards); the picture is cropped to
  // the window drawn in it.
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(1280, 800);
  ImGui::NewFrame();
  const GraphLayout layout = layout_graph(s, Arrangement{});
  const float z = opt.scale, m = opt.margin * z;
  const float line = ImGui::GetFontSize() * z + ImGui::GetStyle().ItemSpacing.y;
  float caption_w = 0;
  for (const std::string& t : caption) caption_w = std::max(caption_w, ImGui::CalcTextSize(t.c_str()).x * z);
  ImGui::EndFrame();
  const ImVec2 graph(std::ceil(std::max(layout.w * z, caption_w) + 2 * m), std::ceil(layout.h * z + 2 * m));
  const ImVec2 size(graph.x, graph.y + (caption.empty() ? 0 : std::ceil(line * float(caption.size()) + m)));
  // A picture past 16384 pixels a side or 100 megapixels (400 MB to rasterize) is a mistake, not a slide.
  constexpr float kLargest = 16384, kMostPixels = 1e8f;
  if (size.x > kLargest || size.y > kLargest || size.x * size.y > kMostPixels) {
    out.error = "the picture would be " + std::to_string(int(size.x)) + " x " + std::to_string(int(size.y)) +
                " pixels, more than " + std::to_string(int(kLargest)) + " on a side or 100 megapixels: try a smaller --scale";
    ImGui::SetCurrentContext(previous);
    return out;
  }
  ViewState& v = s.view;
  v.compact = true;  // no legend line under the graph
  v.vertical = v.side = false, v.bands = 1, v.stack = 0;
  v.zoom = v.fit_zoom = z;
  v.pan_x = v.fit_pan_x = (graph.x - layout.w * z) / 2;
  v.pan_y = v.fit_pan_y = m;
  v.last_w = graph.x, v.last_h = graph.y;
  v.fit_w = layout.w, v.fit_h = layout.h;
  s.fit_pending = false;
  // The SVG gets plain polygons (its viewer smooths edges); the PNG ImGui's anti-aliased fringes.
  ImGuiStyle& style = ImGui::GetStyle();
  style.AntiAliasedLines = style.AntiAliasedFill = style.AntiAliasedLinesUseTex = format == PictureFormat::Png;
  io.DisplaySize = ImVec2(std::max(size.x, 1280.f), std::max(size.y, 800.f));
  // Both writers read ImDrawCmd::VtxOffset, so a draw list may pass 64K vertices (a large matrix
  // with every cell on the picture), as with the OpenGL backend.
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  for (int i = 0; i < 2; ++i) draw_frame(s, size, graph, z, caption, m);  // the second frame as the app's steady state
  out.width = int(size.x), out.height = int(size.y);
  const ImDrawData& data = *ImGui::GetDrawData();
  out.bytes = format == PictureFormat::Svg ? draw_data_svg(data, 0, 0, out.width, out.height, kSvgFontFamily, em > 0 ? em : 1)
                                           : draw_data_png(data, out.width, out.height);
  ImGui::SetCurrentContext(previous);
  return out;
}

}  // namespace gs::ui
