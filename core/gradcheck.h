// Central finite differences over the input entries, compared with the backward pass. Large
// inputs are sampled, so a check costs at most 2 * kCheckedEntries forward passes.
#pragma once

#include <string>
#include <vector>

#include "graph.h"

namespace gs {

// The most input entries one check perturbs, over all inputs; more are sampled (see below).
constexpr long long kCheckedEntries = 200;
// Fewer still when each forward pass is costly: about 2^33 forward_work() units in all, a
// second or two natively (see sample_limit()).
constexpr double kCheckWorkBudget = 8589934592.0;

struct InputCheck {
  std::string name;
  Matrix numeric;          // (f(v + h) - f(v - h)) / 2h for each checked entry, nan for the others
  double max_error = 0;    // max over checked entries of |analytic - numeric| / max(1, |analytic|, |numeric|)
  int worst_row = 0, worst_col = 0;
  long long checked = 0;   // entries perturbed: all of value.size(), or a sample
};

struct GradCheck {
  std::vector<InputCheck> inputs;
  double max_error = 0;    // over all inputs
  long long entries = 0;   // input entries in all
  long long checked = 0;   // of which were checked
  bool sampled() const { return checked < entries; }
  bool passed(double tolerance = 1e-6) const { return max_error <= tolerance; }
};

// Perturbs the entries v of every input not used as an index by +-h*max(1, |v|), re-running the forward pass, and compares with the
// gradients of the current backward pass. Leaves the graph's values and gradients as found.
// A non-finite difference on either side counts as an error of +inf.
// With more than `max_entries` input entries (0: no limit), each input gets a share of the
// sample in proportion to its size (at least one entry each), and the entries are drawn with
// a fixed seed: the same program is always checked at the same places.
// The default `max_entries` is sample_limit(g).
GradCheck gradient_check(Graph& g, double h = 1e-6, long long max_entries = -1);

// A check in slices, so that a window can draw (and offer Cancel) between them: the same
// entries, steps and results as gradient_check(), one forward pass per step() call at least.
// It works on its own copy of the graph, so the caller's graph may change meanwhile.
class GradCheckRun {
 public:
  GradCheckRun(const Graph& g, double h = 1e-6, long long max_entries = -1);
  // Runs forward passes (two per entry: f(v + h), then f(v - h)) until `passes` have run or the
  // check is complete; true when complete.
  bool step(long long passes);
  bool done() const { return input_ >= ids_.size(); }
  long long passes_done() const { return passes_; }
  long long passes_total() const { return 2 * total_; }
  // Complete once done(); before that, the inputs finished so far.
  const GradCheck& report() const { return report_; }

 private:
  void start_input();
  void next_pass();      // one of the two forward passes of the current input's next entry
  void finish_inputs();  // files the inputs whose entries are all checked
  Graph g_;
  double h_;
  std::vector<int> ids_;
  std::vector<std::vector<long long>> picks_;  // per input: the entries to check, column-major
  size_t input_ = 0, next_ = 0;                // the current input and its next pick
  bool up_done_ = false;                       // the next pick's f(v + h) is in up_
  double up_ = 0;
  long long total_ = 0, passes_ = 0;
  InputCheck current_;
  Matrix analytic_;
  GradCheck report_;
};

// kCheckedEntries, or fewer so that the check's work stays within kCheckWorkBudget (at least
// one entry per input).
long long sample_limit(const Graph& g);

// The arithmetic of one forward pass, roughly: every entry of every node, plus n*k*m for each
// matrix product (n, k) @ (k, m) (an op whose own shape rule is a product's). A check costs
// about 2 * checked entries * this: check_work().
double forward_work(const Graph& g);
double check_work(const Graph& g, long long max_entries = -1);

}  // namespace gs
