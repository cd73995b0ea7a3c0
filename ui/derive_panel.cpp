// The Derive tab and the claim row of a card: what derive mode (core/derive.h) found about
// the student's backward section, shown claim by claim and entry by entry.
#include "ui/derive_panel.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "ui/graph_parts.h"
#include "ui/layout.h"
#include "ui/theme.h"

namespace gs::ui {
namespace {

constexpr float kRowGap = 4;  // graph units, as between the value and gradient rows

// The claim about `node`, or nullptr.
const Claim* claim_of(const AppState& s, int node) {
  if (node < 0 || node >= int(s.graph.nodes.size()) || s.derive_error) return nullptr;
  for (const Claim& c : s.derivation.claims)
    if (c.node == s.graph.node(node).name) return &c;
  return nullptr;
}

// The claim row's label ("yours: dZ  right"), and a wrong shape's line under it.
std::string claim_label(const Claim& c) { return "yours: " + c.name + "  " + verdict_name(c.verdict); }
std::string shape_text(const Claim& c) {
  return "shape " + to_string(shape_of(c.yours)) + ", not " + to_string(shape_of(c.truth));
}

ImU32 verdict_color(const Palette& pal, Verdict v) {
  return v == Verdict::Right ? pal.ok : v == Verdict::Coincidence ? pal.partial : pal.error;
}

// An entry's error as a colour: green where it agrees (error 0), towards the error colour as
// it grows (relative to the claim's largest error at this point).
ImU32 error_color(const Palette& pal, double error, double largest) {
  if (!(error > 0)) return pal.card_bg == IM_COL32(255, 255, 255, 255) ? IM_COL32(222, 242, 226, 255)
                                                                      : IM_COL32(40, 80, 55, 255);
  float t = std::isfinite(error) && largest > 0 ? float(std::min(1.0, 0.35 + 0.65 * error / largest)) : 1.f;
  auto mix = [&](int shift) {
    float a = float((pal.card_bg >> shift) & 0xFF), b = float((pal.error >> shift) & 0xFF);
    return int(a + (b - a) * t + 0.5f);
  };
  return IM_COL32(mix(IM_COL32_R_SHIFT), mix(IM_COL32_G_SHIFT), mix(IM_COL32_B_SHIFT), 255);
}

}  // namespace

// Rounding differences (1e-16 where the student's formula orders the same sums differently)
// agree: they are green, not shaded against each other.
double claim_largest_error(const Claim& claim) {
  double largest = 0;
  for (Eigen::Index i = 0; i < claim.error.size(); ++i)
    if (!entry_agrees(claim.yours.data()[i], claim.truth.data()[i]) && std::isfinite(claim.error.data()[i]))
      largest = std::max(largest, claim.error.data()[i]);
  return largest;
}

ImU32 claim_entry_color(const Palette& pal, const Claim& claim, Eigen::Index r, Eigen::Index c, double largest) {
  if (claim.error.size() == 0) return pal.error;  // a shape claim has no entries to compare
  return error_color(pal, entry_agrees(claim.yours(r, c), claim.truth(r, c)) ? 0.0 : claim.error(r, c), largest);
}

void refresh_derivation(AppState& s) {
  const bool had = derive_tab_visible(s);
  auto d = derive(s.graph);
  if (d) {
    s.derivation = std::move(d.value());
    s.derive_error.reset();
  } else {
    s.derivation = Derivation{};
    s.derive_error = d.error();
  }
  if (!had && derive_tab_visible(s)) s.derive_tab_opens = true;
}

bool derive_tab(AppState& s) {
  if (!derive_tab_visible(s)) return false;
  const ImGuiTabItemFlags flags = s.derive_tab_opens ? ImGuiTabItemFlags_SetSelected : 0;
  s.derive_tab_opens = false;
  return side_tab(s, "Derive", flags);
}

bool derivation_hides_gradients(const AppState& s) {
  return s.exercise.hidden_panels.count("grads") > 0 && (s.derive_error || !s.derivation.ok());
}

bool derive_tab_visible(const AppState& s) { return s.derivation.present() || s.derive_error.has_value(); }

void derive_panel(AppState& s) {
  const Palette& pal = palette(s.dark);
  if (s.derive_error) {
    ImGui::PushStyleColor(ImGuiCol_Text, pal.error);
    ImGui::TextWrapped("%s", s.derive_error->format().c_str());
    ImGui::PopStyleColor();
    return;
  }
  const Derivation& d = s.derivation;
  int right = 0, others = 0;
  for (const Claim& c : d.claims) right += c.verdict == Verdict::Right, others = std::max(others, c.points_checked);
  ImGui::TextWrapped("Your backward pass: %d of %d claims right, checked against autodiff here and at %d other points.",
                     right, int(d.claims.size()), others);
  if (!d.ok()) {
    const Claim& first = d.claims[size_t(d.first_wrong)];
    bool followed = false;  // some claim is reported as following from it
    for (const Claim& c : d.claims) followed = followed || c.follows == d.first_wrong;
    ImGui::TextWrapped("Fix %s first (line %d)%s", first.name.c_str(), first.line,
                       followed ? ": the claims after it that use it follow from it." : ".");
  }
  // Three columns (ui/layout.cpp's column(): ImGui's tables would add about 20 KB of WebAssembly).
  const char* const heads[] = {"claim", "verdict", "why"};
  for (int k = 0; k < 3; ++k) column(k, 3), ImGui::TextDisabled("%s", heads[k]);
  ImGui::Separator();
  for (size_t k = 0; k < d.claims.size(); ++k) {
    const Claim& c = d.claims[k];
    int node = s.graph.find(c.node);
    // Selecting a claim selects its node: the card and the inspector show it.
    if (ImGui::Selectable((c.name + "##claim" + std::to_string(k)).c_str(), s.selected == node)) s.selected = node;
    column(1, 3);
    colored_label(verdict_name(c.verdict), verdict_color(pal, c.verdict), IM_COL32(255, 255, 255, 255));
    column(2, 3);
    std::string why = claim_message(d, c);
    ImGui::TextWrapped("line %d: %s", c.line, why.substr(std::min(why.size(), c.name.size() + 1)).c_str());
  }
  if (derivation_hides_gradients(s))
    ImGui::TextDisabled("Autodiff's gradients stay hidden until every claim is right.");
}

// The widest of the student's numbers as their cells print them, with the cells' padding:
// their cells are at least this wide ("1.25" under autodiff's "2.5"). 0 where no numbers are
// printed (ui/graph_layout.cpp's kMaxPrinted).
float claim_cell_width(const Claim& claim) {
  if (claim.verdict == Verdict::Shape || claim.yours.rows() > kMaxPrinted || claim.yours.cols() > kMaxPrinted) return 0;
  float w = 0;
  for (Eigen::Index i = 0; i < claim.yours.size(); ++i)
    w = std::max(w, ImGui::CalcTextSize(cell_text(claim.yours.data()[i]).c_str()).x);
  return w + 6;
}

float claim_row_width(const AppState& s, int node) {
  const Claim* claim = claim_of(s, node);
  if (!claim) return 0;
  float w = ImGui::CalcTextSize(claim_label(*claim).c_str()).x * 0.9f;
  if (claim->verdict == Verdict::Shape) w = std::max(w, ImGui::CalcTextSize(shape_text(*claim).c_str()).x);
  w = std::max(w, claim_cell_width(*claim) * float(claim->yours.cols()));
  return w + 2 * kCardPad;
}

float claim_row_height(const AppState& s, int node, const CardLayout& c) {
  const Claim* claim = claim_of(s, node);
  if (!claim) return 0;
  float rows = claim->verdict == Verdict::Shape ? 1.f : float(claim->yours.rows());
  return kRowGap + label_height() + c.cell_h * rows;
}

void draw_claim_row(const AppState& s, int node, const CardLayout& c, ImVec2 origin, float zoom, ImDrawList* dl) {
  const Claim* claim = claim_of(s, node);
  if (!claim) return;
  const Palette& pal = palette(s.dark);
  auto P = [&](float x, float y) { return ImVec2(origin.x + x * zoom, origin.y + y * zoom); };
  ImFont* font = ImGui::GetFont();
  const float fs = ImGui::GetFontSize() * zoom;
  const bool text_visible = fs >= 6;
  float top = c.y + c.h - kCardPad - claim_row_height(s, node, c) + kRowGap;  // the label's top
  if (text_visible)
    dl->AddText(font, fs * 0.9f, P(c.x + kCardPad, top + 1), verdict_color(pal, claim->verdict), claim_label(*claim).c_str());
  top += label_height();
  if (claim->verdict == Verdict::Shape) {
    if (text_visible) {
      dl->AddText(font, fs, P(c.x + kCardPad, top + 2), pal.error, shape_text(*claim).c_str());
    }
    return;
  }
  const Matrix& m = claim->yours;  // (rows, cols), the node's shape
  const double largest = claim_largest_error(*claim);
  const float cw = std::max({c.cell_w, c.grad_cell_w, claim_cell_width(*claim)}), mx = c.x + (c.w - cw * float(m.cols())) / 2;
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index col = 0; col < m.cols(); ++col) {
      ImVec2 a = P(mx + cw * float(col), top + c.cell_h * float(r));
      ImVec2 b = P(mx + cw * float(col + 1), top + c.cell_h * float(r + 1));
      ImU32 bg = claim_entry_color(pal, *claim, r, col, largest);
      dl->AddRectFilled(ImVec2(a.x + 0.5f, a.y + 0.5f), ImVec2(b.x - 0.5f, b.y - 0.5f), bg, 2 * zoom);
      if (c.numbers && text_visible) {
        std::string t = cell_text(m(r, col));
        ImVec2 ts = font->CalcTextSizeA(fs, FLT_MAX, 0, t.c_str());
        dl->AddText(font, fs, ImVec2((a.x + b.x - ts.x) / 2, (a.y + b.y - ts.y) / 2), text_on(bg), t.c_str());
      }
    }
}

}  // namespace gs::ui
