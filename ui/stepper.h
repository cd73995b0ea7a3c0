// Step-through of the forward and backward passes, one node at a time. Pure logic over
// a Graph: the view asks which values and gradients are known at the current step.
#pragma once

#include <string>
#include <vector>

#include "core/graph.h"

namespace gs::ui {

enum class GradState { Unknown, Partial, Final };

class Stepper {
 public:
  // Steps: 0..F are the forward pass with t ops computed (F = number of op nodes);
  // F+1 seeds df/df = 1; F+1+b has processed b op nodes in reverse order.
  bool active() const { return active_; }
  void start(const Graph& g);           // at step 0: only inputs known
  void stop() { active_ = false; }
  int step() const { return step_; }
  int last_step() const { return 2 * int(ops_.size()) + 1; }
  void go(const Graph& g, int step);    // clamps to [0, last_step]
  void next(const Graph& g) { go(g, step_ + 1); }
  void prev(const Graph& g) { go(g, step_ - 1); }

  bool in_forward() const { return step_ <= int(ops_.size()); }
  // The node being computed at this step (-1 at step 0), and the nodes it reads.
  int current() const { return current_; }
  bool reads(int node) const;
  bool value_known(int node) const { return size_t(node) >= known_.size() || known_[size_t(node)]; }
  GradState grad_state(int node) const { return size_t(node) >= grad_.size() ? GradState::Final : grad_[size_t(node)]; }
  // True once op `node`'s vector-Jacobian product has run (its contributions were sent).
  bool sent(int node) const { return size_t(node) < sent_.size() && sent_[size_t(node)]; }
  // The step that computes a node's value (its forward step; 0 for inputs) or completes its
  // gradient (the backward step that delivers its last contribution).
  int computing_step(int node, bool gradient) const;
  // The graph as it stands at this step: values and gradients not yet computed are 0.
  const Graph& view() const { return view_; }
  // "Forward 2/3: Z = W @ x" : a caption for the step bar.
  std::string caption() const;

  bool playing = false;
  float seconds_per_step = 0.8f;
  float timer = 0;

 private:
  bool active_ = false;
  int step_ = 0;
  int current_ = -1;
  std::vector<int> ops_;        // op node indices in evaluation order
  std::vector<char> known_;
  std::vector<GradState> grad_;
  std::vector<char> sent_;
  std::vector<int> value_step_, grad_step_;
  Graph view_;
};

}  // namespace gs::ui
