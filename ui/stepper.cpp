// Step-through: recomputes a copy of the graph up to the chosen step.
#include "ui/stepper.h"

#include "ui/state.h"  // grad_label

namespace gs::ui {

void Stepper::start(const Graph& g) {
  active_ = true;
  playing = false;
  ops_.clear();
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (g.nodes[i].kind == NodeKind::Op) ops_.push_back(int(i));
  // Op t (in evaluation order) is computed at step t + 1; backward processes the ops in
  // reverse, so op t sends its contributions at step F + 1 + (F - t), and a gradient is
  // complete when its earliest reader (the last processed) has sent.
  const int f = int(ops_.size());
  value_step_.assign(g.nodes.size(), 0);
  grad_step_.assign(g.nodes.size(), f + 1);
  for (int t = f - 1; t >= 0; --t) {
    const Node& n = g.node(ops_[size_t(t)]);
    value_step_[size_t(ops_[size_t(t)])] = t + 1;
    for (int k = 0; k < n.arity(); ++k) grad_step_[size_t(n.inputs[k])] = f + 1 + (f - t);
  }
  go(g, 0);
}

int Stepper::computing_step(int node, bool gradient) const {
  const std::vector<int>& steps = gradient ? grad_step_ : value_step_;
  return size_t(node) < steps.size() ? steps[size_t(node)] : -1;
}

void Stepper::go(const Graph& g, int step) {
  if (!active_) return;
  step_ = std::max(0, std::min(step, last_step()));
  int f = int(ops_.size());
  view_ = g;
  known_.assign(g.nodes.size(), 1);
  grad_.assign(g.nodes.size(), GradState::Unknown);
  for (Node& n : view_.nodes) n.grad.setZero();
  sent_.assign(g.nodes.size(), 0);
  if (step_ <= f) {
    for (int k = step_; k < f; ++k) {
      known_[size_t(ops_[size_t(k)])] = 0;
      view_.node(ops_[size_t(k)]).value.setZero();
    }
    current_ = step_ > 0 ? ops_[size_t(step_ - 1)] : -1;
    return;
  }
  int processed = step_ - f - 1;  // op nodes whose VJP has run, from the last one back
  view_.node(view_.output).grad.setOnes();
  std::vector<char> done(g.nodes.size(), 0);
  for (int k = 0; k < processed; ++k) {
    int id = ops_[size_t(f - 1 - k)];
    view_.backward_node(id);
    done[size_t(id)] = 1;
    sent_[size_t(id)] = 1;
  }
  current_ = processed == 0 ? g.output : ops_[size_t(f - processed)];
  // A gradient is final once every op that reads the node has sent its contribution.
  std::vector<int> consumers(g.nodes.size(), 0), sent(g.nodes.size(), 0);
  for (int id : ops_)
    for (int k = 0; k < g.node(id).arity(); ++k) {
      int src = g.node(id).inputs[k];
      ++consumers[size_t(src)];
      if (done[size_t(id)]) ++sent[size_t(src)];
    }
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (int(i) == g.output) grad_[i] = GradState::Final;
    else if (consumers[i] > 0 && sent[i] == consumers[i]) grad_[i] = GradState::Final;
    else if (sent[i] > 0) grad_[i] = GradState::Partial;
    else if (consumers[i] == 0) grad_[i] = GradState::Final;  // feeds nothing: df/dnode = 0
  }
}

bool Stepper::reads(int node) const {
  if (!active_ || current_ < 0) return false;
  const Node& n = view_.node(current_);
  for (int k = 0; k < n.arity(); ++k)
    if (n.inputs[k] == node) return true;
  return false;
}

std::string Stepper::caption() const {
  if (!active_) return "";
  int f = int(ops_.size());
  if (step_ <= f) {
    if (step_ == 0) return "Forward 0/" + std::to_string(f) + ": the inputs are given";
    const Node& n = view_.node(current_);
    return "Forward " + std::to_string(step_) + "/" + std::to_string(f) + ": " + n.name + " = " + n.expr;
  }
  int processed = step_ - f - 1;
  if (processed == 0) return "Backward: " + grad_label(view_, view_.output) + " = 1";
  const Node& n = view_.node(current_);
  std::string to;
  for (int k = 0; k < n.arity(); ++k) {
    const Node& src = view_.node(n.inputs[k]);
    if (src.kind == NodeKind::Constant) continue;
    to += (to.empty() ? "" : " and ") + grad_label(view_, n.inputs[k]);
  }
  return "Backward " + std::to_string(processed) + "/" + std::to_string(f) + ": " + n.name + " = " + n.expr +
         " sends " + (to.empty() ? "nothing" : to);
}

}  // namespace gs::ui
