// The browser entry point: WebGL2 on this instance's canvas, the shared front end, and a
// browser-driven main loop. There is no SDL here: web/embed.js listens to the canvas's
// pointer, wheel, keyboard, focus and paste events and hands them in through the gs_input_*
// functions below, which fill ImGui's IO the way a platform backend does. The page passes
// the font and the device pixel ratio to gs_start().
#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <cfloat>
#include <cmath>
#include <string>

#include "ui/app.h"
#include "ui/key_hold.h"
#include "web/font.h"
#include "web/api.h"

namespace {

// Key indices are the browser's KeyboardEvent.keyCode values: letters are 65..90 in a row,
// which is what ui/app.cpp expects of KeyMap[ImGuiKey_A].
enum Modifier { kCtrl = 1, kShift = 2, kAlt = 4, kSuper = 8 };

struct Input {
  gs::ui::KeyHold keys;  // a key pressed and released within one frame is held down for it
  bool mouse_down[5] = {};
  bool mouse_clicked[5] = {};  // pressed since the last frame (a click shorter than a frame counts)
  int modifiers = 0;
  float width = 0, height = 0, pixel_ratio = 1;
  double last_time = 0;
  std::string clipboard;
};

Input g_in;
gs::ui::Platform g_platform;  // no files in the browser: links and localStorage instead

// ImGui copies through here: keep the text for pasting inside the app and offer it to the
// system clipboard (the page's Copy buttons and Ctrl+C in the editor run on a key or click).
void set_clipboard(void*, const char* text) {
  g_in.clipboard = text ? text : "";
  EM_ASM({
    var t = UTF8ToString($0);
    if (navigator.clipboard && navigator.clipboard.writeText)
      navigator.clipboard.writeText(t).catch(function (e) { console.warn("gradscope: copy failed: " + e.message); });
  }, g_in.clipboard.c_str());
}
const char* get_clipboard(void*) { return g_in.clipboard.c_str(); }

void begin_frame() {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(g_in.width, g_in.height);
  io.DisplayFramebufferScale = ImVec2(g_in.pixel_ratio, g_in.pixel_ratio);
  double now = emscripten_get_now() / 1000.0;
  // Headless browsers under virtual time can report no elapsed time; ImGui asserts on that.
  io.DeltaTime = g_in.last_time > 0 && now > g_in.last_time ? float(now - g_in.last_time) : 1.0f / 60.0f;
  g_in.last_time = now;
  // ImGui 1.86 samples keys and buttons once per frame: a press and release that both came
  // since the last frame would be lost, so such a release waits for the next frame.
  g_in.keys.apply(io.KeysDown);
  for (int b = 0; b < 5; ++b) {
    io.MouseDown[b] = g_in.mouse_down[b] || g_in.mouse_clicked[b];
    g_in.mouse_clicked[b] = false;
  }
  // A modifier counts as held while its own key is down, so Ctrl+C pressed and released
  // within one frame still reaches ImGui as Ctrl+C (its release waits like any key's).
  io.KeyCtrl = (g_in.modifiers & kCtrl) || io.KeysDown[17];
  io.KeyShift = (g_in.modifiers & kShift) || io.KeysDown[16];
  io.KeyAlt = (g_in.modifiers & kAlt) || io.KeysDown[18];
  io.KeySuper = (g_in.modifiers & kSuper) || io.KeysDown[91] || io.KeysDown[92] || io.KeysDown[93] ||
                io.KeysDown[224];
}

// The cursor ImGui asks for, as CSS (only written when it changes).
void update_cursor() {
  static int shown = -2;
  int cursor = ImGui::GetIO().MouseDrawCursor ? ImGuiMouseCursor_None : ImGui::GetMouseCursor();
  if (cursor == shown) return;
  shown = cursor;
  static const char* const css[ImGuiMouseCursor_COUNT] = {"default", "text", "move", "ns-resize", "ew-resize",
                                                          "nesw-resize", "nwse-resize", "pointer", "not-allowed"};
  const char* name = cursor >= 0 && cursor < ImGuiMouseCursor_COUNT ? css[cursor] : "none";
  EM_ASM({ Module.canvas.style.cursor = UTF8ToString($0); }, name);
}

// --- solid fills without texture or blending -------------------------------------------
// In a software WebGL (headless Chromium's SwiftShader) a pixel drawn by ImGui's shader, which
// samples the font texture and blends, costs many times one written plainly: measured at
// 1280x800, a screen of textured, blended fill took 100 ms a frame under load where a plain
// one took no time beyond the clear. The canvas, the cards, the panels and the fields are
// opaque fills sampling the atlas's white pixel, where the plain write gives the same pixels.
// So each large run of such triangles is drawn with a shader of its own, blending off.
struct SolidFills {
  GLuint program = 0;
  GLint projection = -1;
  GLint imgui_program = 0;
};
SolidFills g_solid;

GLuint compile_shader(GLenum type, const char* source) {
  GLuint shader = glCreateShader(type);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  return shader;
}

void solid_init() {
  GLuint program = glCreateProgram();
  glAttachShader(program, compile_shader(GL_VERTEX_SHADER,
      "#version 300 es\nprecision highp float;\nlayout (location = 0) in vec2 Position;\n"
      "layout (location = 2) in vec4 Color;\nuniform mat4 ProjMtx;\nout vec4 Frag_Color;\n"
      "void main() { Frag_Color = Color; gl_Position = ProjMtx * vec4(Position.xy, 0, 1); }\n"));
  glAttachShader(program, compile_shader(GL_FRAGMENT_SHADER,
      "#version 300 es\nprecision mediump float;\nin vec4 Frag_Color;\nlayout (location = 0) out vec4 Out_Color;\n"
      "void main() { Out_Color = Frag_Color; }\n"));
  glLinkProgram(program);
  GLint ok = 0;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (!ok) return;  // everything is then drawn by ImGui's shader, as before
  g_solid.program = program;
  g_solid.projection = glGetUniformLocation(program, "ProjMtx");
}

void solid_begin(const ImDrawList*, const ImDrawCmd*) {
  if (!g_solid.imgui_program) glGetIntegerv(GL_CURRENT_PROGRAM, &g_solid.imgui_program);  // made once, kept
  glUseProgram(g_solid.program);
  glDisable(GL_BLEND);
}
void solid_end(const ImDrawList*, const ImDrawCmd*) {
  glUseProgram(GLuint(g_solid.imgui_program));
  glEnable(GL_BLEND);
}

// Splits each draw command around its runs of opaque, untextured triangles covering at least
// kMinArea pixels (two more draw calls each: smaller runs are not worth them), in order.
void split_solid_fills(ImDrawData* dd) {
  constexpr float kMinArea = 2000;
  const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
  auto solid = [white](const ImDrawVert& v) {
    return v.uv.x == white.x && v.uv.y == white.y && (v.col & IM_COL32_A_MASK) == IM_COL32_A_MASK;
  };
  ImVector<ImDrawCmd> out;
  for (int n = 0; n < dd->CmdListsCount; ++n) {
    ImDrawList* list = dd->CmdLists[n];
    out.resize(0);
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
      const ImDrawVert* vtx = list->VtxBuffer.Data + cmd.VtxOffset;
      auto emit = [&](unsigned from, unsigned to, ImDrawCallback callback) {
        ImDrawCmd part = cmd;
        part.IdxOffset = cmd.IdxOffset + from;
        part.ElemCount = to - from;
        part.UserCallback = callback;
        if (callback || to > from) out.push_back(part);
      };
      unsigned done = 0;  // indices before this are emitted
      for (unsigned t = 0; !cmd.UserCallback && t < cmd.ElemCount;) {
        unsigned end = t;
        float area = 0;
        for (; end < cmd.ElemCount; end += 3) {
          const ImDrawVert &a = vtx[idx[end]], &b = vtx[idx[end + 1]], &c = vtx[idx[end + 2]];
          if (!solid(a) || !solid(b) || !solid(c)) break;
          area += std::fabs((b.pos.x - a.pos.x) * (c.pos.y - a.pos.y) - (c.pos.x - a.pos.x) * (b.pos.y - a.pos.y)) / 2;
        }
        if (area >= kMinArea) {
          emit(done, t, nullptr);
          emit(t, t, solid_begin);
          emit(t, end, nullptr);
          emit(end, end, solid_end);
          done = end;
        }
        t = end > t ? end : t + 3;
      }
      if (cmd.UserCallback) out.push_back(cmd);
      else emit(done, cmd.ElemCount, nullptr);
    }
    list->CmdBuffer.swap(out);
  }
}

// The solid shader's projection: ImGui's (its backend sets the same for its own shader).
void solid_projection(const ImDrawData* dd) {
  const float l = dd->DisplayPos.x, r = l + dd->DisplaySize.x, t = dd->DisplayPos.y, b = t + dd->DisplaySize.y;
  const float m[16] = {2 / (r - l), 0, 0, 0, 0, 2 / (t - b), 0, 0, 0, 0, -1, 0, (r + l) / (l - r), (t + b) / (b - t), 0, 1};
  glUseProgram(g_solid.program);
  glUniformMatrix4fv(g_solid.projection, 1, GL_FALSE, m);
}

void frame() {
  begin_frame();
  const bool svg = gs::web::svg_frame();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  gs::ui::frame(gs::web::state(), g_platform);
  ImGui::Render();
  if (svg) gs::web::take_svg();  // (before split_solid_fills rewrites the draw data)
  update_cursor();
  const ImVec4 bg = gs::ui::clear_color(gs::web::state());
  ImGuiIO& io = ImGui::GetIO();
  glViewport(0, 0, int(io.DisplaySize.x * io.DisplayFramebufferScale.x),
             int(io.DisplaySize.y * io.DisplayFramebufferScale.y));
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  if (g_solid.program) {
    split_solid_fills(ImGui::GetDrawData());
    solid_projection(ImGui::GetDrawData());
  }
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  gs::web::after_frame();
}

// Sets the canvas's backing store to its CSS size times the pixel ratio.
void apply_size(int width, int height, float ratio) {
  if (width <= 0 || height <= 0) return;
  g_in.width = float(width);
  g_in.height = float(height);
  g_in.pixel_ratio = ratio > 0 ? ratio : 1.0f;
  emscripten_set_canvas_element_size("#canvas", int(width * g_in.pixel_ratio + 0.5f),
                                     int(height * g_in.pixel_ratio + 0.5f));
}

}  // namespace

extern "C" {

// Follows the container's size in CSS pixels and the page's devicePixelRatio.
EMSCRIPTEN_KEEPALIVE void gs_resize(int width, int height, float ratio) { apply_size(width, height, ratio); }

// Starts the app: `font` (a TTF; the browser build has no built-in font) must stay alive;
// `ratio` is devicePixelRatio; `mac` makes Cmd the shortcut key (Cmd+C, Cmd+Z ...) as on a Mac.
EMSCRIPTEN_KEEPALIVE int gs_start(const void* font, int font_size, float ratio, int width, int height, int dark,
                                  int mac) {
  if (!font || font_size <= 0) return 0;
  // Emscripten resolves "#canvas" through specialHTMLTargets before querySelector: map it
  // to this instance's own canvas (several instances share one page).
  EM_ASM({ specialHTMLTargets["#canvas"] = Module.canvas; });
  EmscriptenWebGLContextAttributes attr;
  emscripten_webgl_init_context_attributes(&attr);
  attr.majorVersion = 2;
  attr.minorVersion = 0;
  attr.alpha = false;
  attr.depth = false;
  attr.stencil = false;
  attr.antialias = false;
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl = emscripten_webgl_create_context("#canvas", &attr);
  if (gl <= 0) return 0;
  emscripten_webgl_make_context_current(gl);
  apply_size(width, height, ratio);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.BackendPlatformName = "gradscope_web";
  io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
  io.ConfigMacOSXBehaviors = mac != 0;
  io.SetClipboardTextFn = set_clipboard;
  io.GetClipboardTextFn = get_clipboard;
  const int keys[][2] = {{ImGuiKey_Tab, 9},        {ImGuiKey_LeftArrow, 37}, {ImGuiKey_RightArrow, 39},
                         {ImGuiKey_UpArrow, 38},   {ImGuiKey_DownArrow, 40}, {ImGuiKey_PageUp, 33},
                         {ImGuiKey_PageDown, 34},  {ImGuiKey_Home, 36},      {ImGuiKey_End, 35},
                         {ImGuiKey_Insert, 45},    {ImGuiKey_Delete, 46},    {ImGuiKey_Backspace, 8},
                         {ImGuiKey_Space, 32},     {ImGuiKey_Enter, 13},     {ImGuiKey_Escape, 27},
                         {ImGuiKey_KeyPadEnter, 13}, {ImGuiKey_A, 65},       {ImGuiKey_C, 67},
                         {ImGuiKey_V, 86},         {ImGuiKey_X, 88},         {ImGuiKey_Y, 89},
                         {ImGuiKey_Z, 90}};
  for (const auto& k : keys) io.KeyMap[k[0]] = k[1];
  ImGui_ImplOpenGL3_Init("#version 300 es");
  solid_init();
  io.Fonts->FontBuilderIO = gs::web::page_font_builder();  // the page draws the glyphs (web/font.cpp)

  gs::ui::InitOptions init;
  init.font_data = font;
  init.font_data_size = font_size;
  init.pixel_ratio = ratio;
  gs::web::state().dark = dark != 0;
  gs::web::state().picture_download = true;  // the Export tab's "Save picture (PNG)" and "SVG" (web/embed.js)
  gs::ui::init(gs::web::state(), init);
  emscripten_set_main_loop(frame, 0, false);
  return 1;
}

// The pointer moved to (x, y) in CSS pixels from the canvas's top left (a drag that goes on
// outside the canvas gives positions outside it).
EMSCRIPTEN_KEEPALIVE void gs_input_pointer(float x, float y) { ImGui::GetIO().MousePos = ImVec2(x, y); }

// The pointer left the canvas: nothing is hovered.
EMSCRIPTEN_KEEPALIVE void gs_input_pointer_left() { ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX); }

// A mouse button (0 left, 1 right, 2 middle) or a touch went down or up.
EMSCRIPTEN_KEEPALIVE void gs_input_button(int button, int down) {
  if (button < 0 || button >= 5) return;
  g_in.mouse_down[button] = down != 0;
  if (down) g_in.mouse_clicked[button] = true;
}

// Wheel steps (positive: up / right, as ImGui counts them).
EMSCRIPTEN_KEEPALIVE void gs_input_wheel(float dx, float dy) {
  ImGuiIO& io = ImGui::GetIO();
  io.MouseWheelH += dx;
  io.MouseWheel += dy;
}

// A key (KeyboardEvent.keyCode) went down or up; `modifiers` holds Ctrl 1, Shift 2, Alt 4, Meta 8.
EMSCRIPTEN_KEEPALIVE void gs_input_key(int code, int down, int modifiers) {
  g_in.modifiers = modifiers;
  if (code > 0) g_in.keys.key(code, down != 0);
}

// Typed or pasted text (UTF-8, `bytes` long, in the heap: embed.js checked its size).
EMSCRIPTEN_KEEPALIVE void gs_input_text(const char* text, int bytes) {
  if (text && bytes > 0) ImGui::GetIO().AddInputCharactersUTF8(std::string(text, size_t(bytes)).c_str());
}

// The canvas gained or lost the keyboard focus: on losing it, nothing stays pressed.
EMSCRIPTEN_KEEPALIVE void gs_input_focus(int focused) {
  if (!focused) {
    for (int k = 0; k < gs::ui::KeyHold::kCount; ++k) {
      if (g_in.keys.down(k)) gs_input_key(k, 0, 0);
    }
    for (bool& b : g_in.mouse_down) b = false;
    g_in.modifiers = 0;
  }
  ImGui::GetIO().AddFocusEvent(focused != 0);
}

// Whether a text field is being edited: Tab then stays in the app (the next field); otherwise
// it moves the page's focus on, so the keyboard is never trapped in the canvas (Escape leaves
// a text field).
EMSCRIPTEN_KEEPALIVE int gs_input_text_active() { return ImGui::GetIO().WantTextInput ? 1 : 0; }

}  // extern "C"

int main() { return 0; }  // the page calls gs_start() once the font has loaded
