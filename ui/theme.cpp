// Colour tables for both themes and the PuOr heatmap.
#include "ui/theme.h"

#include <cmath>

namespace gs::ui {

const Palette& palette(bool dark) {
  static const Palette light = {
      IM_COL32(246, 246, 243, 255), IM_COL32(228, 228, 222, 255), IM_COL32(255, 255, 255, 255),
      IM_COL32(170, 170, 165, 255), IM_COL32(60, 60, 60, 255),    IM_COL32(25, 25, 25, 255),
      IM_COL32(105, 105, 100, 255), IM_COL32(120, 120, 115, 255), IM_COL32(0, 140, 90, 255),
      IM_COL32(30, 110, 220, 255),  IM_COL32(200, 150, 0, 255),   IM_COL32(200, 30, 30, 255),
      IM_COL32(0, 140, 60, 255),    IM_COL32(0, 150, 160, 255),   IM_COL32(0, 0, 0, 255)};
  static const Palette darkp = {
      IM_COL32(28, 29, 33, 255),    IM_COL32(40, 42, 47, 255),    IM_COL32(45, 47, 53, 255),
      IM_COL32(90, 92, 100, 255),   IM_COL32(225, 225, 225, 255), IM_COL32(235, 235, 235, 255),
      IM_COL32(160, 160, 165, 255), IM_COL32(150, 150, 160, 255), IM_COL32(60, 210, 140, 255),
      IM_COL32(90, 160, 255, 255),  IM_COL32(240, 190, 40, 255),  IM_COL32(255, 90, 90, 255),
      IM_COL32(80, 210, 120, 255),  IM_COL32(80, 200, 210, 255),  IM_COL32(255, 255, 255, 255)};
  return dark ? darkp : light;
}

ImU32 heat_color(double t, bool dark) {
  // PuOr endpoints: negative purple (84, 39, 136), positive orange (179, 88, 6).
  const float neutral = dark ? 62.f : 247.f;
  if (!std::isfinite(t)) return IM_COL32(220, 40, 40, 255);
  float a = float(std::fmin(1.0, std::fabs(t)));
  float r0 = t < 0 ? 84.f : 230.f, g0 = t < 0 ? 39.f : 97.f, b0 = t < 0 ? 136.f : 1.f;
  if (t < 0 && dark) r0 = 153.f, g0 = 142.f, b0 = 195.f;
  if (t > 0 && dark) r0 = 253.f, g0 = 184.f, b0 = 99.f;
  auto mix = [&](float c) { return int(neutral + (c - neutral) * a + 0.5f); };
  return IM_COL32(mix(r0), mix(g0), mix(b0), 255);
}

ImU32 text_on(ImU32 bg) {
  float r = float((bg >> IM_COL32_R_SHIFT) & 0xFF), g = float((bg >> IM_COL32_G_SHIFT) & 0xFF),
        b = float((bg >> IM_COL32_B_SHIFT) & 0xFF);
  float luma = 0.299f * r + 0.587f * g + 0.114f * b;
  return luma > 140 ? IM_COL32(20, 20, 20, 255) : IM_COL32(250, 250, 250, 255);
}

void apply_theme(bool dark) {
  ImGuiStyle& style = ImGui::GetStyle();
  if (dark) ImGui::StyleColorsDark();
  else ImGui::StyleColorsLight();
  style.WindowRounding = 4;
  style.FrameRounding = 3;
  style.GrabRounding = 3;
  style.TabRounding = 3;
  style.WindowBorderSize = 0;
  style.FrameBorderSize = dark ? 0.f : 1.f;
  // Opaque, as it looked over the cleared screen: the main window's background is drawn only
  // around the graph canvas (clear_color()), where nothing lies under it to blend with.
  ImVec4& bg = style.Colors[ImGuiCol_WindowBg];
  bg = ImVec4(bg.x * bg.w + 0.96f * (1 - bg.w), bg.y * bg.w + 0.96f * (1 - bg.w), bg.z * bg.w + 0.96f * (1 - bg.w), 1);
}

}  // namespace gs::ui
