// Exercises: a program whose "#!" comment lines say what to ask the student, what to lock
// and which panels to hide. Because the directives live in the program text, an exercise
// travels everywhere a program does: files, links (URL hash) and data-program embeds.
//
//   #! ask: dZ, dW, y        questions in order: "dZ" is df/dZ, "y" is the value of y
//   #! lock: W, x            inputs students cannot edit ("*" for all)
//   #! hide: editor, side    panels to hide (editor, inputs, side, menu)
//   #! tolerance: 0.001      how close an answer must be (absolute, default 1e-3)
#pragma once

#include <set>
#include <string>
#include <vector>

#include "error.h"
#include "graph.h"

namespace gs {

struct Question {
  std::string node;  // the node asked about
  bool gradient;     // true: df/dnode; false: its value
  std::string label() const;  // "df/dZ" (given the output name) is built by the UI; this is "dZ" or "Z"
};

struct Exercise {
  std::vector<Question> questions;
  std::set<std::string> locked;
  std::set<std::string> hidden_panels;
  double tolerance = 1e-3;
  bool active() const { return !questions.empty(); }
};

// Reads the "#!" lines of `source`, checking every name against `g` (the compiled program).
Result<Exercise> parse_exercise(const std::string& source, const Graph& g);

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
