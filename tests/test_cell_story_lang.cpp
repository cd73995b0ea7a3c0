// The cell stories of gathers (X[I], X[:, J], X[I, J]) and axis reductions (sum(X, 0),
// max(X, 1), ...): which entries a hovered cell reads, and how its gradient comes back.
#include <doctest.h>

#include "tests/helpers.h"

#include <algorithm>
#include <string>

#include "core/cell_story.h"
#include "core/examples.h"

using namespace gs;
using namespace gs::testing;

namespace {

const std::string kProgram = R"(X = [[1, 5, 3], [4, 2, 6]]
I = [[1], [0], [1]]
G = X[I]
Q = X[:, I]
P = X[range(2), [[2], [0]]]
S = sum(X, 0)
M = max(X, 1)
A = mean(X, axis=-1)
f = sum(G) + sum(Q) + sum(P) + sum(S * S) + sum(M) + sum(A)
)";

std::string value_of(const Graph& g, const std::string& name, long r, long c, std::vector<CellRef>* reads = nullptr) {
  std::vector<CellRef> none;
  return value_story(g, g.find(name), r, c, reads ? *reads : none);
}

// The share node `user` sends to `input`[r][c], as the gradient story tells it.
std::string share_of(const Graph& g, const std::string& user, const std::string& input, long r, long c) {
  std::vector<CellRef> reads;
  const std::string story = grad_story(g, g.find(input), r, c, reads);
  const std::string from = "from " + user + ":\n";
  size_t at = story.find(from);
  REQUIRE(at != std::string::npos);
  at += from.size();
  size_t end = story.find("\nfrom ", at);
  if (end == std::string::npos) end = story.find("\nsum of the shares", at);
  return story.substr(at, end - at);
}

bool has(const std::vector<CellRef>& reads, const Graph& g, const std::string& name, int r, int c, bool grad = false) {
  return std::find(reads.begin(), reads.end(), CellRef{g.find(name), grad, r, c}) != reads.end();
}

}  // namespace

TEST_CASE("a gathered cell names the entry it copies and the index entries that picked it") {
  Graph g = compiled(kProgram);
  std::vector<CellRef> reads;
  CHECK(value_of(g, "G", 0, 1, &reads) == "G[0][1] = X[1][1]  (row I[0][0] = 1)\n  = 2");
  CHECK(reads.size() == 2);
  CHECK(has(reads, g, "I", 0, 0));
  CHECK(has(reads, g, "X", 1, 1));
  CHECK(value_of(g, "Q", 1, 2) == "Q[1][2] = X[1][1]  (column I[2][0] = 1)\n  = 2");
  CHECK(value_of(g, "P", 0, 0) == "P[0][0] = X[0][2]  (row range(2)[0][0] = 0, column [[2], [0]][0][0] = 2)\n  = 3");
  // A negative index counts from the end; the story shows it as written.
  Graph back = compiled("X = [[1, 2], [3, 4]]\nJ = [[-1]]\nY = X[J]\nf = sum(Y)\n");
  CHECK(value_of(back, "Y", 0, 0) == "Y[0][0] = X[1][0]  (row J[0][0] = -1)\n  = 3");
}

TEST_CASE("a gathered entry's gradient adds the gradients of its copies; indices get none") {
  Graph g = compiled(kProgram);
  CHECK(share_of(g, "G", "X", 1, 0) == "dX[1][0] += dG[0][0] + dG[2][0]  (each copy of X[1][0] in G)\n  = 1 + 1\n  = 2");
  CHECK(share_of(g, "G", "X", 0, 1) == "dX[0][1] += dG[1][1]  (the copy of X[0][1] in G)\n  = 1\n  = 1");
  CHECK(share_of(g, "P", "X", 0, 1) == "dX[0][1] += 0  (no entry of P is a copy of X[0][1])\n  = 0");
  CHECK(share_of(g, "Q", "X", 0, 1) == "dX[0][1] += dQ[0][0] + dQ[0][2]  (each copy of X[0][1] in Q)\n  = 1 + 1\n  = 2");
  CHECK(share_of(g, "G", "I", 2, 0) == "dI[2][0] += 0  (I holds indices, which get no gradient)\n  = 0");
  std::vector<CellRef> reads;
  grad_story(g, g.find("X"), 1, 0, reads);
  CHECK(has(reads, g, "G", 0, 0, true));
  CHECK(has(reads, g, "G", 2, 0, true));
  CHECK_FALSE(has(reads, g, "G", 1, 0, true));
}

TEST_CASE("a cell of an axis reduction shows the column or row it reduces") {
  Graph g = compiled(kProgram);
  std::vector<CellRef> reads;
  CHECK(value_of(g, "S", 0, 1, &reads) == "S[0][1] = sum(X[0][1], X[1][1])  (column 1 of X)\n  = sum(5, 2)\n  = 7");
  CHECK(reads.size() == 2);
  CHECK(has(reads, g, "X", 1, 1));
  CHECK(value_of(g, "M", 1, 0) == "M[1][0] = max(X[1][0], X[1][1], X[1][2])  (row 1 of X)\n  = max(4, 2, 6)\n  = 6");
  CHECK(value_of(g, "A", 0, 0) == "A[0][0] = mean(X[0][0], X[0][1], X[0][2])  (row 0 of X)\n  = mean(1, 5, 3)\n  = 3");
  Graph arg = compiled("X = [[1, 5, 3], [4, 2, 6]]\nk = argmax(X, 0)\nf = sum(X)\n");
  CHECK(value_of(arg, "k", 0, 2) == "k[0][2] = argmax(X[0][2], X[1][2])  (column 2 of X)\n  = argmax(3, 6)\n  = 1");
}

TEST_CASE("an entry's share from an axis reduction is its line's gradient times its slope") {
  Graph g = compiled(kProgram);
  CHECK(share_of(g, "S", "X", 1, 0) ==
        "dX[1][0] += dS[0][0] * dS[0][0]/dX[1][0]\n  = 10*1\n  (dX += dS  (copied along axis 0))\n  = 10");
  // Only the largest entry of its row gets max's gradient.
  CHECK(share_of(g, "M", "X", 1, 0) == "dX[1][0] += dM[1][0] * dM[1][0]/dX[1][0]\n  = 1*0\n  (dX += dM at each line's "
                                       "first largest entry only)\n  = 0");
  CHECK(share_of(g, "M", "X", 1, 2) == "dX[1][2] += dM[1][0] * dM[1][0]/dX[1][2]\n  = 1*1\n  (dX += dM at each line's "
                                       "first largest entry only)\n  = 1");
  CHECK(share_of(g, "A", "X", 0, 2) ==
        "dX[0][2] += dA[0][0] * dA[0][0]/dX[0][2]\n  = 1*0.3333\n  (dX += dA / n  (copied along axis 1))\n  = 0.3333");
}

TEST_CASE("the ninja example: a picked log-probability, a batch mean over 8 rows, a row's max") {
  Graph g = compiled(find_example("ninja")->source);
  std::vector<CellRef> reads;
  CHECK(value_of(g, "gather_1", 3, 0, &reads).rfind("gather_1[3][0] = logprobs[3][2]  (row range(8)[3][0] = 3, "
                                                    "column Yb[3][0] = 2)\n  = ", 0) == 0);
  CHECK(has(reads, g, "Yb", 3, 0));
  CHECK(has(reads, g, "logprobs", 3, 2));
  CHECK(value_of(g, "emb0", 5, 1) == "emb0[5][1] = C[4][1]  (row X0[5][0] = 4)\n  = -0.1");
  // dC[4][1] adds the copies in emb0 (rows 5, 6, 7), not those in emb1 or emb2.
  CHECK(share_of(g, "emb0", "C", 4, 1).rfind("dC[4][1] += demb0[5][1] + demb0[6][1] + demb0[7][1]  (each copy of "
                                             "C[4][1] in emb0)\n  = ", 0) == 0);
  // Eight terms: the first six are written out, all eight outlined.
  reads.clear();
  const std::string mean = value_of(g, "sum_axis_1", 0, 2, &reads);
  CHECK(mean.rfind("sum_axis_1[0][2] = sum(hprebn[0][2], hprebn[1][2], hprebn[2][2], hprebn[3][2], hprebn[4][2], "
                   "hprebn[5][2], ...)  (column 2 of hprebn)\n  = sum(", 0) == 0);
  CHECK(reads.size() == 8);
  CHECK(value_of(g, "logit_maxes", 0, 0).rfind("logit_maxes[0][0] = max(logits[0][0], logits[0][1], logits[0][2], "
                                               "logits[0][3], logits[0][4])  (row 0 of logits)\n  = max(", 0) == 0);
}
