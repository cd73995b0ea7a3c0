// Forward mode: every op's JVP rule, the tangent sweep, and df.v = <grad f, v>.
//
// Contents: every op has a JVP, the VJP's transpose | finite differences | the sweep on the
// seed by hand | <grad f, v> on random programs | directions the user gets wrong
#include <doctest.h>

#include <random>
#include <set>

#include "core/examples.h"
#include "core/forward.h"
#include "tests/forward_cases.h"

using namespace gs;
using namespace gs::testing;

namespace {

double dot(const Matrix& a, const Matrix& b) { return (a.array() * b.array()).sum(); }

// A random direction on every input of g.
std::vector<Matrix> random_seed(const Graph& g, std::mt19937& rng) {
  std::vector<Matrix> seed(g.nodes.size());
  for (int id : g.input_ids()) seed[size_t(id)] = random_entries(rng, g.node(id).shape(), -1, 1);
  return seed;
}

// <grad f, v> over the inputs, and the sum of |grad f_i v_i| (its scale).
std::pair<double, double> gradient_dot(const Graph& g, const std::vector<Matrix>& seed) {
  double sum = 0, scale = 0;
  for (int id : g.input_ids()) {
    if (seed[size_t(id)].size() == 0) continue;  // an input held still (no direction)
    sum += dot(g.node(id).grad, seed[size_t(id)]);
    scale += (g.node(id).grad.array() * seed[size_t(id)].array()).abs().sum();
  }
  return {sum, scale};
}

}  // namespace

TEST_CASE("every op has a JVP, and it is its VJP transposed") {
  for (const OpDef* op : all_ops()) {
    std::string name = op->name;
    CAPTURE(name);
    CHECK(bool(op->jvp));
  }
  std::mt19937 rng(16);
  std::vector<OpCase> cases = op_cases(rng);
  std::set<std::string> covered;
  for (const OpCase& c : cases) {
    std::string source = c.source;
    CAPTURE(source);
    covered.insert(c.op->name);
    // f = sum(G * y), so the tangent of f is <G, dy> and df/dinput is the VJP of G:
    // <G, jvp(v)> = <vjp(G), v> for every direction v on the op's inputs (G stays put).
    std::vector<Matrix> seed = random_seed(c.g, rng);
    seed[size_t(c.g.find("G"))] = Matrix();
    const std::vector<Matrix> t = tangent_sweep(c.g, seed);
    const auto dots = gradient_dot(c.g, seed);
    const double expected = dots.first, scale = dots.second;
    const Matrix& tf = t[size_t(c.g.output)];
    CAPTURE(expected);
    CHECK(std::abs(tf(0, 0) - expected) <= 1e-12 * std::max(1.0, scale));
    CHECK(std::abs(dot(c.g.node(c.g.find("G")).value, t[size_t(c.g.find("y"))]) - expected) <=
          1e-12 * std::max(1.0, scale));
  }
  CHECK(covered.size() == all_ops().size());
}

TEST_CASE("every op's tangent matches central differences of its forward") {
  std::mt19937 rng(1616);
  for (const OpCase& c : op_cases(rng)) {
    std::string source = c.source;
    CAPTURE(source);
    const std::vector<Matrix> seed = random_seed(c.g, rng);
    const int y = c.g.find("y");
    const Matrix t = tangent_sweep(c.g, seed)[size_t(y)];
    const double h = 1e-6;
    Graph plus = c.g, minus = c.g;
    for (int id : c.g.input_ids()) {
      plus.node(id).value += h * seed[size_t(id)];
      minus.node(id).value -= h * seed[size_t(id)];
    }
    plus.forward();
    minus.forward();
    const Matrix fd = (plus.node(y).value - minus.node(y).value) / (2 * h);
    CAPTURE(format_matrix(t));
    CAPTURE(format_matrix(fd));
    CHECK(difference(t, fd) <= 1e-6);
    CHECK((t.cwiseAbs().maxCoeff() > 0) == !c.op->no_grad);  // something moved, unless nothing can (argmax)
  }
}

TEST_CASE("the tangent sweep on the seed, by hand") {
  Graph g = compiled(find_example("seed")->source);
  const int W = g.find("W"), Z = g.find("Z"), x = g.find("x");
  REQUIRE(g.node(x).value.rows() == 3);
  SUBCASE("along W[1][2]: Z moves in row 1 by x[2], f by df/dW[1][2]") {
    Matrix v = Matrix::Zero(3, 3);  // (3, 3) like W
    v(1, 2) = 1;
    auto t = tangents(g, {{"W", v}});
    REQUIRE(t.ok());
    Matrix dz = Matrix::Zero(3, 1);  // (3, 1) like Z
    dz(1, 0) = g.node(x).value(2, 0);
    CHECK(difference(t.value()[size_t(Z)], dz) == 0);
    CHECK(t.value()[size_t(x)].isZero());  // x stays put
    CHECK(t.value()[size_t(g.output)](0, 0) == doctest::Approx(g.node(W).grad(1, 2)).epsilon(1e-14));
  }
  SUBCASE("along x: dZ = W dx exactly") {
    Matrix v(3, 1);
    v << 1, -2, 0.5;
    auto t = tangents(g, {{"x", v}});
    REQUIRE(t.ok());
    CHECK(difference(t.value()[size_t(Z)], g.node(W).value * v) <= 1e-15);
    CHECK(t.value()[size_t(W)].isZero());
  }
  SUBCASE("no direction: every tangent is zero") {
    auto t = tangents(g, {});
    REQUIRE(t.ok());
    for (const Matrix& m : t.value()) CHECK(m.isZero());
  }
}

TEST_CASE("df.v equals <grad f, v> to 1e-12 on random programs") {
  std::mt19937 rng(20261201);
  int checked = 0;
  for (int p = 0; p < 60; ++p) {
    const std::string source = random_program(rng, 2 + p % 6);
    CAPTURE(source);
    Graph g = compiled(source);
    if (!well_behaved(g)) continue;
    const std::vector<Matrix> seed = random_seed(g, rng);
    const std::vector<Matrix> t = tangent_sweep(g, seed);
    const auto dots = gradient_dot(g, seed);
    const double expected = dots.first, scale = dots.second;
    CAPTURE(expected);
    CHECK(std::abs(t[size_t(g.output)](0, 0) - expected) <= 1e-12 * std::max(1.0, scale));
    ++checked;
  }
  CHECK(checked >= 50);
}

TEST_CASE("a direction names an input of the right shape") {
  Graph g = compiled(find_example("seed")->source);
  auto unknown = tangents(g, {{"q", Matrix::Zero(1, 1)}});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "there is no input named 'q'");
  auto computed = tangents(g, {{"Z", Matrix::Zero(3, 1)}});
  REQUIRE_FALSE(computed.ok());
  CHECK(computed.error().message == "there is no input named 'Z'");
  auto shape = tangents(g, {{"x", Matrix::Zero(1, 3)}});
  REQUIRE_FALSE(shape.ok());
  CHECK(shape.error().message == "the direction for 'x' has shape (1, 3) but 'x' has shape (3, 1)");
  Matrix bad = Matrix::Zero(3, 1);
  bad(1, 0) = NAN;
  auto nan = tangents(g, {{"x", bad}});
  REQUIRE_FALSE(nan.ok());
  CHECK(nan.error().message == "the direction for 'x' must be finite (no nan or inf)");
}
