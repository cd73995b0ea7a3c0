// Exercises: a program whose "#!" comment lines say what to ask the student, what to lock
// and which panels to hide. Because the directives live in the program text, an exercise
// travels everywhere a program does: files, links (URL hash) and data-program embeds.
//
//   #! ask: dZ, dW, y        questions in order: "dZ" is df/dZ, "y" is the value of y
//   #! lock: W, x            inputs students cannot edit ("*" for all)
//   #! hide: editor, side    panels to hide (editor, inputs, side, menu; grads: autodiff's
//                            gradients, until every claim of a backward section is right)
//   #! tolerance: 0.001      how close an answer must be (absolute, default 1e-3)
//   #! params: W1, b1        the inputs gradient descent trains (default: see default_params)
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "error.h"
#include "graph.h"

namespace gs {

// The panels an instructor may hide, in the order menus and messages list them ("grads":
// autodiff's gradients, until every claim of a backward section is right; see derive.h).
inline constexpr const char* kHideablePanels[] = {"editor", "inputs", "side", "menu", "grads"};
bool is_panel_name(const std::string& name);
std::string panel_name_list();  // "editor, inputs, side, menu, grads"

struct Question {
  std::string node;  // the node asked about
  bool gradient;     // true: df/dnode; false: its value
  std::string label() const;  // "dZ" or "Z", as the program writes it (grad_label gives "df/dZ")
};

struct Exercise {
  std::vector<Question> questions;
  std::set<std::string> locked;
  std::set<std::string> hidden_panels;
  std::set<std::string> params;  // "#! params": inputs to train (empty: default_params)
  double tolerance = 1e-3;
  bool active() const { return !questions.empty(); }
};

// Reads the "#!" lines of `source`, checking every name against `g` (the compiled program).
Result<Exercise> parse_exercise(const std::string& source, const Graph& g);

// What open questions hide, per node: an asked gradient hides its node's gradient and that
// of every node upstream (the backward pass computes those from it, generated nodes
// included); an asked value hides its node's value, every value downstream and every
// gradient.
struct HiddenMask {
  std::vector<char> value, grad;  // one per node
};
HiddenMask hidden_by(const Graph& g, const std::vector<Question>& open);

// The inputs gradient descent trains by default: every input except data and targets (an
// input fed only as a loss's target, the second operand of a binary op that reduces two
// equal shapes to one number, or as the data operand of '@': the right one, or the one
// named x/X).
std::set<std::string> default_params(const Graph& g);

// A typed answer entry: a number or a small arithmetic expression (1/4, -2.5e-1, 0.5*0.5,
// (1 - 0.5) * 2); nothing otherwise.
std::optional<double> parse_answer(const std::string& text);

// Per-entry marks for an answer: true where |answer - truth| <= tolerance. An answer of
// the wrong shape marks nothing right.
struct Marked {
  std::vector<char> right;  // row-major, one per entry
  int correct = 0, total = 0;
  bool all() const { return total > 0 && correct == total; }
};
Marked mark_answer(const Matrix& answer, const Matrix& truth, double tolerance);

// The directive lines for an exercise, to put at the top of a program ("make this an exercise").
std::string exercise_header(const Exercise& e);
// `source` without its "#!" lines (so a new header can replace them).
std::string strip_exercise(const std::string& source);

}  // namespace gs
