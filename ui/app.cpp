// The window layout and the things that span panels: menu bar, step-through bar,
// keyboard shortcuts, file popups and the status line.
#include "ui/app.h"

#include <imgui.h>

#include <algorithm>
#include <cstring>

#include "core/examples.h"
#include "ui/derive_panel.h"
#include "ui/views.h"
#include "ui/graph_view.h"
#include "ui/layout.h"
#include "ui/panels.h"
#include "ui/theme.h"

namespace gs::ui {
namespace {

// What Save writes: the program with its current values, or, while the editor holds an
// edit that does not compile, exactly what was typed (never the last good program over it).
std::string text_to_save(const AppState& s) { return s.error ? s.program : s.graph.program_text(); }

void save_to(AppState& s, Platform& p, const std::string& path) {
  std::string why = p.save(path, text_to_save(s));
  if (why.empty()) {
    s.file_path = path;
    s.status = "Saved " + path + (s.error ? " (with the error still in it)" : "");
  } else {
    s.status = "Not saved: " + why + " (your work is still here)";
  }
}
void undo_buttons(AppState& s) {
  ImGui::BeginDisabled(!can_undo(s));
  if (ImGui::Button("Undo")) undo(s);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Undo the last change (Ctrl+Z)");
  ImGui::SameLine();
  ImGui::BeginDisabled(!can_redo(s));
  if (ImGui::Button("Redo")) redo(s);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Redo (Ctrl+Shift+Z)");
  ImGui::SameLine();
}

void step_bar(AppState& s) {
  Stepper& st = s.stepper;
  undo_buttons(s);
  if (!st.active()) {
    if (ImGui::Button("Step through")) st.start(s.graph);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Walk the forward pass, then the backward pass, one node at a time (S)");
    ImGui::SameLine();
    ImGui::Checkbox("gradients", &s.show_gradients);
    // A phone has Fit beside its panels button (ui/layout.cpp), and shows the output's value
    // here only if it fits (the output's card shows it too).
    if (!phone_width()) {
      ImGui::SameLine();
      if (ImGui::Button("Fit")) s.fit_pending = true;
    }
    const int out = s.graph.output;
    const std::string value = s.graph.node(out).name + " = " +
                              (is_hidden(s, out, false) ? "?" : format_short(s.graph.node(out).value(0, 0), 6));
    ImGui::SameLine();
    if (ImGui::CalcTextSize(value.c_str()).x <= ImGui::GetContentRegionAvail().x) ImGui::TextDisabled("%s", value.c_str());
    else ImGui::NewLine();
    return;
  }
  if (ImGui::Button("|<")) step_to(s, 0);
  ImGui::SameLine();
  if (ImGui::Button("<")) step_to(s, st.step() - 1);
  ImGui::SameLine();
  if (ImGui::Button(st.playing ? "Pause" : "Play")) st.playing = !st.playing;
  ImGui::SameLine();
  if (ImGui::Button(">")) step_to(s, st.step() + 1);
  ImGui::SameLine();
  if (ImGui::Button(">|")) step_to(s, st.last_step());
  ImGui::SameLine();
  if (ImGui::Button("Done")) st.stop();
  text_after(st.caption().c_str());
  if (st.playing) {
    st.timer += ImGui::GetIO().DeltaTime;
    if (st.timer >= st.seconds_per_step) {
      st.timer = 0;
      if (st.step() >= st.last_step()) st.playing = false;
      else step_to(s, st.step() + 1);
    }
  }
}

// ImGui 1.86 names only a few keys; letters are the platform's indices counted from 'A'
// (SDL scancodes, like USB HID codes, are contiguous for A..Z).
bool letter_pressed(char c) {
  return ImGui::IsKeyPressed(ImGui::GetIO().KeyMap[ImGuiKey_A] + (c - 'A'), false);
}
bool key_pressed(ImGuiKey k, bool repeat = true) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k), repeat); }

void shortcuts(AppState& s, Platform& p) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && letter_pressed('S') && p.save) {
    if (s.file_path.empty()) s.panels.open_save = true;
    else save_to(s, p, s.file_path);
  }
  if (io.KeyCtrl && letter_pressed('O') && p.open) s.panels.open_open = true;
  // While a text field is active, Ctrl+Z is its own (ImGui's per-field undo).
  if (io.KeyCtrl && !io.WantTextInput && letter_pressed('Z')) io.KeyShift ? redo(s) : undo(s);
  if (io.KeyCtrl && !io.WantTextInput && letter_pressed('Y')) redo(s);
  if (io.WantTextInput || io.KeyCtrl) return;
  if (letter_pressed('G')) s.show_gradients = !s.show_gradients;
  if (letter_pressed('F')) s.fit_pending = true;
  if (letter_pressed('S') && !s.stepper.active()) s.stepper.start(s.graph);
  if (s.stepper.active()) {
    // N / B always step; the arrows do too unless keyboard navigation is moving the focus.
    if (letter_pressed('N') || (!io.NavVisible && key_pressed(ImGuiKey_RightArrow))) step_to(s, s.stepper.step() + 1);
    if (letter_pressed('B') || (!io.NavVisible && key_pressed(ImGuiKey_LeftArrow))) step_to(s, s.stepper.step() - 1);
    if (key_pressed(ImGuiKey_Space, false)) s.stepper.playing = !s.stepper.playing;
    if (key_pressed(ImGuiKey_Escape, false)) s.stepper.stop();
  }
  if (letter_pressed('H')) s.panels.show_help = !s.panels.show_help;
}

void menu_bar(AppState& s, Platform& p) {
  if (!ImGui::BeginMenuBar()) return;
  if ((p.save || p.open) && ImGui::BeginMenu("File")) {
    if (p.open && ImGui::MenuItem("Open...", "Ctrl+O")) s.panels.open_open = true;
    if (p.save && ImGui::MenuItem("Save", "Ctrl+S")) {
      if (s.file_path.empty()) s.panels.open_save = true;
      else save_to(s, p, s.file_path);
    }
    if (p.save && ImGui::MenuItem("Save as...")) s.panels.open_save = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Edit")) {
    if (ImGui::MenuItem("Undo", "Ctrl+Z", false, can_undo(s))) undo(s);
    if (ImGui::MenuItem("Redo", "Ctrl+Shift+Z", false, can_redo(s))) redo(s);
    ImGui::EndMenu();
  }
  if (panel_visible(s, "editor") && !all_locked(s) && ImGui::BeginMenu("Examples")) {
    for (const Example& e : examples())
      if (ImGui::MenuItem(e.name, nullptr, s.example == e.name)) load_example(s, e.name);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    ImGui::MenuItem("Show gradients", "G", &s.show_gradients);
    if (ImGui::MenuItem("Dark theme", nullptr, &s.dark)) apply_theme(s.dark);
    if (ImGui::MenuItem("Fit graph", "F")) s.fit_pending = true;
    ImGui::MenuItem("Edges show the gradient they carry", nullptr, &s.view.edge_grads);
    ImGui::MenuItem("One colour scale for all nodes", nullptr, &s.view.shared_scale);
    if (ImGui::MenuItem("Step through", "S", s.stepper.active())) {
      if (s.stepper.active()) s.stepper.stop();
      else s.stepper.start(s.graph);
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("Keys and mouse", "H")) s.panels.show_help = true;
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

void file_popups(AppState& s, Platform& p) {
  PanelState& ps = s.panels;
  if (ps.open_save) ImGui::OpenPopup("Save program"), ps.open_save = false;
  if (ps.open_open) ImGui::OpenPopup("Open program"), ps.open_open = false;
  for (int which = 0; which < 2; ++which) {
    const char* title = which == 0 ? "Save program" : "Open program";
    if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) continue;
    if (ImGui::IsWindowAppearing()) {
      std::snprintf(ps.path, sizeof ps.path, "%s", s.file_path.empty() ? (p.default_dir + "program.gs").c_str()
                                                                    : s.file_path.c_str());
      ImGui::SetKeyboardFocusHere();
    }
    ImGui::SetNextItemWidth(420);
    bool go = ImGui::InputText("path", ps.path, sizeof ps.path, ImGuiInputTextFlags_EnterReturnsTrue);
    go |= ImGui::Button(which == 0 ? "Save" : "Open");
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || key_pressed(ImGuiKey_Escape, false)) ImGui::CloseCurrentPopup();
    if (go) {
      std::string path = ps.path;
      if (which == 0) {
        save_to(s, p, path);
      } else {
        std::string text, why = p.open(path, text);
        if (why.empty()) {
          set_program(s, text);
          s.file_path = path;
          s.fit_pending = true;
          s.status = s.error ? "Opened " + path + ", but it has an error (see the editor)" : "Opened " + path;
        } else {
          s.status = "Cannot open " + path + ": " + why;
        }
      }
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

void help_window(AppState& s) {
  if (!s.panels.show_help) return;
  ImGui::SetNextWindowSize(ImVec2(std::min(460.f, ImGui::GetIO().DisplaySize.x - 20), 0), ImGuiCond_Appearing);
  if (ImGui::Begin("Keys and mouse", &s.panels.show_help)) {
    bullet_wrapped("Drag an input entry left/right to change it (Shift fine, Ctrl coarse)");
    bullet_wrapped("Double-click an input entry to type a value");
    bullet_wrapped("Drag the background to pan, mouse wheel to zoom, F to fit");
    bullet_wrapped("Click a node to inspect it: value, gradient, chain rule");
    bullet_wrapped("S: step through; N / B (or Right / Left): next / back; Space: play/pause; Esc: stop");
    bullet_wrapped("G: show or hide gradients");
    bullet_wrapped("Tab / arrows / Enter move between and use the panels' controls");
    bullet_wrapped("Ctrl+Z undo, Ctrl+Shift+Z redo (every change: typing, drags, resets, examples)");
    bullet_wrapped("Ctrl+S save, Ctrl+O open (desktop)");
  }
  ImGui::End();
}

// While the text does not compile, the graph is the last program that did: a banner above
// the graph says so (on lines of its own, so it never covers a card) and the graph is dimmed.
void stale_banner(AppState& s) {
  s.stale_banner.visible = false;
  if (!s.error) return;
  std::string text = "Showing the last valid program: line " + std::to_string(s.error->line) + " has an error (" +
                     s.error->message + ")";
  const float pad = 6, wrap = std::max(100.f, ImGui::GetContentRegionAvail().x - 2 * pad);
  const ImVec2 ts = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap);
  const ImVec2 a = ImGui::GetCursorScreenPos(), b(a.x + ts.x + 2 * pad, a.y + ts.y + 2 * pad);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, b, IM_COL32(253, 236, 234, 245), 4);
  dl->AddRect(a, b, palette(s.dark).error, 4, 0, 2);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(a.x + pad, a.y + pad), IM_COL32(138, 28, 28, 255),
              text.c_str(), nullptr, wrap);
  ImGui::Dummy(ImVec2(b.x - a.x, b.y - a.y));
  s.stale_banner = {a.x, a.y, b.x - a.x, b.y - a.y, true};
}

void stale_veil(const AppState& s, ImVec2 at, ImVec2 size) {
  if (s.error)
    ImGui::GetWindowDrawList()->AddRectFilled(at, ImVec2(at.x + size.x, at.y + size.y),
                                              s.dark ? IM_COL32(0, 0, 0, 130) : IM_COL32(255, 255, 255, 150));
}

}  // namespace

void init(AppState& s, const InitOptions& opt) {
  ImGuiIO& io = ImGui::GetIO();
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  io.IniFilename = nullptr;
  // Rasterize at the device's pixel density and draw at 1/ratio, so text stays sharp on
  // high-DPI screens while sizes stay in CSS pixels.
  float ratio = std::max(1.0f, opt.pixel_ratio);
  io.FontGlobalScale = 1.0f / ratio;
  float size = 15.0f * opt.scale * ratio;
  ImFontConfig cfg;
  cfg.OversampleH = 2;
  if (opt.font_data && opt.font_data_size > 0) {
    cfg.FontDataOwnedByAtlas = false;
    io.Fonts->AddFontFromMemoryTTF(const_cast<void*>(opt.font_data), opt.font_data_size, size, &cfg);
  } else if (!opt.font_path.empty() && io.Fonts->AddFontFromFileTTF(opt.font_path.c_str(), size, &cfg)) {
  } else {
    ImFontConfig def;
    def.SizePixels = 13.0f * opt.scale * ratio;
    io.Fonts->AddFontDefault(&def);
  }
  apply_theme(s.dark);
  ImGui::GetStyle().ScaleAllSizes(opt.scale);
  if (s.program.empty()) load_example(s, "seed");
  if (s.options.start_in_step_mode) s.stepper.start(s.graph);
}

namespace {

// The body's three parts (ui/layout.cpp places them: columns, or a phone's bottom sheet).
void left_panel(AppState& s) {
  if (panel_visible(s, "editor")) {
    ImGui::TextDisabled("Program");
    program_panel(s);
  }
  if (panel_visible(s, "inputs")) {
    ImGui::Spacing();
    ImGui::TextDisabled("Inputs");
    ImGui::Separator();
    inputs_panel(s);
  }
}

void side_tabs(AppState& s) {
  // With an exercise the questions come first; without one the tab is for making one.
  const bool exercise = s.exercise.active();
  if (exercise && side_tab(s, "Exercise")) exercise_panel(s), end_side_tab(s);
  if (derive_tab(s)) derive_panel(s), end_side_tab(s);
  if (side_tab(s, "Inspector")) inspector_panel(s), end_side_tab(s);
  if (side_tab(s, "Check")) check_panel(s), end_side_tab(s);
  if (side_tab(s, "Train")) train_panel(s), end_side_tab(s);
  views_tab(s);  // Jacobian, forward mode, gradient flow, landscape (ui/views_panel.cpp)
  if (!exercise_pending(s) && side_tab(s, "Export")) export_panel(s), end_side_tab(s);
  if (!exercise && side_tab(s, "Exercise")) exercise_panel(s), end_side_tab(s);
}

void center(AppState& s) {
  step_bar(s);
  stale_banner(s);
  const ImVec2 graph_at = ImGui::GetCursorScreenPos(), graph_size = ImGui::GetContentRegionAvail();
  graph_view(s);
  stale_veil(s, graph_at, graph_size);
}

}  // namespace

ImVec4 clear_color(const AppState& s) {
  return s.view.canvas_cleared ? ImGui::ColorConvertU32ToFloat4(palette(s.dark).canvas_bg)
                             : ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
}

namespace {

// The main window's background. Every whole-screen pass costs several milliseconds a frame in
// a software renderer (headless Chromium's SwiftShader), so no pixel is filled twice: the main
// window has no background quad, the platform clears the screen (clear_color()), and the larger
// of the graph canvas and the rest of the window is the cleared part, the smaller one filled.
void window_background(const AppState& s) {
  if (!s.view.canvas_cleared) return;
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  const Rect& g = s.view.graph;
  const float x0 = std::max(g.x, 0.f), y0 = std::max(g.y, 0.f);
  const float x1 = std::min(g.x + g.w, d.x), y1 = std::min(g.y + g.h, d.y);
  const ImU32 bg = ImGui::GetColorU32(ImGuiCol_WindowBg);
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  dl->AddRectFilled(ImVec2(0, 0), ImVec2(d.x, y0), bg);
  dl->AddRectFilled(ImVec2(0, y1), d, bg);
  dl->AddRectFilled(ImVec2(0, y0), ImVec2(x0, y1), bg);
  dl->AddRectFilled(ImVec2(x1, y0), ImVec2(d.x, y1), bg);
}

}  // namespace

void frame(AppState& s, Platform& p) {
  const int touch_style = push_touch_style();
  ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  // No background quad: the platform clears the screen to clear_color() instead, which in a
  // software renderer (headless Chromium's SwiftShader) saves a whole-screen blended pass per frame.
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBackground |
                           ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings;
  const bool show_menu = panel_visible(s, "menu") && !compact_height();  // a short embed keeps its height for the graph
  if (show_menu) flags |= ImGuiWindowFlags_MenuBar;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(6, 6));
  ImGui::Begin("gradscope", nullptr, flags);
  ImGui::PopStyleVar();
  shortcuts(s, p);
  if (show_menu) menu_bar(s, p);

  const bool compact = compact_height();
  // The status line wraps on a narrow screen: the body leaves it the lines it needs. On a
  // phone the page's own buttons (Copy link, Reset, Text view: 40 px high there) take a row
  // of their own under it, and the line shows only messages: the hint has no room.
  const bool phone = phone_width();
  const char* status = !s.status.empty() ? s.status.c_str()
                       : phone           ? ""
                                         : "Drag an input entry to change it; click a node to inspect it; H for keys and mouse.";
  const float text_h = *status ? ImGui::CalcTextSize(status, nullptr, false, ImGui::GetContentRegionAvail().x).y +
                                     ImGui::GetStyle().ItemSpacing.y * 2
                               : 0;
  const float status_h = phone ? text_h + kHostButtonsH : std::max(ImGui::GetFrameHeightWithSpacing(), text_h);
  run_check_slice(s);
  s.view.canvas_cleared = false;
  body(s, {left_panel, side_tabs, center}, compact ? 0 : status_h);
  window_background(s);
  if (s.training.running && !s.training.train.empty() && !answers_hidden(s)) train_step(s);
  if (!compact) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", status);
    ImGui::PopTextWrapPos();
  }
  file_popups(s, p);
  ImGui::End();
  help_window(s);
  ImGui::PopStyleVar(touch_style);
  // A change is one undo step once it settles: not while a button is held (a drag) or a
  // text field is being typed in.
  const ImGuiIO& io = ImGui::GetIO();
  record_history(s, !ImGui::IsAnyMouseDown() && !io.WantTextInput);
}

}  // namespace gs::ui
