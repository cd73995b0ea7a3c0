// The CPU cost of one UI frame after an edit, as the user drags an entry: the core recompute
// (set_input_entry: evaluate() and the program text) plus building ImGui's draw lists
// (ImGui::NewFrame + gs::ui::frame + ImGui::Render), in a headless ImGui context as
// tests/test_ui.cpp uses, with no renderer. Runs natively and as WebAssembly under node.
// Prints one JSON object per line.
#include <imgui.h>

#include "bench/harness.h"
#include "core/examples.h"
#include "ui/headless.h"

using namespace gs;
using namespace gs::bench;

namespace {

volatile double g_sink;

using ui::Headless;

void example(Headless& h, const char* name, const char* input) {
  ui::load_example(h.state, name);
  for (int i = 0; i < 3; ++i) h.frame();  // fit the view, lay out the windows
  const int id = h.state.graph.find(input);
  const double v0 = h.state.graph.node(id).value(0, 0);
  long long k = 0;
  auto edit = [&] { ui::set_input_entry(h.state, id, 0, 0, v0 + ((++k & 1) ? 1e-3 : 0.0)); };
  SideBySide sbs(
      15, 0.05, [&] { edit(); h.frame(); g_sink = ImGui::GetDrawData()->TotalVtxCount; },
      [&] { h.frame(); g_sink = ImGui::GetDrawData()->TotalVtxCount; },
      [&] { edit(); g_sink = h.state.graph.node(h.state.graph.output).value(0, 0); });
  const ImDrawData* dd = ImGui::GetDrawData();
  JsonLine("ui_frame")
      .str("example", name)
      .timing("edit_frame", sbs.timing(0))  // what the target is about
      .timing("frame", sbs.timing(1))       // drawing only, nothing changed
      .timing("edit", sbs.timing(2))        // set_input_entry alone: evaluate() + program text
      .num("vertices", dd->TotalVtxCount)
      .num("draw_lists", dd->CmdListsCount)
      .print();
}

}  // namespace

int main() {
#if defined(__EMSCRIPTEN__)
  const char* platform = "wasm";
#else
  const char* platform = "native";
#endif
  JsonLine("ui_machine").str("platform", platform).print();
  Headless h;
  example(h, "seed", "W");
  example(h, "mlp", "W1");
  return 0;
}
