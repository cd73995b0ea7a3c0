// ImGui's draw data rasterized in software, as its OpenGL backend draws it: every triangle
// with its vertex colours interpolated, times the font atlas sampled bilinearly, blended
// "source over" inside its command's clip rectangle; then written as a PNG (stb_image_write,
// compressed by zlib).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <zlib.h>

#include <cstdlib>

// stb_image_write's own deflate takes seconds on a large picture; zlib's is many times faster.
static unsigned char* zlib_compress(unsigned char* data, int size, int* out_size, int) {
  uLongf n = compressBound(uLong(size));
  auto* out = static_cast<unsigned char*>(std::malloc(n));
  if (out && compress2(out, &n, data, uLong(size), 6) == Z_OK) return *out_size = int(n), out;
  std::free(out);
  return nullptr;
}
#define STBIW_ZLIB_COMPRESS zlib_compress
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include "ui/render.h"

namespace gs::ui {
namespace {

struct Rgba {
  float r = 0, g = 0, b = 0, a = 0;
};

Rgba unpack(ImU32 c) {
  return {float((c >> IM_COL32_R_SHIFT) & 0xFF) / 255, float((c >> IM_COL32_G_SHIFT) & 0xFF) / 255,
          float((c >> IM_COL32_B_SHIFT) & 0xFF) / 255, float((c >> IM_COL32_A_SHIFT) & 0xFF) / 255};
}

struct Texture {
  const unsigned char* rgba;
  int w, h;
  // Bilinear, with texel centres at half-integers (as GL_LINEAR samples).
  Rgba sample(float u, float v) const {
    float x = u * float(w) - 0.5f, y = v * float(h) - 0.5f;
    int x0 = int(std::floor(x)), y0 = int(std::floor(y));
    float fx = x - float(x0), fy = y - float(y0);
    Rgba out;
    for (int k = 0; k < 4; ++k) {
      int tx = std::clamp(x0 + (k & 1), 0, w - 1), ty = std::clamp(y0 + (k >> 1), 0, h - 1);
      float wgt = ((k & 1) ? fx : 1 - fx) * ((k >> 1) ? fy : 1 - fy);
      const unsigned char* p = rgba + 4 * (size_t(ty) * size_t(w) + size_t(tx));
      out.r += wgt * float(p[0]) / 255, out.g += wgt * float(p[1]) / 255, out.b += wgt * float(p[2]) / 255,
          out.a += wgt * float(p[3]) / 255;
    }
    return out;
  }
};

// 8 bits per channel, as a framebuffer: a large picture costs 4 bytes a pixel.
struct Canvas {
  int w, h;
  std::vector<unsigned char> rgba;
  void blend(int x, int y, const Rgba& s) {
    unsigned char* p = &rgba[4 * (size_t(y) * size_t(w) + size_t(x))];
    const float da = float(p[3]) / 255, a = s.a + da * (1 - s.a);
    if (a <= 0) return;
    auto channel = [&](float sc, unsigned char& dc) {
      const float v = (sc * s.a + float(dc) / 255 * da * (1 - s.a)) / a;
      dc = static_cast<unsigned char>(std::lround(std::clamp(v, 0.f, 1.f) * 255));
    };
    channel(s.r, p[0]), channel(s.g, p[1]), channel(s.b, p[2]);
    p[3] = static_cast<unsigned char>(std::lround(std::clamp(a, 0.f, 1.f) * 255));
  }
};

float edge(const ImVec2& a, const ImVec2& b, float px, float py) { return (b.x - a.x) * (py - a.y) - (b.y - a.y) * (px - a.x); }

// Of two triangles sharing an edge (met in opposite directions), exactly one owns the pixel
// centres on it: no seam, no pixel blended twice.
bool owns(const ImVec2& a, const ImVec2& b) { return b.y > a.y || (b.y == a.y && b.x > a.x); }

void triangle(Canvas& c, const Texture& tex, const ImDrawVert* v0, const ImDrawVert* v1, const ImDrawVert* v2,
              const ImVec4& clip) {
  float area = edge(v0->pos, v1->pos, v2->pos.x, v2->pos.y);
  if (area == 0) return;
  if (area < 0) std::swap(v1, v2), area = -area;
  const ImVec2 &p0 = v0->pos, &p1 = v1->pos, &p2 = v2->pos;
  const int x0 = std::max({0, int(std::floor(std::max(clip.x, std::min({p0.x, p1.x, p2.x}))))});
  const int y0 = std::max({0, int(std::floor(std::max(clip.y, std::min({p0.y, p1.y, p2.y}))))});
  const int x1 = std::min({c.w, int(std::ceil(std::min(clip.z, std::max({p0.x, p1.x, p2.x}))))});
  const int y1 = std::min({c.h, int(std::ceil(std::min(clip.w, std::max({p0.y, p1.y, p2.y}))))});
  const Rgba c0 = unpack(v0->col), c1 = unpack(v1->col), c2 = unpack(v2->col);
  const bool own0 = owns(p1, p2), own1 = owns(p2, p0), own2 = owns(p0, p1);
  // Most triangles are one colour on the atlas's white texel: one sample for all their pixels.
  const bool flat = v0->col == v1->col && v0->col == v2->col && v0->uv.x == v1->uv.x && v0->uv.x == v2->uv.x &&
                    v0->uv.y == v1->uv.y && v0->uv.y == v2->uv.y;
  const Rgba t0 = tex.sample(v0->uv.x, v0->uv.y);
  const Rgba flat_col{c0.r * t0.r, c0.g * t0.g, c0.b * t0.b, c0.a * t0.a};
  unsigned char opaque[4];
  const float channels[4] = {flat_col.r, flat_col.g, flat_col.b, flat_col.a};
  for (int k = 0; k < 4; ++k) opaque[k] = static_cast<unsigned char>(std::lround(std::clamp(channels[k], 0.f, 1.f) * 255));
  for (int y = y0; y < y1; ++y) {
    const float py = float(y) + 0.5f;
    if (py < clip.y || py >= clip.w) continue;
    for (int x = x0; x < x1; ++x) {
      const float px = float(x) + 0.5f;
      if (px < clip.x || px >= clip.z) continue;
      const float w0 = edge(p1, p2, px, py), w1 = edge(p2, p0, px, py), w2 = edge(p0, p1, px, py);
      if (w0 < 0 || w1 < 0 || w2 < 0 || (w0 == 0 && !own0) || (w1 == 0 && !own1) || (w2 == 0 && !own2)) continue;
      if (flat && flat_col.a >= 1) {  // opaque: no blending
        std::memcpy(&c.rgba[4 * (size_t(y) * size_t(c.w) + size_t(x))], opaque, 4);
        continue;
      }
      if (flat) {
        c.blend(x, y, flat_col);
        continue;
      }
      const float l0 = w0 / area, l1 = w1 / area, l2 = w2 / area;
      const Rgba t = tex.sample(l0 * v0->uv.x + l1 * v1->uv.x + l2 * v2->uv.x, l0 * v0->uv.y + l1 * v1->uv.y + l2 * v2->uv.y);
      c.blend(x, y, {(l0 * c0.r + l1 * c1.r + l2 * c2.r) * t.r, (l0 * c0.g + l1 * c1.g + l2 * c2.g) * t.g,
                     (l0 * c0.b + l1 * c1.b + l2 * c2.b) * t.b, (l0 * c0.a + l1 * c1.a + l2 * c2.a) * t.a});
    }
  }
}

void append(void* context, void* data, int size) { static_cast<std::string*>(context)->append(static_cast<char*>(data), size_t(size)); }

}  // namespace

std::string draw_data_png(const ImDrawData& data, int w, int h) {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  unsigned char* pixels = nullptr;
  int tw = 0, th = 0;
  atlas->GetTexDataAsRGBA32(&pixels, &tw, &th);
  const Texture tex{pixels, tw, th};
  Canvas c{w, h, std::vector<unsigned char>(size_t(w) * size_t(h) * 4)};
  for (int l = 0; l < data.CmdListsCount; ++l) {
    const ImDrawList* dl = data.CmdLists[l];
    for (const ImDrawCmd& cmd : dl->CmdBuffer) {
      if (cmd.UserCallback) continue;
      for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
        const ImDrawVert* v[3];
        for (int k = 0; k < 3; ++k) v[k] = &dl->VtxBuffer[int(cmd.VtxOffset + dl->IdxBuffer[int(cmd.IdxOffset + i + k)])];
        triangle(c, tex, v[0], v[1], v[2], cmd.ClipRect);
      }
    }
  }
  std::string png;
  stbi_write_png_to_func(append, &png, w, h, 4, c.rgba.data(), w * 4);
  return png;
}

}  // namespace gs::ui
