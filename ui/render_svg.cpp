// ImGui's draw data as SVG: consecutive solid triangles of one colour become one <path>
// (each triangle a subpath, all turning the same way so that overlaps stay filled under the
// nonzero rule), and the strings drawn_strings() reads back from the glyph quads become
// <text> elements, stretched to the width ImGui gave them, in their glyphs' colour.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <string>
#include <vector>

#include "ui/app.h"
#include "ui/render.h"

namespace gs::ui {
namespace {

// Appends printf-formatted text (numbers as %g: at most 6 digits, no trailing zeros).
void add(std::string& out, const char* format, ...) {
  va_list args, again;
  va_start(args, format);
  va_copy(again, args);
  const size_t at = out.size();
  const int n = std::vsnprintf(nullptr, 0, format, args);
  if (n > 0) {
    out.resize(at + size_t(n) + 1);
    std::vsnprintf(&out[at], size_t(n) + 1, format, again);
    out.resize(at + size_t(n));
  }
  va_end(again);
  va_end(args);
}

// fill="#rrggbb" plus fill-opacity when not opaque.
void add_fill(std::string& out, ImU32 c) {
  const unsigned a = (c >> IM_COL32_A_SHIFT) & 0xFF;
  add(out, "fill=\"#%02x%02x%02x\"", (c >> IM_COL32_R_SHIFT) & 0xFF, (c >> IM_COL32_G_SHIFT) & 0xFF,
      (c >> IM_COL32_B_SHIFT) & 0xFF);
  if (a != 255) add(out, " fill-opacity=\"%.3g\"", double(a) / 255);
}

void add_escaped(std::string& out, const std::string& t) {
  for (char ch : t) {
    if (ch == '&') out += "&amp;";
    else if (ch == '<') out += "&lt;";
    else if (ch == '>') out += "&gt;";
    else if (ch == '"') out += "&quot;";
    else out += ch;
  }
}

}  // namespace

std::string draw_data_svg(const ImDrawData& data, float x, float y, int w, int h, const char* font_family,
                          float em_per_height, ImU32 background) {
  const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
  std::string out;
  add(out,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
      "height=\"%d\" viewBox=\"%g %g %d %d\">\n",
      w, h, double(x), double(y), w, h);
  const ImVec4 region(x, y, x + float(w), y + float(h));
  if (background) {
    add(out, "<rect x=\"%g\" y=\"%g\" width=\"%d\" height=\"%d\" ", double(x), double(y), w, h);
    add_fill(out, background);
    out += "/>\n";
  }
  std::string path;
  ImU32 path_col = 0;
  auto flush = [&] {
    if (path.empty()) return;
    out += "<path ";
    add_fill(out, path_col);
    out += " d=\"" + path + "\"/>\n";
    path.clear();
  };
  for (int l = 0; l < data.CmdListsCount; ++l) {
    const ImDrawList* dl = data.CmdLists[l];
    for (const ImDrawCmd& cmd : dl->CmdBuffer) {
      if (cmd.UserCallback) continue;
      const ImVec4& clip = cmd.ClipRect;
      for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
        const ImDrawVert* v[3];
        for (int k = 0; k < 3; ++k) v[k] = &dl->VtxBuffer[int(cmd.VtxOffset + dl->IdxBuffer[int(cmd.IdxOffset + i + k)])];
        float x0 = std::min({v[0]->pos.x, v[1]->pos.x, v[2]->pos.x}), x1 = std::max({v[0]->pos.x, v[1]->pos.x, v[2]->pos.x});
        float y0 = std::min({v[0]->pos.y, v[1]->pos.y, v[2]->pos.y}), y1 = std::max({v[0]->pos.y, v[1]->pos.y, v[2]->pos.y});
        if (x1 <= clip.x || x0 >= clip.z || y1 <= clip.y || y0 >= clip.w) continue;  // clipped away
        if (x1 <= region.x || x0 >= region.z || y1 <= region.y || y0 >= region.w) continue;  // outside the picture
        bool solid = true;
        for (int k = 0; k < 3; ++k) solid &= v[k]->uv.x == white.x && v[k]->uv.y == white.y;
        if (!solid) continue;  // part of a glyph: the text is written below
        const ImU32 col = v[0]->col;
        if (((col >> IM_COL32_A_SHIFT) & 0xFF) == 0) continue;
        if (col != path_col) flush();
        path_col = col;
        float turn = (v[1]->pos.x - v[0]->pos.x) * (v[2]->pos.y - v[0]->pos.y) -
                     (v[1]->pos.y - v[0]->pos.y) * (v[2]->pos.x - v[0]->pos.x);
        if (turn == 0) continue;
        if (turn < 0) std::swap(v[1], v[2]);
        add(path, "M%.6g %.6gL%.6g %.6gL%.6g %.6gZ", double(v[0]->pos.x), double(v[0]->pos.y), double(v[1]->pos.x),
            double(v[1]->pos.y), double(v[2]->pos.x), double(v[2]->pos.y));
      }
    }
  }
  flush();
  const ImFont* font = ImGui::GetIO().Fonts->Fonts[0];
  for (const DrawnString& d : drawn_strings(true)) {  // one <text> per run of one colour
    if (d.x + d.w <= region.x || d.x >= region.z || d.y + d.h <= region.y || d.y >= region.w) continue;
    const float px = d.h;  // the run's font size in pixels
    add(out, "<text x=\"%.6g\" y=\"%.6g\" font-family=\"%s\" font-size=\"%.4g\" textLength=\"%.6g\" "
             "lengthAdjust=\"spacingAndGlyphs\" xml:space=\"preserve\" ",
        double(d.x), double(d.y + font->Ascent * px / font->FontSize), font_family, double(px * em_per_height),
        double(d.w));
    add_fill(out, d.col);
    out += ">";
    add_escaped(out, d.text);
    out += "</text>\n";
  }
  return out + "</svg>\n";
}

}  // namespace gs::ui
