// The browser build's font atlas, drawn by the page: web/embed.js loads gradscope-font.ttf as a
// FontFace, and a 2D canvas draws each glyph into the atlas. This replaces ImGui's
// stb_truetype builder (its rasterizer and rectangle packer), 19 KB of gradscope.wasm and
// 10 KB of its gzip, with the browser's own text renderer (CMakeLists.txt patches
// ImFontAtlas::Build to have no other builder). The metrics follow ImGui's builder: the
// font's pixel height is its hhea ascender minus descender, ascent and descent are rounded
// outward, and glyphs are drawn OversampleH times as wide and sampled back.
#include "web/font.h"

#include <emscripten.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "imgui.h"
#include "imgui_internal.h"

// Lays out the atlas: measures each codepoint in the page's font at `em` CSS pixels (canvas
// measureText), and writes per glyph its quad from the pen (baseline at y = 0), its ink box
// widened by a pixel each side, then where it sits in the atlas (drawn `wide` times as wide)
// and its advance: x0, y0, x1, y1, u, v, advance. Glyphs without ink (the space) get an empty
// quad. Shelves, tallest first, hold the glyphs and the `nrects` rectangles (w, h in; x, y
// out) with `pad` pixels between; size gets the atlas's width (as ImGui's builder picks it)
// and the height used. Returns 0 when the font is not loaded (embed.js adds it to
// document.fonts before gs_start; without it the canvas would quietly draw another font).
EM_JS(int, gs_font_layout, (float em, int wide, int pad, const int* cps, int n, int* rects, int nrects, float* out,
                            int* size), {
  var loaded = 0;
  document.fonts.forEach(function(f) { loaded |= f.family.indexOf("gradscope-font") >= 0 && f.status == "loaded"; });
  if (!loaded) return 0;
  var c = Module.gsFontCanvas || (Module.gsFontCanvas = document.createElement("canvas"));
  var g = c.getContext("2d", {willReadFrequently: true});  // (gs_font_draw reads the atlas back)
  g.font = em + "px gradscope-font";
  var items = [], area = 0, i, o;
  for (i = 0; i < n; i++) {
    var m = g.measureText(String.fromCodePoint(HEAP32[(cps >> 2) + i]));
    var box = [0, 0, 0, 0];
    if (m.actualBoundingBoxLeft + m.actualBoundingBoxRight > 0 && m.actualBoundingBoxAscent + m.actualBoundingBoxDescent > 0)
      box = [Math.floor(-m.actualBoundingBoxLeft) - 1, Math.floor(-m.actualBoundingBoxAscent) - 1,
             Math.ceil(m.actualBoundingBoxRight) + 1, Math.ceil(m.actualBoundingBoxDescent) + 1];
    o = (out >> 2) + i * 7;
    for (var k = 0; k < 4; k++) HEAPF32[o + k] = box[k];
    HEAPF32[o + 6] = m.width;
    if (box[2] > box[0]) items.push({w: (box[2] - box[0]) * wide, h: box[3] - box[1], at: o + 4, glyph: 1});
  }
  for (i = 0; i < nrects; i++) items.push({w: HEAP32[(rects >> 2) + 2 * i], h: HEAP32[(rects >> 2) + 2 * i + 1], at: (rects >> 2) + 2 * i});
  items.forEach(function(b) { area += (b.w + pad) * (b.h + pad); });
  var side = Math.sqrt(area) + 1, width = side >= 4096 * 0.7 ? 4096 : side >= 2048 * 0.7 ? 2048 : side >= 1024 * 0.7 ? 1024 : 512;
  items.sort(function(a, b) { return b.h - a.h; });
  var x = pad, y = pad, shelf = 0;
  items.forEach(function(b) {
    if (x + b.w + pad > width) { x = pad; y += shelf + pad; shelf = 0; }
    if (b.glyph) { HEAPF32[b.at] = x; HEAPF32[b.at + 1] = y; } else { HEAP32[b.at] = x; HEAP32[b.at + 1] = y; }
    x += b.w + pad;
    shelf = Math.max(shelf, b.h);
  });
  HEAP32[size >> 2] = width;
  HEAP32[(size >> 2) + 1] = y + shelf + pad;
  return 1;
});

// Draws each codepoint where gs_font_layout placed it in a w x h atlas, `wide` times as wide as
// high, and writes the coverage (alpha) into `pixels`, one byte per pixel.
EM_JS(void, gs_font_draw, (float em, int wide, const int* cps, const float* glyphs, int n, unsigned char* pixels,
                           int w, int h), {
  var c = Module.gsFontCanvas;
  c.width = w;
  c.height = h;
  var g = c.getContext("2d", {willReadFrequently: true});
  g.font = em + "px gradscope-font";
  g.fillStyle = "#fff";
  g.textBaseline = "alphabetic";
  for (var i = 0; i < n; i++) {
    var o = (glyphs >> 2) + i * 7;
    if (HEAPF32[o + 2] <= HEAPF32[o]) continue;  // no ink
    g.setTransform(wide, 0, 0, 1, HEAPF32[o + 4] - HEAPF32[o] * wide, HEAPF32[o + 5] - HEAPF32[o + 1]);
    g.fillText(String.fromCodePoint(HEAP32[(cps >> 2) + i]), 0, 0);
  }
  var rgba = g.getImageData(0, 0, w, h).data;
  for (var p = 0, q = 3; p < w * h; p++, q += 4) HEAPU8[pixels + p] = rgba[q];
  c.width = c.height = 0;  // let the browser free the atlas canvas
});

namespace gs::web {
namespace {

int read_u16(const unsigned char* p) { return p[0] << 8 | p[1]; }
uint32_t read_u32(const unsigned char* p) { return uint32_t(read_u16(p)) << 16 | uint32_t(read_u16(p + 2)); }

// The offset of table `tag` in a TrueType file, or 0.
uint32_t find_table(const unsigned char* ttf, int size, const char* tag) {
  if (size < 12) return 0;
  const int tables = read_u16(ttf + 4);
  for (int i = 0; i < tables && 12 + 16 * (i + 1) <= size; ++i) {
    const unsigned char* rec = ttf + 12 + 16 * i;
    const uint32_t offset = read_u32(rec + 8);
    if (std::memcmp(rec, tag, 4) == 0 && size >= 20 && offset <= uint32_t(size) - 20) return offset;
  }
  return 0;
}

float g_em_per_height = 1;

bool build(ImFontAtlas* atlas) {
  ImFontAtlasBuildInit(atlas);
  atlas->TexID = (ImTextureID) nullptr;
  atlas->TexWidth = atlas->TexHeight = 0;
  atlas->TexUvScale = ImVec2(0, 0);
  atlas->TexUvWhitePixel = ImVec2(0, 0);
  atlas->ClearTexData();
  if (atlas->ConfigData.Size != 1) return false;  // ui/app.cpp adds one font
  ImFontConfig& cfg = atlas->ConfigData[0];
  const auto* ttf = static_cast<const unsigned char*>(cfg.FontData);
  const uint32_t head = find_table(ttf, cfg.FontDataSize, "head"), hhea = find_table(ttf, cfg.FontDataSize, "hhea");
  if (!head || !hhea) return false;
  const int units_per_em = read_u16(ttf + head + 18);
  const int asc = int16_t(read_u16(ttf + hhea + 4)), desc = int16_t(read_u16(ttf + hhea + 6));
  if (units_per_em <= 0 || asc - desc <= 0) return false;
  const float scale = cfg.SizePixels / float(asc - desc);  // stbtt_ScaleForPixelHeight
  g_em_per_height = float(units_per_em) / float(asc - desc);
  const float em = scale * units_per_em;
  const int wide = std::max(1, cfg.OversampleH);

  ImVector<int> cps;
  const ImWchar* ranges = cfg.GlyphRanges ? cfg.GlyphRanges : atlas->GetGlyphRangesDefault();
  for (const ImWchar* r = ranges; r[0] && r[1]; r += 2)
    for (int cp = r[0]; cp <= r[1]; ++cp)
      if (cp < 0x7f || cp > 0x9f) cps.push_back(cp);  // no C1 control characters
  ImVector<int> rects;  // ImGui's own: the white pixels, the lines
  for (const ImFontAtlasCustomRect& r : atlas->CustomRects) rects.push_back(r.Width), rects.push_back(r.Height);
  const int n = cps.Size;
  ImVector<float> glyphs;  // x0, y0, x1, y1, u, v, advance
  glyphs.resize(n * 7, 0.0f);
  int size[2];
  if (!gs_font_layout(em, wide, atlas->TexGlyphPadding, cps.Data, n, rects.Data, atlas->CustomRects.Size,
                      glyphs.Data, size))
    return false;
  for (int i = 0; i < atlas->CustomRects.Size; ++i)
    atlas->CustomRects[i].X = (unsigned short)rects[2 * i], atlas->CustomRects[i].Y = (unsigned short)rects[2 * i + 1];
  atlas->TexWidth = size[0];
  atlas->TexHeight = ImUpperPowerOfTwo(size[1]);
  const ImVec2 uv = atlas->TexUvScale = ImVec2(1.0f / atlas->TexWidth, 1.0f / atlas->TexHeight);
  atlas->TexPixelsAlpha8 = static_cast<unsigned char*>(IM_ALLOC(atlas->TexWidth * atlas->TexHeight));
  gs_font_draw(em, wide, cps.Data, glyphs.Data, n, atlas->TexPixelsAlpha8, atlas->TexWidth, atlas->TexHeight);

  ImFont* font = cfg.DstFont;
  ImFontAtlasBuildSetupFont(atlas, font, &cfg, std::floor(asc * scale + (asc > 0 ? 1 : -1)),
                            std::floor(desc * scale + (desc > 0 ? 1 : -1)));
  const float dx = cfg.GlyphOffset.x, dy = cfg.GlyphOffset.y + IM_ROUND(font->Ascent);
  for (int i = 0; i < n; ++i) {
    const float* g = &glyphs[i * 7];
    font->AddGlyph(&cfg, ImWchar(cps[i]), g[0] + dx, g[1] + dy, g[2] + dx, g[3] + dy, g[4] * uv.x, g[5] * uv.y,
                   (g[4] + (g[2] - g[0]) * wide) * uv.x, (g[5] + g[3] - g[1]) * uv.y, g[6]);
  }
  ImFontAtlasBuildFinish(atlas);
  return true;
}

}  // namespace

float page_font_em_per_height() { return g_em_per_height; }

const ImFontBuilderIO* page_font_builder() {
  static const ImFontBuilderIO io{build};
  return &io;
}

}  // namespace gs::web
