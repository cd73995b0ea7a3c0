// What the last frame drew as text, read back from ImGui's draw data: each glyph is a quad
// textured from the font atlas, so its texture coordinates name the character. Tests (and
// the JS API's drawnText()) check that no hidden answer appears anywhere on screen.
#include <imgui.h>

#include <cmath>
#include <string>
#include <vector>

#include "ui/app.h"

namespace gs::ui {
namespace {

// The glyph whose atlas rectangle holds texture coordinate (u, v), or nullptr.
const ImFontGlyph* glyph_at(const ImFont* font, float u, float v) {
  for (const ImFontGlyph& g : font->Glyphs)
    if (g.Visible && u >= g.U0 && u <= g.U1 && v >= g.V0 && v <= g.V1) return &g;
  return nullptr;
}

void append_utf8(std::string& out, unsigned c) {
  if (c < 0x80) {
    out += char(c);
  } else if (c < 0x800) {
    out += char(0xC0 | (c >> 6)), out += char(0x80 | (c & 0x3F));
  } else {
    out += char(0xE0 | (c >> 12)), out += char(0x80 | ((c >> 6) & 0x3F)), out += char(0x80 | (c & 0x3F));
  }
}

}  // namespace

std::vector<std::string> drawn_text() {
  std::vector<std::string> out;
  for (DrawnString& d : drawn_strings()) out.push_back(std::move(d.text));
  return out;
}

std::vector<DrawnString> drawn_strings(bool by_colour) {
  std::vector<DrawnString> out;
  const ImDrawData* data = ImGui::GetDrawData();
  const ImFont* font = ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
  if (!data || !data->Valid || !font) return out;
  const ImFontGlyph* space = font->FindGlyphNoFallback(' ');
  for (int l = 0; l < data->CmdListsCount; ++l) {
    const ImDrawList* dl = data->CmdLists[l];
    std::string text;
    float pen_x = 0, base_y = 0, scale = 1;  // where the next glyph of this run would start
    float start_x = 0, top = 0, bottom = 0;
    ImU32 col = 0;
    auto flush = [&] {
      if (!text.empty()) out.push_back({text, start_x, top, pen_x - start_x, bottom - top, col});
      text.clear();
    };
    for (int i = 0; i + 3 < dl->VtxBuffer.Size;) {
      const ImDrawVert* v = &dl->VtxBuffer[i];
      // A glyph quad (ImDrawList::PrimRectUV): four vertices clockwise from the top left,
      // an axis-aligned box on screen and in the atlas.
      bool quad = v[0].uv.x != v[2].uv.x && v[0].uv.y != v[2].uv.y && v[0].pos.y == v[1].pos.y &&
                  v[2].pos.y == v[3].pos.y && v[0].pos.x == v[3].pos.x && v[1].pos.x == v[2].pos.x &&
                  v[0].uv.y == v[1].uv.y && v[1].uv.x == v[2].uv.x && v[2].uv.y == v[3].uv.y && v[3].uv.x == v[0].uv.x;
      const ImFontGlyph* g = quad ? glyph_at(font, (v[0].uv.x + v[2].uv.x) / 2, (v[0].uv.y + v[2].uv.y) / 2) : nullptr;
      if (!g || g->Y1 <= g->Y0) {
        ++i;
        continue;
      }
      // Its scale and origin (a glyph clipped at a box edge is narrower: take the height).
      float sc = (v[2].pos.y - v[0].pos.y) / (g->Y1 - g->Y0);
      float gap_unit = (space ? space->AdvanceX : font->FontSize * 0.25f) * sc;
      float origin_x = v[0].pos.x - g->X0 * sc, origin_y = v[0].pos.y - g->Y0 * sc;
      // For the SVG (by_colour) a run also ends at a gap wider than the two spaces a card's
      // subtitle puts between words: the numbers of cells side by side each get their own <text>
      // at their own place, which a viewer in another font cannot stretch over the gap.
      bool same_run = !text.empty() && std::abs(origin_y - base_y) < 0.5f && std::abs(sc - scale) < 0.01f &&
                      origin_x > pen_x - gap_unit * 0.5f && origin_x < pen_x + gap_unit * (by_colour ? 2.5f : 3.5f) &&
                      (!by_colour || v[0].col == col);
      if (!same_run) {
        flush();
        col = v[0].col;
        start_x = origin_x;
        top = origin_y;
        bottom = origin_y + font->FontSize * sc;
      } else {
        for (float gap = origin_x - pen_x; gap > gap_unit * 0.6f; gap -= gap_unit) text += ' ';
      }
      if (g->Codepoint == font->EllipsisChar) text += "...";  // a label cut short
      else append_utf8(text, g->Codepoint);
      pen_x = origin_x + g->AdvanceX * sc;
      base_y = origin_y;
      scale = sc;
      i += 4;
    }
    flush();
  }
  return out;
}

}  // namespace gs::ui
