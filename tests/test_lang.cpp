// The language of course exercises: powers with Python's rules, reassignment (c, c', c''),
// transposes of any expression, indexing and gathers; each form, its errors and its exports.
//
// Contents: helpers | powers | reassignment | transpose | exports
#include <doctest.h>

#include "tests/helpers.h"

#include <cmath>
#include <string>

#include "core/compile.h"
#include "core/derive.h"
#include "core/export.h"
#include "core/export_latex.h"
#include "core/gradcheck.h"
#include "ui/state.h"

using namespace gs;
using namespace gs::testing;

namespace {

// --- helpers -----------------------------------------------------------------------

double scalar(const Graph& g, const std::string& name) { return node(g, name).value(0, 0); }

// The value of `f = EXPR` with x = 3 (and y = 2, a row r = [1, 4]).
double value_of(const std::string& expr) {
  Graph g = compiled("x = 3\ny = 2\nr = [1, 4]\nf = " + expr);
  return scalar(g, "f");
}

std::string names_of(const Graph& g) {
  std::string names;
  for (const Node& n : g.nodes) names += (names.empty() ? "" : ", ") + n.name;
  return names;
}

}  // namespace

// --- powers ------------------------------------------------------------------------------

TEST_CASE("powers: ** and ^ with Python's precedence and constant exponents") {
  SUBCASE("-x ** 2 is -(x ** 2)") {
    Graph g = compiled("x = 3\nf = -x ** 2");
    CHECK(scalar(g, "f") == -9);
    CHECK(op_of(node(g, "f")) == "neg");
    CHECK(inputs_of(g, node(g, "f")) == "pow_1");
    CHECK(node(g, "pow_1").attr == 2);
    CHECK(node(g, "pow_1").expr == "x ** 2");
    CHECK(value_of("(-x) ** 2") == 9);
    CHECK(value_of("-2 ** 2") == -4);
  }
  SUBCASE("right-associative: 2 ** 3 ** 2 is 2 ** 9") {
    CHECK(value_of("2 ** 3 ** 2") == 512);
    CHECK(value_of("y ^ 3 ^ 2") == 512);
    CHECK(value_of("(y ** 3) ** 2") == 64);
  }
  SUBCASE("binds tighter than * and /, looser than .T") {
    CHECK(value_of("2 * x ** 2") == 18);
    CHECK(value_of("x ** 2 / 3") == 3);
    CHECK(value_of("sum(r.T ** 2)") == 17);
  }
  SUBCASE("the exponent is any constant expression") {
    CHECK(value_of("x ** -1") == doctest::Approx(1.0 / 3));
    CHECK(value_of("x ** -0.5") == doctest::Approx(1 / std::sqrt(3.0)).epsilon(1e-15));
    CHECK(value_of("x ** (1/3)") == doctest::Approx(std::cbrt(3.0)).epsilon(1e-15));
    CHECK(value_of("x ^ (1/3)") == doctest::Approx(std::cbrt(3.0)).epsilon(1e-15));
    CHECK(value_of("x ** (2 * 3 - 4)") == 9);
    CHECK(value_of("x ** -(1 + 1)") == doctest::Approx(1.0 / 9));
    CHECK(value_of("x ** 2 ** -1") == doctest::Approx(std::sqrt(3.0)).epsilon(1e-15));
    Graph g = compiled("x = [[4, 9]]\nf = sum(x ** (1/2))");
    CHECK(node(g, "pow_1").attr == 0.5);
    check_matrix(node(g, "x").grad, "[[0.25, 0.16666666666666666]]", 1e-15);  // 1 / (2 sqrt(x))
  }
  SUBCASE("a non-constant exponent is refused, pointing at what is not a number") {
    const std::string why = "the exponent of '**' must be a constant (numbers with + - * / **), as in x ** 2 or x ** (1/3); ";
    check_compile_error("x = [[2]]\ny = 3\nf = sum(x ** y)", why + "'y' is not a number", 3, 14);
    check_compile_error("x = [[2]]\ny = 3\nf = sum(x ** (1 / y))", why + "'y' is not a number", 3, 19);
    check_compile_error("x = [[2]]\nf = sum(x ** sum(x))", why + "'sum(x)' is not a number", 2, 14);
    check_compile_error("x = [[2]]\nf = sum(x ** [[2]])", why + "'[[2]]' is not a number", 2, 14);
    check_compile_error("x = [[2]]\nf = sum(x ** (2 @ 2))", why + "'(2 @ 2)' is not a number", 2, 17);
    check_compile_error("x = [[2]]\ny = [[3]]\nf = sum(x ^ y)",
                "the exponent of '^' must be a constant (numbers with + - * / **), as in x ^ 2 or x ^ (1/3); "
                "'y' is not a number",
                3, 13);
  }
  SUBCASE("a missing or infinite exponent") {
    check_compile_error("x = [[2]]\nf = x ^", "the exponent of '^' is missing, as in x ^ 2", 2, 7);
    check_compile_error("x = [[2]]\nf = x **", "the exponent of '**' is missing, as in x ** 2", 2, 7);
    check_compile_error("x = [[2]]\nf = sum(x ** (1/0))", "the exponent of '**' is inf, not a finite number", 2, 11);
    check_compile_error("x = [[2]]\nf = sum(x ** *2)", "expected a value (a name, a number, a matrix or '('), found '*'", 2, 14);
  }
  SUBCASE("'* *' with a space is not a power") {
    check_compile_error("x = [[2]]\nf = sum(x * * 2)", "expected a value (a name, a number, a matrix or '('), found '*'", 2, 13);
  }
}

// --- reassignment ----------------------------------------------------------------------------

TEST_CASE("reassignment: every assignment is a node, shown as c, c', c''") {
  SUBCASE("c = c + 1 and the compound forms; later statements read the newest") {
    Graph g = compiled("a = 2\nc = a * 3\nc = c + 1\nc += 1\nc -= a\nc *= 2\nc /= a + 2\nf = c * 1\n");
    CHECK(names_of(g) == "a, 3, c, 1, c', c'', c''', 2, c'''', add_1, c''''', f");
    CHECK(scalar(g, "c") == 6);
    CHECK(scalar(g, "c'") == 7);
    CHECK(scalar(g, "c''") == 8);
    CHECK(scalar(g, "c'''") == 6);
    CHECK(scalar(g, "c''''") == 12);
    CHECK(scalar(g, "c'''''") == 3);
    CHECK(scalar(g, "f") == 3);
    CHECK(inputs_of(g, node(g, "f")) == "c''''', 1");
    CHECK(op_of(node(g, "c''")) == "add");
    CHECK(op_of(node(g, "c'''")) == "sub");
    CHECK(op_of(node(g, "c''''")) == "mul");
    CHECK(op_of(node(g, "c'''''")) == "div");
    CHECK(node(g, "c'").expr == "c + 1");
    CHECK(node(g, "c''").expr == "c' + 1");   // `c += 1`, naming the value it starts from
    CHECK(node(g, "c'''''").expr == "c'''' / (a + 2)");
    CHECK(node(g, "c'''''").line == 7);
    CHECK(node(g, "c'''''").column == 1);
    // f = (((6a... : df/da through every version: c = 3a, ((3a + 2 - a) * 2) / (a + 2) = (4a + 4) / (a + 2)
    CHECK(node(g, "a").grad(0, 0) == doctest::Approx(4.0 / 16).epsilon(1e-14));  // (4(a+2) - (4a+4)) / (a+2)^2
  }
  SUBCASE("an earlier value is read by the name it is shown with") {
    Graph g = compiled("x = [[1, 2]]\nc = x * 2\nc = c * c\nf = sum(c' - c)\n");
    CHECK(scalar(g, "f") == 0);
    g = compiled("x = [[1, 2]]\nc = x * 2\nc = c * c\nf = sum(c' + c * 0)\n");
    CHECK(inputs_of(g, node(g, "mul_1")) == "c', 0");  // c is the newest: c'
  }
  SUBCASE("the alias b = a is a node of its own") {
    Graph g = compiled("a = [[1, 2]]\nb = a\nf = sum(b * b)\n");
    CHECK(op_of(node(g, "b")) == "copy");
    CHECK(inputs_of(g, node(g, "b")) == "a");
    CHECK(node(g, "b").expr == "a");
    check_matrix(node(g, "a").grad, "[[2, 4]]");
    Graph h = compiled("a = [[1, 2]]\nb = (a)\nc = b\nc = c\nf = sum(c)\n");
    CHECK(names_of(h) == "a, b, c, c', f");
    CHECK(inputs_of(h, node(h, "c'")) == "c");
    CHECK(op_of(node(h, "c'")) == "copy");
  }
  SUBCASE("an input assigned again is a second input") {
    Graph g = compiled("x = 1\nx = [[2]]\nf = x * 3\n");
    CHECK(names_of(g) == "x, x', 3, f");
    CHECK(node(g, "x'").kind == NodeKind::Input);
    CHECK(scalar(g, "f") == 6);
    CHECK(g.input_ids().size() == 2);
    Graph o = compiled("x = 1\nx = [[2]]\nf = x * 3\n", {{"x'", matrix("5")}});
    CHECK(scalar(o, "f") == 15);
    CHECK(o.program_text() == "x = 1\nx = [[5]]\nf = x * 3\n");
  }
  SUBCASE("the output may be a reassigned name") {
    Graph g = compiled("x = [[1, 2]]\nf = sum(x)\nf = f * 2\n");
    CHECK(g.node(g.output).name == "f'");
    CHECK(scalar(g, "f'") == 6);
  }
  SUBCASE("errors") {
    check_compile_error("x = 1\nc += x\nf = c", "'c' has no value to add to yet: write 'c = ...' first", 2, 1);
    check_compile_error("x = 1\nc -= x\nf = c", "'c' has no value to subtract from yet: write 'c = ...' first", 2, 1);
    check_compile_error("x = 1\nc *= x\nf = c", "'c' has no value to multiply yet: write 'c = ...' first", 2, 1);
    check_compile_error("x = 1\nc /= x\nf = c", "'c' has no value to divide yet: write 'c = ...' first", 2, 1);
    check_compile_error("x = 1\nc' = x * 2\nf = c'",
                "'c'' cannot be assigned: c', c'' ... name the values of a reassigned c; write 'c = ...'", 2, 1);
    check_compile_error("x = 1\ny = y + x\nf = y", "'y' is used in its own definition; give the new value another name", 2, 5);
    check_compile_error("x = [[1, 2]]\nc = x\nc += [[1, 2, 3]]\nf = sum(c)",
                "cannot apply '+' to (1, 2) and (1, 3): each dimension must match or be 1 (a 1x1 or a single column "
                "or row repeats)",
                3, 3);
    check_compile_error("x = 1\nc = x * 2\nf = c''", "unknown name 'c''' (did you mean 'c'?)", 3, 5);
    check_compile_error("x = 1\nf = x * 2 '", "unexpected character '''", 2, 11);
  }
}

TEST_CASE("derive mode names every value of a reassigned name as the graph shows it") {
  // dc is df/dc of the first c, dc' of the second: claims name nodes, and nodes are shown so.
  const std::string forward = "x = [[1], [2]]\nc = x * 3\nc = c * c\nf = sum(c)\n#! backward\n";
  SUBCASE("a right derivation through c' and c") {
    Graph g = compiled(forward + "dc' = df * [[1], [1]]\ndc = 2 * c * dc'\ndx = 3 * dc\n");
    auto d = derive(g);
    REQUIRE(d.ok());
    std::string verdicts;
    for (const Claim& c : d.value().claims) verdicts += c.name + " " + verdict_name(c.verdict) + "; ";
    CHECK(verdicts == "dc' right; dc right; dx right; ");
    CHECK(d.value().claims[0].node == "c'");
    CHECK(d.value().claims[1].node == "c");
  }
  SUBCASE("dc is the first c: the gradient of the newest is wrong for it") {
    Graph g = compiled(forward + "dc = df * [[1], [1]]\n");
    auto d = derive(g);
    REQUIRE(d.ok());
    REQUIRE(d.value().claims.size() == 1);
    CHECK(d.value().claims[0].verdict == Verdict::Wrong);
    CHECK(claim_message(d.value(), d.value().claims[0]) == "dc differs from autodiff: largest error 11 at entry [1][0]");
  }
  SUBCASE("the output's gradient is 1 by its shown name") {
    Graph g = compiled("x = [[1], [2]]\nf = sum(x * x)\nf = f * 2\n#! backward\ndf = 2 * df'\ndx = 2 * x * df\n");
    auto d = derive(g);
    REQUIRE(d.ok());
    CHECK(d.value().ok());
    CHECK(d.value().claims.size() == 2);
  }
  SUBCASE("compound claims: -= needs an earlier value, += may start a claim") {
    Graph g = compiled(forward + "dc' = df * [[1], [1]]\ndx = 0 * x\ndx -= -3 * 2 * c * dc'\n");
    auto d = derive(g);
    REQUIRE(d.ok());
    CHECK(d.value().ok());
    Graph bad = compiled(forward + "dx -= x\n");
    auto e = derive(bad);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message == "'dx' has no value to subtract from yet: write 'dx = ...' first");
  }
}

// --- transpose ---------------------------------------------------------------------------------

TEST_CASE(".T applies to any expression") {
  Graph g = compiled("x = [[1, 2, 3]]\ny = [[1], [0], [2]]\nf = sum(sigmoid(x).T * y) + sum((x @ y).T) + sum(x.T.T)\n");
  CHECK(op_of(node(g, "transpose_1")) == "transpose");
  CHECK(inputs_of(g, node(g, "transpose_1")) == "sigmoid_1");
  CHECK(node(g, "transpose_1").expr == "sigmoid(x).T");
  CHECK(node(g, "transpose_2").expr == "(x @ y).T");
  double s1 = 1 / (1 + std::exp(-1.0)), s3 = 1 / (1 + std::exp(-3.0));
  CHECK(scalar(g, "f") == doctest::Approx(s1 + 2 * s3 + 7 + 6).epsilon(1e-14));
}

// --- exports -----------------------------------------------------------------------------------

TEST_CASE("exports name c', c'' as the Python names c_1, c_2") {
  // c_1 is the program's own name, so c' becomes c_1_.
  Graph g = compiled("c_1 = [[1, 2]]\nc = c_1 * 2\nc += 1\nc = c * c\nf = sum(c)\n");
  std::string numpy = export_numpy(g), torch = export_pytorch(g);
  CAPTURE(numpy);
  for (const std::string& code : {numpy, torch}) {
    CHECK(code.find("# Renamed to be valid Python: c' -> c_1_, c'' -> c_2\n") != std::string::npos);
    CHECK(code.find("(\"c'\", c_1_), (\"c''\", c_2)") != std::string::npos);
  }
  CHECK(numpy.find("c_1_ = c + const_2\nc_2 = c_1_ * c_1_\n") != std::string::npos);
  CHECK(numpy.find("grad[\"c'\"] += unb(grad[\"c''\"] * c_1_, c_1_)\n") != std::string::npos);
  CHECK(torch.find("c_2 = c_1_ * c_1_\nc_2.retain_grad()\n") != std::string::npos);
  Graph alias = compiled("a = [[1, 2]]\nb = a\nf = sum(b)\n");
  CHECK(export_pytorch(alias).find("b = a.clone()\n") != std::string::npos);
  CHECK(export_numpy(alias).find("b = a.copy()\n") != std::string::npos);
  CHECK(export_numpy(alias).find("grad[\"a\"] += grad[\"b\"]\n") != std::string::npos);
}

// --- indexing ----------------------------------------------------------------------------------

namespace {
const std::string kX = "X = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]\n";  // (4, 3)

// X's value and gradient for f = sum(G * (EXPR)) with G the weights given.
Graph indexed(const std::string& expr, const std::string& weights) {
  return compiled(kX + "G = " + weights + "\ny = " + expr + "\nf = sum(G * y)\n");
}
}  // namespace

TEST_CASE("indexing: entries, rows, columns, slices and gathers, with scattered gradients") {
  SUBCASE("X[i, j] with integers, negative from the end, is (1, 1)") {
    Graph g = indexed("X[1, 2]", "2");
    check_matrix(node(g, "y").value, "[[6]]");
    check_matrix(node(g, "X").grad, "[[0, 0, 0], [0, 0, 2], [0, 0, 0], [0, 0, 0]]");
    CHECK(op_of(node(g, "y")) == "gather");
    check_matrix(node(indexed("X[-1, -3]", "1"), "y").value, "[[10]]");
  }
  SUBCASE("X[i] and X[i, :] are a row, X[:, j] a column") {
    Graph g = indexed("X[2]", "[[1, 2, 3]]");
    check_matrix(node(g, "y").value, "[[7, 8, 9]]");
    check_matrix(node(g, "X").grad, "[[0, 0, 0], [0, 0, 0], [1, 2, 3], [0, 0, 0]]");
    CHECK(op_of(node(g, "y")) == "gather_rows");
    check_matrix(node(indexed("X[-2, :]", "1"), "y").value, "[[7, 8, 9]]");
    Graph c = indexed("X[:, 1]", "[[1], [2], [3], [4]]");
    check_matrix(node(c, "y").value, "[[2], [5], [8], [11]]");
    check_matrix(node(c, "X").grad, "[[0, 1, 0], [0, 2, 0], [0, 3, 0], [0, 4, 0]]");
    CHECK(op_of(node(c, "y")) == "gather_cols");
  }
  SUBCASE("slices follow Python's rules") {
    check_matrix(node(indexed("X[1:3]", "1"), "y").value, "[[4, 5, 6], [7, 8, 9]]");
    check_matrix(node(indexed("X[-2:]", "1"), "y").value, "[[7, 8, 9], [10, 11, 12]]");
    check_matrix(node(indexed("X[:1, 1:]", "1"), "y").value, "[[2, 3]]");
    check_matrix(node(indexed("X[1:100, :-2]", "1"), "y").value, "[[4], [7], [10]]");
    check_matrix(node(indexed("X[2, 0:2]", "1"), "y").value, "[[7, 8]]");
    check_matrix(node(indexed("X[:, :]", "1"), "y").value, "[[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]]");
    Graph g = indexed("X[1:3, 1:]", "[[1, 2], [3, 4]]");
    check_matrix(node(g, "X").grad, "[[0, 0, 0], [0, 1, 2], [0, 3, 4], [0, 0, 0]]");
  }
  SUBCASE("a gather X[I] (an embedding lookup): repeated rows add their gradients") {
    Graph g = compiled(kX + "I = [[3], [0], [3]]\nG = [[1, 1, 1], [2, 2, 2], [10, 20, 30]]\ny = X[I]\nf = sum(G * y)\n");
    check_matrix(node(g, "y").value, "[[10, 11, 12], [1, 2, 3], [10, 11, 12]]");
    check_matrix(node(g, "X").grad, "[[2, 2, 2], [0, 0, 0], [0, 0, 0], [11, 21, 31]]");
    check_matrix(node(g, "I").grad, "[[0], [0], [0]]");  // indices get no gradient
    CHECK(inputs_of(g, node(g, "y")) == "X, I");
  }
  SUBCASE("X[I, J] picks one entry per row, as in logprobs[range(n), Yb]") {
    Graph g = compiled(kX + "Y = [[2], [0], [1], [2]]\nG = [[1], [2], [3], [4]]\ny = X[range(4), Y]\nf = sum(G * y)\n");
    check_matrix(node(g, "y").value, "[[3], [4], [8], [12]]");
    check_matrix(node(g, "X").grad, "[[0, 0, 1], [2, 0, 0], [0, 3, 0], [0, 0, 4]]");
    CHECK(inputs_of(g, node(g, "y")) == "X, range(4), Y");
    CHECK(node(g, "range(4)").kind == NodeKind::Constant);
    check_matrix(node(g, "range(4)").value, "[[0], [1], [2], [3]]");
    check_matrix(node(indexed("X[[[0], [3]], 1]", "1"), "y").value, "[[2], [11]]");
  }
  SUBCASE("range(n) is the integer column 0..n-1, a constant") {
    Graph g = compiled("r = range(3)\nf = sum(r)\n");
    check_matrix(node(g, "r").value, "[[0], [1], [2]]");
    CHECK(op_of(node(g, "r")) == "copy");
    CHECK(g.input_ids().empty());
  }
  SUBCASE(".T after an index and an index after a call") {
    Graph g = compiled(kX + "f = sum(X[0].T * [[1], [1], [1]]) + sum(sigmoid(X)[1:2, 0])\n");
    CHECK(scalar(g, "f") == doctest::Approx(6 + 1 / (1 + std::exp(-4.0))).epsilon(1e-14));
  }
}

TEST_CASE("indexing errors are located") {
  SUBCASE("an index out of range or not a whole number") {
    check_compile_error(kX + "f = sum(X[4])",
                "row index 4 is out of range: X has 4 rows (0 to 3, or -4 to -1 from the end)", 2, 11);
    check_compile_error(kX + "f = sum(X[:, -4])",
                "column index -4 is out of range: X has 3 columns (0 to 2, or -3 to -1 from the end)", 2, 15);
    check_compile_error(kX + "I = [[0], [5]]\nf = sum(X[I])",
                "row index 5 (I[1][0]) is out of range: X has 4 rows (0 to 3, or -4 to -1 from the end)", 3, 11);
    check_compile_error(kX + "I = [[0], [1.5]]\nf = sum(X[I])", "row index 1.5 (I[1][0]) is not a whole number", 3, 11);
    check_compile_error(kX + "f = sum(X[0.5, 1])", "row index 0.5 is not a whole number", 2, 11);
    check_compile_error(kX + "f = sum(X[range(5), 0])",
                "row index 4 (range(5)[4][0]) is out of range: X has 4 rows (0 to 3, or -4 to -1 from the end)", 2, 11);
  }
  SUBCASE("index shapes") {
    check_compile_error(kX + "I = [[0, 1], [1, 0]]\nf = sum(X[I])",
                "a row index must be a number or an integer column (k, 1); I is (2, 2)", 3, 11);
    check_compile_error(kX + "f = sum(X[range(3), range(2)])",
                "cannot apply 'gather' to (4, 3), (3, 1) and (2, 1): the row and column indices must have the same "
                "length (or one is a single number)",
                2, 10);
  }
  SUBCASE("slices") {
    check_compile_error(kX + "f = sum(X[3:1])", "the slice 3:1 selects no rows of X, which has 4 rows", 2, 12);
    check_compile_error(kX + "n = 2\nf = sum(X[0:n])",
                "a slice bound must be a whole number, as in X[0:2] or X[-3:]; 'n' is not a number", 3, 13);
    check_compile_error(kX + "f = sum(X[0:1.5])", "a slice bound must be a whole number, as in X[0:2] or X[-3:]; '1.5' is 1.5",
                2, 13);
    check_compile_error(kX + "f = sum(X[0:2:1])", "a slice takes no step: write a:b", 2, 14);
  }
  SUBCASE("brackets and range") {
    check_compile_error(kX + "f = sum(X[0, 1, 2])", "a matrix has two dimensions: index it as X[i] or X[i, j]", 2, 10);
    check_compile_error(kX + "f = sum(X[0)", "expected ']' to close the '[' at column 10, found ')'", 2, 12);
    check_compile_error(kX + "n = 3\nf = sum(X[range(n), 0])",
                "range(n) takes a whole number written in the program, as in range(8); 'n' is not a number", 3, 17);
    check_compile_error("f = sum(range(0))", "range(0) is empty: range(n) takes a whole number written in the program, as in range(8)",
                1, 15);
    check_compile_error("f = sum(range(2.5))",
                "range(n) takes a whole number written in the program, as in range(8); '2.5' is 2.5", 1, 15);
  }
}

TEST_CASE("inputs used as indices: kept by derive mode, whole steps in range in the app") {
  const std::string src = "C = [[1, 2], [3, 4], [5, 6]]\nXb = [[2], [0], [2]]\nE = C[Xb]\nf = sum(E * E)\n"
                          "#! backward\ndE = 2 * E\ndC = [[1], [0], [1]] * 0 + [[0, 0], [0, 0], [0, 0]]\n";
  Graph g = compiled(src);
  CHECK(index_bound(g, g.find("Xb")) == 3);
  CHECK(index_bound(g, g.find("C")) == 0);
  auto d = derive(g);
  REQUIRE(d.ok());
  // dE is right at every point: Xb kept its values (a perturbed Xb would not index at all).
  CHECK(d.value().claims[0].verdict == Verdict::Right);
  CHECK(d.value().claims[0].points_checked == 8);
  CHECK(d.value().claims[1].verdict == Verdict::Wrong);
}

TEST_CASE("the gradient check leaves inputs used as indices alone") {
  // A step of 1e-6 would make Xb and Y no whole numbers: the lookups would read nan.
  Graph g = compiled("C = [[1, 2], [3, 4], [5, 6]]\nXb = [[2], [0], [2]]\nY = [[1], [0], [1]]\n"
                     "E = tanh(C[Xb])\nf = sum(E[range(3), Y])\n");
  GradCheck report = gradient_check(g);
  REQUIRE(report.inputs.size() == 1);
  CHECK(report.inputs[0].name == "C");
  CHECK(report.inputs[0].checked == 6);
  CHECK(report.entries == 6);
  CHECK(report.passed());
  check_matrix(node(g, "Xb").value, "[[2], [0], [2]]", 0);
  CHECK(check_work(g) == 2.0 * 6 * forward_work(g));
}

TEST_CASE("the app edits an input used as an index in whole steps within range") {
  ui::AppState s;
  REQUIRE(ui::set_program(s, "C = [[1, 2], [3, 4], [5, 6]]\nXb = [[2], [0]]\nf = sum(C[Xb])\n"));
  int xb = s.graph.find("Xb");
  CHECK(ui::set_input_entry(s, xb, 0, 0, 0.7));
  CHECK(s.graph.node(xb).value(0, 0) == 1);  // rounded to a whole step
  CHECK(ui::set_input_entry(s, xb, 1, 0, 7.2));
  CHECK(s.graph.node(xb).value(1, 0) == 2);  // at most the last row
  CHECK(ui::set_input_entry(s, xb, 1, 0, -3));
  CHECK(s.graph.node(xb).value(1, 0) == 0);
  CHECK(s.program == "C = [[1, 2], [3, 4], [5, 6]]\nXb = [[1], [0]]\nf = sum(C[Xb])\n");
  auto r = ui::set_input_value(s, "Xb", matrix("[[1.5], [0]]"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "'Xb' holds indices: every entry must be a whole number from -3 to 2, not 1.5");
  ui::randomize_inputs(s, 7);
  check_matrix(s.graph.node(xb).value, "[[1], [0]]");  // indices keep their values
  CHECK(ui::set_input_entry(s, s.graph.find("C"), 0, 0, 0.25));
  CHECK(s.graph.node(s.graph.find("C")).value(0, 0) == 0.25);  // numbers are not rounded
}

TEST_CASE("the LaTeX export writes every gather's contributions, the three-input one included") {
  Graph g = compiled("C = [[0.5, -1], [1.5, 0.25], [-0.75, 2]]\nXb = [[2], [0], [2]]\nY = [[1], [0], [1]]\n"
                     "E = C[Xb]\nP = E[range(3), Y]\nf = sum(P) + E[0, 1]\n");
  std::string tex = export_latex(g, "");
  CAPTURE(tex);
  CHECK(tex.find("\\operatorname{scatter}") != std::string::npos);
  CHECK(tex.find("\\text{an index: }") != std::string::npos);
}
