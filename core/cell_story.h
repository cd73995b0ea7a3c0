// The chain rule of one matrix cell, in words and numbers: what the graph shows when a cell
// is hovered. Each op's record (core/ops.h) names its story family; every number in a story
// is the engine's own (values, or the VJP applied to a unit seed), never recomputed here.
#pragma once

#include <string>
#include <vector>

#include "graph.h"

namespace gs {

// A matrix cell on the graph: node, which matrix (value or gradient), row and column.
struct CellRef {
  int node = -1;
  bool grad = false;
  int row = 0, col = 0;
  bool operator==(const CellRef& o) const {
    return node == o.node && grad == o.grad && row == o.row && col == o.col;
  }
};

// The story families an op's record points to:
extern const CellStory kEntrywiseStory;   // entry (r, c) reads one entry of each input, broadcasting
extern const CellStory kTransposedStory;  // entry (r, c) is input entry (c, r)
extern const CellStory kProductStory;     // entry (r, c) is row r of the left . column c of the right
extern const CellStory kWholeStory;       // entry (r, c) reads its column (or row), or every entry
extern const CellStory kMovedStory;       // entry (r, c) is one input entry moved there (reshape, hstack)
extern const CellStory kAxisStory;        // entry (r, c) of sum(X, 0), max(X, 1) ... reduces one column or row
extern const CellStory kGatherStories[3]; // X[I], X[:, J], X[I, J]: one entry of X, picked by index entries

// "Z[1][0] = W[1][0]*x[0][0] + W[1][1]*x[1][0] + W[1][2]*x[2][0]\n  = 1*1 + 3*0 + 1*-1\n  = 0".
// `reads` receives the cells the story reads (to outline them).
std::string value_story(const Graph& g, int id, long r, long c, std::vector<CellRef>& reads);
// How each user of the node sends its share of df/dnode[r][c], and their sum.
std::string grad_story(const Graph& g, int id, long r, long c, std::vector<CellRef>& reads);

// Input k's share of the gradient from node `user` for the upstream gradient `gout`: the
// VJP on its own.
Matrix vjp_share(const Graph& g, int user, int k, const Matrix& gout);

// "d{0} += d{out} @ {1}^T" with the node's names filled in ("dW += dZ @ x^T"), or with
// each operand replaced by its shape when `shapes` is true.
std::string fill_template(const Graph& g, int node, const char* text, bool shapes = false);

}  // namespace gs
