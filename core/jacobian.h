// The Jacobian of one step of the graph, entry by entry: a node against one of its inputs (the
// op's local derivative), or the output against any node. Built a column at a time with the
// op's JVP (forward mode), and checked against the VJP backward() uses: g^T J = vjp(g).
#pragma once

#include <string>
#include <vector>

#include "graph.h"

namespace gs {

constexpr long kJacobianSide = 64;  // at most 64 rows and 64 columns are built in full

struct Jacobian {
  int of = -1, wrt = -1;     // d(node `of`) / d(node `wrt`)
  long rows = 0, cols = 0;   // the full J's size: entries of `of` by entries of `wrt`
  // What is shown: the full J, or (when it is larger than 64 x 64) one chosen row or column.
  Matrix J;                               // (shown rows, shown cols); entries in row-major order
  std::vector<std::string> row_labels;    // "Z[1,0]", one per shown row
  std::vector<std::string> col_labels;    // "W[1,2]", one per shown column
  std::string note;                       // "" when J is shown in full, else what is shown and why
  // Full J only: the upstream gradient g (df/d`of`, one row), g^T J, and the VJP backward()
  // computes for `wrt` (one row each, row-major like the labels); empty otherwise.
  Matrix upstream, product, vjp;
  double max_difference = 0;              // largest |g^T J - vjp| over the entries
};

// "Z[1,0]": an entry's label, row and column from 0.
std::string entry_label(const std::string& name, long r, long c);

// d node / d input k of that node: the op's local Jacobian (its other input held still).
// Larger than 64 x 64: row `chosen` (an entry of the node, by one VJP) when the node has more
// than 64 entries, else column `chosen` (an entry of the input, by one JVP). Needs forward()
// and backward().
Result<Jacobian> local_jacobian(const Graph& g, int node, int k, long chosen = 0);

// d f / d node for the output f (one row: the node's gradient as the chain rule gives it),
// built by forward sweeps from the node, one per entry; more than 64 x 64 entries shows
// column `chosen`.
Result<Jacobian> output_jacobian(const Graph& g, int node, long chosen = 0);

// {"of", "wrt", "rows", "cols", "J": [[...]], "row_labels", "col_labels", "note", "upstream",
//  "product", "vjp", "max_difference"} (the last four null unless J is shown in full).
std::string jacobian_json(const Graph& g, const Jacobian& j, int indent = -1);

}  // namespace gs
