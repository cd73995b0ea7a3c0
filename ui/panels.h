// The side panels around the graph: program editor, inputs, inspector, gradient check,
// gradient descent and export. Each draws into the current window.
#pragma once

#include "ui/state.h"

namespace gs::ui {

void program_panel(AppState& s);
void inputs_panel(AppState& s);
void inspector_panel(AppState& s);
void check_panel(AppState& s);
// Runs the check in progress for about 12 ms of this frame (one forward pass at least), so
// that a long check leaves the window drawing, with a progress bar and Cancel; called every
// frame. A change to the program or an input stops it.
void run_check_slice(AppState& s);
void train_panel(AppState& s);
void export_panel(AppState& s);
void exercise_panel(AppState& s);  // ui/exercise_panel.cpp
// The chain-rule step that produces an exercise question's quantity, as lines of text.
std::vector<std::string> reveal_lines(const AppState& s, const Question& q);
// True while some exercise question is unanswered (answers must not leak through exports).
bool exercise_pending(const AppState& s);

using gs::fill_template;  // an op's text with the node's names or shapes (core/cell_story.h)

}  // namespace gs::ui
