// Benchmark graphs at any size, and the hand-fused Eigen versions they are compared with.
#include "bench/graphs.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "core/examples.h"

namespace gs::bench {
namespace {

Graph compiled_example(const char* name) {
  auto g = compile(find_example(name)->source);
  if (!g) {
    std::fprintf(stderr, "bench: the %s example does not compile: %s\n", name, g.error().message.c_str());
    std::abort();
  }
  return std::move(g.value());
}

Matrix normal(int rows, int cols, double sd, std::mt19937_64& rng) {
  std::normal_distribution<double> d(0.0, sd);
  Matrix m(rows, cols);
  for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = d(rng);
  return m;
}

const Matrix& value(const Graph& g, const char* name) { return g.node(g.find(name)).value; }
const Matrix& grad(const Graph& g, const char* name) { return g.node(g.find(name)).grad; }

double stable_sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  double e = std::exp(z);
  return e / (1.0 + e);
}

template <class A, class B>
double rel_diff(const A& a, const B& b) {
  double worst = 0;
  for (Eigen::Index r = 0; r < b.rows(); ++r)
    for (Eigen::Index c = 0; c < b.cols(); ++c)
      worst = std::max(worst, std::abs(a(r, c) - b(r, c)) / std::max(1.0, std::abs(b(r, c))));
  return worst;
}

}  // namespace

Graph with_inputs(Graph g, const Overrides& inputs) {
  for (Node& n : g.nodes) {
    if (n.kind == NodeKind::Input) {
      auto it = inputs.find(n.name);
      if (it != inputs.end()) n.value = it->second;
    } else if (n.kind == NodeKind::Op) {
      std::vector<Shape> in;
      for (int id : n.inputs) in.push_back(g.node(id).shape());
      Shape out;
      std::string why = n.op->shape(in.data(), n.attr, out);
      if (!why.empty()) {
        std::fprintf(stderr, "bench: %s: %s\n", n.name.c_str(), why.c_str());
        std::abort();
      }
      n.value = Matrix::Zero(out.rows, out.cols);
    }
    n.grad = Matrix::Zero(n.value.rows(), n.value.cols());
  }
  g.evaluate();
  return g;
}

Graph seed_graph(int n) {
  Graph g = compiled_example("seed");
  if (n == 3) return g;
  std::mt19937_64 rng(20240611);
  return with_inputs(std::move(g), {{"W", normal(n, n, 1.0 / std::sqrt(double(n)), rng)},
                                    {"x", normal(n, 1, 1.0, rng)}});
}

Graph mlp_graph(int w) {
  Graph g = compiled_example("mlp");
  if (w == 0) return g;
  std::mt19937_64 rng(20240612);
  double sd = 1.0 / std::sqrt(double(w));
  return with_inputs(std::move(g), {{"X", normal(w, 4, 1.0, rng)},
                                    {"W1", normal(w, w, sd, rng)},
                                    {"b1", normal(w, 1, 0.1, rng)},
                                    {"W2", normal(1, w, sd, rng)},
                                    {"b2", normal(1, 1, 0.1, rng)},
                                    {"Y", normal(1, 4, 1.0, rng)}});
}

// --- the seed, by hand -----------------------------------------------------------------

SeedFused::SeedFused(const Graph& g) : W(value(g, "W")), x(value(g, "x")) {
  Eigen::Index n = W.rows();
  Z.resize(n);
  y.resize(n);
  dZ.resize(n);
  dW.resize(n, n);
  dx.resize(n);
}

void SeedFused::run() {
  Z.noalias() = W * x;                                            // (n) = (n,n)(n,1)
  y = Z.unaryExpr(&stable_sigmoid);
  f = y.squaredNorm();
  dZ.array() = 2.0 * y.array().square() * (1.0 - y.array());     // df/dZ = 2y * y(1 - y)
  dW.noalias() = dZ * x.transpose();                              // (n,n) = (n,1)(1,n)
  dx.noalias() = W.transpose() * dZ;                              // (n) = (n,n)(n)
}

Seed3Fused::Seed3Fused(const Graph& g) : W(value(g, "W")), x(value(g, "x")) {}

void Seed3Fused::run() {
  Eigen::Vector3d Z = W * x;
  Eigen::Vector3d y = Z.unaryExpr(&stable_sigmoid);
  f = y.squaredNorm();
  Eigen::Vector3d dZ = (2.0 * y.array().square() * (1.0 - y.array())).matrix();
  dW.noalias() = dZ * x.transpose();
  dx.noalias() = W.transpose() * dZ;
}

// --- the MLP, by hand ------------------------------------------------------------------

MlpFused::MlpFused(const Graph& g)
    : X(value(g, "X")), W1(value(g, "W1")), b1(value(g, "b1")), W2(value(g, "W2")),
      b2(value(g, "b2")), Y(value(g, "Y")) {
  A.resize(W1.rows(), X.cols());
  H.resizeLike(A);
  dA.resizeLike(A);
  P.resize(1, X.cols());
  dP.resizeLike(P);
  dX.resizeLike(X);
  dW1.resizeLike(W1);
  db1.resizeLike(b1);
  dW2.resizeLike(W2);
  db2.resizeLike(b2);
  dY.resizeLike(Y);
}

void MlpFused::run() {
  A.noalias() = W1 * X;                                           // (h,B) = (h,d)(d,B)
  A.colwise() += b1.col(0);
  H = A.cwiseMax(0.0);
  P.noalias() = W2 * H;                                           // (1,B) = (1,h)(h,B)
  P.array() += b2(0, 0);
  L = (P - Y).squaredNorm() / double(P.size());
  dP = (2.0 / double(P.size())) * (P - Y);                        // dL/dP = 2(P - Y)/N
  dY = -dP;
  dW2.noalias() = dP * H.transpose();                             // (1,h) = (1,B)(B,h)
  db2(0, 0) = dP.sum();
  dA.noalias() = W2.transpose() * dP;                             // dH (h,B) = (h,1)(1,B)
  dA = (A.array() > 0).select(dA, 0.0);                           // relu: dA = dH [A > 0]
  db1 = dA.rowwise().sum();
  dW1.noalias() = dA * X.transpose();                             // (h,d) = (h,B)(B,d)
  dX.noalias() = W1.transpose() * dA;                             // (d,B) = (d,h)(h,B)
}

double max_difference(const Graph& g, const SeedFused& s) {
  return std::max(rel_diff(grad(g, "W"), s.dW), rel_diff(grad(g, "x"), s.dx));
}
double max_difference(const Graph& g, const Seed3Fused& s) {
  return std::max(rel_diff(grad(g, "W"), s.dW), rel_diff(grad(g, "x"), s.dx));
}
double max_difference(const Graph& g, const MlpFused& m) {
  double d = 0;
  d = std::max(d, rel_diff(grad(g, "X"), m.dX));
  d = std::max(d, rel_diff(grad(g, "W1"), m.dW1));
  d = std::max(d, rel_diff(grad(g, "b1"), m.db1));
  d = std::max(d, rel_diff(grad(g, "W2"), m.dW2));
  d = std::max(d, rel_diff(grad(g, "b2"), m.db2));
  d = std::max(d, rel_diff(grad(g, "Y"), m.dY));
  return d;
}

}  // namespace gs::bench
