// Every op in the registry: a finite-difference gradient check on random inputs, hand-checked
// values and gradients, broadcasting, and numerical stability at extreme inputs.
//
// Contents: helpers | registry coverage | the record's export text and docs | gradient check
// on random inputs | hand-checked values | broadcasting | numerical stability
#include <doctest.h>

#include "tests/helpers.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <set>
#include <string>
#include <vector>

#include "core/cell_story.h"
#include "core/compile.h"
#include "core/export.h"
#include "core/gradcheck.h"
#include "core/ops.h"

using namespace gs;
using namespace gs::testing;

namespace {

// --- the per-op test cases: a program for random inputs and a hand-checked case ---------

enum class Domain {
  Any,           // uniform in (-2, 2)
  Positive,      // (0.5, 2): log, sqrt, fractional powers
  AwayFromZero,  // +-(0.3, 2): relu and abs kinks, denominators, negative powers
  Probability,   // (0.05, 0.95): bce
  Index,         // whole numbers 0, 1 or 2: onehot's indices
};

struct ShapePair {
  Shape a, b;  // b is unused by one-input programs
};

const std::vector<ShapePair> kOneInputShapes = {{{1, 1}, {}}, {{3, 1}, {}}, {{2, 3}, {}}, {{4, 4}, {}}};
const std::vector<ShapePair> kBroadcastShapes = {
    {{2, 3}, {2, 3}}, {{3, 2}, {3, 1}}, {{3, 2}, {1, 2}}, {{1, 1}, {2, 3}},
    {{2, 3}, {1, 1}}, {{2, 1}, {1, 3}}, {{1, 3}, {2, 3}}};
const std::vector<ShapePair> kMatmulShapes = {{{2, 3}, {3, 4}}, {{1, 3}, {3, 1}}, {{3, 1}, {1, 3}}, {{4, 4}, {4, 4}}};
const std::vector<ShapePair> kSameShapes = {{{1, 1}, {1, 1}}, {{3, 1}, {3, 1}}, {{2, 3}, {2, 3}}, {{4, 2}, {4, 2}}};
// Per-column ops: a column of one entry is constant (softmax 1), so every column has two or more.
const std::vector<ShapePair> kColumnShapes = {{{2, 1}, {}}, {{3, 1}, {}}, {{2, 3}, {}}, {{4, 4}, {}}};
const std::vector<ShapePair> kColumnPairs = {{{2, 1}, {2, 1}}, {{3, 1}, {3, 1}}, {{3, 4}, {3, 4}}};
const std::vector<ShapePair> kIndexColumns = {{{1, 1}, {}}, {{3, 1}, {}}, {{5, 1}, {}}};
const std::vector<ShapePair> kTwelveEntries = {{{3, 4}, {}}, {{12, 1}, {}}, {{1, 12}, {}}, {{6, 2}, {}}};
const std::vector<ShapePair> kSameRows = {{{2, 3}, {2, 1}}, {{1, 1}, {1, 4}}, {{3, 2}, {3, 2}}};
const std::vector<ShapePair> kSameColumns = {{{3, 2}, {1, 2}}, {{1, 1}, {4, 1}}, {{2, 3}, {2, 3}}};

// One entry per op, or per form of it (pow's exponents): the expression under test, over
// inputs a (and b); where its gradient check draws random inputs, at which shapes; and a case
// worked out by hand (transcendental numbers from Python's math module). A new op without an
// entry fails "every registered op has a test case".
struct Hand {
  const char* a;
  const char* b;  // nullptr: the expression reads a alone
  const char* G;  // the upstream gradient reaching y (f = sum(G * y)); nullptr: f = sum(y)
};

struct OpCase {
  const char* op;    // the registry name the expression must produce
  const char* expr;  // the expression under test, node y
  Domain a, b;
  std::vector<ShapePair> shapes;
  Hand hand;
  std::vector<std::pair<const char*, const char*>> values;  // node -> expected value
  std::vector<std::pair<const char*, const char*>> grads;   // node -> expected gradient
  int inputs() const { return hand.b ? 2 : 1; }
};

const std::vector<OpCase> kOpCases = {
    // y = a b; da = G b^T, db = a^T G
    {"matmul", "a @ b", Domain::Any, Domain::Any, kMatmulShapes,
     {"[[1, 2, 3], [4, 5, 6]]", "[[1], [0], [-1]]", "[[1], [2]]"},
     {{"y", "[[-2], [-2]]"}, {"f", "-6"}},
     {{"a", "[[1, 0, -1], [2, 0, -2]]"}, {"b", "[[9], [12], [15]]"}, {"G", "[[-2], [-2]]"}}},
    // da = G^T
    {"transpose", "a.T", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 2, 3], [4, 5, 6]]", nullptr, "[[1, 2], [3, 4], [5, 6]]"},
     {{"y", "[[1, 4], [2, 5], [3, 6]]"}, {"f", "86"}},
     {{"a", "[[1, 3, 5], [2, 4, 6]]"}}},
    {"add", "a + b", Domain::Any, Domain::Any, kBroadcastShapes,
     {"[[1, 2], [3, 4]]", "[[10, 20], [30, 40]]", "[[1, 2], [3, 4]]"},
     {{"y", "[[11, 22], [33, 44]]"}, {"f", "330"}},
     {{"a", "[[1, 2], [3, 4]]"}, {"b", "[[1, 2], [3, 4]]"}}},
    {"sub", "a - b", Domain::Any, Domain::Any, kBroadcastShapes,
     {"[[1, 2], [3, 4]]", "[[10, 20], [30, 40]]", "[[1, 2], [3, 4]]"},
     {{"y", "[[-9, -18], [-27, -36]]"}, {"f", "-270"}},
     {{"a", "[[1, 2], [3, 4]]"}, {"b", "[[-1, -2], [-3, -4]]"}}},
    // da = G b, db = G a
    {"mul", "a * b", Domain::Any, Domain::Any, kBroadcastShapes,
     {"[[1, 2], [3, 4]]", "[[10, 20], [30, 40]]", "[[1, 2], [3, 4]]"},
     {{"y", "[[10, 40], [90, 160]]"}, {"f", "1000"}},
     {{"a", "[[10, 40], [90, 160]]"}, {"b", "[[1, 4], [9, 16]]"}}},
    // da = G / b, db = -G a / b^2
    {"div", "a / b", Domain::Any, Domain::AwayFromZero, kBroadcastShapes,
     {"[[1, 2], [3, 4]]", "[[2, 4], [5, 8]]", "[[1, 2], [3, 4]]"},
     {{"y", "[[0.5, 0.5], [0.6, 0.5]]"}, {"f", "5.3"}},
     {{"a", "[[0.5, 0.5], [0.6, 0.5]]"}, {"b", "[[-0.25, -0.25], [-0.36, -0.25]]"}}},
    {"neg", "-a", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, -2]]", nullptr, "[[3, 4]]"},
     {{"y", "[[-1, 2]]"}, {"f", "5"}},
     {{"a", "[[-3, -4]]"}}},
    // d a^2 = 2a (its own code path)
    {"pow", "a ^ 2", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 2, -3]]", nullptr, nullptr},
     {{"y", "[[1, 4, 9]]"}, {"f", "14"}},
     {{"a", "[[2, 4, -6]]"}}},
    // d a^3 = 3a^2
    {"pow", "a ^ 3", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 2, -3]]", nullptr, nullptr},
     {{"y", "[[1, 8, -27]]"}, {"f", "-18"}},
     {{"a", "[[3, 12, 27]]"}}},
    // d a^-1 = -a^-2
    {"pow", "a ^ -1", Domain::AwayFromZero, Domain::Any, kOneInputShapes,
     {"[[1, 2, 4]]", nullptr, nullptr},
     {{"y", "[[1, 0.5, 0.25]]"}, {"f", "1.75"}},
     {{"a", "[[-1, -0.25, -0.0625]]"}}},
    // d a^0.5 = 0.5 a^-0.5
    {"pow", "a ^ 0.5", Domain::Positive, Domain::Any, kOneInputShapes,
     {"[[1, 4, 9]]", nullptr, nullptr},
     {{"y", "[[1, 2, 3]]"}, {"f", "6"}},
     {{"a", "[[0.5, 0.25, 0.16666666666666666]]"}}},
    // s(2) = 0.8808, s'(z) = s(1 - s): 0.25 at 0, 0.10499 at +-2
    {"sigmoid", "sigmoid(a)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[0, 2, -2]]", nullptr, nullptr},
     {{"y", "[[0.5, 0.8807970779778823, 0.11920292202211755]]"}, {"f", "1.5"}},
     {{"a", "[[0.25, 0.10499358540350662, 0.10499358540350662]]"}}},
    // 1 - tanh^2
    {"tanh", "tanh(a)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[0, 0.5, -0.5]]", nullptr, nullptr},
     {{"y", "[[0, 0.46211715726000974, -0.46211715726000974]]"}, {"f", "0"}},
     {{"a", "[[1, 0.7864477329659274, 0.7864477329659274]]"}}},
    // slope 0 at exactly 0, as in PyTorch
    {"relu", "relu(a)", Domain::AwayFromZero, Domain::Any, kOneInputShapes,
     {"[[-1, 0, 2]]", nullptr, "[[5, 6, 7]]"},
     {{"y", "[[0, 0, 2]]"}, {"f", "14"}},
     {{"a", "[[0, 0, 7]]"}}},
    {"exp", "exp(a)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[0, 1]]", nullptr, "[[3, 4]]"},
     {{"y", "[[1, 2.718281828459045]]"}, {"f", "13.87312731383618"}},
     {{"a", "[[3, 10.87312731383618]]"}}},
    {"log", "log(a)", Domain::Positive, Domain::Any, kOneInputShapes,
     {"[[1, 2]]", nullptr, "[[3, 4]]"},
     {{"y", "[[0, 0.6931471805599453]]"}, {"f", "2.772588722239781"}},
     {{"a", "[[3, 2]]"}}},
    // 1 / (2 sqrt(a))
    {"sqrt", "sqrt(a)", Domain::Positive, Domain::Any, kOneInputShapes,
     {"[[4, 9]]", nullptr, nullptr},
     {{"y", "[[2, 3]]"}, {"f", "5"}},
     {{"a", "[[0.25, 0.16666666666666666]]"}}},
    // sign(a), 0 at 0
    {"abs", "abs(a)", Domain::AwayFromZero, Domain::Any, kOneInputShapes,
     {"[[-2, 0, 3]]", nullptr, nullptr},
     {{"y", "[[2, 0, 3]]"}, {"f", "5"}},
     {{"a", "[[-1, 0, 1]]"}}},
    // log(1 + e^z), slope sigmoid(z)
    {"softplus", "softplus(a)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[-1, 0, 1]]", nullptr, nullptr},
     {{"y", "[[0.31326168751822286, 0.6931471805599453, 1.3132616875182228]]"}, {"f", "2.319670555596391"}},
     {{"a", "[[0.2689414213699951, 0.5, 0.7310585786300049]]"}}},
    {"sum", "sum(a)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 2], [3, 4]]", nullptr, "3"},
     {{"y", "10"}, {"f", "30"}},
     {{"a", "[[3, 3], [3, 3]]"}, {"y", "3"}}},
    {"mean", "mean(a)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 2], [3, 4]]", nullptr, "2"},
     {{"y", "2.5"}, {"f", "5"}},
     {{"a", "[[0.5, 0.5], [0.5, 0.5]]"}}},
    // sum of squares, gradient 2a
    {"norm2", "norm2(a)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 2], [3, 4]]", nullptr, "2"},
     {{"y", "30"}, {"f", "60"}},
     {{"a", "[[4, 8], [12, 16]]"}}},
    {"copy", "a", Domain::Any, Domain::Any, kOneInputShapes,  // y = a: a node of its own
     {"[[1, -2]]", nullptr, "[[3, 4]]"},
     {{"y", "[[1, -2]]"}, {"f", "-5"}},
     {{"a", "[[3, 4]]"}}},
    // Gathers with constant indices (finite differences must not move an index). Row 2 twice:
    // its gradient is the sum of both rows of G.
    {"gather_rows", "a[[[2], [0], [2]]]", Domain::Any, Domain::Any, {{{3, 2}, {}}, {{4, 4}, {}}},
     {"[[1, 2], [3, 4], [5, 6]]", nullptr, "[[1, 2], [3, 4], [5, 6]]"},
     {{"y", "[[5, 6], [1, 2], [5, 6]]"}, {"f", "89"}},
     {{"a", "[[3, 4], [0, 0], [6, 8]]"}}},
    {"gather_cols", "a[:, [[1], [0], [1]]]", Domain::Any, Domain::Any, {{{3, 2}, {}}, {{4, 4}, {}}},
     {"[[1, 2], [3, 4], [5, 6]]", nullptr, "[[1, 0, 1], [0, 1, 0], [1, 1, 1]]"},
     {{"y", "[[2, 1, 2], [4, 3, 4], [6, 5, 6]]"}, {"f", "24"}},
     {{"a", "[[0, 2], [1, 0], [1, 2]]"}}},
    // (1, 0) three times, -1 counting from the end
    {"gather", "a[[[0], [1], [1], [-1]], [[1], [0], [0], [0]]]", Domain::Any, Domain::Any,
     {{{3, 2}, {}}, {{4, 4}, {}}},
     {"[[1, 2], [3, 4]]", nullptr, "[[1], [2], [3], [4]]"},
     {{"y", "[[2], [3], [3], [3]]"}, {"f", "29"}},
     {{"a", "[[0, 1], [9, 0]]"}}},
    // each column summed; da = G copied down the rows
    {"sum_axis", "sum(a, 0)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 2, 3], [4, 5, 6]]", nullptr, "[[1, 2, 3]]"},
     {{"y", "[[5, 7, 9]]"}, {"f", "46"}},
     {{"a", "[[1, 2, 3], [1, 2, 3]]"}}},
    // each row summed; da = G copied along the columns
    {"sum_axis", "sum(a, axis=1)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 2, 3], [4, 5, 6]]", nullptr, "[[1], [2]]"},
     {{"y", "[[6], [15]]"}, {"f", "36"}},
     {{"a", "[[1, 1, 1], [2, 2, 2]]"}}},
    // da = G / 2 down each column
    {"mean_axis", "mean(a, 0)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 2, 3], [4, 5, 6]]", nullptr, "[[1, 2, 3]]"},
     {{"y", "[[2.5, 3.5, 4.5]]"}, {"f", "23"}},
     {{"a", "[[0.5, 1, 1.5], [0.5, 1, 1.5]]"}}},
    // axis -1 is axis 1; da = G / 3 along each row
    {"mean_axis", "mean(a, axis=-1)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 2, 3], [4, 5, 6]]", nullptr, "[[1], [2]]"},
     {{"y", "[[2], [5]]"}, {"f", "12"}},
     {{"a", "[[0.3333333333333333, 0.3333333333333333, 0.3333333333333333], "
            "[0.6666666666666666, 0.6666666666666666, 0.6666666666666666]]"}}},
    // 7 twice: the gradient goes to the first, reading row by row (PyTorch's choice)
    {"max", "max(a)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 7, 2], [7, 0, 3]]", nullptr, "3"},
     {{"y", "7"}, {"f", "21"}},
     {{"a", "[[0, 3, 0], [0, 0, 0]]"}}},
    // 0.5 twice: the first one
    {"min", "min(a)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[4, 1, 2], [1, 0.5, 0.5]]", nullptr, "2"},
     {{"y", "0.5"}, {"f", "1"}},
     {{"a", "[[0, 0, 0], [0, 2, 0]]"}}},
    // row 0 has 3 twice: column 1 gets it
    {"max_axis", "max(a, 1)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 3, 3], [2, 0, 1]]", nullptr, "[[10], [20]]"},
     {{"y", "[[3], [2]]"}, {"f", "70"}},
     {{"a", "[[0, 10, 0], [20, 0, 0]]"}}},
    // column 0 has 0 twice: row 1 gets it
    {"min_axis", "min(a, axis=0)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 3], [0, 3], [0, 2]]", nullptr, "[[10, 20]]"},
     {{"y", "[[0, 2]]"}, {"f", "40"}},
     {{"a", "[[0, 0], [10, 0], [0, 20]]"}}},
    // positions, first on a tie; no gradient to a or to y itself
    {"argmax", "argmax(a, 1)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 3, 3], [2, 0, 1]]", nullptr, "[[10], [20]]"},
     {{"y", "[[1], [0]]"}, {"f", "10"}},
     {{"a", "[[0, 0, 0], [0, 0, 0]]"}, {"y", "[[0], [0]]"}, {"G", "[[1], [0]]"}}},
    {"argmin", "argmin(a, 0)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 3], [0, 3], [0, 2]]", nullptr, "[[10, 20]]"},
     {{"y", "[[1, 2]]"}, {"f", "50"}},
     {{"a", "[[0, 0], [0, 0], [0, 0]]"}, {"y", "[[0, 0]]"}}},
    // constants: no gradient to y, though f depends on it (a is not read)
    {"zeros", "zeros(2, 3)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1]]", nullptr, "[[1, 2, 3], [4, 5, 6]]"},
     {{"y", "[[0, 0, 0], [0, 0, 0]]"}, {"f", "0"}},
     {{"y", "[[0, 0, 0], [0, 0, 0]]"}, {"G", "[[0, 0, 0], [0, 0, 0]]"}}},
    {"ones", "ones(3, 1)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1]]", nullptr, "[[1], [2], [3]]"},
     {{"y", "[[1], [1], [1]]"}, {"f", "6"}},
     {{"y", "[[0], [0], [0]]"}, {"G", "[[1], [1], [1]]"}}},
    // only a's shape is read: no gradient reaches a
    {"zeros_like", "zeros_like(a)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1, 2]]", nullptr, "[[3, 4]]"},
     {{"y", "[[0, 0]]"}, {"f", "0"}},
     {{"a", "[[0, 0]]"}, {"y", "[[0, 0]]"}}},
    {"ones_like", "ones_like(a)", Domain::Any, Domain::Any, kOneInputShapes,
     {"[[1], [2]]", nullptr, "[[3], [4]]"},
     {{"y", "[[1], [1]]"}, {"f", "7"}},
     {{"a", "[[0], [0]]"}, {"G", "[[1], [1]]"}}},
    // row i has its 1 in column a[i]; dG = y, nothing to the indices
    {"onehot", "onehot(a, 3)", Domain::Index, Domain::Any, kIndexColumns,
     {"[[2], [0]]", nullptr, "[[1, 2, 3], [4, 5, 6]]"},
     {{"y", "[[0, 0, 1], [1, 0, 0]]"}, {"f", "7"}},
     {{"G", "[[0, 0, 1], [1, 0, 0]]"}, {"a", "[[0], [0]]"}, {"y", "[[0, 0, 0], [0, 0, 0]]"}}},
    // row by row, as NumPy; da = G read back row by row
    {"reshape", "reshape(a, 2, 6)", Domain::Any, Domain::Any, kTwelveEntries,
     {"[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]", nullptr, "[[1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 2]]"},
     {{"y", "[[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]"}, {"f", "25"}},
     {{"a", "[[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 2]]"}}},
    // b twice: both column blocks add up in db
    {"hstack", "hstack(b, a, b)", Domain::Any, Domain::Any, kSameRows,
     {"[[3, 4], [5, 6]]", "[[1], [2]]", "[[1, 2, 3, 4], [5, 6, 7, 8]]"},
     {{"y", "[[1, 3, 4, 1], [2, 5, 6, 2]]"}, {"f", "121"}},
     {{"b", "[[5], [13]]"}, {"a", "[[2, 3], [6, 7]]"}}},
    {"vstack", "vstack(b, a)", Domain::Any, Domain::Any, kSameColumns,
     {"[[1, 2]]", "[[3, 4], [5, 6]]", "[[1, 2], [3, 4], [5, 6]]"},
     {{"y", "[[3, 4], [5, 6], [1, 2]]"}, {"f", "67"}},
     {{"b", "[[1, 2], [3, 4]]"}, {"a", "[[5, 6]]"}}},
    // per column; column 2 is uniform: p (G - <p, G>) = [2/9, -1/9, -1/9]
    {"softmax", "softmax(a)", Domain::Any, Domain::Any, kColumnShapes,
     {"[[1, 0], [2, 0], [3, 0]]", nullptr, "[[1, 1], [0, 0], [-1, 0]]"},
     {{"y",
       "[[0.09003057317038046, 0.3333333333333333], [0.24472847105479764, 0.3333333333333333], "
       "[0.6652409557748218, 0.3333333333333333]]"},
      {"f", "-0.24187704927110804"}},
     {{"a",
       "[[0.14181709360981215, 0.2222222222222222], [0.1407703574696301, -0.1111111111111111], "
       "[-0.2825874510794423, -0.1111111111111111]]"}}},
    // z - logsumexp(z) per column; dz = G - softmax sum(G)
    {"log_softmax", "log_softmax(a)", Domain::Any, Domain::Any, kColumnShapes,
     {"[[1, 0], [2, 0], [3, 0]]", nullptr, "[[1, 1], [2, 0], [3, 0]]"},
     {{"y",
       "[[-2.4076059644443806, -1.0986122886681098], [-1.4076059644443806, -1.0986122886681098], "
       "[-0.4076059644443806, -1.0986122886681098]]"},
      {"f", "-7.5442480753343935"}},
     {{"a",
       "[[0.45981656097771717, 0.6666666666666667], [0.5316291736712142, -0.3333333333333333], "
       "[-0.9914457346489307, -0.3333333333333333]]"}}},
    // mean((a - b)^2); da = 2(a - b)/N, db = -da
    {"mse", "mse(a, b)", Domain::Any, Domain::Any, kSameShapes,
     {"[[1, 2], [3, 4]]", "[[1, 0], [0, 0]]", "2"},
     {{"y", "7.25"}, {"f", "14.5"}},
     {{"a", "[[0, 2], [3, 4]]"}, {"b", "[[0, -2], [-3, -4]]"}}},
    // columns: ln 2 and log(e^2 + 1) - 0; dz = (softmax - t)/n, dt = -log_softmax/n
    {"cross_entropy", "cross_entropy(a, b)", Domain::Any, Domain::Probability, kColumnPairs,
     {"[[0, 2], [0, 0]]", "[[1, 0], [0, 1]]", nullptr},
     {{"y", "1.410037595801459"}},
     {{"a", "[[-0.25, 0.44039853898894116], [0.25, -0.4403985389889412]]"},
      {"b", "[[0.34657359027997264, 0.06346400552148634], [0.34657359027997264, 1.0634640055214863]]"}}},
    // -(log 0.5 + log 0.2)/2; dp = (p - t)/(p(1 - p)N), dt = log((1 - p)/p)/N
    {"bce", "bce(a, b)", Domain::Probability, Domain::Probability, kSameShapes,
     {"[[0.5, 0.8]]", "[[1, 0]]", "2"},
     {{"y", "1.1512925464970227"}, {"f", "2.3025850929940455"}},
     {{"a", "[[-2, 5]]"}, {"b", "[[0, -1.3862943611198906]]"}}},
};

Matrix random_matrix(std::mt19937& rng, Shape s, Domain d) {
  std::uniform_real_distribution<double> any(-2, 2), positive(0.5, 2), magnitude(0.3, 2), probability(0.05, 0.95);
  std::uniform_int_distribution<int> index(0, 2);
  std::bernoulli_distribution negative(0.5);
  Matrix m(s.rows, s.cols);  // (s.rows, s.cols)
  for (Eigen::Index i = 0; i < m.size(); ++i) {
    switch (d) {
      case Domain::Any: m.data()[i] = any(rng); break;
      case Domain::Positive: m.data()[i] = positive(rng); break;
      case Domain::AwayFromZero: m.data()[i] = (negative(rng) ? -1 : 1) * magnitude(rng); break;
      case Domain::Probability: m.data()[i] = probability(rng); break;
      case Domain::Index: m.data()[i] = index(rng); break;
    }
  }
  return m;
}

// "a = ...\nb = ...\n" plus the expression as node y. With weights G, f = sum(G * y), so the
// upstream gradient reaching y is G rather than all ones.
std::string program(const OpCase& p, const std::string& a, const std::string& b, const std::string& G) {
  std::string s = "a = " + a + "\n";
  if (p.inputs() == 2) s += "b = " + b + "\n";
  if (!G.empty()) s += "G = " + G + "\n";
  s += std::string("y = ") + p.expr + "\n";
  return s + (G.empty() ? "f = sum(y)\n" : "f = sum(G * y)\n");
}

std::string hand_program(const OpCase& p) {
  return program(p, p.hand.a, p.hand.b ? p.hand.b : "", p.hand.G ? p.hand.G : "");
}

// Random inputs in the case's domains; b is "" when the expression reads a alone.
std::pair<std::string, std::string> random_inputs(std::mt19937& rng, const OpCase& p, const ShapePair& s) {
  std::string a = format_matrix(random_matrix(rng, s.a, p.a));  // (drawn before b)
  return {a, p.inputs() == 2 ? format_matrix(random_matrix(rng, s.b, p.b)) : ""};
}

}  // namespace

// --- registry coverage ---------------------------------------------------------------

TEST_CASE("every registered op has a test case") {
  std::set<std::string> tested;
  for (const OpCase& p : kOpCases) tested.insert(p.op);

  SUBCASE("each op in all_ops() appears in the table") {
    REQUIRE(all_ops().size() >= 20);
    for (const OpDef* op : all_ops()) {
      std::string name = op->name;
      CAPTURE(name);
      CHECK(tested.count(name) == 1);
    }
  }
  SUBCASE("each table entry names a registered op") {
    for (const std::string& name : tested) {
      CAPTURE(name);
      CHECK(find_op(name) != nullptr);
    }
  }
  SUBCASE("find_op and function_names agree with the registry") {
    CHECK(find_op("no_such_op") == nullptr);
    std::vector<std::string> functions = function_names();
    for (const OpDef* op : all_ops()) {
      std::string name = op->name;
      CAPTURE(name);
      CHECK(find_op(name) == op);
      bool listed = std::find(functions.begin(), functions.end(), name) != functions.end();
      // Symbols (@ + .T ...) are not callable; sum_axis is called as sum(X, axis).
      CHECK(listed == (op->symbol == nullptr && op->function == nullptr));
      if (op->function) CHECK(find_calls(op->function).size() >= 1);
      CHECK((op->arity == kAnyArity || (op->arity >= 0 && op->arity <= kMaxArity)));
      CHECK(op->formula != nullptr);
      CHECK(op->explain != nullptr);
    }
  }
}

// --- the record's export text and docs -------------------------------------------------

namespace {

// The README's table of operators and functions, as the op records say it.
std::string reference_table() {
  std::string t = "| write | meaning |\n| --- | --- |\n";
  for (const OpDef* op : all_ops()) t += std::string("| `") + op->usage + "` | " + op->doc + " |\n";
  return t;
}

std::string repository_file(const std::string& path) {
  std::string here = __FILE__;  // .../tests/test_ops.cpp
  std::ifstream in(here.substr(0, here.rfind("tests/")) + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("every op's record is complete: export text, VJP text and its line in the reference") {
  for (const OpDef* op : all_ops()) {
    std::string name = op->name;
    CAPTURE(name);
    std::vector<std::pair<std::string, const char*>> texts = {
        {"formula", op->formula}, {"local", op->local}, {"explain", op->explain}, {"torch", op->torch},
        {"numpy", op->numpy},     {"usage", op->usage}, {"doc", op->doc}};
    const int texts_per_input = op->arity == kAnyArity ? 1 : op->arity;  // one text serves every input
    for (int k = 0; k < texts_per_input; ++k) {
      texts.push_back({"chain[" + std::to_string(k) + "]", op->chain[k]});
      if (!op->no_grad) texts.push_back({"numpy_vjp[" + std::to_string(k) + "]", op->numpy_vjp[k]});
    }
    for (const auto& entry : texts) {  // (no structured binding: clang 14 cannot capture one in CAPTURE)
      const std::string& field = entry.first;
      const char* text = entry.second;
      CAPTURE(field);
      REQUIRE(text != nullptr);
      CHECK(std::string(text) != "");
    }
    CHECK(op->numpy_helpers != nullptr);  // "" when the NumPy text needs no function of its own
    // Export text names only what the exporter fills in, and each VJP scales the upstream gradient.
    std::regex placeholder("\\{([^}]*)\\}");
    std::set<std::string> allowed = {"0", "out", "g", "p", "k", "*", "rows", "cols"};
    for (int k = 1; k < op->arity; ++k) allowed.insert(std::to_string(k));
    for (const char* text : {op->torch, op->numpy, op->numpy_vjp[0], op->numpy_vjp[1], op->numpy_vjp[2]}) {
      if (!text) continue;
      std::string s = text;
      CAPTURE(s);
      for (auto it = std::sregex_iterator(s.begin(), s.end(), placeholder); it != std::sregex_iterator(); ++it)
        CHECK(allowed.count((*it)[1].str()) == 1);
    }
    for (int k = 0; k < texts_per_input && !op->no_grad; ++k)
      CHECK(std::string(op->numpy_vjp[k]).find("{g}") != std::string::npos);
    // Its usage is how a program writes it: usage as a program compiles to this op.
    std::string usage = op->usage, function = op->function ? op->function : name;
    CHECK((op->symbol ? usage.find(op->symbol) != std::string::npos : usage.rfind(function + "(", 0) == 0));
  }
}

TEST_CASE("the exports of a program using every op carry each op's text, and nothing is missing") {
  std::string source = "a = [[0.3, 0.7], [0.55, 0.2]]\nb = [[0.6, 0.25], [0.4, 0.8]]\n", sums = "f = mean(b)";
  // Shapes other than a's and b's (2, 2): reshape to 4 entries, onehot of indices.
  const std::map<std::string, std::string> calls = {{"reshape", "reshape(a, 1, 4)"},
                                                    {"onehot", "onehot(argmax(a, 1), 3)"}};
  for (const OpDef* op : all_ops()) {
    std::string call = op->symbol ? op->usage : op->name + std::string(op->arity == 2 ? "(a, b)" : "(a)");
    if (!op->symbol && (op->function || op->params || op->arity != 1))  // as its test program calls it
      for (const OpCase& p : kOpCases)
        if (p.op == std::string(op->name)) { call = p.expr; break; }
    if (calls.count(op->name)) call = calls.at(op->name);
    if (call.find(" = ") != std::string::npos) {  // a statement ("b = a"): on a line of its own
      source += "s_" + std::string(op->name) + call.substr(call.find(" = ")) + "\n";
      call = "s_" + std::string(op->name);
    }
    sums += " + sum(" + call + ")";
  }
  source += sums;
  CAPTURE(source);
  Graph g = compiled(source + "\n");
  std::string numpy = export_numpy(g), torch = export_pytorch(g);
  CHECK(numpy.find("NotImplementedError") == std::string::npos);
  CHECK(torch.find("NotImplementedError") == std::string::npos);
  std::set<std::string> seen;
  for (const Node& n : g.nodes) {
    if (n.kind != NodeKind::Op) continue;
    seen.insert(n.op->name);
    std::string all;  // {*}: every input
    for (int id : n.inputs) all += (all.empty() ? "" : ", ") + g.node(id).name;
    auto filled = [&](std::string text) {  // the op's text with this node's names written in
      for (auto [key, name] : {std::pair<std::string, std::string>{"{0}", n.arity() ? g.node(n.inputs[0]).name : ""},
                               {"{1}", n.arity() > 1 ? g.node(n.inputs[1]).name : ""}, {"{p}", format_number(n.attr)},
                               {"{*}", all}, {"{rows}", std::to_string(n.value.rows())},
                               {"{cols}", std::to_string(n.value.cols())}})
        for (size_t at; (at = text.find(key)) != std::string::npos;) text.replace(at, key.size(), name);
      return n.name + " = " + text + "\n";
    };
    std::string op = n.op->name;
    CAPTURE(op);
    bool constant = false;  // a number operand (a[1]) is named const_N in Python: the line is there
    for (int id : n.inputs) constant |= g.node(id).kind == NodeKind::Constant;
    if (constant) {
      CHECK(numpy.find("\n" + n.name + " = " + g.node(n.inputs[0]).name) != std::string::npos);
      CHECK(torch.find("\n" + n.name + " = " + g.node(n.inputs[0]).name) != std::string::npos);
      continue;
    }
    CHECK(numpy.find(filled(n.op->numpy)) != std::string::npos);
    CHECK(torch.find(filled(n.op->torch)) != std::string::npos);
  }
  CHECK(seen.size() == all_ops().size());
  // A missing text stops the generated script with the reason, never a silent None.
  OpDef mute = *find_op("tanh");
  mute.numpy_vjp[0] = nullptr;
  mute.torch = "";
  for (Node& n : g.nodes)
    if (n.op == find_op("tanh")) n.op = &mute;
  CHECK(export_numpy(g).find("raise NotImplementedError(\"gradscope has no NumPy VJP for tanh\")") != std::string::npos);
  CHECK(export_pytorch(g).find("raise NotImplementedError(\"gradscope has no PyTorch text for tanh\")") !=
        std::string::npos);
}

TEST_CASE("the README's list of operators and functions is the records' own") {
  std::string readme = repository_file("README.md");
  REQUIRE(!readme.empty());
  std::string table = reference_table();
  CAPTURE(table);  // on failure: the table to paste into the README
  CHECK(readme.find(table) != std::string::npos);
}

// --- gradient check on random inputs --------------------------------------------------

TEST_CASE("every op passes a finite-difference gradient check on random inputs") {
  std::mt19937 rng(20240611);
  for (const OpCase& p : kOpCases) {
    std::string expr = p.expr;
    SUBCASE(expr.c_str()) {
      for (const ShapePair& s : p.shapes) {
        for (int draw = 0; draw < 2; ++draw) {
          auto [a, b] = random_inputs(rng, p, s);
          // First find y's shape, then weight it with a random upstream gradient.
          Graph plain = compiled(program(p, a, b, ""));
          const Node& y = node(plain, "y");
          REQUIRE(y.op != nullptr);
          CHECK(std::string(y.op->name) == p.op);
          std::string source = program(p, a, b, format_matrix(random_matrix(rng, y.shape(), Domain::Any)));
          CAPTURE(source);
          Graph g = compiled(source);
          GradCheck report = gradient_check(g);
          CAPTURE(report.max_error);
          CHECK(report.inputs.size() == size_t(p.inputs() + 1));
          CHECK(report.passed(1e-6));
          // The report must compare something: the gradients are not all zero.
          // Ops without a gradient (argmax, zeros) send a none.
          CHECK((node(g, "a").grad.cwiseAbs().maxCoeff() > 0) == !find_op(p.op)->no_grad);
        }
      }
    }
  }
}

// --- hand-checked values ---------------------------------------------------------------

TEST_CASE("every op matches hand-checked values and gradients") {
  for (const OpCase& h : kOpCases) {
    std::string source = hand_program(h);
    SUBCASE(source.c_str()) {
      CAPTURE(source);
      CHECK(!h.values.empty());  // a hand-checked case checks a value and a gradient at least
      CHECK(!h.grads.empty());
      Graph g = compiled(source);
      CHECK(std::string(node(g, "y").op->name) == h.op);
      for (const auto& [name, value] : h.values) {
        std::string node_name = name;
        CAPTURE(node_name);
        check_matrix(node(g, name).value, value);
      }
      for (const auto& [name, grad] : h.grads) {
        std::string node_name = name;
        CAPTURE(node_name);
        check_matrix(node(g, name).grad, grad);
      }
    }
  }
}

// --- broadcasting ----------------------------------------------------------------------

TEST_CASE("broadcasting repeats rows, columns and scalars and sums their gradients") {
  SUBCASE("(3, 2) + (3, 1): the column repeats; its gradient sums each row") {
    Graph g = compiled(
        "a = [[1, 2], [3, 4], [5, 6]]\nb = [[10], [20], [30]]\nG = [[1, 2], [3, 4], [5, 6]]\n"
        "y = a + b\nf = sum(G * y)");
    check_matrix(node(g, "y").value, "[[11, 12], [23, 24], [35, 36]]");
    check_matrix(node(g, "a").grad, "[[1, 2], [3, 4], [5, 6]]");
    check_matrix(node(g, "b").grad, "[[3], [7], [11]]");
  }
  SUBCASE("(3, 2) * (1, 2): the row repeats; its gradient sums each column") {
    Graph g = compiled(
        "a = [[1, 2], [3, 4], [5, 6]]\nb = [[10, 100]]\nG = [[1, 2], [3, 4], [5, 6]]\n"
        "y = a * b\nf = sum(G * y)");
    check_matrix(node(g, "y").value, "[[10, 200], [30, 400], [50, 600]]");
    check_matrix(node(g, "a").grad, "[[10, 200], [30, 400], [50, 600]]");
    check_matrix(node(g, "b").grad, "[[35, 56]]");  // 1*1 + 3*3 + 5*5, 2*2 + 4*4 + 6*6
  }
  SUBCASE("(2, 1) - (1, 3): both sides repeat to (2, 3)") {
    Graph g = compiled("a = [[1], [2]]\nb = [[10, 20, 30]]\nG = [[1, 2, 3], [4, 5, 6]]\ny = a - b\nf = sum(G * y)");
    check_matrix(node(g, "y").value, "[[-9, -19, -29], [-8, -18, -28]]");
    check_matrix(node(g, "a").grad, "[[6], [15]]");
    check_matrix(node(g, "b").grad, "[[-5, -7, -9]]");
  }
  SUBCASE("(3, 2) / (3, 1): the denominator's gradient sums -G a / b^2 over each row") {
    Graph g = compiled("a = [[1, 2], [3, 4], [5, 6]]\nb = [[1], [2], [4]]\ny = a / b\nf = sum(y)");
    check_matrix(node(g, "y").value, "[[1, 2], [1.5, 2], [1.25, 1.5]]");
    check_matrix(node(g, "a").grad, "[[1, 1], [0.5, 0.5], [0.25, 0.25]]");
    check_matrix(node(g, "b").grad, "[[-3], [-1.75], [-0.6875]]");  // -(1+2)/1, -(3+4)/4, -(5+6)/16
  }
  SUBCASE("a scalar input times a matrix: its gradient is the sum over every copy") {
    Graph g = compiled("s = 3\nx = [[1, 2], [3, 4]]\nf = sum(s * x)");
    check_matrix(node(g, "f").value, "30");
    check_matrix(node(g, "s").grad, "10");
    check_matrix(node(g, "x").grad, "[[3, 3], [3, 3]]");
  }
  SUBCASE("scalar constants: 2 * x, x / 2, 1 - x, 2 / x") {
    Graph g = compiled("x = [[1, 2], [4, 8]]\nf = sum(2 * x) + sum(x / 2) + sum(1 - x) + sum(2 / x)");
    // 30 + 7.5 + (4 - 15) + (2 + 1 + 0.5 + 0.25)
    check_matrix(node(g, "f").value, "30.25");
    // 2 + 0.5 - 1 - 2/x^2
    check_matrix(node(g, "x").grad, "[[-0.5, 1], [1.375, 1.46875]]");
    const Node& two = node(g, "2");
    CHECK(two.kind == NodeKind::Constant);
    check_matrix(two.grad, "0");  // constants take no gradient
    CHECK(gradient_check(g).passed());
  }
  SUBCASE("a bias column added to every column of a batch") {
    Graph g = compiled("W = [[1, 0], [0, 1]]\nX = [[1, 2, 3], [4, 5, 6]]\nb = [[1], [-1]]\nf = sum(W @ X + b)");
    check_matrix(node(g, "f").value, "21");
    check_matrix(node(g, "b").grad, "[[3], [3]]");
    check_matrix(node(g, "W").grad, "[[6, 15], [6, 15]]");
  }
  SUBCASE("incompatible shapes are reported, not broadcast") {
    auto g = compile("a = [[1, 2], [3, 4], [5, 6]]\nb = [[1, 2, 3], [4, 5, 6]]\nf = sum(a + b)");
    REQUIRE_FALSE(g.ok());
    CHECK(g.error().message ==
          "cannot apply '+' to (3, 2) and (2, 3): each dimension must match or be 1 (a 1x1 or a single column or "
          "row repeats)");
    CHECK(g.error().line == 3);
    CHECK(g.error().column == 11);
  }
}

// --- numerical stability ---------------------------------------------------------------

TEST_CASE("ops stay finite and exact at extreme inputs") {
  SUBCASE("sigmoid(+-800) is 1 and 0 with gradient exactly 0, not nan") {
    Graph g = compiled("x = [[800], [-800]]\nf = sum(sigmoid(x))");
    check_matrix(node(g, "sigmoid_1").value, "[[1], [0]]", 0);
    const Matrix& dx = node(g, "x").grad;
    CHECK(dx.allFinite());
    check_matrix(dx, "[[0], [0]]", 0);
  }
  SUBCASE("softmax of logits near 1000 is finite and shift-invariant") {
    Graph g = compiled("z = [[1000], [999]]\nG = [[1], [0]]\nf = sum(G * softmax(z))");
    const Matrix& p = node(g, "softmax_1").value;
    CHECK(p.allFinite());
    check_matrix(p, "[[0.7310585786300049], [0.2689414213699951]]");
    // p (G - <p, G>) = [p1 p2, -p1 p2]
    check_matrix(node(g, "z").grad, "[[0.19661193324148185], [-0.19661193324148185]]");
  }
  SUBCASE("log_softmax of logit 1000 is finite") {
    Graph g = compiled("z = [[1000], [0]]\nf = sum(log_softmax(z))");
    check_matrix(node(g, "log_softmax_1").value, "[[0], [-1000]]");
    check_matrix(node(g, "z").grad, "[[-1], [1]]");  // 1 - 2 p
  }
  SUBCASE("cross_entropy with logit 1000 on the wrong class is exactly 1000") {
    Graph g = compiled("z = [[1000], [0]]\nt = [[0], [1]]\nf = cross_entropy(z, t)");
    check_matrix(node(g, "f").value, "1000");
    check_matrix(node(g, "z").grad, "[[1], [-1]]");  // softmax - t
    CHECK(node(g, "t").grad.allFinite());
    check_matrix(node(g, "t").grad, "[[0], [1000]]");  // -log_softmax
  }
  SUBCASE("softplus(1000) = 1000 and softplus(-1000) = 0, slopes 1 and 0") {
    Graph g = compiled("x = [[1000], [-1000]]\nf = sum(softplus(x))");
    check_matrix(node(g, "softplus_1").value, "[[1000], [0]]", 0);
    check_matrix(node(g, "x").grad, "[[1], [0]]", 0);
  }
  SUBCASE("tanh(+-800) saturates with gradient 0") {
    Graph g = compiled("x = [[800], [-800]]\nf = sum(tanh(x))");
    check_matrix(node(g, "tanh_1").value, "[[1], [-1]]", 0);
    check_matrix(node(g, "x").grad, "[[0], [0]]", 0);
  }
}

// --- the cell-level story -------------------------------------------------------------

TEST_CASE("every op tells the story of one cell: its family, its entry formula, the engine's numbers") {
  const std::vector<const CellStory*> families = {&kEntrywiseStory, &kTransposedStory, &kProductStory, &kWholeStory,
                                                  &kMovedStory, &kAxisStory, &kGatherStories[0],
                                                  &kGatherStories[1], &kGatherStories[2]};
  std::regex placeholder("\\{([^}]*)\\}");
  for (const OpDef* op : all_ops()) {
    std::string name = op->name;
    CAPTURE(name);
    REQUIRE(op->story != nullptr);
    CHECK(std::find(families.begin(), families.end(), op->story) != families.end());
    // The families that read one entry per input say which function of those entries it is.
    const bool per_entry = op->story == &kEntrywiseStory || op->story == &kTransposedStory;
    CHECK((op->cell != nullptr) == per_entry);
    if (!op->cell) continue;
    std::string cell = op->cell;
    CAPTURE(cell);
    CHECK(cell.find("{0}") != std::string::npos);
    std::set<std::string> allowed = {"0", "p"};
    if (op->arity == 2) allowed.insert("1");
    for (auto it = std::sregex_iterator(cell.begin(), cell.end(), placeholder); it != std::sregex_iterator(); ++it)
      CHECK(allowed.count((*it)[1].str()) == 1);
  }
  std::mt19937 rng(14);
  for (const OpCase& p : kOpCases) {
    auto [a, b] = random_inputs(rng, p, p.shapes.back());
    Graph g = compiled(program(p, a, b, ""));
    const int y = g.find("y");
    std::string expr = p.expr;
    CAPTURE(expr);
    const Node& n = g.node(y);
    const long r = n.value.rows() - 1, c = n.value.cols() - 1;
    std::vector<CellRef> reads;
    std::string value = value_story(g, y, r, c, reads);
    CAPTURE(value);
    // "y[r][c] = <words>\n  = <numbers>\n  = <the value>", reading only y's inputs' cells.
    CHECK(value.rfind("y[" + std::to_string(r) + "][" + std::to_string(c) + "]", 0) == 0);
    const std::string last = "\n  = " + format_short(n.value(r, c), 4);
    CHECK(value.size() > last.size());
    CHECK(value.compare(value.size() - last.size(), last.size(), last) == 0);
    CHECK(reads.empty() == (n.arity() == 0));  // zeros(2, 3) reads nothing
    if (n.arity() == 0) continue;
    for (const CellRef& read : reads) {
      CHECK(std::find(n.inputs.begin(), n.inputs.end(), read.node) != n.inputs.end());
      CHECK_FALSE(read.grad);
      CHECK(read.row < g.node(read.node).value.rows());
      CHECK(read.col < g.node(read.node).value.cols());
    }
    // a's gradient arrives from y alone: the story's share is the gradient itself.
    const int in = g.find("a");
    const Matrix& da = g.node(in).grad;
    reads.clear();
    std::string grad = grad_story(g, in, da.rows() - 1, da.cols() - 1, reads);
    CAPTURE(grad);
    CHECK(grad.find("from y:\n") != std::string::npos);
    const std::string share = "\n  = " + format_short(da(da.rows() - 1, da.cols() - 1), 4);
    CHECK(grad.compare(grad.size() - share.size(), share.size(), share) == 0);
    for (const CellRef& read : reads) CHECK(((read.node == y && read.grad) || (!read.grad && read.node != in)));
  }
}
