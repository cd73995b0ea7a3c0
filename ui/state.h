// Everything the front end edits: the program text, the last good graph, selection,
// step-through, training and view settings. The platform layers (native/, web/) and the
// JS API read and write this; ui/ draws it.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/compile.h"
#include "core/derive.h"
#include "core/exercise.h"
#include "core/gradcheck.h"
#include "core/graph.h"
#include "ui/stepper.h"
#include "ui/view_state.h"
#include "ui/views.h"

namespace gs::ui {

// What an instructor may restrict (web data-* attributes, URL options, exercises).
struct Options {
  std::set<std::string> hidden; // panels the page hides, by their names in kHideablePanels
  std::set<std::string> locked; // inputs that cannot be edited ("*" locks all)
  std::set<std::string> grad_nodes;  // if non-empty, only these nodes show gradients
  bool start_in_step_mode = false;
};

struct CellRect { float x = 0, y = 0, w = 0, h = 0; bool visible = false; };

struct Training {
  std::set<std::string> train;  // inputs updated by gradient descent
  std::string inputs_seen;      // the input names `train` was chosen for ("W,x")
  double learning_rate = 0.1;
  bool running = false;
  int steps_per_frame = 1;
  std::vector<float> history;   // the output after each step
  std::vector<std::pair<std::string, Matrix>> start_values;  // trained inputs before their first step
  bool log_scale = false;
  CellRect plot;                // where the loss plot was drawn this frame
};

// A student's work on one exercise question.
struct Answer {
  std::vector<std::string> cells;  // what was typed, row-major
  std::vector<char> not_number;    // per entry, set by Check: the text is not a number
  Marked marked;                   // set by Check
  bool checked = false;
  bool revealed = false;           // the answer was shown (stays so): not "answered"
  bool show_step = true;           // the revealed chain-rule step is open
  int checks = 0;                  // how many times Check was pressed
  int right_at = 0;                // the check that got every entry right (0: not yet)
  bool done() const { return revealed || marked.all(); }
  bool right_first_try() const { return right_at == 1; }
  bool right_after_retries() const { return right_at > 1; }
};
struct ExerciseSummary { int first_try = 0, after_retries = 0, revealed = 0, open = 0; };

// Undo and redo: each entry is the whole program text (values live in its literals), so
// one mechanism covers typing, drags, reshapes, resets and example switches.
struct History {
  struct Entry { std::string program, example; };
  std::vector<Entry> entries;
  size_t at = 0;                 // entries[at] is the state shown
  static constexpr size_t kMax = 200;
};

// Widget state the panels keep between frames (no function statics: two AppStates side
// by side share nothing).
struct PanelState {
  // Check
  unsigned long long checked_revision = ~0ull;
  GradCheck report;
  bool auto_check = true;
  // A check in progress (a slice a frame), or none. A copy of the state starts with none:
  // a run is one window's work, not a value to share.
  struct CheckRun : std::unique_ptr<GradCheckRun> {
    CheckRun() = default;
    CheckRun(const CheckRun&) : std::unique_ptr<GradCheckRun>() {}
    CheckRun& operator=(const CheckRun&) { reset(); return *this; }
    CheckRun& operator=(std::unique_ptr<GradCheckRun> run) { std::unique_ptr<GradCheckRun>::operator=(std::move(run)); return *this; }
  } check_run;
  unsigned long long check_run_revision = 0; // the revision it checks
  double check_slice_seconds = 0.012;        // of checking a frame; 0: one forward pass a frame
  // Inputs: the "shape..." popup
  int reshape_rows = 1, reshape_cols = 1;
  // Export: 0 PyTorch, 1 NumPy, 2 JSON, 3 program
  int export_format = 0;
  // Exercise authoring
  std::set<std::string> ask_values, ask_grads, lock, hide;
  // Help window and the desktop's file popups
  bool show_help = false;
  bool open_save = false, open_open = false;
  char path[512] = "";
  int followed_step = -1;        // the step the inspector last followed
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
  Derivation derivation;             // the "#! backward" claims and their verdicts (derive.h)
  std::optional<Error> derive_error; // why the backward section does not compile, if it doesn't
  bool derive_tab_opens = false;     // a backward section just appeared: bring its tab forward
  int selected = -1;                 // node shown in the inspector
  bool show_gradients = true;
  bool dark = false;
  // Pictures in the browser: the platform can save a PNG or an SVG of the graph as drawn (the
  // Export tab then offers them), and the requests it takes after a frame is drawn, one for
  // each format (web/api.cpp, web/embed.js). A download also answers a script's request.
  bool picture_download = false;
  enum class Picture { None = 0, ForScript = 1, Download = 2 };
  Picture png_request = Picture::None, svg_request = Picture::None;
  ViewState view;                    // pan, zoom, hover, panels: ui/view_state.h
  bool fit_pending = true;           // re-centre the graph on the next frame
  unsigned long long revision = 0;   // bumped on every change of values or program
  std::string status;                // one-line message in the status bar ("saved to ...")
  std::string file_path;             // desktop: where Save writes
  // Where the graph view drew each value cell this frame, in framebuffer-independent
  // window coordinates (ImGui's), keyed by node index: used by the JS API's cellRect.
  std::vector<std::vector<CellRect>> value_cells;
  PanelState panels;
  History history;
  // Where the editor error was drawn (the banner over the graph while the text has an error).
  CellRect stale_banner;
  ViewsState views;                  // the Views tab: Jacobian, forward mode, flow, landscape (ui/views.h)
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
bool all_locked(const AppState& s);  // "*": the program editor is read-only
// An edit of the program text from a person (editor, text view, paste): like set_program,
// but a change to a locked input's literal is refused with an error at that literal.
// `example`: the example the text still counts as (the editor keeps it; a new text drops it).
bool edit_program(AppState& s, const std::string& text, const std::string& example);
// Whether a panel is shown: the page's options and the exercise's "#! hide" both apply.
bool panel_visible(const AppState& s, const char* panel);
// The one hiding rule every surface asks: true while an open exercise question hides this
// value or gradient (core/exercise.h hidden_by), or while step-through has not computed it.
bool is_hidden(const AppState& s, int node, bool gradient);
// The graph as shown: the step-through's partial graph while stepping, else the graph.
const Graph& shown_graph(const AppState& s);
// The node's {"value", "grad", "shape"} (hidden parts null, "hidden": true), and the whole
// graph, as the JS API's get(), graph() and text view show them.
std::string visible_node_json(const AppState& s, int node);
std::string visible_graph_json(const AppState& s, bool constants = true);
// True while some exercise question is unanswered or step-through is on: the panels that
// reveal gradients (Check, Train, Export) are locked.
bool answers_hidden(const AppState& s);
ExerciseSummary exercise_summary(const AppState& s);
// Steps through to `step` and shows that step's node in the inspector.
void step_to(AppState& s, int step);
// Checks the typed answer of question q against the current truth.
void check_answer(AppState& s, size_t q);
bool shows_gradient(const AppState& s, int node);
// Fills every unlocked input with random values (normal, sd 1, seeded) keeping shapes.
void randomize_inputs(AppState& s, unsigned seed);
// One gradient-descent step on the trained inputs; appends the output to the history.
void train_step(AppState& s);
// Puts the trained inputs back to their values before the first step; clears the plot.
void reset_training(AppState& s);

// Undo / redo. record_history() runs once a frame: a change is recorded when it settles
// (no mouse button down, no text being typed), so a drag or a burst of typing is one step.
void record_history(AppState& s, bool settled = true);
bool undo(AppState& s);
bool redo(AppState& s);
bool can_undo(const AppState& s);
bool can_redo(const AppState& s);

}  // namespace gs::ui
