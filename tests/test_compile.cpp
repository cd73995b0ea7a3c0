// The program language: every kind of error with its exact message, line and column, the
// formatted error with its caret, parse_matrix, and the graphs successful programs build.
//
// Contents: helpers | program errors | limits | overrides | parse_matrix | Error::format |
// statements and literals | generated names | precedence
#include <doctest.h>

#include "tests/helpers.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/compile.h"
#include "core/limits.h"

using namespace gs;
using namespace gs::testing;

namespace {

// --- helpers -----------------------------------------------------------------------

// The error compile() must return, down to the byte.
struct ExpectedError {
  std::string message;
  int line, column;
};

void check_error(const std::string& source, const ExpectedError& expected, const Overrides& overrides = {}) {
  CAPTURE(source);
  auto g = compile(source, overrides);
  REQUIRE_FALSE(g.ok());
  const Error& e = g.error();
  CHECK(e.message == expected.message);
  CHECK(e.line == expected.line);
  CHECK(e.column == expected.column);
  if (expected.line > 0) {
    // The error carries the line it points at, without its newline.
    std::string line = source;
    for (int l = 1; l < expected.line; ++l) line = line.substr(line.find('\n') + 1);
    line = line.substr(0, line.find('\n'));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    CHECK(e.source_line == line);
  } else {
    CHECK(e.source_line.empty());
  }
}

std::string names_of(const Graph& g) {
  std::string names;
  for (const Node& n : g.nodes) names += (names.empty() ? "" : ", ") + n.name;
  return names;
}

double scalar(const Graph& g, const std::string& name) { return node(g, name).value(0, 0); }

const std::string kSeedInputs = "W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]\nx = [[1], [0], [-1]]\n";

}  // namespace

// --- program errors ----------------------------------------------------------------------

TEST_CASE("program errors carry their exact message, line and column") {
  SUBCASE("unknown name, with a suggestion") {
    check_error(kSeedInputs + "f = sum(W @ xx)", {"unknown name 'xx' (did you mean 'x'?)", 3, 13});
  }
  SUBCASE("unknown name, nothing close enough to suggest") {
    check_error(kSeedInputs + "f = sum(zzzz)", {"unknown name 'zzzz'", 3, 9});
  }
  SUBCASE("unknown function, with a suggestion") {
    check_error("x = [[1]]\nf = sum(sigmod(x))", {"unknown function 'sigmod' (did you mean 'sigmoid'?)", 2, 9});
  }
  SUBCASE("unknown function, nothing close") {
    check_error("x = [[1]]\nf = frobnicate(x)", {"unknown function 'frobnicate'", 2, 5});
  }
  SUBCASE("wrong argument count") {
    check_error("x = [[1]]\nf = sum(sigmoid(x, x))", {"'sigmoid' takes 1 argument but was given 2", 2, 9});
    check_error("x = [[1]]\nf = mse(x)", {"'mse' takes 2 arguments but was given 1", 2, 5});
    check_error("x = [[1]]\nf = sum()", {"'sum' takes 1 or 2 arguments, as in sum(a) or sum(a, axis), but was given 0", 2, 5});
  }
  SUBCASE("matmul shape mismatch") {
    check_error("W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]\nx = [[1], [0]]\nZ = W @ x\nf = norm2(Z)",
                {"cannot apply '@' to (3, 3) and (2, 1): the left side has 3 columns but the right side has 2 rows",
                 3, 7});
  }
  SUBCASE("loss shape mismatch") {
    check_error("a = [[1], [2]]\nb = [[1, 2]]\nf = mse(a, b)",
                {"cannot apply 'mse' to (2, 1) and (1, 2): both arguments must have the same shape", 3, 5});
    check_error("z = [[1], [2]]\nt = [[1], [0], [0]]\nf = cross_entropy(z, t)",
                {"cannot apply 'cross_entropy' to (2, 1) and (3, 1): logits and target must have the same shape: "
                 "one column per example, the target one-hot (or probabilities)",
                 3, 5});
  }
  SUBCASE("the output is not a scalar") {
    check_error("x = [[1], [2]]\ny = sigmoid(x)",
                {"the output 'y' must be 1x1 (a scalar) but has shape (2, 1); end with a scalar such as sum(...) or "
                 "norm2(...)",
                 2, 1});
  }
  SUBCASE("use before definition") {
    check_error("f = sum(x)\nx = [[1]]",
                {"'x' is used before it is defined (it is defined on a later line)", 1, 9});
  }
  SUBCASE("a function name as a variable") {
    check_error("sum = [[1]]\nf = norm2(sum)", {"'sum' is a function name; choose another name", 1, 1});
  }
  SUBCASE("ragged matrix") {
    check_error("W = [[1, 2], [3]]\nf = sum(W)", {"row 2 has 1 entry but row 1 has 2 entries", 1, 14});
  }
  SUBCASE("empty matrix and empty row") {
    check_error("x = []\nf = sum(x)", {"a matrix needs at least one entry", 1, 6});
    check_error("x = [[]]\nf = sum(x)", {"a matrix row needs at least one entry", 1, 7});
  }
  SUBCASE("three-dimensional literal") {
    check_error("x = [[[1]]]\nf = sum(x)", {"a matrix has two dimensions: write [[1, 2], [3, 4]]", 1, 7});
  }
  SUBCASE("non-finite and malformed matrix entries") {
    check_error("x = [[1, nan]]\nf = sum(x)", {"matrix entries must be finite numbers, not 'nan'", 1, 10});
    check_error("x = [[1, inf]]\nf = sum(x)", {"matrix entries must be finite numbers, not 'inf'", 1, 10});
    check_error("x = [[1, y]]\nf = sum(x)", {"expected a number in the matrix, found 'y'", 1, 10});
    check_error("x = [[1 2]]\nf = sum(x)", {"expected ',' or ']' in the matrix, found '2'", 1, 9});
    check_error("x = [[1] [2]]\nf = sum(x)", {"expected ',' or ']' after a row, found '['", 1, 10});
    check_error("x = [[1], 2]\nf = sum(x)", {"expected '[' to start the next row, found '2'", 1, 11});
  }
  SUBCASE("hexadecimal number") {
    check_error("x = 0x1F\nf = sum(x)", {"hexadecimal numbers are not supported; write the number in decimal", 1, 5});
  }
  SUBCASE("a number too large for a double") {
    check_error("x = [[1]]\nf = sum(x * 1e999)", {"the number 1e999 is too large for a double", 2, 13});
  }
  SUBCASE("malformed numbers") {
    check_error("x = 1e+\nf = sum(x)", {"malformed number: expected digits after the exponent 'e'", 1, 5});
    check_error("x = [[1]]\nf = sum(2x)", {"malformed number '2x'", 2, 9});
  }
  SUBCASE("unexpected characters, printable and not") {
    check_error("x = [[1]]\nf = sum(x $ 2)", {"unexpected character '$'", 2, 11});
    check_error("x = [[1]]\nf = sum(x \xC3\x97 2)", {"unexpected character '\\xC3'", 2, 11});
  }
  SUBCASE("a name in its own definition") {
    check_error("x = 1\ny = y + x\nf = y", {"'y' is used in its own definition; give the new value another name", 2, 5});
  }
  SUBCASE("an operator's name called as a function") {
    check_error("x = 1\nf = add(x, x)", {"'add' is the operator '+': write it as a + b", 2, 5});
    check_error("x = [[1]]\nf = sum(transpose(x))", {"'transpose' is the operator '.T': write it as a.T", 2, 9});
  }
  SUBCASE("missing ')'") {
    // An unclosed bracket at the end points at the bracket, not past the end of the file.
    check_error("x = [[1]]\nf = sum(x", {"expected ')' to close the call to 'sum', found the end of the program", 2, 8});
    check_error("x = [[1]]\nf = (x\n", {"expected ')' to close the '(' at column 5, found the end of the program", 2, 5});
    check_error("x = [[1]]\nf = sum((x + 1)\ng = 2",
                {"expected ')' to close the call to 'sum', found 'g'", 3, 1});
    check_error("x = [[1]]\nf = 2 * (sum(x) + 1 3",
                {"expected ')' to close the '(' at column 9, found '3'", 2, 21});
  }
  SUBCASE("missing '='") {
    check_error("x = [[1]]\nf sum(x)", {"expected '=' after 'f': every line is 'name = expression'", 2, 3});
    check_error("x = [[1]]\nf", {"expected '=' after 'f': every line is 'name = expression'", 2, 2});
  }
  SUBCASE("a statement that does not start with a name") {
    check_error("3 = [[1]]", {"expected a statement 'name = ...', found '3'", 1, 1});
  }
  SUBCASE("something after the expression") {
    check_error("x = [[1]]\nf = sum(x) x", {"unexpected 'x' after the expression", 2, 12});
  }
  SUBCASE("a missing value") {
    check_error("x = [[1]]\nf = sum(x) +", {"expected a value (a name, a number, a matrix or '('), found the end of the line",
                                             2, 13});
    check_error("x = [[1]]\nf = * x", {"expected a value (a name, a number, a matrix or '('), found '*'", 2, 5});
  }
  SUBCASE("transpose spelled wrong") {
    check_error("x = [[2]]\nf = sum(x.t)", {"expected 'T' after '.' (transpose is written x.T)", 2, 11});
  }
  SUBCASE("';' inside brackets") {
    check_error("x = [[1; 2]]\nf = sum(x)", {"';' cannot appear inside brackets", 1, 8});
  }
  SUBCASE("an empty program") {
    std::string empty = "the program is empty: declare inputs and end with a 1x1 output, e.g. f = norm2(W @ x)";
    check_error("", {empty, 0, 0});
    check_error("# only a comment\n\n   \n", {empty, 0, 0});
  }
  SUBCASE("Windows line ends: the source line drops its '\\r'") {
    check_error("x = [[1]]\r\nf = sum(q)\r\n", {"unknown name 'q'", 2, 9});
  }
}

// --- limits ---------------------------------------------------------------------------------

TEST_CASE("limits are enforced with an error, never a crash") {
  const std::string too_many_nodes = "the program has too many nodes (limit " + std::to_string(kMaxNodes) + ")";
  const std::string too_deep =
      "the expression is nested too deeply (more than " + std::to_string(kMaxNesting) + " levels)";
  SUBCASE("nesting too deep: kMaxNesting levels compile, one more does not") {
    // The call's '(' is the first level.
    std::string ok = "x = [[1]]\nf = sum" + repeat("(", kMaxNesting) + "x" + repeat(")", kMaxNesting);
    CHECK(compile(ok).ok());
    std::string deep = "x = [[1]]\nf = " + repeat("(", kMaxNesting + 1) + "sum(x)" + repeat(")", kMaxNesting + 1);
    // The (kMaxNesting + 1)th '(' is at column 4 + kMaxNesting + 1.
    check_error(deep, {too_deep, 2, 5 + kMaxNesting});
    // Unary minus nests too: sum's '(' is level 1, so the kMaxNesting-th '-' (from column 9) is one too many.
    check_error("x = [[1]]\nf = sum(" + repeat("-", kMaxNesting + 6) + "x)", {too_deep, 2, 9 + kMaxNesting - 1});
  }
  SUBCASE("too many nodes: kMaxNodes compile, one more does not") {
    // x, kMaxNodes - 2 additions and the sum: exactly kMaxNodes nodes.
    std::string ok = "x = [[1]]\nf = sum(x" + repeat(" + x", kMaxNodes - 2) + ")";
    auto g = compile(ok);
    REQUIRE(g.ok());
    CHECK(g.value().nodes.size() == size_t(kMaxNodes));
    CHECK(g.value().node(g.value().output).value(0, 0) == kMaxNodes - 1);
    // One more addition: the sum no longer fits.
    check_error("x = [[1]]\nf = sum(x" + repeat(" + x", kMaxNodes - 1) + ")", {too_many_nodes, 2, 5});
    // Far more: the kMaxNodes-th '+' (the k-th is at column 4k + 7) is the first node past the limit.
    check_error("x = [[1]]\nf = sum(x" + repeat(" + x", kMaxNodes + 100) + ")", {too_many_nodes, 2, 4 * kMaxNodes + 7});
  }
  SUBCASE("a chain as long as the program limit allows fails cleanly instead of overflowing the stack") {
    // Far past the node limit, and deep enough to exhaust the stack if the whole chain were
    // built and then lowered (or freed) one C++ frame per link.
    int links = (kMaxSourceBytes - 100) / 2;
    for (const char* link : {"+x", "*x", "@x", ".T"}) {
      std::string source = "x = [[1]]\nf = sum(x" + repeat(link, links) + ")";
      REQUIRE(source.size() <= size_t(kMaxSourceBytes));
      CAPTURE(link);
      auto g = compile(source);
      REQUIRE_FALSE(g.ok());
      CHECK(g.error().message == too_many_nodes);
    }
  }
  SUBCASE("program too large") {
    // No inputs, so nothing can grow when the program is written back at full precision.
    std::string body = "f = sum([[1]])\n";
    std::string at_limit = body + "#" + std::string(size_t(kMaxSourceBytes) - body.size() - 2, '-') + "\n";
    REQUIRE(at_limit.size() == size_t(kMaxSourceBytes));
    CHECK(compile(at_limit).ok());
    check_error(at_limit + " ", {"the program is " + std::to_string(kMaxSourceBytes + 1) + " bytes; the limit is " +
                                     std::to_string(kMaxSourceBytes),
                                 0, 0});
  }
  SUBCASE("a literal with too many columns") {
    std::string row = "x = [" + repeat("1, ", kMaxDim) + "1]\nf = sum(x)";
    check_error(row, {"the matrix is too large (limit " + std::to_string(kMaxDim) + " rows or columns)", 1, 5});
  }
  SUBCASE("a result larger than one matrix may be") {
    // (n, 1) @ (1, n) with n^2 just over kMaxElements.
    int n = int(std::sqrt(double(kMaxElements))) + 1;
    REQUIRE(n <= kMaxDim);
    std::string x = "x = [" + repeat("[1], ", n - 1) + "[1]]\n";
    std::string shape = "(" + std::to_string(n) + ", " + std::to_string(n) + ")";
    check_error(x + "f = sum(x @ x.T)", {"the result would be " + shape + ", larger than the limit of " +
                                             std::to_string(kMaxElements) + " entries",
                                         2, 11});
  }
  SUBCASE("a graph larger than all matrices together may be") {
    // (n, n) products of exactly kMaxElements entries each, until the total is exceeded.
    int n = int(std::sqrt(double(kMaxElements)));
    REQUIRE(1LL * n * n == kMaxElements);
    long long products = kMaxTotalElements / kMaxElements;  // x and the transposes tip the last one over
    REQUIRE(products < 10);
    std::string source = "x = [" + repeat("[1], ", n - 1) + "[1]]\n";
    for (long long k = 1; k <= products; ++k) source += "a" + std::to_string(k) + " = x @ x.T\n";
    source += "f = sum(a1)";
    check_error(source, {"the graph would hold more than " + std::to_string(kMaxTotalElements) + " entries in all",
                         int(products) + 1, 8});
  }
}

// --- overrides -------------------------------------------------------------------------------

TEST_CASE("overrides replace input literals") {
  const std::string seed = "# seed\n" + kSeedInputs + "Z = W @ x\ny = sigmoid(Z)\nf = norm2(y)\n";
  SUBCASE("a new value is used in place of the literal") {
    Graph g = compiled(seed, {{"x", Matrix::Zero(3, 1)}});
    CHECK(node(g, "x").value == Matrix::Zero(3, 1));
    CHECK(node(g, "x").literal_value == (Matrix(3, 1) << 1, 0, -1).finished());  // the text is unchanged
    CHECK(scalar(g, "f") == doctest::Approx(0.75));
  }
  SUBCASE("a new shape is checked like a literal of that shape") {
    Matrix two(2, 1);  // (2, 1)
    two << 1, 0;
    check_error(seed, {"cannot apply '@' to (3, 3) and (2, 1): the left side has 3 columns but the right side has 2 rows", 4, 7},
                {{"x", two}});
  }
  SUBCASE("overriding a computed node or an unknown name") {
    check_error(seed, {"there is no input named 'Z' to set (the inputs are W, x)", 0, 0}, {{"Z", Matrix::Zero(3, 1)}});
    check_error(seed, {"there is no input named 'q' to set (the inputs are W, x)", 0, 0}, {{"q", Matrix::Zero(1, 1)}});
  }
  SUBCASE("an empty or non-finite value") {
    check_error(seed, {"the value given for 'x' must be a non-empty matrix of finite numbers", 0, 0}, {{"x", Matrix()}});
    check_error(seed, {"the value given for 'x' must be a non-empty matrix of finite numbers", 0, 0},
                {{"x", Matrix::Constant(3, 1, NAN)}});
    check_error(seed, {"the value given for 'x' must be a non-empty matrix of finite numbers", 0, 0},
                {{"x", Matrix::Constant(3, 1, INFINITY)}});
  }
}

// --- parse_matrix ----------------------------------------------------------------------------

TEST_CASE("parse_matrix reads one literal") {
  auto read = [](const std::string& text) {
    auto m = parse_matrix(text);
    if (!m) FAIL(std::string(m.error().format("value")));
    return m.value();
  };
  auto fails = [](const std::string& text, const ExpectedError& expected) {
    CAPTURE(text);
    auto m = parse_matrix(text);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().message == expected.message);
    CHECK(m.error().line == expected.line);
    CHECK(m.error().column == expected.column);
  };
  SUBCASE("matrices, rows and numbers") {
    CHECK(read("[[1, 2], [3, 4]]") == (Matrix(2, 2) << 1, 2, 3, 4).finished());
    CHECK(read("[1, 2, 3]") == (Matrix(1, 3) << 1, 2, 3).finished());
    CHECK(read("[[1], [2]]") == (Matrix(2, 1) << 1, 2).finished());
    CHECK(read("-0.5") == Matrix::Constant(1, 1, -0.5));
    CHECK(read("  +3  ") == Matrix::Constant(1, 1, 3));
    CHECK(read("--2") == Matrix::Constant(1, 1, 2));
    CHECK(read("(1e-3)") == Matrix::Constant(1, 1, 1e-3));
    CHECK(read(".5") == Matrix::Constant(1, 1, 0.5));
  }
  SUBCASE("signs, trailing commas, line breaks and a final newline") {
    CHECK(read("[[-1, +2,], [3, - 4],]") == (Matrix(2, 2) << -1, 2, 3, -4).finished());
    CHECK(read("[[1, 2],\n [3, 4]]\n") == (Matrix(2, 2) << 1, 2, 3, 4).finished());
    CHECK(read("[[0.1, 0.30000000000000004]]")(0, 1) == 0.1 + 0.2);
  }
  SUBCASE("errors") {
    fails("", {"expected a value (a name, a number, a matrix or '('), found the end of the program", 1, 1});
    fails("x", {"expected a number or a matrix such as [[1, 2], [3, 4]]", 1, 1});
    fails("sum([1])", {"expected a number or a matrix such as [[1, 2], [3, 4]]", 1, 1});
    fails("[1, 2] 3", {"unexpected '3' after the value", 1, 8});
    fails("1; 2", {"unexpected ';' after the value", 1, 2});
    fails("[[1, 2], [3]]", {"row 2 has 1 entry but row 1 has 2 entries", 1, 10});
    fails("[[nan]]", {"matrix entries must be finite numbers, not 'nan'", 1, 3});
    fails("[1e999]", {"the number 1e999 is too large for a double", 1, 2});
    fails("[0x10]", {"hexadecimal numbers are not supported; write the number in decimal", 1, 2});
    fails("[[1],\n [2] 3]", {"expected ',' or ']' after a row, found '3'", 2, 6});
  }
}

// --- Error::format ---------------------------------------------------------------------------

TEST_CASE("Error::format shows the place and a caret under the column") {
  SUBCASE("file, line, column, the line and the caret") {
    auto g = compile(kSeedInputs + "f = sum(W @ xx)");
    REQUIRE_FALSE(g.ok());
    CHECK(g.error().format("prog.gs") ==
          "prog.gs:3:13: error: unknown name 'xx' (did you mean 'x'?)\n"
          "    f = sum(W @ xx)\n"
          "                ^");
  }
  SUBCASE("the default file name") {
    auto g = compile("x = [[1]]\nf = sum(x $ 2)");
    REQUIRE_FALSE(g.ok());
    CHECK(g.error().format() ==
          "<program>:2:11: error: unexpected character '$'\n"
          "    f = sum(x $ 2)\n"
          "              ^");
  }
  SUBCASE("tabs stay tabs so the caret lines up") {
    auto g = compile("x = [[1]]\n\tf =\tsum(q)");
    REQUIRE_FALSE(g.ok());
    CHECK(g.error().column == 10);
    CHECK(g.error().format("p") == "p:2:10: error: unknown name 'q'\n    \tf =\tsum(q)\n    \t   \t    ^");
  }
  SUBCASE("the caret at the end of the line") {
    auto g = compile("x = [[1]]\nf = sum(x) +");
    REQUIRE_FALSE(g.ok());
    CHECK(g.error().format("p") ==
          "p:2:13: error: expected a value (a name, a number, a matrix or '('), found the end of the line\n"
          "    f = sum(x) +\n"
          "                ^");
  }
  SUBCASE("an error with no place has no line or caret") {
    Error e{"the program is empty", 0, 0, ""};
    CHECK(e.format("p") == "p: error: the program is empty");
    auto g = compile("");
    REQUIRE_FALSE(g.ok());
    CHECK(g.error().format("a.gs") ==
          "a.gs: error: the program is empty: declare inputs and end with a 1x1 output, e.g. f = norm2(W @ x)");
  }
}

// --- statements and literals ----------------------------------------------------------------

TEST_CASE("programs compile into the graph they describe") {
  SUBCASE("comments, blank lines and ';' separators") {
    Graph g = compiled("# two inputs on one line\n\nx = [[1, 2]]; y = [[3, 4]]  # trailing comment\n;\nf = sum(x * y);  # 11\n");
    CHECK(names_of(g) == "x, y, mul_1, f");
    CHECK(node(g, "x").line == 3);
    CHECK(node(g, "y").line == 3);
    CHECK(node(g, "y").column == 15);
    CHECK(node(g, "f").line == 5);
    CHECK(scalar(g, "f") == 11);
    CHECK(g.output == g.find("f"));
  }
  SUBCASE("a matrix literal over several lines") {
    Graph g = compiled("W = [[1, 2],\n     [3, 4]]   # (2, 2)\nx = [\n  [1],\n  [1]\n]\nf = sum(W @ x)\n");
    CHECK(node(g, "W").value == (Matrix(2, 2) << 1, 2, 3, 4).finished());
    CHECK(node(g, "W").expr == "[[1, 2],\n     [3, 4]]");
    CHECK(node(g, "x").shape() == Shape{2, 1});
    CHECK(node(g, "f").line == 7);
    CHECK(scalar(g, "f") == 10);
  }
  SUBCASE("inputs: literals and single numbers, with their spans") {
    std::string src = "a = -2.5\nb = [[1, 2]]\nf = sum(a * b)";
    Graph g = compiled(src);
    const Node& a = node(g, "a");
    CHECK(a.kind == NodeKind::Input);
    CHECK(a.value == Matrix::Constant(1, 1, -2.5));
    CHECK(src.substr(a.literal_begin, a.literal_end - a.literal_begin) == "-2.5");
    const Node& b = node(g, "b");
    CHECK(src.substr(b.literal_begin, b.literal_end - b.literal_begin) == "[[1, 2]]");
    CHECK(g.input_ids() == std::vector<int>{g.find("a"), g.find("b")});
    CHECK(scalar(g, "f") == -7.5);
  }
  SUBCASE("a scalar output that is itself an input") {
    Graph g = compiled("f = 3");
    CHECK(g.output == 0);
    CHECK(node(g, "f").grad(0, 0) == 1);
  }
}

// --- generated names ------------------------------------------------------------------------

TEST_CASE("inner expressions become generated nodes") {
  SUBCASE("f = norm2(sigmoid(W @ x))") {
    Graph g = compiled("W = [[1, 0], [0, 1]]\nx = [[0], [0]]\nf = norm2(sigmoid(W @ x))");
    CHECK(names_of(g) == "W, x, matmul_1, sigmoid_1, f");
    const Node& mm = node(g, "matmul_1");
    CHECK(op_of(mm) == "matmul");
    CHECK(inputs_of(g, mm) == "W, x");
    CHECK(mm.generated_name);
    CHECK(mm.expr == "W @ x");
    CHECK(mm.line == 3);
    CHECK(mm.column == 21);  // the '@'
    const Node& s = node(g, "sigmoid_1");
    CHECK(op_of(s) == "sigmoid");
    CHECK(inputs_of(g, s) == "matmul_1");
    CHECK(s.expr == "sigmoid(W @ x)");
    const Node& f = node(g, "f");
    CHECK(op_of(f) == "norm2");
    CHECK_FALSE(f.generated_name);
    CHECK(inputs_of(g, f) == "sigmoid_1");
    CHECK(f.expr == "norm2(sigmoid(W @ x))");
    CHECK(f.line == 3);
    CHECK(f.column == 1);
    CHECK(scalar(g, "f") == 0.5);
  }
  SUBCASE("numbering per op, and a named statement takes its node's generated number back") {
    Graph g = compiled("x = [[1]]\na = sigmoid(x)\nb = sigmoid(sigmoid(x))\nf = sum(a + b)");
    CHECK(names_of(g) == "x, a, sigmoid_1, b, add_1, f");
  }
  SUBCASE("generated names skip the names the program declares") {
    Graph g = compiled("x = [[1]]\nmatmul_1 = [[2]]\nf = sum(x @ matmul_1)");
    CHECK(names_of(g) == "x, matmul_1, matmul_2, f");
    Graph h = compiled("x = [[1]]\ny = sum(x @ x)\nmatmul_1 = [[2]]\nf = y * matmul_1");
    CHECK(names_of(h) == "x, matmul_2, y, matmul_1, f");
  }
  SUBCASE("constants are shared nodes named by their value") {
    Graph g = compiled("x = [[1, 2]]\nf = sum(2 * x + 2) + sum(x * [[0.5, 2]]) * 2");
    int twos = int(std::count_if(g.nodes.begin(), g.nodes.end(), [](const Node& n) { return n.name == "2"; }));
    CHECK(twos == 1);
    CHECK(op_of(node(g, "2")) == "const");
    CHECK(op_of(node(g, "[[0.5, 2]]")) == "const");
    CHECK(g.input_ids() == std::vector<int>{g.find("x")});
    CHECK(scalar(g, "f") == 19);  // (4 + 6) + (0.5 + 4) * 2
    CHECK(node(g, "x").grad == (Matrix(1, 2) << 3, 6).finished());
  }
}

// --- precedence -----------------------------------------------------------------------------

TEST_CASE("operator precedence and associativity") {
  auto value = [](const std::string& expr) {
    Graph g = compiled("x = 3\na = 1\nb = 2\nc = 3\nW = [[1, 2], [3, 4]]\nv = [[1], [1]]\nf = " + expr);
    return scalar(g, "f");
  };
  SUBCASE("-x ^ 2 is -(x ^ 2)") {
    Graph g = compiled("x = 3\nf = -x ^ 2");
    CHECK(scalar(g, "f") == -9);
    CHECK(op_of(node(g, "f")) == "neg");
    CHECK(inputs_of(g, node(g, "f")) == "pow_1");
    CHECK(node(g, "pow_1").attr == 2);
    CHECK(value("-2 ^ 2") == -4);
  }
  SUBCASE("a + b * c multiplies first") {
    Graph g = compiled("a = 1\nb = 2\nc = 3\nf = a + b * c");
    CHECK(scalar(g, "f") == 7);
    CHECK(op_of(node(g, "f")) == "add");
    CHECK(inputs_of(g, node(g, "f")) == "a, mul_1");
    CHECK(inputs_of(g, node(g, "mul_1")) == "b, c");
    CHECK(value("(a + b) * c") == 9);
  }
  SUBCASE("W.T @ x transposes first") {
    Graph g = compiled("W = [[1, 2], [3, 4]]\nx = [[1], [0]]\nf = sum(W.T @ x)");
    CHECK(inputs_of(g, node(g, "matmul_1")) == "transpose_1, x");
    CHECK(inputs_of(g, node(g, "transpose_1")) == "W");
    CHECK(scalar(g, "f") == 3);  // first column of W^T = first row of W
    CHECK(value("sum(v.T @ W @ v)") == 10);
    CHECK(value("sum(W.T.T @ v)") == 10);
  }
  SUBCASE("x ^ -1 takes a signed exponent") {
    Graph g = compiled("x = 4\nf = x ^ -1");
    CHECK(scalar(g, "f") == 0.25);
    CHECK(node(g, "f").attr == -1);
    CHECK(value("x ^ -+-2") == 9);
    CHECK(value("x ^ 0.5 * 2") == doctest::Approx(2 * std::sqrt(3.0)));
  }
  SUBCASE("left associativity of - and /") {
    CHECK(value("a - b - c") == -4);
    CHECK(value("c / b / b") == 0.75);
    CHECK(value("a / b * c") == 1.5);
    CHECK(value("c - -a") == 4);
    CHECK(value("-(a - b) * c") == 3);
  }
}
