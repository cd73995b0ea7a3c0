// The desktop entry point: `gradscope eval|check|examples ...` runs the command line;
// `gradscope [FILE]` opens the app in an SDL2 + OpenGL3 window (imgui's example_sdl_opengl3
// shape). Test hooks: --state-out FILE writes where each input cell is drawn and the graph
// as JSON whenever they change; --screenshot PNG --frames N saves the window and exits.
// The side panels' fold choice is kept in $XDG_CONFIG_HOME/gradscope/settings (or
// ~/.config/gradscope/settings) across runs.
#include <SDL.h>
#include <SDL_opengl.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include "core/serialize.h"
#include "native/cli.h"
#include "native/files.h"
#include "native/render.h"
#include "ui/app.h"
#include "ui/key_hold.h"
#include "ui/layout.h"

namespace {

struct Args {
  std::string file, state_out, screenshot;
  int frames = 0;        // exit after this many frames (0: run until closed)
  bool dark = false;
  std::string error;
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) a.error = s + " needs a value";
      else out = argv[++i];
    };
    if (s == "--state-out") value(a.state_out);
    else if (s == "--screenshot") value(a.screenshot);
    else if (s == "--frames") { std::string n; value(n); a.frames = std::atoi(n.c_str()); }
    else if (s == "--dark") a.dark = true;
    else if (!s.empty() && s[0] == '-') a.error = "unknown option " + s + " (try gradscope --help)";
    else a.file = s;
  }
  return a;
}

// Where the desktop keeps its settings between runs; "" when there is no home to keep them in.
std::string settings_path() {
  const char* config = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  if (config && *config) return std::string(config) + "/gradscope/settings";
  return home && *home ? std::string(home) + "/.config/gradscope/settings" : "";
}

// Writes the panel settings when they differ from what the file holds (`saved`).
void keep_settings(const gs::ui::AppState& state, const std::string& path, std::string& saved) {
  const std::string now = gs::ui::panel_settings(state);
  if (path.empty() || now == saved) return;
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
  const std::string why = gs::write_file_atomic(path, now);
  if (!why.empty()) std::fprintf(stderr, "gradscope: cannot keep the settings in %s: %s\n", path.c_str(), why.c_str());
  saved = now;  // one message, not one a frame
}

// {"cells": {"W": [[x, y, w, h], ...] row-major}, "graph": {...}, "layout": {...}} in window pixels.
void write_state(const gs::ui::AppState& s, const std::string& path) {
  std::string out = "{\"revision\": " + std::to_string(s.revision) + ", \"cells\": {";
  bool first = true;
  for (int id : s.graph.input_ids()) {
    if (size_t(id) >= s.value_cells.size()) continue;
    out += std::string(first ? "" : ", ") + "\"" + s.graph.node(id).name + "\": [";
    first = false;
    for (size_t k = 0; k < s.value_cells[size_t(id)].size(); ++k) {
      const auto& c = s.value_cells[size_t(id)][k];
      char buf[96];
      std::snprintf(buf, sizeof buf, "%s[%.1f, %.1f, %.1f, %.1f]", k ? ", " : "", c.x, c.y, c.w, c.h);
      out += buf;
    }
    out += "]";
  }
  out += "}, \"graph\": " + gs::graph_json(s.graph) + ", \"layout\": " + gs::ui::layout_json(s) + "}\n";
  gs::write_file_atomic(path, out);
}

bool save_png(const std::string& path, int w, int h) {
  std::vector<unsigned char> px(size_t(w) * size_t(h) * 4);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  stbi_flip_vertically_on_write(1);
  return stbi_write_png(path.c_str(), w, h, 4, px.data(), w * 4) != 0;
}

// The program named on the command line, or the seed example. A program with an error opens
// anyway (the editor shows the error, nothing typed is lost); an unreadable file does not.
bool open_program(const Args& args, gs::ui::AppState& state) {
  if (args.file.empty()) return true;
  std::string text, why = gs::read_program_file(args.file, text);
  if (!why.empty()) {
    std::fprintf(stderr, "gradscope: error: cannot open '%s': %s\n", args.file.c_str(), why.c_str());
    return false;
  }
  gs::ui::set_program(state, text);
  state.file_path = args.file;
  if (state.error) {
    std::fprintf(stderr, "%s\n", state.error->format(args.file).c_str());
    gs::ui::load_example(state, "seed");
    state.program = text;
    state.example.clear();
    state.error = gs::compile(text).error();
  }
  return true;
}

// Hands the queued events to ImGui, and the keys to `keys` (see ui/key_hold.h); true when
// the window was closed.
bool poll_events(SDL_Window* window, gs::ui::KeyHold& keys) {
  bool quit = false;
  SDL_Event event;
  while (SDL_PollEvent(&event)) {
    ImGui_ImplSDL2_ProcessEvent(&event);
    if (event.type == SDL_KEYDOWN || event.type == SDL_KEYUP)
      keys.key(event.key.keysym.scancode, event.type == SDL_KEYDOWN);  // the backend's KeysDown index
    if (event.type == SDL_QUIT) quit = true;
    if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE &&
        event.window.windowID == SDL_GetWindowID(window))
      quit = true;
  }
  return quit;
}

// This frame's keys from `keys`; a modifier counts as held while its own key is (so Ctrl+Z
// pressed and released within one frame still reaches ImGui as Ctrl+Z).
void apply_keys(gs::ui::KeyHold& keys) {
  ImGuiIO& io = ImGui::GetIO();
  keys.apply(io.KeysDown);
  io.KeyCtrl |= io.KeysDown[SDL_SCANCODE_LCTRL] || io.KeysDown[SDL_SCANCODE_RCTRL];
  io.KeyShift |= io.KeysDown[SDL_SCANCODE_LSHIFT] || io.KeysDown[SDL_SCANCODE_RSHIFT];
  io.KeyAlt |= io.KeysDown[SDL_SCANCODE_LALT] || io.KeysDown[SDL_SCANCODE_RALT];
  io.KeySuper |= io.KeysDown[SDL_SCANCODE_LGUI] || io.KeysDown[SDL_SCANCODE_RGUI];
}

// The test hooks, after each rendered frame and before it is shown: the start-up time
// (GRADSCOPE_REPORT_STARTUP), --state-out (on a new revision or panel choice), and
// --screenshot/--frames. True to stop.
bool test_hooks(const Args& args, const gs::ui::AppState& state, SDL_Window* window, int frame,
                std::chrono::steady_clock::time_point started, std::string& last_written) {
  if (frame == 1 && std::getenv("GRADSCOPE_REPORT_STARTUP")) {
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr, "first frame after %.1f ms\n", ms);
  }
  // Cell positions are known after the second frame (the first one fits the view).
  const std::string written = std::to_string(state.revision) + gs::ui::panel_settings(state);
  if (!args.state_out.empty() && frame >= 2 && written != last_written) {
    write_state(state, args.state_out);
    last_written = written;
  }
  if (args.frames <= 0 || frame < args.frames) return false;
  if (!args.screenshot.empty()) {
    int w = 0, h = 0;
    SDL_GL_GetDrawableSize(window, &w, &h);
    if (!save_png(args.screenshot, w, h)) std::fprintf(stderr, "gradscope: error: cannot write %s\n", args.screenshot.c_str());
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (gs::is_cli_invocation(argc, argv)) return gs::run_cli(argc, argv);
  const auto started = std::chrono::steady_clock::now();
  Args args = parse_args(argc, argv);
  if (!args.error.empty()) {
    std::fprintf(stderr, "gradscope: error: %s\n", args.error.c_str());
    return 1;
  }
  gs::ui::AppState state;
  state.dark = args.dark;
  if (!open_program(args, state)) return 1;

  // Setup SDL, with GL 3.2 Core + GLSL 150
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    std::fprintf(stderr, "gradscope: error: cannot start SDL: %s\n", SDL_GetError());
    return 1;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 2);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);

  // Create window with graphics context, sized for the display's DPI
  float ddpi = 96;
  if (SDL_GetDisplayDPI(0, &ddpi, nullptr, nullptr) != 0 || ddpi <= 0) ddpi = 96;
  const float scale = std::min(3.0f, std::max(1.0f, ddpi / 96.0f));
  SDL_Window* window = SDL_CreateWindow(
      "gradscope", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, int(1280 * std::min(scale, 1.5f)),
      int(800 * std::min(scale, 1.5f)), SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  if (!window) {
    std::fprintf(stderr, "gradscope: error: cannot open a window: %s\n", SDL_GetError());
    return 1;
  }
  SDL_GLContext gl_context = SDL_GL_CreateContext(window);
  SDL_GL_MakeCurrent(window, gl_context);
  SDL_GL_SetSwapInterval(args.frames > 0 ? 0 : 1);  // vsync, except for a fixed number of test frames

  // Setup Dear ImGui context, backends, and the app's style and fonts
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui_ImplSDL2_InitForOpenGL(window, gl_context);
  ImGui_ImplOpenGL3_Init("#version 150");
  gs::ui::InitOptions init;
  init.scale = scale;
  init.font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  gs::ui::init(state, init);
  const std::string settings = settings_path();
  std::string saved_settings;
  if (!settings.empty() && gs::read_program_file(settings, saved_settings).empty())
    gs::ui::apply_panel_settings(state, saved_settings);
  saved_settings = gs::ui::panel_settings(state);  // written again only when the user changes it
  gs::ui::Platform platform;
  platform.save = [&state](const std::string& path, const std::string& text) {
    // "Save as..." a name ending in .svg or .png: a picture of the graph as shown (native/render.h).
    if (gs::is_picture_path(path)) return gs::save_picture(path, text, {.gradients = state.show_gradients, .dark = state.dark});
    return gs::write_file_atomic(path, text);
  };
  platform.open = [](const std::string& path, std::string& text) { return gs::read_program_file(path, text); };

  // Main loop
  std::string last_written;
  gs::ui::KeyHold keys;
  bool done = false;
  for (int frame = 1; !done; ++frame) {
    if (poll_events(window, keys)) break;

    // Start the Dear ImGui frame
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    apply_keys(keys);
    // The backend reads the X server's global pointer, which XTEST-driven input (xdotool,
    // remote desktops) can leave stale; inside the window SDL's own position is exact.
    if (SDL_GetMouseFocus() == window) {
      int mx = 0, my = 0;
      SDL_GetMouseState(&mx, &my);
      ImGui::GetIO().MousePos = ImVec2(float(mx), float(my));
    }
    ImGui::NewFrame();
    gs::ui::frame(state, platform);

    // Rendering
    ImGui::Render();
    ImGuiIO& io = ImGui::GetIO();
    glViewport(0, 0, int(io.DisplaySize.x * io.DisplayFramebufferScale.x),
               int(io.DisplaySize.y * io.DisplayFramebufferScale.y));
    const ImVec4 bg = gs::ui::clear_color(state);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    done = test_hooks(args, state, window, frame, started, last_written);
    keep_settings(state, settings, saved_settings);
    SDL_GL_SwapWindow(window);
  }

  // Cleanup
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(gl_context);
  SDL_DestroyWindow(window);
  SDL_Quit();
  return 0;
}
