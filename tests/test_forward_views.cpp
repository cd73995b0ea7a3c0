// Beyond one backward pass: the Jacobian of a step (labelled, g^T J = VJP), the loss
// landscape grid with its gradient arrow, and the gradient flow of the deep example.
//
// Contents: the Jacobian by hand on the seed | every op: g^T J = VJP | larger than 64 x 64 |
// the landscape grid and arrow | gradient norms and the deep example
#include <doctest.h>

#include <cmath>
#include <random>

#include "core/examples.h"
#include "core/gradcheck.h"
#include "core/jacobian.h"
#include "core/landscape.h"
#include "tests/forward_cases.h"

using namespace gs;
using namespace gs::testing;

TEST_CASE("the Jacobian of Z = W @ x against W on the seed, by hand") {
  Graph g = compiled(find_example("seed")->source);
  const int Z = g.find("Z"), W = g.find("W");
  auto j = local_jacobian(g, Z, 0);
  REQUIRE(j.ok());
  CHECK(j->of == Z);
  CHECK(j->wrt == W);
  CHECK(j->rows == 3);
  CHECK(j->cols == 9);
  CHECK(j->note == "");
  CHECK(j->row_labels == std::vector<std::string>{"Z[0,0]", "Z[1,0]", "Z[2,0]"});
  REQUIRE(j->col_labels.size() == 9);
  CHECK(j->col_labels[5] == "W[1,2]");
  // dZ[i]/dW[i][k] = x[k] (x = [1, 0, -1]), zero for another row of W.
  check_matrix(j->J, "[[1, 0, -1, 0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, -1, 0, 0, 0], [0, 0, 0, 0, 0, 0, 1, 0, -1]]", 0);
  check_matrix(j->upstream, format_matrix(g.node(Z).grad.transpose()), 0);
  CHECK(j->product.size() == 9);
  CHECK(j->max_difference <= 1e-15);
  SUBCASE("the output against W is df/dW, row by row") {
    auto f = output_jacobian(g, W);
    REQUIRE(f.ok());
    CHECK(f->rows == 1);
    CHECK(f->row_labels == std::vector<std::string>{"f[0,0]"});
    for (long e = 0; e < 9; ++e) CHECK(f->J(0, e) == doctest::Approx(g.node(W).grad(e / 3, e % 3)).epsilon(1e-13));
    CHECK(f->max_difference <= 1e-13);
  }
}

TEST_CASE("every op's Jacobian: g^T J equals the VJP, and the output's row is the gradient") {
  std::mt19937 rng(161);
  for (const OpCase& c : op_cases(rng)) {
    std::string source = c.source;
    CAPTURE(source);
    const int y = c.g.find("y");
    for (int k = 0; k < c.g.node(y).arity(); ++k) {
      CAPTURE(k);
      auto j = local_jacobian(c.g, y, k);
      REQUIRE(j.ok());
      REQUIRE(j->note == "");
      const double scale = std::max(1.0, j->vjp.cwiseAbs().maxCoeff());
      CHECK(j->max_difference <= 1e-12 * scale);
      std::vector<Shape> shapes;
      for (int id : c.g.node(y).inputs) shapes.push_back(c.g.node(id).shape());
      const bool index = c.op->index_bound && c.op->index_bound(shapes.data(), k) > 0;  // a[I]: I moves nothing
      CHECK((j->J.cwiseAbs().maxCoeff() > 0) == !(c.op->no_grad || index));  // argmax: a Jacobian of zeros
      const int input = c.g.node(y).inputs[k];
      auto f = output_jacobian(c.g, input);
      REQUIRE(f.ok());
      CHECK(f->max_difference <= 1e-12 * std::max(1.0, c.g.node(input).grad.cwiseAbs().maxCoeff()));
    }
  }
}

TEST_CASE("a nan in g^T J or the VJP makes the largest difference nan, not 0") {
  // bce at saturated probabilities: its gradient for the target is log((1 - p)/p) = -inf and
  // +inf, and J's entries are those infinities times the one-hot columns' zeros (nan).
  Graph g = compiled("p = [[0], [1]]\nt = [[0.5], [0.5]]\nf = bce(p, t)\n");
  auto j = local_jacobian(g, g.find("f"), 1, 0);
  REQUIRE(j);
  CHECK(std::isnan(j.value().max_difference));
}

TEST_CASE("a Jacobian larger than 64 x 64 shows one chosen row or column, and says so") {
  std::string column = "x = [";
  for (int i = 0; i < 100; ++i) column += std::string(i ? ", " : "") + "[" + std::to_string(0.01 * i - 0.5) + "]";
  column += "]\n";
  SUBCASE("100 x 100: a row, by one reverse sweep") {
    Graph g = compiled(column + "y = sigmoid(x)\nf = sum(y)\n");
    auto j = local_jacobian(g, g.find("y"), 0, 5);
    REQUIRE(j.ok());
    CHECK(j->note == "J is 100 x 100, more than 64 rows: showing row y[5,0] (one reverse sweep)");
    CHECK(j->row_labels == std::vector<std::string>{"y[5,0]"});
    CHECK(j->col_labels.size() == 100);
    REQUIRE(j->J.rows() == 1);
    const double s = g.node(g.find("y")).value(5, 0);
    CHECK(j->J(0, 5) == doctest::Approx(s * (1 - s)).epsilon(1e-15));
    CHECK(j->J.cwiseAbs().sum() == doctest::Approx(s * (1 - s)).epsilon(1e-15));  // the rest are zero
    CHECK(j->product.size() == 0);
    auto out = local_jacobian(g, g.find("y"), 0, 100);
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().message == "J is 100 x 100: there is no row 100 (0 to 99)");
  }
  SUBCASE("1 x 100: a column, by one forward sweep") {
    Graph g = compiled(column + "f = norm2(x)\n");
    auto j = output_jacobian(g, g.find("x"), 7);
    REQUIRE(j.ok());
    CHECK(j->note == "J is 1 x 100, more than 64 columns: showing column x[7,0] (one forward sweep)");
    CHECK(j->col_labels == std::vector<std::string>{"x[7,0]"});
    CHECK(j->J(0, 0) == doctest::Approx(2 * g.node(0).value(7, 0)).epsilon(1e-15));
  }
  SUBCASE("what cannot have a Jacobian") {
    Graph g = compiled(find_example("seed")->source);
    CHECK(local_jacobian(g, g.find("W"), 0).error().message == "'W' is an input: it is not computed from other nodes");
    CHECK(local_jacobian(g, g.find("y"), 1).error().message == "'y' has 1 input: there is no input 1");
  }
}

TEST_CASE("the landscape: grid values are f at those points, filled row by row, with the gradient arrow") {
  Graph g = compiled(find_example("seed")->source);
  const int W = g.find("W");
  LandscapeAxis ax = landscape_axis(g, W, 0, 0), ay = landscape_axis(g, W, 2, 2);
  CHECK(ax.lo == 0);  // W[0][0] = 2: 2 - 2 .. 2 + 2
  CHECK(ax.hi == 4);
  auto l = landscape(g, ax, ay, 9);
  REQUIRE(l.ok());
  CHECK(l->rows_done == 0);
  CHECK(std::isnan(l->f(0, 0)));
  CHECK(fill_landscape(*l, 4) == 4);
  CHECK(std::isnan(l->f(4, 0)));  // the next slice is not computed yet
  CHECK(fill_landscape(*l, 4) == 8);
  CHECK(fill_landscape(*l, 4) == 9);
  CHECK(l->done());
  for (int j = 0; j < 9; ++j)
    for (int i = 0; i < 9; ++i) {
      Matrix w = g.node(W).value;
      w(0, 0) = l->x_at(i);
      w(2, 2) = l->y_at(j);
      Graph at = compiled(g.source, {{"W", w}});
      CAPTURE(i);
      CAPTURE(j);
      CHECK(l->f(j, i) == at.node(at.output).value(0, 0));
    }
  // The middle of the grid is the current point.
  CHECK(l->x_at(4) == l->x0);
  CHECK(l->f(4, 4) == g.node(g.output).value(0, 0));
  SUBCASE("the arrow is the gradient: a narrow grid's central differences point the same way") {
    CHECK(l->gx == g.node(W).grad(0, 0));
    CHECK(l->gy == g.node(W).grad(2, 2));
    const double h = 1e-5;
    auto narrow = landscape(g, {W, 0, 0, l->x0 - h, l->x0 + h}, {W, 2, 2, l->y0 - h, l->y0 + h}, 3);
    REQUIRE(narrow.ok());
    fill_landscape(*narrow, 3);
    const double dx = (narrow->f(1, 2) - narrow->f(1, 0)) / (2 * h), dy = (narrow->f(2, 1) - narrow->f(0, 1)) / (2 * h);
    CHECK(std::hypot(dx, dy) > 1e-3);
    CHECK(std::atan2(dy, dx) == doctest::Approx(std::atan2(l->gy, l->gx)).epsilon(1e-6));
  }
  SUBCASE("what a landscape refuses") {
    CHECK(landscape(g, ax, ay, 65).error().message == "the grid has 2 to 64 points a side, not 65");
    CHECK(landscape(g, ax, ax, 8).error().message == "the two axes must be different entries");
    CHECK(landscape(g, {g.find("Z"), 0, 0, 0, 1}, ay, 8).error().message ==
          "an axis of the landscape must be an entry of an input");
    CHECK(landscape(g, {W, 3, 0, 0, 1}, ay, 8).error().message == "'W' has shape (3, 3): there is no entry [3][0]");
    CHECK(landscape(g, {W, 0, 0, 1, 1}, ay, 8).error().message ==
          "the range of W[0][0] must go from a smaller to a larger finite number");
  }
}

TEST_CASE("gradient flow: the deep example's norms shrink layer by layer with sigmoid, not with relu") {
  CHECK(deep_chain("softplus") == "");
  // The built-in `deep` example is the sigmoid chain; the others rename every layer's activation.
  CHECK(deep_chain("sigmoid") == find_example("deep")->source);
  const std::string relu_chain = deep_chain("relu");
  CHECK(relu_chain.find("sigmoid(W") == std::string::npos);
  CHECK(relu_chain.find("# Eight layers h = relu(W h).\n") == 0);
  CHECK(relu_chain.find("\nh1 = relu(W1 @ x)\n") != std::string::npos);
  CHECK(relu_chain.find("\nh8 = relu(W8 @ h7)\n") != std::string::npos);
  CHECK(deep_activations() == std::vector<std::string>{"sigmoid", "tanh", "relu"});
  std::vector<std::vector<double>> layers;  // ||df/dh_i||, i = 1..8, per activation
  for (const std::string& act : deep_activations()) {
    CAPTURE(act);
    Graph g = compiled(deep_chain(act));
    CHECK(gradient_check(g).passed(1e-6));
    std::vector<double> norms = gradient_norms(g);
    REQUIRE(norms.size() == g.nodes.size());
    for (size_t i = 0; i < norms.size(); ++i) CHECK(norms[i] == g.nodes[i].grad.norm());
    std::vector<double> h;
    for (int i = 1; i <= 8; ++i) h.push_back(norms[size_t(g.find("h" + std::to_string(i)))]);
    layers.push_back(h);
  }
  const std::vector<double>& sigmoid = layers[0];
  const std::vector<double>& relu = layers[2];
  for (int i = 0; i + 1 < 8; ++i) {
    CAPTURE(i);
    CHECK(sigmoid[size_t(i)] < 0.5 * sigmoid[size_t(i) + 1]);  // at least halved a layer nearer the input
    CHECK(relu[size_t(i)] >= 0.8 * relu[size_t(i) + 1]);     // relu keeps the size
  }
  CHECK(sigmoid[0] < 1e-3 * sigmoid[7]);
  CHECK(relu[0] >= relu[7]);
}
