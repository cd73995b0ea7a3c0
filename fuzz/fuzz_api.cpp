// libFuzzer target for the embed boundary: the browser's JS API (web/api.cpp, built natively
// against fuzz/emscripten/) called as a hostile page would call it, up to 16 calls in any
// order with any text: setProgram, set, get, setOptions, cellRect, answer, reveal, the JSON
// views. Every answer is valid JSON (or "" / a message where the API returns one), a program
// that was accepted reads back as given, the values written out for a link reopen, and
// afterwards the same instance still loads and evaluates the seed example.
#include <fuzzer/FuzzedDataProvider.h>
#include <imgui.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "api_exports.h"
#include "check.h"
#include "core/compile.h"
#include "core/limits.h"
#include "core/serialize.h"
#include "ui/state.h"
#include "web/api.h"

using nlohmann::json;

namespace {

json parsed(const char* text, const char* call) {
  FUZZ_CHECK(text != nullptr, "%s returned null", call);
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!j.is_discarded(), "%s returned text that is not JSON: %.200s", call, text);
  return j;
}

// "" for success, or a one-line reason: never JSON, never empty on failure.
void check_reason(const char* text, const char* call) {
  FUZZ_CHECK(text != nullptr, "%s returned null", call);
  FUZZ_CHECK(std::string(text).find('\0') == std::string::npos, "%s", call);
}

// Names the fuzzer can reach easily: the seed's nodes, and whatever it makes up.
std::string name(FuzzedDataProvider& in) {
  static const char* const known[] = {"W", "x", "Z", "y", "f", "b", "h", ""};
  if (in.ConsumeBool()) return known[in.ConsumeIntegralInRange<size_t>(0, 7)];
  return in.ConsumeRandomLengthString(64);
}

}  // namespace

// The state after the seed example loaded: each input starts from a copy (cheaper than a compile).
static const gs::ui::AppState& seed_state() {
  static const gs::ui::AppState seed = [] {
    gs::ui::AppState s;
    FUZZ_CHECK(gs::ui::load_example(s, "seed"), "the seed example did not load");
    return s;
  }();
  return seed;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ImGui::CreateContext();  // setOptions({"dark": ...}) restyles ImGui
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  gs::web::state() = seed_state();
  for (int call = 0; call < 16 && in.remaining_bytes() > 0; ++call) {
    switch (in.ConsumeIntegralInRange<int>(0, 11)) {
      case 0: {  // setProgram: a program that builds reads back exactly (up to a NUL, as C strings end)
        const std::string text = in.ConsumeRandomLengthString(gs::kMaxSourceBytes + 2);
        json errors = parsed(gs_set_program(text.c_str()), "gs_set_program");
        FUZZ_CHECK(errors.is_array(), "gs_set_program: not a list");
        if (errors.empty()) {
          FUZZ_CHECK(std::string(gs_program()) == text.c_str(), "gs_program() differs from the accepted program");
        } else {
          for (const json& e : errors) {
            FUZZ_CHECK(e.contains("message") && e.contains("line") && e.contains("column") && e.contains("text"),
                       "gs_set_program: an error without its place");
            FUZZ_CHECK(e["text"].get<std::string>().find('\x1b') == std::string::npos, "an error echoes ESC raw");
          }
          parsed(gs_errors(), "gs_errors");
        }
        break;
      }
      case 1: {  // set: a value that was accepted is what get() returns
        const std::string n = name(in), value = in.ConsumeRandomLengthString(512);
        const char* why = gs_set(n.c_str(), value.c_str());
        check_reason(why, "gs_set");
        if (*why == '\0') {
          json got = parsed(gs_get(n.c_str()), "gs_get");
          auto m = gs::matrix_from_json(value.c_str());
          FUZZ_CHECK(m.ok(), "gs_set accepted a value matrix_from_json refuses");
          FUZZ_CHECK(got.contains("value") && got["value"].size() == size_t(m.value().rows()),
                     "get() after set() shows another value");
        }
        break;
      }
      case 2:
        parsed(gs_get(name(in).c_str()), "gs_get");
        break;
      case 3:
        check_reason(gs_set_options(in.ConsumeRandomLengthString(512).c_str()), "gs_set_options");
        break;
      case 4:
        gs_load_example(in.ConsumeBool() ? "mlp" : in.ConsumeRandomLengthString(16).c_str());
        break;
      case 5: {
        const std::string n = name(in);
        json rect = parsed(gs_cell_rect(n.c_str(), in.ConsumeIntegral<int>(), in.ConsumeIntegral<int>()), "gs_cell_rect");
        FUZZ_CHECK(rect.is_array() && (rect.empty() || rect.size() == 4), "gs_cell_rect: not [] or [x, y, w, h]");
        break;
      }
      case 6:
        parsed(gs_text_view_json(), "gs_text_view_json");
        break;
      case 7:
        parsed(gs_exercise_json(), "gs_exercise_json");
        break;
      case 8:
        check_reason(gs_answer(in.ConsumeIntegralInRange<int>(-1, 3), in.ConsumeRandomLengthString(256).c_str()),
                     "gs_answer");
        break;
      case 9:
        check_reason(gs_reveal(in.ConsumeIntegralInRange<int>(-1, 3)), "gs_reveal");
        break;
      case 10: {  // the text a link or localStorage keeps reopens
        const std::string saved = gs_program_with_values();
        if (!gs::web::state().error) {
          auto g = gs::compile(saved);
          FUZZ_CHECK(g.ok(), "the program with its values does not reopen: %s", g.error().message.c_str());
        }
        break;
      }
      default:
        parsed(gs_graph_json(), "gs_graph_json");
        break;
    }
  }
  // The instance keeps working: the seed loads and gives the notebook's f = 0.75.
  FUZZ_CHECK(gs_load_example("seed") == 1, "the seed example no longer loads");
  json f = parsed(gs_get("f"), "gs_get");
  FUZZ_CHECK(f.contains("value") && f["value"][0][0].get<double>() == 0.75, "the seed no longer gives f = 0.75");
  return 0;
}
