// Forward mode in the app: a tangent direction v on the inputs, every node's tangent (its
// derivative along v) in a third row on its card, and df.v against <grad f, v>.
#include <algorithm>
#include <cmath>
#include <random>

#include "core/forward.h"
#include "ui/graph_parts.h"
#include "ui/theme.h"
#include "ui/views.h"

namespace gs::ui {
namespace {

// The direction the choice describes (empty when there is no input to move).
Direction make_direction(const AppState& s) {
  const ViewsState& v = s.views;
  const Graph& g = s.graph;
  Direction d;
  if (v.tangent == Tangent::Random) {
    std::mt19937 rng(v.seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    double norm2 = 0;
    for (int id : g.input_ids()) {
      Matrix m = g.node(id).value;  // (rows, cols) of the input
      for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = normal(rng), norm2 += m.data()[i] * m.data()[i];
      d.emplace_back(g.node(id).name, m);
    }
    for (auto& [name, m] : d) m /= std::sqrt(std::max(norm2, 1e-300));  // a unit direction over all inputs
    return d;
  }
  if (v.input < 0 || v.input >= int(g.nodes.size()) || g.node(v.input).kind != NodeKind::Input) return d;
  const Node& n = g.node(v.input);
  Matrix m = Matrix::Zero(n.value.rows(), n.value.cols());  // (rows, cols) of the input
  if (v.tangent == Tangent::Entry) m(v.row, v.col) = 1;
  else m = n.grad;
  d.emplace_back(n.name, m);
  return d;
}

}  // namespace

void refresh_tangents(AppState& s) {
  ViewsState& v = s.views;
  const Graph& g = s.graph;
  if (v.input < 0 || v.input >= int(g.nodes.size()) || g.node(v.input).kind != NodeKind::Input) {
    auto ids = g.input_ids();
    v.input = ids.empty() ? -1 : ids.front();
  }
  if (v.input >= 0) {
    const Matrix& m = g.node(v.input).value;
    v.row = std::clamp(v.row, 0, int(m.rows()) - 1), v.col = std::clamp(v.col, 0, int(m.cols()) - 1);
  }
  std::vector<double> key = {double(s.revision), double(v.tangent), double(v.input), double(v.row),
                             double(v.col), double(v.seed), double(g.nodes.size())};
  if (key == v.tangent_key) return;
  v.tangent_key = key;
  v.direction = make_direction(s);
  // The sweep straight from the direction, which make_direction builds from the graph's own
  // inputs (core's tangents() checks names and shapes for the command line).
  std::vector<Matrix> seed(g.nodes.size());
  v.tangent_error.clear();
  for (const auto& [name, m] : v.direction) {
    if (!m.allFinite()) v.tangent_error = "v has entries that are not finite numbers (" + name + "'s gradient): no direction to move along";
    seed[size_t(g.find(name))] = m;
  }
  v.tangents = v.tangent_error.empty() ? tangent_sweep(g, seed) : std::vector<Matrix>{};
}

void forward_view(AppState& s) {
  ViewsState& v = s.views;
  const Graph& g = s.graph;
  const Palette& pal = palette(s.dark);
  int kind = int(v.tangent);
  bring_into_sight(v);  // on a phone: the direction and the two numbers
  ImGui::TextDisabled("direction v:");
  const char* const kKinds[] = {"entry", "random", "gradient"};
  for (int k = 0; k < 3; ++k)
    if (wrapping_radio(kKinds[k], kind == k, false)) kind = k;
  v.tangent = Tangent(kind);
  refresh_tangents(s);
  if (v.tangent != Tangent::Random) {
    node_combo("input", s, v.input, true);
    if (v.tangent == Tangent::Entry && v.input >= 0) entry_picker(s, v.input, v.row, v.col);
  } else if (ImGui::SmallButton("new random direction")) {
    ++v.seed;
  }
  refresh_tangents(s);
  if (!v.tangent_error.empty()) {
    ImGui::TextWrapped("%s", v.tangent_error.c_str());
    return;
  }
  if (v.tangents.empty()) {
    ImGui::TextWrapped("The program has no input to move.");
    return;
  }
  const ImVec2 top = ImGui::GetCursorScreenPos();
  if (v.tangent == Tangent::Entry)
    ImGui::Text("v = 1 at %s, 0 elsewhere", entry_label(g.node(v.input).name, v.row, v.col).c_str());
  else if (v.tangent == Tangent::Gradient)
    ImGui::Text("v = %s (the steepest ascent)", grad_label(g, v.input).c_str());
  else
    ImGui::Text("v: random, unit length over every input (seed %u)", v.seed);
  const std::string f = g.node(g.output).name;
  double inner = 0;
  for (const auto& [name, m] : v.direction) inner += g.node(g.find(name)).grad.cwiseProduct(m).sum();
  const double jvp = v.tangents[size_t(g.output)](0, 0);
  ImGui::Text("forward mode: d%s.v = %s", f.c_str(), format_short(jvp, 10).c_str());
  ImGui::Text("reverse mode: <grad %s, v> = %s", f.c_str(), format_short(inner, 10).c_str());
  const bool same = std::abs(jvp - inner) <= 1e-12 * std::max(1.0, std::abs(inner));
  ImGui::PushStyleColor(ImGuiCol_Text, same ? pal.ok : pal.error);
  ImGui::Text("%s (difference %s)", same ? "equal" : "NOT equal", format_short(std::abs(jvp - inner), 3).c_str());
  ImGui::PopStyleColor();
  long entries = 0;
  for (int id : g.input_ids()) entries += long(g.node(id).value.size());
  ImGui::TextWrapped("Cost: forward mode: one sweep per input direction (%ld entries -> %ld sweeps); reverse mode: one "
                     "sweep for all %ld.", entries, entries, entries);
  record_rect(v.forward_rect, top, ImVec2(ImGui::GetContentRegionAvail().x, ImGui::GetCursorScreenPos().y - top.y));
  ImGui::Spacing();
  ImGui::TextWrapped(
      "Every card now has a third row, its tangent: how fast that node changes as the inputs move along v. Forward "
      "mode carries tangents from the inputs to the output in graph order, each op applying its JVP rule (for Z = W @ "
      "x: dZ = dW x + W dx), beside the values. One sweep gives the output's derivative along one direction; reverse "
      "mode's one backward sweep gives the whole gradient, and with it the derivative along every v at once: "
      "<grad f, v>.");
}

}  // namespace gs::ui
