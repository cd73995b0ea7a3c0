// The front end in a headless ImGui context (no window, no renderer): what the unit tests
// and the UI-frame benchmark drive. Header-only.
#pragma once

#include <imgui.h>

#include "ui/app.h"
#include "ui/state.h"

namespace gs::ui {

struct Headless {
  AppState state;
  Platform platform;
  // `opt` and `size` as a platform would give them (the layout tests use the browser's font).
  explicit Headless(const InitOptions& opt = {}, ImVec2 size = ImVec2(1280, 800)) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = size;
    io.DeltaTime = 1.0f / 60;
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;  // as a platform backend would
    io.KeyMap[ImGuiKey_A] = 100;  // letters count up from here, as SDL scancodes do from A
    init(state, opt);
    unsigned char* pixels;
    int w, h;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the font atlas, as a renderer would
  }
  ~Headless() { ImGui::DestroyContext(); }
  Headless(const Headless&) = delete;
  Headless& operator=(const Headless&) = delete;
  // One whole frame: NewFrame, the front end, Render (draw lists built, nothing drawn).
  void frame() {
    ImGui::NewFrame();
    ui::frame(state, platform);
    ImGui::Render();
  }
};

}  // namespace gs::ui
