// The graphs the benchmarks time, and hand-written fused Eigen versions of the same
// computations to compare against (the fastest a person would write for one graph).
//
// Contents: with_inputs (any size, for trusted callers), seed_graph / mlp_graph (graphs at
// a size), SeedFused / MlpFused (the same values and input gradients, hand-fused).
#pragma once

#include "core/compile.h"

namespace gs::bench {

// The graph `g` with these inputs replaced by values of any shape, every op's shape
// re-derived and the graph evaluated. No size limits: the benchmark is a trusted caller and
// needs W at 4096 x 4096 (16.7M entries), past core/limits.h's 4M for typed programs.
Graph with_inputs(Graph g, const Overrides& inputs);

// The seed example with W (n, n) and x (n, 1); n = 3 is the example exactly as written,
// larger n gets W ~ N(0, 1/n) and x ~ N(0, 1), so sigmoid(W x) is not saturated.
Graph seed_graph(int n);
// The mlp example; width 0 is the example as written, otherwise X (w, 4), W1 (w, w),
// b1 (w, 1), W2 (1, w), b2 and Y (1, 4): the features and the hidden layer grow.
Graph mlp_graph(int width);

// f = ||sigmoid(W x)||^2 with dW and dx, written out by hand in Eigen.
struct SeedFused {
  Eigen::MatrixXd W, dW;              // (n, n)
  Eigen::VectorXd x, Z, y, dZ, dx;    // (n): vectors, so dZ x^T is an outer product to Eigen
  double f = 0;
  explicit SeedFused(const Graph& g);  // takes W and x from the graph
  void run();
};

// The seed at 3 x 3 with fixed-size Eigen types: what a person would write for the notebook.
struct Seed3Fused {
  Eigen::Matrix3d W, dW;      // (3, 3)
  Eigen::Vector3d x, dx;      // (3, 1)
  double f = 0;
  explicit Seed3Fused(const Graph& g);
  void run();
};

// The two-layer MLP with mse, every input's gradient, by hand.
struct MlpFused {
  Eigen::MatrixXd X, W1, b1, W2, b2, Y;       // (d, B), (h, d), (h, 1), (1, h), (1, 1), (1, B)
  Eigen::MatrixXd A, H, P, dP, dA;            // (h, B), (h, B), (1, B), (1, B), (h, B)
  Eigen::MatrixXd dX, dW1, db1, dW2, db2, dY; // the inputs' shapes
  double L = 0;
  explicit MlpFused(const Graph& g);
  void run();
};

// Largest |a - b| / max(1, |b|) over the inputs' gradients of `g` and the fused results,
// so a benchmark never times a fused version that computes something else.
double max_difference(const Graph& g, const SeedFused& s);
double max_difference(const Graph& g, const Seed3Fused& s);
double max_difference(const Graph& g, const MlpFused& m);

}  // namespace gs::bench
