// libFuzzer target for the embed boundary: the browser's JS API (web/api.cpp, built natively
// against fuzz/emscripten/) called as a hostile page would call it, up to 16 calls in any
// order with any bytes (NULs included): setProgram, set, get, setOptions, cellRect, answer,
// reveal, undo/redo, the text view's pages and the JSON views. Every answer is valid JSON (or
// "" / a message where the API returns one), a program that was accepted reads back as given,
// the values written out for a link reopen, and afterwards the same instance still loads and
// evaluates the seed example.
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
#include "web/font.h"

using nlohmann::json;

// The page's font (web/font.cpp draws it with the browser's canvas): svg()'s em per font height.
float gs::web::page_font_em_per_height() { return 1; }

namespace {

// The last answer, all of its bytes (it may hold NULs).
std::string answer(const char* text, const char* call) {
  FUZZ_CHECK(text != nullptr, "%s returned null", call);
  return std::string(text, gs_out_size());
}

json parsed(const char* text, const char* call) {
  const std::string s = answer(text, call);
  json j = json::parse(s, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!j.is_discarded(), "%s returned text that is not JSON: %.200s", call, s.c_str());
  return j;
}

// "" for success, or a one-line reason without control characters.
void check_reason(const char* text, const char* call) {
  for (char c : answer(text, call))
    FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 || c == '\n', "%s: a control character in the reason", call);
}

// Names the fuzzer can reach easily: the seed's nodes, and whatever it makes up.
std::string name(FuzzedDataProvider& in) {
  static const char* const known[] = {"W", "x", "Z", "y", "f", "b", "h", ""};
  if (in.ConsumeBool()) return known[in.ConsumeIntegralInRange<size_t>(0, 7)];
  return in.ConsumeRandomLengthString(64);
}

int bytes(const std::string& s) { return int(s.size()); }

// The state after the seed example loaded: each input starts from a copy (cheaper than a compile).
const gs::ui::AppState& seed_state() {
  static const gs::ui::AppState seed = [] {
    gs::ui::AppState s;
    FUZZ_CHECK(gs::ui::load_example(s, "seed"), "the seed example did not load");
    return s;
  }();
  return seed;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ImGui::CreateContext();  // setOptions({"dark": ...}) restyles ImGui
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  gs::web::state() = seed_state();
  for (int call = 0; call < 16 && in.remaining_bytes() > 0; ++call) {
    switch (in.ConsumeIntegralInRange<int>(0, 13)) {
      case 0: {  // setProgram: a program that builds reads back exactly
        const std::string text = in.ConsumeRandomLengthString(gs::kMaxSourceBytes + 2);
        json errors = parsed(gs_set_program(text.data(), bytes(text)), "gs_set_program");
        FUZZ_CHECK(errors.is_array(), "gs_set_program: not a list");
        if (errors.empty()) {
          FUZZ_CHECK(answer(gs_program(), "gs_program") == text, "gs_program() differs from the accepted program");
        } else {
          for (const json& e : errors) {
            FUZZ_CHECK(e.contains("message") && e.contains("line") && e.contains("column") && e.contains("text"),
                       "gs_set_program: an error without its place");
            for (char c : e["text"].get<std::string>())
              FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t',
                         "an error message echoes a control character raw");
          }
          parsed(gs_errors(), "gs_errors");
        }
        break;
      }
      case 1: {  // set: a value that was accepted is what get() returns
        const std::string n = name(in), value = in.ConsumeRandomLengthString(512);
        const char* why = gs_set(n.data(), bytes(n), value.data(), bytes(value));
        check_reason(why, "gs_set");
        if (*why == '\0') {
          auto m = gs::matrix_from_json(value);
          FUZZ_CHECK(m.ok(), "gs_set accepted a value matrix_from_json refuses");
          json got = parsed(gs_get(n.data(), bytes(n)), "gs_get");
          FUZZ_CHECK(got.contains("value"), "get() after set() has no value");
          FUZZ_CHECK(got["value"].is_null() || got["value"].size() == size_t(m.value().rows()),  // null: hidden
                     "get() after set() shows another value");
        }
        break;
      }
      case 2: {
        const std::string n = name(in);
        parsed(gs_get(n.data(), bytes(n)), "gs_get");
        break;
      }
      case 3: {
        const std::string options = in.ConsumeRandomLengthString(512);
        check_reason(gs_set_options(options.data(), bytes(options)), "gs_set_options");
        break;
      }
      case 4: {
        const std::string example = in.ConsumeBool() ? "mlp" : in.ConsumeRandomLengthString(16);
        gs_load_example(example.data(), bytes(example));
        break;
      }
      case 5: {
        const std::string n = name(in);
        json rect = parsed(gs_cell_rect(n.data(), bytes(n), in.ConsumeIntegral<int>(), in.ConsumeIntegral<int>()),
                           "gs_cell_rect");
        FUZZ_CHECK(rect.is_array() && (rect.empty() || rect.size() == 4), "gs_cell_rect: not [] or [x, y, w, h]");
        break;
      }
      case 6: {  // the text view, whole or one page at any corner
        const int rows = in.ConsumeIntegralInRange<int>(-1, 40), cols = in.ConsumeIntegralInRange<int>(-1, 40);
        const std::string pages = in.ConsumeRandomLengthString(128);
        parsed(gs_text_view_json(rows, cols, pages.data(), bytes(pages)), "gs_text_view_json");
        break;
      }
      case 7:
        parsed(gs_exercise_json(), "gs_exercise_json");
        break;
      case 8: {
        const std::string value = in.ConsumeRandomLengthString(256);
        check_reason(gs_answer(in.ConsumeIntegralInRange<int>(-1, 3), value.data(), bytes(value)), "gs_answer");
        break;
      }
      case 9:
        check_reason(gs_reveal(in.ConsumeIntegralInRange<int>(-1, 3)), "gs_reveal");
        break;
      case 10: {  // the text a link or localStorage keeps reopens
        const std::string saved = answer(gs_program_with_values(), "gs_program_with_values");
        if (!gs::web::state().error) {
          auto g = gs::compile(saved);
          FUZZ_CHECK(g.ok(), "the program with its values does not reopen: %s", g.error().message.c_str());
        }
        break;
      }
      case 11:
        in.ConsumeBool() ? gs_undo() : gs_redo();
        break;
      case 12:
        parsed(gs_derivation_json(), "gs_derivation_json");
        break;
      default:
        parsed(gs_graph_json(), "gs_graph_json");
        break;
    }
  }
  // The instance keeps working: the seed loads and gives the notebook's f = 0.75 (read from
  // the state: what get() shows may be hidden by the options or the step-through).
  FUZZ_CHECK(gs_load_example("seed", 4) == 1, "the seed example no longer loads");
  const gs::Graph& g = gs::web::state().graph;
  FUZZ_CHECK(g.output >= 0 && g.node(g.output).value(0, 0) == 0.75, "the seed no longer gives f = 0.75");
  return 0;
}
