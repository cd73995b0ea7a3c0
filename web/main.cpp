// The browser entry point, in the shape of imgui's example_emscripten_opengl3: SDL2 + WebGL2
// on this instance's canvas, the shared front end, and a browser-driven main loop. The page
// (web/gradscope-api.js) hands in the font and the DPI scale through gs_start().
#include <SDL.h>
#include <emscripten.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include <SDL_opengles2.h>

#include <algorithm>
#include <vector>

#include "ui/app.h"
#include "web/api.h"

namespace {

SDL_Window* g_window = nullptr;
gs::ui::Platform g_platform;  // no files in the browser: links and localStorage instead

void frame() {
  // ImGui 1.86 samples keys once per frame, so a key pressed and released within one frame
  // would be lost: such a release waits for the next frame.
  SDL_Event event;
  std::vector<SDL_Event> deferred;
  std::vector<int> pressed;
  while (SDL_PollEvent(&event)) {
    if (event.type == SDL_KEYDOWN) pressed.push_back(event.key.keysym.scancode);
    if (event.type == SDL_KEYUP &&
        std::find(pressed.begin(), pressed.end(), int(event.key.keysym.scancode)) != pressed.end()) {
      deferred.push_back(event);
      continue;
    }
    ImGui_ImplSDL2_ProcessEvent(&event);
  }
  for (SDL_Event& e : deferred) SDL_PushEvent(&e);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  // Headless browsers under virtual time can report no elapsed time; ImGui asserts on that.
  ImGuiIO& io = ImGui::GetIO();
  if (io.DeltaTime <= 0) io.DeltaTime = 1.0f / 60.0f;
  ImGui::NewFrame();
  gs::ui::frame(gs::web::state(), g_platform);
  ImGui::Render();
  glViewport(0, 0, int(io.DisplaySize.x * io.DisplayFramebufferScale.x),
             int(io.DisplaySize.y * io.DisplayFramebufferScale.y));
  glClearColor(0.96f, 0.96f, 0.95f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  gs::web::after_frame();
}

}  // namespace

extern "C" {

// Follows the container's size in CSS pixels.
EMSCRIPTEN_KEEPALIVE void gs_resize(int width, int height) {
  if (g_window && width > 0 && height > 0) SDL_SetWindowSize(g_window, width, height);
}

// Starts the app: `font` (a TTF, may be null) must stay alive; `scale` is devicePixelRatio.
EMSCRIPTEN_KEEPALIVE int gs_start(const void* font, int font_size, float scale, int width, int height, int dark) {
  // SDL addresses its canvas as "#canvas"; Emscripten resolves selectors with querySelector,
  // so map that name to this instance's own canvas (several instances share one page).
  EM_ASM({ specialHTMLTargets["#canvas"] = Module.canvas; });
  SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");  // keys go to this instance only
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    EM_ASM({ console.error('gradscope: SDL_Init failed: ' + UTF8ToString($0)); }, SDL_GetError());
    return 0;
  }
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  g_window = SDL_CreateWindow("gradscope", 0, 0, width, height,
                              SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  if (!g_window) return 0;
  SDL_GLContext gl = SDL_GL_CreateContext(g_window);
  if (!gl) return 0;
  SDL_GL_MakeCurrent(g_window, gl);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui_ImplSDL2_InitForOpenGL(g_window, gl);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  gs::ui::InitOptions init;
  init.font_data = font;
  init.font_data_size = font_size;
  init.pixel_ratio = scale;
  gs::web::state().dark = dark != 0;
  gs::ui::init(gs::web::state(), init);
  emscripten_set_main_loop(frame, 0, false);
  return 1;
}

}  // extern "C"

int main() { return 0; }  // the page calls gs_start() once the font has loaded
