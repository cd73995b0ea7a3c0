// Derive mode: checks the claims of a program's backward section against autodiff at the
// current point and at deterministic perturbations of the float inputs.
#include "derive.h"

#include <cmath>
#include <cstdint>
#include <algorithm>

#include "serialize.h"

namespace gs {
namespace {

constexpr double kTolerance = 1e-6;  // entry_agrees()

double entry_error(double yours, double truth) {
  double e = std::abs(yours - truth);
  if (entry_agrees(yours, truth)) return std::isfinite(e) ? e : 0.0;  // nan against nan, inf against inf
  return std::isfinite(e) ? e : INFINITY;
}

// A number in [-1, 1] from (point, node, entry): the same perturbation on every run.
double jitter(uint64_t point, uint64_t node, uint64_t entry) {
  uint64_t z = point * 0x9E3779B97F4A7C15ull ^ (node + 1) * 0xBF58476D1CE4E5B9ull ^ (entry + 7) * 0x94D049BB133111EBull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return double(z >> 11) / double(1ull << 52) - 1.0;
}

// Inputs that keep their values at perturbed points: loss targets, the second argument of
// a two-argument function (mse, cross_entropy, bce), reached directly or through unary ops.
// A one-hot target perturbed would no longer sum to 1, and a hand-derived softmax - T
// relies on that. Integer indices too.
std::vector<char> kept_inputs(const Graph& g) {
  std::vector<char> kept(g.nodes.size(), 0);
  for (const Node& n : g.nodes) {
    if (n.kind != NodeKind::Op || n.op->symbol || n.arity() != 2) continue;
    int id = n.inputs[1];
    while (g.node(id).kind == NodeKind::Op && g.node(id).arity() == 1) id = g.node(id).inputs[0];
    kept[size_t(id)] = 1;
  }
  // Indices (C[Xb], logprobs[range(n), Yb]) and every input they are computed from keep their
  // values: a perturbed index is not a whole number. One reverse sweep: users come after inputs.
  std::vector<char> index(g.nodes.size(), 0);
  for (size_t i = g.nodes.size(); i-- > 0;) {
    const Node& n = g.nodes[i];
    if (n.kind != NodeKind::Op) continue;
    std::vector<Shape> in;
    for (int id : n.inputs) in.push_back(g.node(id).shape());
    for (int k = 0; k < n.arity(); ++k)
      if (index[i] || (n.op->index_bound && n.op->index_bound(in.data(), k) > 0)) index[size_t(n.inputs[size_t(k)])] = 1;
  }
  for (size_t i = 0; i < kept.size(); ++i) kept[i] |= index[i];
  return kept;
}

// Moves every kept-out float input of `g` away from `base` for perturbed point `point`:
// nonzero entries by a factor in [e^-0.3, e^0.3] (the sign stays, so log and sqrt stay
// defined), zero entries to a value in [-0.3, 0.3].
void perturb(Graph& g, const Graph& base, const std::vector<char>& kept, int point) {
  for (int id : base.input_ids()) {
    if (kept[size_t(id)]) continue;
    const Matrix& v = base.node(id).value;  // (rows, cols)
    Matrix& out = g.node(id).value;
    for (Eigen::Index k = 0; k < v.size(); ++k) {
      double u = 0.3 * jitter(uint64_t(point), uint64_t(id), uint64_t(k));
      out.data()[k] = v.data()[k] != 0 ? v.data()[k] * std::exp(u) : u;
    }
  }
}

// Which claims each claim's statements read, directly or through helpers and other claims:
// uses[k][u] is set when claim k uses claim u. `claim_of[i]` is statement i's claim or -1.
// Plain vectors, not sets and maps: they keep the browser build small.
std::vector<std::vector<char>> claim_uses(const std::vector<SectionStatement>& statements,
                                          const std::vector<int>& claim_of, size_t claims) {
  std::vector<std::vector<char>> uses(claims, std::vector<char>(claims, 0));
  std::vector<std::pair<std::string, std::vector<char>>> helpers;  // per helper, as of its newest statement
  auto helper = [&](const std::string& name) -> std::vector<char>* {
    for (auto& [h, u] : helpers)
      if (h == name) return &u;
    return nullptr;
  };
  auto add = [](std::vector<char>& to, const std::vector<char>& from) {
    for (size_t k = 0; k < to.size(); ++k) to[k] |= from[k];
  };
  for (size_t i = 0; i < statements.size(); ++i) {
    const SectionStatement& st = statements[i];
    std::vector<char> reads(claims, 0);
    for (const std::string& name : st.reads) {
      int c = -1;
      for (size_t j = 0; j < i && c < 0; ++j)
        if (claim_of[j] >= 0 && statements[j].target == name) c = claim_of[j];
      if (c >= 0 && name != st.target) {
        reads[size_t(c)] = 1;
        add(reads, uses[size_t(c)]);
      } else if (std::vector<char>* h = helper(name)) {
        add(reads, *h);
      }
    }
    if (claim_of[i] < 0) {
      std::vector<char>* h = helper(st.target);
      if (!h) h = &helpers.emplace_back(st.target, std::vector<char>(claims, 0)).second;
      else if (!st.accumulate) std::fill(h->begin(), h->end(), 0);
      add(*h, reads);
    } else {
      size_t self = size_t(claim_of[i]);
      reads[self] = 0;
      add(uses[self], reads);
    }
  }
  return uses;
}

// A reduction along the wrong axis: one value per column where one per row was due, or the reverse.
const char* other_axis(Shape yours, Shape truth) {
  if (yours.rows == truth.cols && yours.cols == truth.rows) return "";  // (1, 3) for (3, 1): a transpose
  if (yours.rows == 1 && yours.cols > 1 && truth.cols == 1 && truth.rows > 1)
    return ", one value per column instead of one per row";
  if (yours.cols == 1 && yours.rows > 1 && truth.rows == 1 && truth.cols > 1)
    return ", one value per row instead of one per column";
  return "";
}

std::string entry(int row, int col) { return "[" + std::to_string(row) + "][" + std::to_string(col) + "]"; }

}  // namespace

bool entry_agrees(double yours, double truth) {
  if (!std::isfinite(truth)) return std::isnan(truth) ? std::isnan(yours) : yours == truth;
  return std::abs(yours - truth) <= kTolerance * std::max(1.0, std::abs(truth));
}

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Right: return "right";
    case Verdict::Wrong: return "wrong";
    case Verdict::Shape: return "shape";
    case Verdict::Coincidence: return "coincidence";
  }
  return "?";
}

Result<Derivation> derive(const Graph& g, int points) {
  auto compiled = compile_section(g);
  if (!compiled) return compiled.error();
  Section& section = compiled.value();
  Derivation d;
  std::vector<int> final_id;  // the section node holding each claim's value
  std::vector<int> claim_of;  // per statement: its claim, or -1 for a helper
  for (const SectionStatement& st : section.statements) {
    int k = -1;
    for (size_t j = 0; j < d.claims.size() && k < 0; ++j)
      if (d.claims[j].name == st.target) k = int(j);
    if (!st.node.empty() && k < 0) {
      k = int(d.claims.size());
      Claim c;
      c.name = st.target;
      c.node = st.node;
      c.line = st.line;
      c.column = st.column;
      d.claims.push_back(std::move(c));
      final_id.push_back(st.id);
    }
    if (!st.node.empty()) final_id[size_t(k)] = st.id;
    claim_of.push_back(st.node.empty() ? -1 : k);
  }
  if (d.claims.empty()) return d;

  Graph fwd = g;
  const std::vector<char> kept = kept_inputs(g);
  auto evaluate_at = [&](int point) {
    if (point > 0) perturb(fwd, g, kept, point);
    fwd.evaluate();
    for (auto [section_id, forward_id] : section.inputs) section.graph.node(section_id).value = fwd.node(forward_id).value;
    section.graph.forward();
  };

  evaluate_at(0);
  for (size_t k = 0; k < d.claims.size(); ++k) {
    Claim& c = d.claims[k];
    c.yours = section.graph.node(final_id[k]).value;
    c.truth = fwd.node(fwd.find(c.node)).grad;
    if (shape_of(c.yours) != shape_of(c.truth)) {
      c.verdict = Verdict::Shape;
      continue;
    }
    c.error = Matrix::Zero(c.truth.rows(), c.truth.cols());
    bool all = true;
    for (Eigen::Index r = 0; r < c.truth.rows(); ++r)
      for (Eigen::Index col = 0; col < c.truth.cols(); ++col) {
        double e = entry_error(c.yours(r, col), c.truth(r, col));
        c.error(r, col) = e;
        if (!entry_agrees(c.yours(r, col), c.truth(r, col))) {
          if (all || e > c.max_error) c.max_error = e, c.row = int(r), c.col = int(col);
          all = false;
        }
      }
    if (!all) c.verdict = Verdict::Wrong;
  }

  for (int p = 1; p <= points; ++p) {
    evaluate_at(p);
    for (size_t k = 0; k < d.claims.size(); ++k) {
      Claim& c = d.claims[k];
      if (c.verdict == Verdict::Shape || c.verdict == Verdict::Wrong) continue;
      const Matrix& truth = fwd.node(fwd.find(c.node)).grad;
      if (!truth.allFinite()) continue;  // outside the domain of some op: no evidence either way
      ++c.points_checked;
      const Matrix& yours = section.graph.node(final_id[k]).value;
      bool off = false;
      for (Eigen::Index i = 0; i < truth.size(); ++i) {
        if (entry_agrees(yours.data()[i], truth.data()[i])) continue;
        double e = entry_error(yours.data()[i], truth.data()[i]);
        if (!off) ++c.points_off, off = true;
        if (c.verdict != Verdict::Coincidence || e > c.max_error) {  // column-major index -> (row, col)
          c.verdict = Verdict::Coincidence;
          c.max_error = e, c.row = int(i % truth.rows()), c.col = int(i / truth.rows()), c.point = p;
        }
      }
    }
  }

  // A claim that is not right follows from the claims it uses that are not right. The cause to
  // name is one of those that uses none (dbndiff2 for `dbndiff += 2 * bndiff * dbndiff2`, though
  // dbndiff is written first), else, in a cycle of +=, the earliest. The first cause in the
  // section is the one to fix first.
  std::vector<std::vector<char>> uses = claim_uses(section.statements, claim_of, d.claims.size());
  const size_t n = d.claims.size();
  auto wrong_use = [&](size_t k, size_t u) { return u != k && uses[k][u] && d.claims[u].verdict != Verdict::Right; };
  std::vector<char> cause(n, 0);
  for (size_t k = 0; k < n; ++k) {
    cause[k] = d.claims[k].verdict != Verdict::Right;
    for (size_t u = 0; u < n && cause[k]; ++u) cause[k] = !wrong_use(k, u);
  }
  for (size_t k = 0; k < n; ++k) {
    Claim& c = d.claims[k];
    if (c.verdict == Verdict::Right) continue;
    for (int pass = 0; pass < 2 && c.follows < 0; ++pass)
      for (size_t u = 0; u < n && c.follows < 0; ++u)
        if (wrong_use(k, u) && (pass || cause[u])) c.follows = int(u);
    if (d.first_wrong < 0 && c.follows < 0) d.first_wrong = int(k);
  }
  for (size_t k = 0; k < n && d.first_wrong < 0; ++k)  // every one follows from another: a cycle
    if (d.claims[k].verdict != Verdict::Right) d.first_wrong = int(k);
  return d;
}

std::string claim_message(const Derivation& d, const Claim& c) {
  if (c.follows >= 0) return c.name + " follows from " + d.claims[size_t(c.follows)].name + ", which is wrong";
  switch (c.verdict) {
    case Verdict::Right:
      return c.name + " agrees with autodiff at the current point and at " + std::to_string(c.points_checked) +
             (c.points_checked == 1 ? " other" : " others");
    case Verdict::Wrong:
      return c.name + " differs from autodiff: largest error " + format_short(c.max_error, 3) + " at entry " +
             entry(c.row, c.col);
    case Verdict::Shape:
      return c.name + " must have " + c.node + "'s shape " + to_string(shape_of(c.truth)) + "; yours is " +
             to_string(shape_of(c.yours)) + other_axis(shape_of(c.yours), shape_of(c.truth));
    case Verdict::Coincidence:
      return c.name + " agrees with autodiff at the current point but not at " + std::to_string(c.points_off) +
             " of " + std::to_string(c.points_checked) + " other points: largest error " +
             format_short(c.max_error, 3) + " at entry " + entry(c.row, c.col) + " of point " +
             std::to_string(c.point);
  }
  return c.name;
}

std::string derivation_json(const Derivation& d, int indent) {
  JsonWriter w(indent);
  w.begin_object().key("claims").begin_array();
  for (const Claim& c : d.claims) {
    w.begin_object().key("name").string(c.name).key("node").string(c.node);
    w.key("line").integer(c.line).key("column").integer(c.column).key("verdict").string(verdict_name(c.verdict));
    w.key("max_error").number(c.max_error).key("where");
    if (c.row >= 0) w.begin_array().integer(c.row).integer(c.col).end_array();
    else w.null();
    w.key("point").integer(c.point).key("follows");
    if (c.follows >= 0) w.string(d.claims[size_t(c.follows)].name);
    else w.null();
    w.key("message").string(claim_message(d, c)).key("yours");
    write_matrix(w, c.yours);
    w.key("error");
    if (c.error.size()) write_matrix(w, c.error);
    else w.null();
    w.end_object();
  }
  w.end_array().key("first_wrong");
  if (d.first_wrong >= 0) w.string(d.claims[size_t(d.first_wrong)].name);
  else w.null();
  w.key("ok").boolean(d.ok()).end_object();
  return w.take();
}

}  // namespace gs
