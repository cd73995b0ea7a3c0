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

// Measures each codepoint in the page's font at `em` CSS pixels: per glyph, its advance and its
// ink box (left of the origin, right, above the baseline, below), as canvas measureText gives
// them. Returns 0 when the font is not loaded (embed.js adds it to document.fonts before
// gs_start; without it the canvas would quietly draw another font).
EM_JS(int, gs_font_measure, (float em, const int* cps, int n, float* out), {
  var loaded = 0;
  document.fonts.forEach(function(f) { loaded |= f.family.indexOf("gradscope-font") >= 0 && f.status == "loaded"; });
  if (!loaded) return 0;
  var c = Module.gsFontCanvas || (Module.gsFontCanvas = document.createElement("canvas"));
  var g = c.getContext("2d");
  g.font = em + "px gradscope-font";
  for (var i = 0; i < n; i++) {
    var ch = String.fromCodePoint(HEAP32[(cps >> 2) + i]);
    var m = g.measureText(ch), o = (out >> 2) + i * 5;
    HEAPF32[o] = m.width;
    HEAPF32[o + 1] = m.actualBoundingBoxLeft;
    HEAPF32[o + 2] = m.actualBoundingBoxRight;
    HEAPF32[o + 3] = m.actualBoundingBoxAscent;
    HEAPF32[o + 4] = m.actualBoundingBoxDescent;
  }
  return 1;
});

// Draws each codepoint with its pen at (at[2i], at[2i+1]) in a w x h atlas, `wide` times as wide
// as high, and writes the coverage (alpha) into `pixels`, one byte per pixel.
EM_JS(void, gs_font_draw, (float em, float wide, const int* cps, const int* at, int n, unsigned char* pixels, int w,
                           int h), {
  var c = Module.gsFontCanvas;
  c.width = w;
  c.height = h;
  var g = c.getContext("2d", {willReadFrequently: true});
  g.font = em + "px gradscope-font";
  g.fillStyle = "#fff";
  g.textBaseline = "alphabetic";
  for (var i = 0; i < n; i++) {
    g.setTransform(wide, 0, 0, 1, HEAP32[(at >> 2) + 2 * i], HEAP32[(at >> 2) + 2 * i + 1]);
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
    if (std::memcmp(rec, tag, 4) == 0 && offset + 20 <= uint32_t(size)) return offset;
  }
  return 0;
}

// One rectangle of the atlas: a glyph's bitmap or one of ImGui's own (white pixels, lines).
struct Box {
  int w, h, x = 0, y = 0;
  int glyph;  // index into the glyph list, or -1 - the custom rectangle's index
};

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
  const float em = scale * units_per_em;
  const int wide = std::max(1, cfg.OversampleH);

  ImVector<int> cps;
  const ImWchar* ranges = cfg.GlyphRanges ? cfg.GlyphRanges : atlas->GetGlyphRangesDefault();
  for (const ImWchar* r = ranges; r[0] && r[1]; r += 2)
    for (int cp = r[0]; cp <= r[1]; ++cp)
      if (cp < 0x7f || cp > 0x9f) cps.push_back(cp);  // no C1 control characters
  const int n = cps.Size;
  ImVector<float> m;
  m.resize(n * 5);
  if (!gs_font_measure(em, cps.Data, n, m.Data)) return false;

  // Each glyph's ink box in pixels from its pen (baseline at y = 0), one pixel more each side.
  ImVector<int> ink;
  ink.resize(n * 4);
  ImVector<Box> boxes;
  for (int i = 0; i < n; ++i) {
    const float* g = &m[i * 5];
    int* b = &ink[i * 4];
    const bool blank = g[1] + g[2] <= 0 || g[3] + g[4] <= 0;
    b[0] = blank ? 0 : int(std::floor(-g[1])) - 1;
    b[1] = blank ? 0 : int(std::floor(-g[3])) - 1;
    b[2] = blank ? 0 : int(std::ceil(g[2])) + 1;
    b[3] = blank ? 0 : int(std::ceil(g[4])) + 1;
    if (!blank) boxes.push_back(Box{(b[2] - b[0]) * wide, b[3] - b[1], 0, 0, i});
  }
  for (int i = 0; i < atlas->CustomRects.Size; ++i)
    boxes.push_back(Box{atlas->CustomRects[i].Width, atlas->CustomRects[i].Height, 0, 0, -1 - i});

  // Shelves, tallest boxes first (by height, without a sort: heights are a few dozen pixels);
  // the width as ImGui's builder picks it.
  const int pad = atlas->TexGlyphPadding;
  long area = 0;
  int tallest = 0;
  for (const Box& b : boxes) area += long(b.w + pad) * (b.h + pad), tallest = std::max(tallest, b.h);
  const int side = int(std::sqrt(double(area))) + 1;
  const int width = atlas->TexDesiredWidth > 0 ? atlas->TexDesiredWidth
                    : side >= 4096 * 0.7f ? 4096 : side >= 2048 * 0.7f ? 2048 : side >= 1024 * 0.7f ? 1024 : 512;
  int x = pad, y = pad, shelf = 0;
  for (int h = tallest; h >= 0; --h)
    for (Box& b : boxes) {
      if (b.h != h) continue;
      if (x + b.w + pad > width) x = pad, y += shelf + pad, shelf = 0;
      b.x = x, b.y = y;
      x += b.w + pad;
      shelf = std::max(shelf, b.h);
    }
  atlas->TexWidth = width;
  atlas->TexHeight = ImUpperPowerOfTwo(y + shelf + pad);
  atlas->TexUvScale = ImVec2(1.0f / atlas->TexWidth, 1.0f / atlas->TexHeight);
  atlas->TexPixelsAlpha8 = static_cast<unsigned char*>(IM_ALLOC(atlas->TexWidth * atlas->TexHeight));
  std::memset(atlas->TexPixelsAlpha8, 0, atlas->TexWidth * atlas->TexHeight);

  ImVector<int> pen;
  pen.resize(n * 2, -1000);  // blank glyphs are drawn off the atlas
  for (const Box& b : boxes) {
    if (b.glyph < 0) {
      ImFontAtlasCustomRect& r = atlas->CustomRects[-1 - b.glyph];
      r.X = (unsigned short)b.x, r.Y = (unsigned short)b.y;
    } else {
      pen[b.glyph * 2] = b.x - ink[b.glyph * 4] * wide;
      pen[b.glyph * 2 + 1] = b.y - ink[b.glyph * 4 + 1];
    }
  }
  gs_font_draw(em, float(wide), cps.Data, pen.Data, n, atlas->TexPixelsAlpha8, atlas->TexWidth,
               atlas->TexHeight);

  ImFont* font = cfg.DstFont;
  const float ascent = std::floor(asc * scale + (asc > 0 ? 1 : -1));
  const float descent = std::floor(desc * scale + (desc > 0 ? 1 : -1));
  ImFontAtlasBuildSetupFont(atlas, font, &cfg, ascent, descent);
  const float off_x = cfg.GlyphOffset.x, off_y = cfg.GlyphOffset.y + IM_ROUND(font->Ascent);
  for (int i = 0; i < n; ++i) {
    const int* b = &ink[i * 4];
    const float u = float(pen[i * 2] + b[0] * wide), v = float(pen[i * 2 + 1] + b[1]);
    const float uw = float((b[2] - b[0]) * wide), vh = float(b[3] - b[1]);
    font->AddGlyph(&cfg, ImWchar(cps[i]), b[0] + off_x, b[1] + off_y, b[2] + off_x, b[3] + off_y,
                   u * atlas->TexUvScale.x, v * atlas->TexUvScale.y, (u + uw) * atlas->TexUvScale.x,
                   (v + vh) * atlas->TexUvScale.y, m[i * 5]);
  }
  ImFontAtlasBuildFinish(atlas);
  return true;
}

}  // namespace

const ImFontBuilderIO* page_font_builder() {
  static const ImFontBuilderIO io{build};
  return &io;
}

}  // namespace gs::web
