// Everything the front end edits: the program text, the last good graph, selection,
// step-through, training and view settings. The platform layers (native/, web/) and the
// JS API read and write this; ui/ draws it.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/compile.h"
#include "core/exercise.h"
#include "core/graph.h"
#include "ui/stepper.h"
#include "ui/view_state.h"

namespace gs::ui {

// What an instructor may restrict (web data-* attributes, URL options, exercises).
struct Options {
  bool show_editor = true;      // the program editor and the examples menu
  bool show_inputs = true;      // the inputs panel
  bool show_side = true;        // inspector / check / train / export tabs
  bool show_menu = true;        // the menu bar
  std::set<std::string> locked; // inputs that cannot be edited ("*" locks all)
  std::set<std::string> grad_nodes;  // if non-empty, only these nodes show gradients
  bool start_in_step_mode = false;
};

struct Training {
  std::set<std::string> train;  // inputs updated by gradient descent
  double learning_rate = 0.1;
  bool running = false;
  int steps_per_frame = 1;
  std::vector<float> history;   // the output after each step
};

struct CellRect { float x = 0, y = 0, w = 0, h = 0; bool visible = false; };

// A student's work on one exercise question.
struct Answer {
  std::vector<std::string> cells;  // what was typed, row-major
  Marked marked;                   // set by Check
  bool checked = false;
  bool revealed = false;
  bool done() const { return revealed || marked.all(); }
};

struct AppState {
  std::string program;               // the editor's text: may not compile
  std::string example;               // the example it came from, "" if typed
  Graph graph;                       // the last graph that compiled: always drawable
  std::optional<Error> error;        // why `program` does not compile, if it doesn't
  Options options;
  Training training;
  Stepper stepper;
  Exercise exercise;                 // from the program's "#!" lines; inactive if none
  std::vector<Answer> answers;       // one per exercise question
  int selected = -1;                 // node shown in the inspector
  bool show_gradients = true;
  bool dark = false;
  ViewState view;                    // pan, zoom, hover, panels: ui/view_state.h
  bool fit_pending = true;           // re-centre the graph on the next frame
  unsigned long long revision = 0;   // bumped on every change of values or program
  std::string status;                // one-line message in the status bar ("saved to ...")
  std::string file_path;             // desktop: where Save writes
  // Where the graph view drew each value cell this frame, in framebuffer-independent
  // window coordinates (ImGui's), keyed by node index: used by the JS API's cellRect.
  std::vector<std::vector<CellRect>> value_cells;
};

// Compiles `text`; on success replaces the graph and clears the error, otherwise keeps
// the last good graph and records the error. Either way `program` becomes `text`.
bool set_program(AppState& s, const std::string& text, const std::string& example = "");
bool load_example(AppState& s, const std::string& name);
// Sets one entry of an input and recomputes; refuses locked inputs and non-finite values.
bool set_input_entry(AppState& s, int node, int row, int col, double value);
// Replaces a whole input; a new shape recompiles the program with that value.
Result<bool> set_input_value(AppState& s, const std::string& name, const Matrix& value);
// After values change: recompute, rewrite the editor text, bump the revision.
void values_changed(AppState& s);
bool is_locked(const AppState& s, const std::string& input);
// Whether a panel is shown: the page's options and the exercise's "#! hide" both apply.
bool panel_visible(const AppState& s, const char* panel);
// True while an exercise question about this value or gradient is unanswered.
bool is_hidden(const AppState& s, int node, bool gradient);
// Checks the typed answer of question q against the current truth.
void check_answer(AppState& s, size_t q);
bool shows_gradient(const AppState& s, int node);
// Fills every unlocked input with random values (normal, sd 1, seeded) keeping shapes.
void randomize_inputs(AppState& s, unsigned seed);
// One gradient-descent step on the trained inputs; appends the output to the history.
void train_step(AppState& s);

}  // namespace gs::ui
