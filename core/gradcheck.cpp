// The gradient check: the independent witness that every op's VJP matches its forward.
#include "gradcheck.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>

#include "ops.h"

namespace gs {
namespace {

// How many entries of each input to check: all of them when the total fits `max_entries`,
// otherwise shares proportional to size (at least one each) that add up to the limit, or to
// one per input when there are more inputs than that.
std::vector<long long> sample_sizes(const std::vector<long long>& sizes, long long max_entries) {
  long long total = 0;
  for (long long n : sizes) total += n;
  if (max_entries <= 0 || total <= max_entries) return sizes;
  std::vector<long long> out(sizes.size());
  long long given = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    out[i] = std::clamp<long long>(sizes[i] * max_entries / total, 1, sizes[i]);
    given += out[i];
  }
  // Hand what rounding down left over to the inputs with entries to spare, in order.
  for (size_t i = 0; given < max_entries && i < sizes.size(); ++i) {
    long long more = std::min(sizes[i] - out[i], max_entries - given);
    out[i] += more;
    given += more;
  }
  return out;
}

// k distinct indices of [0, n), ascending, drawn with a fixed seed (Floyd's algorithm on
// SplitMix64): deterministic, and with no stride that could line up with rows or columns.
std::vector<long long> sample_indices(long long n, long long k, uint64_t seed) {
  std::vector<long long> out;
  if (k >= n) {
    for (long long i = 0; i < n; ++i) out.push_back(i);
    return out;
  }
  auto next = [&seed] {
    uint64_t z = (seed += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  std::set<long long> chosen;
  for (long long j = n - k; j < n; ++j) {
    long long t = static_cast<long long>(next() % uint64_t(j + 1));
    chosen.insert(chosen.count(t) ? j : t);
  }
  return {chosen.begin(), chosen.end()};
}

// True for an op whose shape rule is a matrix product's, (n, k) @ (k, m) -> (n, m): asked of
// the op's own rule with shapes no elementwise or broadcasting op accepts.
bool is_product(const OpDef& op) {
  if (op.arity != 2) return false;
  const Shape probe[2] = {{2, 3}, {3, 5}};
  Shape out{};
  return op.shape(probe, 0, out).empty() && out.rows == 2 && out.cols == 5;
}

// The inputs a check perturbs: all but indices (C[Xb]), which have no gradient and take only
// whole values.
std::vector<int> checked_inputs(const Graph& g) {
  std::vector<int> ids;
  for (int id : g.input_ids())
    if (!index_bound(g, id)) ids.push_back(id);
  return ids;
}

}  // namespace

GradCheckRun::GradCheckRun(const Graph& g, double h, long long max_entries) : g_(g), h_(h) {
  g_.evaluate();
  ids_ = checked_inputs(g_);
  std::vector<long long> sizes;
  for (int id : ids_) sizes.push_back(g_.node(id).value.size());
  const std::vector<long long> counts = sample_sizes(sizes, max_entries < 0 ? sample_limit(g_) : max_entries);
  for (size_t k = 0; k < ids_.size(); ++k) {
    picks_.push_back(sample_indices(sizes[k], counts[k], 0x67726164ull + k));
    total_ += counts[k];
    report_.entries += sizes[k];
  }
  if (!ids_.empty()) start_input();
  finish_inputs();
}

// The next input's analytic gradient and an empty result.
void GradCheckRun::start_input() {
  const Node& n = g_.node(ids_[input_]);
  current_ = InputCheck{};
  current_.name = n.name;
  analytic_ = n.grad;  // forward() leaves gradients alone, but the copy makes it explicit
  current_.numeric = Matrix::Constant(analytic_.rows(), analytic_.cols(), std::numeric_limits<double>::quiet_NaN());
  next_ = 0;
}

void GradCheckRun::next_pass() {
  Matrix& v = g_.node(ids_[input_]).value;
  const long long index = picks_[input_][next_];
  const Eigen::Index row = Eigen::Index(index % v.rows()), col = Eigen::Index(index / v.rows());
  const double saved = v(row, col);
  // The step grows with the entry, so it stays above a large number's precision;
  // dividing by the steps actually taken keeps the quotient exact to rounding.
  const double step = h_ * std::max(1.0, std::abs(saved));
  const double hi = saved + step, lo = saved - step;
  v(row, col) = up_done_ ? lo : hi;
  g_.forward();
  v(row, col) = saved;
  const double f = g_.node(g_.output).value(0, 0);
  ++passes_;
  if (!up_done_) {  // the first of the entry's two passes
    up_ = f;
    up_done_ = true;
    return;
  }
  up_done_ = false;
  ++next_;
  const double numeric = (up_ - f) / (hi - lo), a = analytic_(row, col);
  current_.numeric(row, col) = numeric;
  double err = std::abs(a - numeric) / std::max({1.0, std::abs(a), std::abs(numeric)});
  if (!std::isfinite(err)) err = (a == numeric) ? 0 : INFINITY;
  if (current_.checked == 0 || err > current_.max_error) {  // the worst place is always a checked one
    current_.max_error = err;
    current_.worst_row = int(row);
    current_.worst_col = int(col);
  }
  ++current_.checked;
  ++report_.checked;
}

void GradCheckRun::finish_inputs() {
  while (!done() && next_ >= picks_[input_].size()) {
    report_.max_error = std::max(report_.max_error, current_.max_error);
    report_.inputs.push_back(std::move(current_));
    if (++input_ < ids_.size()) start_input();
  }
}

bool GradCheckRun::step(long long passes) {
  for (long long run = 0; !done() && run < passes; ++run) {
    next_pass();
    finish_inputs();
  }
  return done();
}

GradCheck gradient_check(Graph& g, double h, long long max_entries) {
  GradCheckRun run(g, h, max_entries);
  run.step(std::numeric_limits<long long>::max());
  g.evaluate();  // as found: values and gradients of the current inputs
  return run.report();
}

double forward_work(const Graph& g) {
  double work = 0;
  for (const Node& n : g.nodes) {
    work += double(n.value.size());
    if (n.kind != NodeKind::Op || !is_product(*n.op)) continue;
    const Matrix& a = g.node(n.inputs[0]).value;  // (n, k)
    work += double(a.rows()) * double(a.cols()) * double(n.value.cols());
  }
  return work;
}

long long sample_limit(const Graph& g) {
  const double affordable = std::floor(kCheckWorkBudget / (2 * forward_work(g)));
  return std::max<long long>(1, static_cast<long long>(std::min(double(kCheckedEntries), affordable)));
}

double check_work(const Graph& g, long long max_entries) {
  std::vector<long long> sizes;
  for (int id : checked_inputs(g)) sizes.push_back(g.node(id).value.size());
  long long checked = 0;
  for (long long n : sample_sizes(sizes, max_entries < 0 ? sample_limit(g) : max_entries)) checked += n;
  return 2.0 * double(checked) * forward_work(g);
}

}  // namespace gs
