// ImGui's draw data as SVG: consecutive solid triangles of one colour become one <path>
// (each triangle a subpath, all turning the same way so that overlaps stay filled under the
// nonzero rule), and the strings drawn_strings() reads back from the glyph quads become
// <text> elements, stretched to the width ImGui gave them, in their glyphs' colour.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "ui/app.h"
#include "ui/render.h"

namespace gs::ui {
namespace {

std::string num(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", double(v));
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

// fill="#rrggbb" plus fill-opacity when not opaque.
std::string fill(ImU32 c) {
  char buf[64];
  const unsigned a = (c >> IM_COL32_A_SHIFT) & 0xFF;
  std::snprintf(buf, sizeof buf, "fill=\"#%02x%02x%02x\"", (c >> IM_COL32_R_SHIFT) & 0xFF, (c >> IM_COL32_G_SHIFT) & 0xFF,
                (c >> IM_COL32_B_SHIFT) & 0xFF);
  std::string s = buf;
  if (a != 255) s += " fill-opacity=\"" + num(float(a) / 255) + "\"";
  return s;
}

std::string escape(const std::string& t) {
  std::string out;
  for (char ch : t) {
    if (ch == '&') out += "&amp;";
    else if (ch == '<') out += "&lt;";
    else if (ch == '>') out += "&gt;";
    else if (ch == '"') out += "&quot;";
    else out += ch;
  }
  return out;
}

struct Glyph {
  float x, y;  // centre
  ImU32 col;
};

}  // namespace

std::string draw_data_svg(const ImDrawData& data, int w, int h, const char* font_family, float em_per_height) {
  const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(w) + "\" height=\"" + std::to_string(h) + "\" viewBox=\"0 0 " + std::to_string(w) +
                    " " + std::to_string(h) + "\">\n";
  std::vector<Glyph> glyphs;
  std::string path;
  ImU32 path_col = 0;
  auto flush = [&] {
    if (!path.empty()) out += "<path " + fill(path_col) + " d=\"" + path + "\"/>\n";
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
        bool solid = true;
        for (int k = 0; k < 3; ++k) solid &= v[k]->uv.x == white.x && v[k]->uv.y == white.y;
        if (!solid) {  // part of a glyph: the text is written below, in this colour
          glyphs.push_back({(x0 + x1) / 2, (y0 + y1) / 2, v[0]->col});
          continue;
        }
        const ImU32 col = v[0]->col;
        if (((col >> IM_COL32_A_SHIFT) & 0xFF) == 0) continue;
        if (col != path_col) flush();
        path_col = col;
        float turn = (v[1]->pos.x - v[0]->pos.x) * (v[2]->pos.y - v[0]->pos.y) -
                     (v[1]->pos.y - v[0]->pos.y) * (v[2]->pos.x - v[0]->pos.x);
        if (turn == 0) continue;
        if (turn < 0) std::swap(v[1], v[2]);
        path += "M" + num(v[0]->pos.x) + " " + num(v[0]->pos.y) + "L" + num(v[1]->pos.x) + " " + num(v[1]->pos.y) + "L" +
                num(v[2]->pos.x) + " " + num(v[2]->pos.y) + "Z";
      }
    }
  }
  flush();
  const ImFont* font = ImGui::GetIO().Fonts->Fonts[0];
  for (const DrawnString& d : drawn_strings()) {
    ImU32 col = IM_COL32_BLACK;
    for (const Glyph& g : glyphs)
      if (g.x >= d.x && g.x <= d.x + d.w && g.y >= d.y && g.y <= d.y + d.h) {
        col = g.col;
        break;
      }
    const float px = d.h;  // the run's font size in pixels
    out += "<text x=\"" + num(d.x) + "\" y=\"" + num(d.y + font->Ascent * px / font->FontSize) + "\" font-family=\"" +
           font_family + "\" font-size=\"" + num(px * em_per_height) + "\" textLength=\"" + num(d.w) +
           "\" lengthAdjust=\"spacingAndGlyphs\" xml:space=\"preserve\" " + fill(col) + ">" + escape(d.text) + "</text>\n";
  }
  return out + "</svg>\n";
}

}  // namespace gs::ui
