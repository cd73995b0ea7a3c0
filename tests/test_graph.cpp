// The graph: the course notebook's numbers, nodes used twice, editing inputs, writing the
// program back, step-through, and the gradient check on every example.
//
// Contents: helpers | the notebook (seed, slip) | nodes used twice | unused statements |
// set_input | program_text | step-through | gradient check | micrograd's neuron
#include <doctest.h>

#include "tests/helpers.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include "core/compile.h"
#include "core/examples.h"
#include "core/grad.h"
#include "core/gradcheck.h"
#include "core/ops.h"

using namespace gs;
using namespace gs::testing;

namespace {

// --- helpers -----------------------------------------------------------------------

// The notebook's numpy forward: its sigmoid was 1 / (1 + exp(Z)), which is sigmoid(-Z).
const char* const kNumpySlip = R"(W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]
x = [[1], [0], [-1]]
Z = W @ x
y = 1 / (1 + exp(Z))
f = norm2(y)
)";

Graph example(const std::string& name) {
  const Example* e = find_example(name);
  if (!e) FAIL(std::string("no example named '" + name + "'"));
  return compiled(e->source);
}

// Exactly the same numbers, where nan equals nan (and, as in ==, -0 equals 0).
bool same_numbers(const Matrix& a, const Matrix& b) {
  if (shape_of(a) != shape_of(b)) return false;
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    double x = a.data()[i], y = b.data()[i];
    if (!(x == y || (std::isnan(x) && std::isnan(y)))) return false;
  }
  return true;
}

// Every node's value and gradient.
void check_same_numbers(const Graph& actual, const Graph& expected) {
  REQUIRE(actual.nodes.size() == expected.nodes.size());
  for (size_t i = 0; i < actual.nodes.size(); ++i) {
    const Node& a = actual.nodes[i];
    const Node& e = expected.nodes[i];
    std::string name = e.name, value = format_matrix(a.value), grad = format_matrix(a.grad);
    std::string expected_value = format_matrix(e.value), expected_grad = format_matrix(e.grad);
    CAPTURE(name);
    CAPTURE(value);
    CAPTURE(expected_value);
    CAPTURE(grad);
    CAPTURE(expected_grad);
    CHECK(a.name == e.name);
    CHECK(same_numbers(a.value, e.value));
    CHECK(same_numbers(a.grad, e.grad));
  }
}

}  // namespace

// --- the notebook ------------------------------------------------------------------------

TEST_CASE("the seed example reproduces the course notebook") {
  Graph g = example("seed");
  SUBCASE("the graph is W, x -> Z = W @ x -> y = sigmoid(Z) -> f = norm2(y)") {
    REQUIRE(g.nodes.size() == 5);
    const char* names[] = {"W", "x", "Z", "y", "f"};
    const char* ops[] = {"input", "input", "matmul", "sigmoid", "norm2"};
    const char* inputs[] = {"", "", "W, x", "Z", "y"};
    for (int i = 0; i < 5; ++i) {
      CAPTURE(i);
      CHECK(g.node(i).name == names[i]);
      CHECK(op_of(g.node(i)) == ops[i]);
      CHECK(inputs_of(g, g.node(i)) == inputs[i]);
    }
    CHECK(g.output == 4);
  }
  SUBCASE("forward: Z = 0, y = 0.5, f = 0.75") {
    check_matrix(node(g, "W").value, "[[2, 1, 2], [1, 3, 1], [7, 4, 7]]", 0);
    check_matrix(node(g, "x").value, "[[1], [0], [-1]]", 0);
    check_matrix(node(g, "Z").value, "[[0], [0], [0]]", 0);
    check_matrix(node(g, "y").value, "[[0.5], [0.5], [0.5]]", 0);
    check_matrix(node(g, "f").value, "0.75", 0);
  }
  SUBCASE("backward: df/dy = 2y, df/dZ = y(1 - y) df/dy, df/dW = dZ x^T, df/dx = W^T dZ") {
    check_matrix(node(g, "f").grad, "1", 0);
    check_matrix(node(g, "y").grad, "[[1], [1], [1]]", 0);
    check_matrix(node(g, "Z").grad, "[[0.25], [0.25], [0.25]]", 0);
    check_matrix(node(g, "W").grad, "[[0.25, 0, -0.25], [0.25, 0, -0.25], [0.25, 0, -0.25]]", 0);
    check_matrix(node(g, "x").grad, "[[2.5], [2], [2.5]]", 0);
  }
}

TEST_CASE("the notebook's numpy sigmoid: 1/(1 + exp(Z)) gives the same f but the opposite gradient") {
  Graph seed = example("seed");
  Graph slip = compiled(kNumpySlip);
  SUBCASE("the same forward numbers") {
    check_matrix(node(slip, "Z").value, "[[0], [0], [0]]", 0);
    check_matrix(node(slip, "y").value, "[[0.5], [0.5], [0.5]]", 0);
    check_matrix(node(slip, "f").value, "0.75", 0);
    CHECK(op_of(node(slip, "y")) == "div");
  }
  SUBCASE("df/dW rows are [-0.25, 0, 0.25], the seed's with the sign flipped") {
    check_matrix(node(slip, "Z").grad, "[[-0.25], [-0.25], [-0.25]]");
    check_matrix(node(slip, "W").grad, "[[-0.25, 0, 0.25], [-0.25, 0, 0.25], [-0.25, 0, 0.25]]");
    check_matrix(node(slip, "x").grad, "[[-2.5], [-2], [-2.5]]");
    check_matrix(node(slip, "W").grad, format_matrix(-node(seed, "W").grad));
  }
  SUBCASE("finite differences expose a sigmoid gradient applied to the slipped forward") {
    // The notebook derived its backward for sigmoid but ran 1/(1 + exp(Z)). The gradient
    // check of the program as run disagrees with that backward in every nonzero entry.
    GradCheck check = gradient_check(slip);
    CHECK(check.passed());
    REQUIRE(check.inputs.size() == 2);
    CHECK(check.inputs[0].name == "W");
    check_matrix(check.inputs[0].numeric, "[[-0.25, 0, 0.25], [-0.25, 0, 0.25], [-0.25, 0, 0.25]]", 1e-8);
    double mismatch = (check.inputs[0].numeric - node(seed, "W").grad).cwiseAbs().maxCoeff();
    CHECK(mismatch == doctest::Approx(0.5).epsilon(1e-6));
  }
}

// --- nodes used twice --------------------------------------------------------------------

TEST_CASE("a node used twice receives both contributions") {
  SUBCASE("f = sum(x * x): df/dx = 2x") {
    Graph g = compiled("x = [[1], [2], [3]]\nf = sum(x * x)");
    check_matrix(node(g, "f").value, "14");
    check_matrix(node(g, "x").grad, "[[2], [4], [6]]");
  }
  SUBCASE("f = sum(x @ x.T) = (sum x)^2: df/dx = 2 sum(x), half through each side") {
    Graph g = compiled("x = [[1], [2], [3]]\nf = sum(x @ x.T)");
    check_matrix(node(g, "f").value, "36");
    check_matrix(node(g, "x").grad, "[[12], [12], [12]]");
    check_matrix(node(g, "transpose_1").grad, "[[6, 6, 6]]");
  }
  SUBCASE("f = sum(W @ W): df/dW[a][b] = row sum b + column sum a") {
    Graph g = compiled("W = [[1, 2], [3, 4]]\nf = sum(W @ W)");
    check_matrix(node(g, "f").value, "54");
    check_matrix(node(g, "W").grad, "[[7, 11], [9, 13]]");
  }
  SUBCASE("a named node used by two statements") {
    Graph g = compiled("x = [[1, 2]]\ny = 3 * x\nf = norm2(y) + sum(y)");
    check_matrix(node(g, "f").value, "54");            // 9 + 36 + 3 + 6
    check_matrix(node(g, "y").grad, "[[7, 13]]");      // 2y + 1
    check_matrix(node(g, "x").grad, "[[21, 39]]");     // 3 (2y + 1)
  }
  SUBCASE("x + x, x - x and x / x") {
    Graph plus = compiled("x = [[1, -2]]\nf = sum(x + x)");
    check_matrix(plus.node(0).grad, "[[2, 2]]");
    Graph minus = compiled("x = [[1, -2]]\nf = sum((x - x) * [[5, 7]])");
    check_matrix(minus.node(0).grad, "[[0, 0]]");
    Graph ratio = compiled("x = [[1, -2]]\nf = sum(x / x)");
    check_matrix(ratio.node(0).grad, "[[0, 0]]");
  }
  SUBCASE("every example's gradients are the same after a second backward pass") {
    for (const Example& e : examples()) {
      std::string name = e.name;
      CAPTURE(name);
      Graph g = compiled(e.source);
      Graph again = g;
      again.backward();
      again.backward();  // gradients are reset, not accumulated across passes
      check_same_numbers(again, g);
    }
  }
}

// --- unused statements ---------------------------------------------------------------------

TEST_CASE("a statement the output does not use sends no gradient") {
  SUBCASE("an unused log(0) does not make df/dx nan") {
    Graph g = compiled("x = [[0, 1]]\nu = sum(log(x))   # not used by f\nf = sum(2 * x)");
    CHECK(std::isinf(node(g, "u").value(0, 0)));
    check_matrix(node(g, "x").grad, "[[2, 2]]", 0);
    CHECK_FALSE(node(g, "u").feeds_output);
    CHECK(node(g, "mul_1").feeds_output);
    CHECK(node(g, "x").feeds_output);
  }
  SUBCASE("the unused statement's own gradients are 0") {
    Graph g = compiled("x = [[1, 2]]\nu = sigmoid(x)\nf = sum(x)");
    check_matrix(node(g, "u").grad, "[[0, 0]]", 0);
    check_matrix(node(g, "x").grad, "[[1, 1]]", 0);
  }
}

// --- set_input ---------------------------------------------------------------------------

TEST_CASE("set_input replaces an input's value") {
  Graph g = example("seed");
  Matrix x = matrix("[[1], [2], [3]]");  // (3, 1)
  SUBCASE("the new value, evaluated, matches a compile with the override") {
    REQUIRE(g.set_input("x", x).ok());
    check_matrix(node(g, "x").value, "[[1], [2], [3]]", 0);
    g.evaluate();
    check_matrix(node(g, "Z").value, "[[10], [10], [36]]", 0);
    check_same_numbers(g, compiled(find_example("seed")->source, {{"x", x}}));
  }
  SUBCASE("a different shape is refused and the value is kept") {
    auto r = g.set_input("x", matrix("[[1, 2, 3]]"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "'x' has shape (3, 1) but the new value has shape (1, 3)");
    CHECK(r.error().line == 0);
    check_matrix(node(g, "x").value, "[[1], [0], [-1]]", 0);
  }
  SUBCASE("only inputs can be set") {
    auto unknown = g.set_input("q", x);
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message == "there is no input named 'q'");
    auto computed = g.set_input("Z", x);
    REQUIRE_FALSE(computed.ok());
    CHECK(computed.error().message == "there is no input named 'Z'");
    Graph slip = compiled(kNumpySlip);
    auto constant = slip.set_input("1", matrix("2"));
    REQUIRE_FALSE(constant.ok());
    CHECK(constant.error().message == "there is no input named '1'");
  }
}

// --- program_text ------------------------------------------------------------------------

TEST_CASE("program_text writes changed inputs back into the program") {
  const std::string seed = find_example("seed")->source;
  SUBCASE("unchanged: the text exactly as written") {
    for (const Example& e : examples()) {
      std::string name = e.name;
      CAPTURE(name);
      CHECK(compiled(e.source).program_text() == e.source);
    }
  }
  SUBCASE("a changed matrix replaces only its literal") {
    Graph g = compiled(seed);
    REQUIRE(g.set_input("x", matrix("[[1], [2], [3]]")).ok());
    std::string expected = seed;
    size_t at = expected.find("[[1], [0], [-1]]");
    REQUIRE(at != std::string::npos);
    expected.replace(at, 16, "[[1], [2], [3]]");
    CHECK(g.program_text() == expected);
    CHECK(g.program_text().find("\nx = [[1], [2], [3]]\n") != std::string::npos);
  }
  SUBCASE("unchanged literals keep their spelling") {
    Graph g = example("mlp");
    REQUIRE(g.set_input("W2", matrix("[[1, 2, 3]]")).ok());
    std::string text = g.program_text();
    CHECK(text.find("W2 = [[1, 2, 3]]") != std::string::npos);
    CHECK(text.find("X = [[0.5, -1.0, 1.5, 0.0],\n     [1.0, 0.5, -0.5, 2.0]]\n") != std::string::npos);
    CHECK(text.find("b2 = 0.05\n") != std::string::npos);
  }
  SUBCASE("a literal written a row per line keeps a row per line, under its first row") {
    Graph g = example("mlp");
    REQUIRE(g.set_input("X", matrix("[[1, 2, 3, 4], [5, 6, 7, 8]]")).ok());
    REQUIRE(g.set_input("W1", matrix("[[1, 2], [3, 4], [5, 6]]")).ok());
    std::string text = g.program_text();
    CHECK(text.find("\nX = [[1, 2, 3, 4],\n     [5, 6, 7, 8]]\nW1 = [[1, 2],\n      [3, 4],\n      [5, 6]]\nb1 = ") !=
          std::string::npos);
    Graph again = compiled(text);  // and it reads back the same
    CHECK(again.node(again.find("W1")).value == matrix("[[1, 2], [3, 4], [5, 6]]"));
  }
  SUBCASE("a value set back to the literal's restores the original text") {
    Graph g = example("mlp");
    REQUIRE(g.set_input("b2", matrix("7")).ok());
    REQUIRE(g.set_input("b2", matrix("0.05")).ok());
    CHECK(g.program_text() == find_example("mlp")->source);
  }
  SUBCASE("scalars stay bare numbers, and a 17-digit literal is kept verbatim") {
    Graph g = example("neuron");
    REQUIRE(g.set_input("x2", matrix("0.5")).ok());
    REQUIRE(g.set_input("w1", matrix("-2")).ok());
    std::string text = g.program_text();
    CHECK(text.find("x2 = 0.5\n") != std::string::npos);
    CHECK(text.find("w1 = -2\n") != std::string::npos);
    CHECK(text.find("b = 6.8813735870195432\n") != std::string::npos);
    CHECK(text.find("x1 = 2.0\n") != std::string::npos);
  }
  SUBCASE("several inputs, and values that need every digit, round-trip exactly") {
    Graph g = compiled(seed);
    Matrix W = matrix("[[0.1, 0.2, 0.30000000000000004], [1e-7, -1e300, 3], [2.5e-310, 7, -0]]");
    Matrix x(3, 1);  // (3, 1)
    x << 1.0 / 3, -2.0 / 3, 1e-17;
    REQUIRE(g.set_input("W", W).ok());
    REQUIRE(g.set_input("x", x).ok());
    g.evaluate();
    Graph reread = compiled(g.program_text());
    check_same_numbers(reread, g);
    CHECK(reread.program_text() == g.program_text());
  }
  SUBCASE("an override with a new shape is written as a matrix") {
    Graph g = compiled("b = 2\nx = [[1, 2]]\nf = sum(b * x)", {{"b", matrix("[[1, 2]]")}});
    CHECK(g.program_text() == "b = [[1, 2]]\nx = [[1, 2]]\nf = sum(b * x)");
  }
}

// --- step-through -------------------------------------------------------------------------

TEST_CASE("forward_node and backward_node step through to evaluate()'s numbers") {
  for (const Example& e : examples()) {
    std::string name = e.name;
    SUBCASE(name.c_str()) {
      Graph done = compiled(e.source);
      Graph steps = done;
      for (Node& n : steps.nodes) {
        if (n.kind == NodeKind::Op) n.value.setZero();
        n.grad.setZero();
      }
      int ops = 0;
      for (int i = 0; i < int(steps.nodes.size()); ++i) {
        steps.forward_node(i);
        if (steps.node(i).kind == NodeKind::Op) ++ops;
        CAPTURE(i);
        CHECK(same_numbers(steps.node(i).value, done.node(i).value));
      }
      CHECK(ops > 0);
      steps.node(steps.output).grad.setOnes();
      for (int i = int(steps.nodes.size()); i-- > 0;) steps.backward_node(i);
      check_same_numbers(steps, done);
    }
  }
  SUBCASE("one backward step sends exactly one node's contributions") {
    Graph g = example("seed");
    for (Node& n : g.nodes) n.grad.setZero();
    g.node(g.output).grad.setOnes();
    g.backward_node(g.find("f"));
    check_matrix(node(g, "y").grad, "[[1], [1], [1]]", 0);
    check_matrix(node(g, "Z").grad, "[[0], [0], [0]]", 0);  // not yet: sigmoid has not run
    g.backward_node(g.find("y"));
    check_matrix(node(g, "Z").grad, "[[0.25], [0.25], [0.25]]", 0);
    check_matrix(node(g, "W").grad, "[[0, 0, 0], [0, 0, 0], [0, 0, 0]]", 0);
  }
}

// backward() writes each gradient's first contribution instead of zeroing every gradient and
// adding (see core/grad.h): it must give the very same bits, signed zeros included
// (0 + -0 is +0), whatever the gradients held before, and leave unreached gradients at 0.
TEST_CASE("backward() gives the bits of zeroing every gradient and then adding") {
  std::vector<std::string> programs = {
      "A = [[0, -1], [2, 0]]\nx = [[0], [-1]]\nf = norm2(sigmoid(A @ x) - 0.5)",  // -0 in dA
      "A = [[0, -1], [2, 0]]\nB = [[0, 1], [-3, 0]]\nf = sum(A @ B) + sum(-(A.T))",
      "a = [[0, -1, 2]]\nb = [[1, 0, -2]]\nf = sum(a * b + a / (b + 3) - b) + sum(a * a)",
      "a = [[0, -1, 2]]\nf = mean(relu(a) + abs(a) + a ^ 2 + a ^ 3 + exp(a) + tanh(a) + softplus(a))",
      "a = [[0.5, 0.1, 2]]\nf = sum(log(a) + sqrt(a))",
      "Z = [[0, -1], [2, 0], [1, 1]]\nT = [[1, 0], [0, 1], [0, 0]]\n"
      "f = cross_entropy(Z, T) + sum(softmax(Z) * T) + sum(log_softmax(Z))",
      "Z = [[0, -1], [2, 0]]\nf = cross_entropy(Z, Z) + mse(Z, Z) + mse(Z, Z.T) + bce(sigmoid(Z), sigmoid(Z))",
      "W = [[0, -1], [2, 0]]\nb = [[0], [-1]]\nX = [[1, 0, -1], [0, 0, 2]]\nf = sum(relu(W @ X + b) - b.T @ X * 0)",
      "x = [[1, 2]]\nunused = x * 3\nf = sum(x)",
  };
  for (const Example& e : examples()) programs.push_back(e.source);
  for (const std::string& source : programs) {
    CAPTURE(source);
    Graph swept = compiled(source);
    for (Node& n : swept.nodes) n.grad.setConstant(NAN);  // whatever was there before
    swept.backward();
    Graph added = swept;
    for (Node& n : added.nodes) n.grad.setZero();
    added.node(added.output).grad.setOnes();
    for (int i = int(added.nodes.size()); i-- > 0;) added.backward_node(i);
    for (size_t i = 0; i < swept.nodes.size(); ++i) {
      const Matrix& a = swept.nodes[i].grad;
      const Matrix& b = added.nodes[i].grad;
      std::string name = swept.nodes[i].name, got = format_matrix(a), want = format_matrix(b);
      CAPTURE(name);
      CAPTURE(got);
      CAPTURE(want);
      REQUIRE(shape_of(a) == shape_of(b));
      CHECK(std::equal(a.data(), a.data() + a.size(), b.data(), [](double x, double y) {
        return std::signbit(x) == std::signbit(y) && (x == y || (std::isnan(x) && std::isnan(y)));
      }));
    }
  }
}

TEST_CASE("a gradient too large for the caches gets the same bits from the streaming stores") {
  // dW of W @ x at (2048, 1024) is 16 MiB: written with non-temporal stores on x86-64 (core/grad.h,
  // Grad::stream_outer). The sweep's fresh write must equal zeroing and adding, bit for bit.
  // W is itself an outer product, so the inputs stay small enough to save.
  Matrix a = Matrix::Random(2048, 1);
  Matrix b = Matrix::Random(1, 1024);
  Matrix x = Matrix::Random(1024, 1);
  a(7, 0) = 0.0;
  x(3, 0) = -0.0;
  Graph swept = compiled("a = [[1]]\nb = [[1]]\nx = [[1]]\nW = a @ b\nZ = W @ x\nf = norm2(sigmoid(Z) - 0.5)",
                         {{"a", a}, {"b", b}, {"x", x}});
  for (Node& n : swept.nodes) n.grad.setConstant(NAN);
  swept.backward();
  Graph added = swept;
  for (Node& n : added.nodes) n.grad.setZero();
  added.node(added.output).grad.setOnes();
  for (int i = int(added.nodes.size()); i-- > 0;) added.backward_node(i);
  const Matrix& dw = node(swept, "W").grad;
  const Matrix& dw_added = node(added, "W").grad;
  REQUIRE(shape_of(dw) == Shape{2048, 1024});
  CHECK(std::equal(dw.data(), dw.data() + dw.size(), dw_added.data(), [](double p, double q) {
    return std::signbit(p) == std::signbit(q) && p == q;
  }));
  const Matrix& dz = node(swept, "Z").grad;
  CHECK(difference(dw, dz * x.transpose()) == 0);
  CHECK_FALSE(std::signbit(dw(100, 3)));  // dz * -0 + 0.0 is +0, as zeroing and adding gives
  for (const char* name : {"a", "b", "x"}) {
    CAPTURE(name);
    CHECK(difference(node(swept, name).grad, node(added, name).grad) == 0);
  }
}

// --- gradient check -----------------------------------------------------------------------

TEST_CASE("gradient_check agrees with backward() on every example") {
  for (const Example& e : examples()) {
    std::string name = e.name;
    SUBCASE(name.c_str()) {
      Graph g = compiled(e.source);
      const Graph before = g;
      GradCheck report = gradient_check(g);
      CAPTURE(report.max_error);
      CHECK(report.passed());
      CHECK(report.max_error < 1e-7);
      std::vector<int> numbers;  // the inputs that are not indices (ninja's X0, Yb): those are not checked
      for (int id : g.input_ids())
        if (!index_bound(g, id)) numbers.push_back(id);
      REQUIRE(report.inputs.size() == numbers.size());
      for (size_t k = 0; k < report.inputs.size(); ++k) {
        const Node& input = g.node(numbers[k]);
        CHECK(report.inputs[k].name == input.name);
        CHECK(difference(report.inputs[k].numeric, input.grad) < 1e-6);
      }
      check_same_numbers(g, before);  // the check leaves values and gradients as found
    }
  }
}

TEST_CASE("gradient_check catches a wrong vector-Jacobian product") {
  // out = 2 a, but the VJP forgets the 2: the kind of slip the check exists for.
  static const OpDef twice_wrong = {
      .name = "twice_wrong", .symbol = nullptr, .arity = 1, .shape = same_shape,
      .forward = [](const Matrix* const* in, double, Matrix& out) { out = 2 * *in[0]; },
      .vjp = [](const Matrix* const*, double, const Matrix&, const Matrix& g, Grad* const* gin) {
        if (gin[0]) *gin[0] += g;  // should be 2 g
      },
      .formula = "", .local = "", .chain = {nullptr, nullptr}, .explain = "",
  };
  Graph g;
  Node x;
  x.name = "x";
  x.kind = NodeKind::Input;
  x.value = matrix("[[1, 2]]");
  x.grad = Matrix::Zero(1, 2);
  Node y;
  y.name = "y";
  y.op = &twice_wrong;
  y.inputs = {0};
  y.value = Matrix::Zero(1, 2);
  y.grad = Matrix::Zero(1, 2);
  Node f;
  f.name = "f";
  f.op = find_op("sum");
  f.inputs = {1};
  f.value = Matrix::Zero(1, 1);
  f.grad = Matrix::Zero(1, 1);
  g.nodes = {x, y, f};
  g.output = 2;
  GradCheck report = gradient_check(g);
  CHECK_FALSE(report.passed());
  CHECK(report.max_error == doctest::Approx(0.5).epsilon(1e-6));  // |1 - 2| / 2
  REQUIRE(report.inputs.size() == 1);
  check_matrix(report.inputs[0].numeric, "[[2, 2]]", 1e-8);
  check_matrix(node(g, "f").value, "6", 0);
}

// --- micrograd's neuron --------------------------------------------------------------------

TEST_CASE("the neuron example matches micrograd's printed values") {
  Graph g = example("neuron");
  check_matrix(node(g, "n").value, "0.8813735870195432");
  check_matrix(node(g, "o").value, "0.7071067811865476");
  check_matrix(node(g, "n").grad, "0.5");  // 1 - o^2
  check_matrix(node(g, "x1").grad, "-1.5");
  check_matrix(node(g, "w1").grad, "1");
  check_matrix(node(g, "x2").grad, "0.5");
  check_matrix(node(g, "w2").grad, "0");
  check_matrix(node(g, "b").grad, "0.5");
}

TEST_CASE("the gradient check scales its step with the entry") {
  // A fixed step of 1e-6 is below the precision of 1e10; the check must still pass.
  auto g = compile("x = [[1e10, -3e10]]\nf = sum(x * x)\n");
  REQUIRE(g);
  GradCheck c = gradient_check(g.value());
  CAPTURE(c.max_error);
  CHECK(c.passed());
  CHECK(c.inputs[0].numeric(0, 0) == doctest::Approx(2e10).epsilon(1e-6));
}

TEST_CASE("a check in slices gives the whole check's results, one forward pass at a time") {
  Graph g = compiled("W = [[2, 1, 2], [1, 3, 1]]\nx = [[1], [0], [-1]]\nb = [[0.5], [-2]]\nf = sum(tanh(W @ x + b))\n");
  const GradCheck whole = gradient_check(g);
  GradCheckRun run(g);
  CHECK(run.passes_total() == 2 * (6 + 3 + 2));
  CHECK_FALSE(run.done());
  CHECK_FALSE(run.step(1));  // f(v + h) of W[0][0]: half an entry
  CHECK(run.passes_done() == 1);
  CHECK(run.report().checked == 0);
  CHECK_FALSE(run.step(12));  // W done, with one pass of x
  CHECK(run.passes_done() == 13);
  REQUIRE(run.report().inputs.size() == 1);
  CHECK(run.report().inputs[0].name == "W");
  CHECK(run.report().checked == 6);
  // The caller's graph changes meanwhile: the run works on its own copy.
  g.node(g.find("W")).value(0, 0) = 100;
  g.evaluate();
  CHECK(run.step(100));
  CHECK(run.done());
  CHECK(run.passes_done() == run.passes_total());
  const GradCheck& sliced = run.report();
  REQUIRE(sliced.inputs.size() == whole.inputs.size());
  CHECK(sliced.checked == whole.checked);
  CHECK(sliced.max_error == whole.max_error);
  for (size_t k = 0; k < whole.inputs.size(); ++k) {
    CAPTURE(whole.inputs[k].name);
    CHECK(sliced.inputs[k].name == whole.inputs[k].name);
    CHECK(sliced.inputs[k].numeric == whole.inputs[k].numeric);
    CHECK(sliced.inputs[k].worst_row == whole.inputs[k].worst_row);
    CHECK(sliced.inputs[k].worst_col == whole.inputs[k].worst_col);
  }
  CHECK(whole.passed());
  CHECK(run.step(1));  // nothing left to run
  CHECK(run.passes_done() == run.passes_total());
}

TEST_CASE("large checks sample their entries: bounded, deterministic, and saying so") {
  // x (500, 1): 500 input entries, more than the 200 a check perturbs.
  std::string rows;
  for (int i = 0; i < 500; ++i) rows += (i ? "], [" : "") + std::to_string(std::sin(i + 1.0));
  Graph g = compiled("x = [[" + rows + "]]\nA = x @ x.T\nf = sum(A * A) / 1000\n");
  SUBCASE("200 of 500 entries, the same ones every time, worst place among them") {
    GradCheck c = gradient_check(g);
    CHECK(c.passed());
    CHECK(c.sampled());
    CHECK(c.entries == 500);
    CHECK(c.checked == kCheckedEntries);
    REQUIRE(c.inputs.size() == 1);
    CHECK(c.inputs[0].checked == 200);
    const Matrix& numeric = c.inputs[0].numeric;  // (500, 1): nan where not checked
    CHECK(numeric.array().isNaN().count() == 300);
    CHECK_FALSE(std::isnan(numeric(c.inputs[0].worst_row, c.inputs[0].worst_col)));
    for (Eigen::Index i = 0; i < numeric.size(); ++i)
      if (!std::isnan(numeric(i))) CHECK(numeric(i) == doctest::Approx(node(g, "x").grad(i)).epsilon(1e-6));
    GradCheck again = gradient_check(g);
    CHECK(again.inputs[0].numeric.array().isNaN().matrix() == numeric.array().isNaN().matrix());
    // Spread over the input, not a block at its start.
    CHECK(numeric.topRows(250).array().isNaN().count() < 250);
    CHECK(numeric.bottomRows(250).array().isNaN().count() < 250);
  }
  SUBCASE("0 checks every entry") {
    GradCheck all = gradient_check(g, 1e-6, 0);
    CHECK_FALSE(all.sampled());
    CHECK(all.checked == 500);
    CHECK(all.inputs[0].numeric.array().isNaN().count() == 0);
  }
  SUBCASE("shares in proportion to size, at least one entry per input") {
    Graph three = compiled("W = " + format_matrix(Matrix::Constant(30, 40, 0.5)) + "\nx = " +
                           format_matrix(Matrix::Constant(40, 1, -1)) + "\nb = 2\nf = sum(W @ x + b)\n");
    GradCheck c = gradient_check(three);
    REQUIRE(c.inputs.size() == 3);
    CHECK(c.entries == 1241);
    CHECK(c.inputs[0].checked == 193);  // 200 * 1200 / 1241, rounded down
    CHECK(c.inputs[1].checked == 6);    // 200 * 40 / 1241
    CHECK(c.inputs[2].checked == 1);    // at least one
    CHECK(c.checked == 200);
    CHECK(c.passed());
  }
  SUBCASE("a costly forward pass checks fewer entries: 2^27 multiply-adds in a second or two") {
    std::string xs;
    for (int i = 0; i < 511; ++i) xs += (i ? "], [" : "") + std::to_string(std::cos(i + 1.0));
    Graph big = compiled("x = [[" + xs + "]]\nA = x @ x.T\nC = A @ A\nf = sum(C) / 1e6\n");
    const double product = 511.0 * 511 * 511;  // A @ A, the bulk of the work
    CHECK(forward_work(big) >= product);
    CHECK(forward_work(big) <= product * 1.01);
    CHECK(sample_limit(big) == static_cast<long long>(kCheckWorkBudget / (2 * forward_work(big))));
    CHECK(sample_limit(big) < 70);
    CHECK(sample_limit(g) == kCheckedEntries);
    auto start = std::chrono::steady_clock::now();
    GradCheck c = gradient_check(big);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    MESSAGE("check of the 2^27 program: " << seconds << " s");
    CHECK(c.checked == sample_limit(big));
    CHECK(c.passed());
    CHECK(check_work(big) == doctest::Approx(2.0 * double(c.checked) * forward_work(big)));
  }
}
