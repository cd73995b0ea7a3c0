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

// ImGui 1.86's StyleColorsDark() and StyleColorsLight() as tables, one row per ImGuiCol_
// (tests/test_ui.cpp checks them against ImGui's own): the browser build's code for the two
// functions was 4 KB, these rows are 1.7 KB of data.
constexpr float kImGuiColors[2][ImGuiCol_COUNT][4] = {
  {  // light
    {0.f, 0.f, 0.f, 1.f},  // Text
    {0.600000024f, 0.600000024f, 0.600000024f, 1.f},  // TextDisabled
    {0.939999998f, 0.939999998f, 0.939999998f, 1.f},  // WindowBg
    {0.f, 0.f, 0.f, 0.f},  // ChildBg
    {1.f, 1.f, 1.f, 0.980000019f},  // PopupBg
    {0.f, 0.f, 0.f, 0.300000012f},  // Border
    {0.f, 0.f, 0.f, 0.f},  // BorderShadow
    {1.f, 1.f, 1.f, 1.f},  // FrameBg
    {0.25999999f, 0.589999974f, 0.980000019f, 0.400000006f},  // FrameBgHovered
    {0.25999999f, 0.589999974f, 0.980000019f, 0.670000017f},  // FrameBgActive
    {0.959999979f, 0.959999979f, 0.959999979f, 1.f},  // TitleBg
    {0.819999993f, 0.819999993f, 0.819999993f, 1.f},  // TitleBgActive
    {1.f, 1.f, 1.f, 0.50999999f},  // TitleBgCollapsed
    {0.860000014f, 0.860000014f, 0.860000014f, 1.f},  // MenuBarBg
    {0.980000019f, 0.980000019f, 0.980000019f, 0.529999971f},  // ScrollbarBg
    {0.689999998f, 0.689999998f, 0.689999998f, 0.800000012f},  // ScrollbarGrab
    {0.49000001f, 0.49000001f, 0.49000001f, 0.800000012f},  // ScrollbarGrabHovered
    {0.49000001f, 0.49000001f, 0.49000001f, 1.f},  // ScrollbarGrabActive
    {0.25999999f, 0.589999974f, 0.980000019f, 1.f},  // CheckMark
    {0.25999999f, 0.589999974f, 0.980000019f, 0.779999971f},  // SliderGrab
    {0.460000008f, 0.540000021f, 0.800000012f, 0.600000024f},  // SliderGrabActive
    {0.25999999f, 0.589999974f, 0.980000019f, 0.400000006f},  // Button
    {0.25999999f, 0.589999974f, 0.980000019f, 1.f},  // ButtonHovered
    {0.0599999987f, 0.529999971f, 0.980000019f, 1.f},  // ButtonActive
    {0.25999999f, 0.589999974f, 0.980000019f, 0.310000002f},  // Header
    {0.25999999f, 0.589999974f, 0.980000019f, 0.800000012f},  // HeaderHovered
    {0.25999999f, 0.589999974f, 0.980000019f, 1.f},  // HeaderActive
    {0.389999986f, 0.389999986f, 0.389999986f, 0.620000005f},  // Separator
    {0.140000001f, 0.439999998f, 0.800000012f, 0.779999971f},  // SeparatorHovered
    {0.140000001f, 0.439999998f, 0.800000012f, 1.f},  // SeparatorActive
    {0.349999994f, 0.349999994f, 0.349999994f, 0.170000002f},  // ResizeGrip
    {0.25999999f, 0.589999974f, 0.980000019f, 0.670000017f},  // ResizeGripHovered
    {0.25999999f, 0.589999974f, 0.980000019f, 0.949999988f},  // ResizeGripActive
    {0.763999999f, 0.796999991f, 0.835999966f, 0.930999994f},  // Tab
    {0.25999999f, 0.589999974f, 0.980000019f, 0.800000012f},  // TabHovered
    {0.596000016f, 0.727999985f, 0.884000003f, 1.f},  // TabActive
    {0.920799971f, 0.927399993f, 0.935199976f, 0.986199975f},  // TabUnfocused
    {0.741600037f, 0.820800006f, 0.914399981f, 1.f},  // TabUnfocusedActive
    {0.389999986f, 0.389999986f, 0.389999986f, 1.f},  // PlotLines
    {1.f, 0.430000007f, 0.349999994f, 1.f},  // PlotLinesHovered
    {0.899999976f, 0.699999988f, 0.f, 1.f},  // PlotHistogram
    {1.f, 0.449999988f, 0.f, 1.f},  // PlotHistogramHovered
    {0.779999971f, 0.870000005f, 0.980000019f, 1.f},  // TableHeaderBg
    {0.569999993f, 0.569999993f, 0.639999986f, 1.f},  // TableBorderStrong
    {0.680000007f, 0.680000007f, 0.74000001f, 1.f},  // TableBorderLight
    {0.f, 0.f, 0.f, 0.f},  // TableRowBg
    {0.300000012f, 0.300000012f, 0.300000012f, 0.0900000036f},  // TableRowBgAlt
    {0.25999999f, 0.589999974f, 0.980000019f, 0.349999994f},  // TextSelectedBg
    {0.25999999f, 0.589999974f, 0.980000019f, 0.949999988f},  // DragDropTarget
    {0.25999999f, 0.589999974f, 0.980000019f, 0.800000012f},  // NavHighlight
    {0.699999988f, 0.699999988f, 0.699999988f, 0.699999988f},  // NavWindowingHighlight
    {0.200000003f, 0.200000003f, 0.200000003f, 0.200000003f},  // NavWindowingDimBg
    {0.200000003f, 0.200000003f, 0.200000003f, 0.349999994f},  // ModalWindowDimBg
  },
  {  // dark
    {1.f, 1.f, 1.f, 1.f},  // Text
    {0.5f, 0.5f, 0.5f, 1.f},  // TextDisabled
    {0.0599999987f, 0.0599999987f, 0.0599999987f, 0.939999998f},  // WindowBg
    {0.f, 0.f, 0.f, 0.f},  // ChildBg
    {0.0799999982f, 0.0799999982f, 0.0799999982f, 0.939999998f},  // PopupBg
    {0.430000007f, 0.430000007f, 0.5f, 0.5f},  // Border
    {0.f, 0.f, 0.f, 0.f},  // BorderShadow
    {0.159999996f, 0.289999992f, 0.479999989f, 0.540000021f},  // FrameBg
    {0.25999999f, 0.589999974f, 0.980000019f, 0.400000006f},  // FrameBgHovered
    {0.25999999f, 0.589999974f, 0.980000019f, 0.670000017f},  // FrameBgActive
    {0.0399999991f, 0.0399999991f, 0.0399999991f, 1.f},  // TitleBg
    {0.159999996f, 0.289999992f, 0.479999989f, 1.f},  // TitleBgActive
    {0.f, 0.f, 0.f, 0.50999999f},  // TitleBgCollapsed
    {0.140000001f, 0.140000001f, 0.140000001f, 1.f},  // MenuBarBg
    {0.0199999996f, 0.0199999996f, 0.0199999996f, 0.529999971f},  // ScrollbarBg
    {0.310000002f, 0.310000002f, 0.310000002f, 1.f},  // ScrollbarGrab
    {0.409999996f, 0.409999996f, 0.409999996f, 1.f},  // ScrollbarGrabHovered
    {0.50999999f, 0.50999999f, 0.50999999f, 1.f},  // ScrollbarGrabActive
    {0.25999999f, 0.589999974f, 0.980000019f, 1.f},  // CheckMark
    {0.239999995f, 0.519999981f, 0.879999995f, 1.f},  // SliderGrab
    {0.25999999f, 0.589999974f, 0.980000019f, 1.f},  // SliderGrabActive
    {0.25999999f, 0.589999974f, 0.980000019f, 0.400000006f},  // Button
    {0.25999999f, 0.589999974f, 0.980000019f, 1.f},  // ButtonHovered
    {0.0599999987f, 0.529999971f, 0.980000019f, 1.f},  // ButtonActive
    {0.25999999f, 0.589999974f, 0.980000019f, 0.310000002f},  // Header
    {0.25999999f, 0.589999974f, 0.980000019f, 0.800000012f},  // HeaderHovered
    {0.25999999f, 0.589999974f, 0.980000019f, 1.f},  // HeaderActive
    {0.430000007f, 0.430000007f, 0.5f, 0.5f},  // Separator
    {0.100000001f, 0.400000006f, 0.75f, 0.779999971f},  // SeparatorHovered
    {0.100000001f, 0.400000006f, 0.75f, 1.f},  // SeparatorActive
    {0.25999999f, 0.589999974f, 0.980000019f, 0.200000003f},  // ResizeGrip
    {0.25999999f, 0.589999974f, 0.980000019f, 0.670000017f},  // ResizeGripHovered
    {0.25999999f, 0.589999974f, 0.980000019f, 0.949999988f},  // ResizeGripActive
    {0.179999992f, 0.349999964f, 0.580000043f, 0.861999989f},  // Tab
    {0.25999999f, 0.589999974f, 0.980000019f, 0.800000012f},  // TabHovered
    {0.199999988f, 0.409999967f, 0.680000007f, 1.f},  // TabActive
    {0.0680000037f, 0.101999983f, 0.148000032f, 0.97240001f},  // TabUnfocused
    {0.135999978f, 0.261999965f, 0.423999995f, 1.f},  // TabUnfocusedActive
    {0.610000014f, 0.610000014f, 0.610000014f, 1.f},  // PlotLines
    {1.f, 0.430000007f, 0.349999994f, 1.f},  // PlotLinesHovered
    {0.899999976f, 0.699999988f, 0.f, 1.f},  // PlotHistogram
    {1.f, 0.600000024f, 0.f, 1.f},  // PlotHistogramHovered
    {0.189999998f, 0.189999998f, 0.200000003f, 1.f},  // TableHeaderBg
    {0.310000002f, 0.310000002f, 0.349999994f, 1.f},  // TableBorderStrong
    {0.230000004f, 0.230000004f, 0.25f, 1.f},  // TableBorderLight
    {0.f, 0.f, 0.f, 0.f},  // TableRowBg
    {1.f, 1.f, 1.f, 0.0599999987f},  // TableRowBgAlt
    {0.25999999f, 0.589999974f, 0.980000019f, 0.349999994f},  // TextSelectedBg
    {1.f, 1.f, 0.f, 0.899999976f},  // DragDropTarget
    {0.25999999f, 0.589999974f, 0.980000019f, 1.f},  // NavHighlight
    {1.f, 1.f, 1.f, 0.699999988f},  // NavWindowingHighlight
    {0.800000012f, 0.800000012f, 0.800000012f, 0.200000003f},  // NavWindowingDimBg
    {0.800000012f, 0.800000012f, 0.800000012f, 0.349999994f},  // ModalWindowDimBg
  }};

void apply_theme(bool dark) {
  ImGuiStyle& style = ImGui::GetStyle();
  for (int i = 0; i < ImGuiCol_COUNT; ++i) {
    const float* c = kImGuiColors[dark][i];
    style.Colors[i] = ImVec4(c[0], c[1], c[2], c[3]);
  }
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
