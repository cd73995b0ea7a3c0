// The front end in a headless ImGui context (no window, no renderer): what the unit tests
// and the UI-frame benchmark drive. Header-only.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "ui/app.h"
#include "ui/state.h"

namespace gs::ui {

struct Headless {
  AppState state;
  Platform platform;
  ImGuiContext* context = nullptr;  // each instance its own: two can run side by side
  // `opt` and `size` as a platform would give them (the layout tests use the browser's font).
  explicit Headless(const InitOptions& opt = {}, ImVec2 size = ImVec2(1280, 800)) {
    ImGuiContext* previous = ImGui::GetCurrentContext();
    context = ImGui::CreateContext();
    ImGui::SetCurrentContext(context);
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = size;
    io.DeltaTime = 1.0f / 60;
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;  // as a platform backend would
    io.KeyMap[ImGuiKey_A] = 100;  // letters count up from here, as SDL scancodes do from A
    init(state, opt);
    unsigned char* pixels;
    int w, h;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // builds the font atlas, as a renderer would
    if (previous) ImGui::SetCurrentContext(previous);
  }
  ~Headless() { ImGui::DestroyContext(context); }
  Headless(const Headless&) = delete;
  Headless& operator=(const Headless&) = delete;
  // One whole frame: NewFrame, the front end, Render (draw lists built, nothing drawn).
  void frame() {
    ImGui::SetCurrentContext(context);
    ImGui::NewFrame();
    ui::frame(state, platform);
    ImGui::Render();
  }
  // Every string the last frame drew (the native twin of the browser's drawnText()).
  std::vector<std::string> drawn_text() const {
    ImGui::SetCurrentContext(context);
    return ui::drawn_text();
  }
  // drawn_text() joined by newlines, for searching.
  std::string drawn() const {
    std::string all;
    for (const std::string& t : drawn_text()) all += t + "\n";
    return all;
  }
};

}  // namespace gs::ui
