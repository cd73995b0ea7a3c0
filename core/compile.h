// Program text -> evaluated Graph. The language:
//   W = [[2, 1], [3, 4]]     an input (a matrix literal or a single number): editable
//   Z = W @ x                a named node; the last statement is the output (must be 1x1)
//   c += 1                   a name assigned again: a new node, shown as c' (c = c + 1, -=, *=, /=, b = a)
// Operators: @  + - * /  (broadcasting)  unary -  ** or ^ constant  .T ; functions from the op registry.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "graph.h"

namespace gs {

using Overrides = std::map<std::string, Matrix>;  // input name -> value replacing its literal

// Parses, checks shapes, builds the graph and evaluates values and gradients.
Result<Graph> compile(const std::string& source, const Overrides& overrides = {});

// Reads one matrix literal on its own ("[[1, 2], [3, 4]]", "[1, 2]", "-0.5"), as given to
// --set, the UI's text fields and the JS API.
Result<Matrix> parse_matrix(const std::string& text);

// --- derive mode (derive.h) -------------------------------------------------------

// The byte offset where the line "#! backward" starts, or std::string::npos. The forward
// program ends there; what follows is the student's backward section.
size_t backward_section(const std::string& source);

// One statement of the backward section: `dW = ...` claims df/dW, `dW += ...` adds to the
// claim, any other name is a helper.
struct SectionStatement {
  std::string target;              // "dW", "h"
  std::string node;                // the forward node claimed ("W"), "" for a helper
  bool accumulate = false;         // written with '+='
  int id = -1;                     // the section-graph node holding target's value afterwards
  int line = 0, column = 0;
  std::vector<std::string> reads;  // every name the right side reads, in order
};

// The backward section lowered into its own graph. Its inputs are the forward program's
// named nodes it reads (same names, values copied from `forward`); names resolve to the
// newest statement first. Empty when the program has no backward section.
struct Section {
  Graph graph;
  std::vector<SectionStatement> statements;
  std::vector<std::pair<int, int>> inputs;  // (section node, forward node) pairs to copy values along
};
Result<Section> compile_section(const Graph& forward);

}  // namespace gs
