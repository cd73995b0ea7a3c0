// Panel layout: the desktop's three columns with folding and splitters, the phone's
// bottom sheet, and the compact mode of short embeds. Every rectangle drawn is recorded in
// AppState::view for the layout API.
#include "ui/layout.h"

#include <algorithm>
#include <cstdio>

#include "core/json.h"
#include "ui/derive_panel.h"
#include "ui/graph_parts.h"
#include "ui/graph_view.h"
#include "ui/theme.h"
#include "ui/views.h"

namespace gs::ui {

const char* const kLayoutPanelNames[kPanelCount] = {"left", "side", "sheet"};

namespace {

constexpr float kSplitter = 6, kStrip = 30;
constexpr float kPhoneWidth = 600, kCompactHeight = 480;

void record(ViewState& v, Panel p) {
  ImVec2 a = ImGui::GetWindowPos(), b = ImGui::GetWindowSize();
  v.panels[p] = {a.x, a.y, b.x, b.y};
  v.panel_visible[p] = true;
}

// Wide enough for the side panel's usual tab labels, so that none is scrolled out of sight.
float side_tabs_width(const AppState& s) {
  const ImGuiStyle& st = ImGui::GetStyle();
  // The panel's padding and scroll bar, the fold button, and a little room to spare.
  float w = 2 * st.WindowPadding.x + st.ScrollbarSize + ImGui::GetFrameHeight() + st.ItemSpacing.x + 12;
  for (const char* t : {"Inspector", "Check", "Train", "Views", "Export", "Exercise", "Derive"})
    if (*t != 'D' || derive_tab_visible(s))
      w += ImGui::CalcTextSize(t).x + 2 * st.FramePadding.x + st.ItemInnerSpacing.x;
  return w;
}

float default_width(const AppState& s, int side, float total) {
  return side == 0 ? std::clamp(total * 0.24f, 230.f, 420.f)
                   : std::clamp(std::max(total * 0.25f, side_tabs_width(s)), 250.f,
                                // wider for all seven tabs' labels where the screen has room
                                std::max(440.f, std::min(side_tabs_width(s), total * 0.3f)));
}

// The graph canvas left for a given pair of panel widths: the step bar and the legend
// take their lines above and below it.
float fit_zoom(const AppState& s, float center_w, float height) {
  const float f = ImGui::GetFontSize();
  return best_fit(s, center_w, height - ImGui::GetFrameHeightWithSpacing() - (compact_height() ? 0 : f + 8)).zoom;
}

// Panels left on Auto fold away, the side panel first, while the graph would be drawn with
// text smaller than 12 px beside them. Short embeds fold them always.
void decide_folds(AppState& s, float width, float height, const bool has[2]) {
  ViewState& v = s.view;
  float w[2];
  for (int i = 0; i < 2; ++i) w[i] = v.panel_w[i] > 0 ? v.panel_w[i] : default_width(s, i, width);
  auto center = [&](bool open0, bool open1) {
    float c = width;
    for (int i = 0; i < 2; ++i)
      if (has[i]) c -= ((i == 0 ? open0 : open1) ? w[i] : kStrip) + kSplitter;
    return c;
  };
  bool open[2] = {true, true};
  if (compact_height()) {
    open[0] = open[1] = false;
  } else if (fit_zoom(s, center(true, true), height) < legible_zoom()) {
    open[1] = false;
    if (fit_zoom(s, center(true, false), height) < legible_zoom()) open[0] = false;
  }
  for (int i = 0; i < 2; ++i) v.auto_closed[i] = !open[i];
}

bool is_open(const ViewState& v, int side) {
  return v.fold[side] == Fold::Open || (v.fold[side] == Fold::Auto && !v.auto_closed[side]);
}

// A folded panel: a strip with a button that opens it, and its name spelled downwards.
void folded_strip(AppState& s, int side, const char* name, float height) {
  ImGui::BeginChild(side ? "side-folded" : "left-folded", ImVec2(kStrip, height), true,
                    ImGuiWindowFlags_NoScrollbar);
  record(s.view, Panel(side));
  s.view.panel_visible[side] = false;
  if (ImGui::Button(side ? "<" : ">", ImVec2(-1, 0))) s.view.fold[side] = Fold::Open, s.fit_pending = true;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show the %s", name);
  for (const char* c = name; *c; ++c) {
    char letter[2] = {*c, 0};
    ImGui::TextDisabled("%s", letter);
  }
  ImGui::EndChild();
}

void fold_button(AppState& s, int side) {
  if (ImGui::SmallButton(side ? ">##fold" : "<##fold")) s.view.fold[side] = Fold::Closed, s.fit_pending = true;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Fold this panel away (its button brings it back)");
}

// A vertical bar between two columns; dragging it resizes the panel on `side`.
void splitter(AppState& s, int side, float height, float width, float total) {
  ImGui::InvisibleButton(side ? "split-side" : "split-left", ImVec2(kSplitter, height));
  const bool hot = ImGui::IsItemHovered() || ImGui::IsItemActive();
  if (hot) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
  if (ImGui::IsItemActive() && ImGui::GetIO().MouseDelta.x != 0) {
    float d = ImGui::GetIO().MouseDelta.x;
    s.view.panel_w[side] = std::clamp(width + (side ? -d : d), 180.f, total * 0.6f);
  }
  if (ImGui::IsItemDeactivated()) s.fit_pending = true;
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImGui::GetWindowDrawList()->AddLine(ImVec2((a.x + b.x) / 2, a.y + 4), ImVec2((a.x + b.x) / 2, b.y - 4),
                                      ImGui::GetColorU32(hot ? ImGuiCol_SeparatorActive : ImGuiCol_Separator), 2);
}

// The phone's tabs: buttons with whole labels, in as many rows as they need, over the chosen
// tab's panel. The tabs are gone over twice: once to name them, once to draw the chosen one.
void tab_grid(AppState& s, const BodyParts& p, bool with_left) {
  ViewState& v = s.view;
  auto tabs = [&] {
    if (with_left && side_tab(s, "Program")) p.left(s), end_side_tab(s);
    if (p.side_tabs) p.side_tabs(s);
  };
  v.tab_names.clear();
  v.tab_pass = 0;
  tabs();
  const std::vector<std::string>& names = v.tab_names;
  if (std::find(names.begin(), names.end(), v.tab) == names.end()) v.tab = names.empty() ? "" : names[0];
  const ImGuiStyle& st = ImGui::GetStyle();
  const float avail = ImGui::GetContentRegionAvail().x;
  float widest = 0;
  for (const std::string& n : names) widest = std::max(widest, ImGui::CalcTextSize(n.c_str()).x + 2 * st.FramePadding.x);
  const int n = int(names.size()), fit = std::max(1, int((avail + st.ItemSpacing.x) / (widest + st.ItemSpacing.x)));
  const int rows = (n + fit - 1) / std::max(fit, 1), cols = std::max(1, (n + rows - 1) / std::max(rows, 1));
  const ImVec2 size((avail - st.ItemSpacing.x * float(cols - 1)) / float(cols), std::max(40.f, ImGui::GetFrameHeight()));
  for (int k = 0; k < n; ++k) {
    if (k % cols) ImGui::SameLine();
    const bool chosen = names[size_t(k)] == v.tab;
    ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(chosen ? ImGuiCol_TabActive : ImGuiCol_Tab));
    if (ImGui::Button(names[size_t(k)].c_str(), size)) v.tab = names[size_t(k)];
    ImGui::PopStyleColor();
  }
  ImGui::Separator();
  v.tab_pass = 1;
  tabs();
  v.tab_pass = -1;
}

// Tabs that do not fit shrink (none is scrolled out of sight); a phone has its grid instead.
void side_tab_bar(AppState& s, const BodyParts& p) {
  if (!ImGui::BeginTabBar("side", ImGuiTabBarFlags_FittingPolicyResizeDown)) return;
  if (p.side_tabs) p.side_tabs(s);
  ImGui::EndTabBar();
}

// The phone: the graph over the whole width, and a bottom sheet with every panel as a tab.
void phone_body(AppState& s, const BodyParts& p, const bool has[2], float width, float height) {
  ViewState& v = s.view;
  const bool any = has[0] || has[1];
  const float bar = ImGui::GetFrameHeightWithSpacing();
  const float sheet = any && v.sheet_open ? std::floor(height * 0.55f) : 0;
  ImGui::BeginChild("center", ImVec2(width, height - sheet - bar), false);
  p.center(s);
  ImGui::EndChild();
  // Under the graph: the panels' button and Fit (which the step bar has no room for).
  const float fit_w = std::max(40.f, ImGui::CalcTextSize("Fit").x + 2 * ImGui::GetStyle().FramePadding.x);
  if (any && ImGui::Button(v.sheet_open ? "Hide panels" : "Program, inputs, inspector ...",
                           ImVec2(width - fit_w - ImGui::GetStyle().ItemSpacing.x, 0))) {
    v.sheet_open = !v.sheet_open;
    s.fit_pending = true;
  }
  if (any) ImGui::SameLine();
  if (ImGui::Button("Fit", ImVec2(any ? fit_w : -1, 0))) s.fit_pending = true;
  if (!any || !v.sheet_open) return;
  ImGui::BeginChild("sheet", ImVec2(width, sheet - ImGui::GetStyle().ItemSpacing.y), true);
  record(v, kPanelSheet);
  if (has[1]) tab_grid(s, p, has[0]);
  else p.left(s);
  ImGui::EndChild();
}

}  // namespace

bool side_tab(AppState& s, const char* label, ImGuiTabItemFlags flags) {
  ViewState& v = s.view;
  if (v.tab_pass < 0) return ImGui::BeginTabItem(label, nullptr, flags);
  if (v.tab_pass == 0) {
    v.tab_names.push_back(label);
    if (flags & ImGuiTabItemFlags_SetSelected) v.tab = label;
    return false;
  }
  return v.tab == label;
}

void end_side_tab(AppState& s) {
  if (s.view.tab_pass < 0) ImGui::EndTabItem();
}

// (Outside a frame, with no ImGui context, as when a test formats a cell: not compact.)
bool compact_height() { return ImGui::GetCurrentContext() && ImGui::GetIO().DisplaySize.y < kCompactHeight; }
bool phone_width() { return ImGui::GetCurrentContext() && ImGui::GetIO().DisplaySize.x < kPhoneWidth; }

int push_touch_style() {
  if (!phone_width()) return 0;
  const float f = ImGui::GetFontSize();
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(10, std::ceil((40 - f) / 2)));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(10, 8));
  ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarSize, 20);
  ImGui::PushStyleVar(ImGuiStyleVar_GrabMinSize, 24);
  return 4;
}

void body(AppState& s, const BodyParts& p, float below) {
  ViewState& v = s.view;
  for (int i = 0; i < kPanelCount; ++i) v.panels[i] = {}, v.panel_visible[i] = false;
  s.training.plot.visible = false;  // until the Train tab draws it this frame
  v.compact = compact_height();
  const float width = ImGui::GetContentRegionAvail().x, height = ImGui::GetContentRegionAvail().y - below;
  const bool has[2] = {panel_visible(s, "editor") || panel_visible(s, "inputs"), panel_visible(s, "side")};
  if (width < kPhoneWidth) {
    phone_body(s, p, has, width, height);
    return;
  }
  if (s.fit_pending || v.last_w == 0) decide_folds(s, width, height, has);
  bool open[2];
  float w[2];
  float center = width;
  for (int i = 0; i < 2; ++i) {
    open[i] = has[i] && is_open(v, i);
    w[i] = !has[i] ? 0 : !open[i] ? kStrip : v.panel_w[i] > 0 ? v.panel_w[i] : default_width(s, i, width);
    if (has[i]) center -= w[i] + kSplitter;
  }
  if (center < 200 && open[1]) center += w[1] - kStrip, w[1] = kStrip, open[1] = false;
  if (open[0]) {
    ImGui::BeginChild("left", ImVec2(w[0], height), true);
    record(v, kPanelLeft);
    fold_button(s, 0);
    ImGui::SameLine();
    p.left(s);
    ImGui::EndChild();
  } else if (has[0]) {
    folded_strip(s, 0, "Program", height);
  }
  if (has[0]) {
    ImGui::SameLine(0, 0);
    splitter(s, 0, height, w[0], width);
    ImGui::SameLine(0, 0);
  }
  ImGui::BeginChild("center", ImVec2(center, height), false);
  p.center(s);
  ImGui::EndChild();
  if (!has[1]) return;
  ImGui::SameLine(0, 0);
  splitter(s, 1, height, w[1], width);
  ImGui::SameLine(0, 0);
  if (!open[1]) {
    folded_strip(s, 1, "Inspector", height);
    return;
  }
  ImGui::BeginChild("right", ImVec2(w[1], height), true);
  record(v, kPanelSide);
  fold_button(s, 1);
  ImGui::SameLine();
  side_tab_bar(s, p);
  ImGui::EndChild();
}

std::string layout_json(const AppState& s) {
  const ViewState& v = s.view;
  JsonWriter w;
  auto rect = [&w](const Rect& r, bool visible) {
    w.begin_object().key("x").number(r.x).key("y").number(r.y).key("width").number(r.w).key("height").number(r.h);
    w.key("visible").boolean(visible).end_object();
  };
  w.begin_object().key("graph");
  rect(v.graph, true);
  w.key("panels").begin_object();
  for (int i = 0; i < kPanelCount; ++i) w.key(kLayoutPanelNames[i]), rect(v.panels[i], v.panel_visible[i]);
  w.end_object();
  for (const auto& [key, r] : {std::pair{"train", s.training.plot}, {"stale_banner", s.stale_banner}})
    w.key(key), rect({r.x, r.y, r.w, r.h}, r.visible);
  w.key("cards").begin_object();
  for (size_t i = 0; i < v.cards.size() && i < s.graph.nodes.size(); ++i) w.key(s.graph.nodes[i].name), rect(v.cards[i], true);
  w.end_object().key("zoom").number(v.zoom).key("arrangement").string(v.vertical ? "rows" : v.bands > 1 ? "wrapped" : "columns");
  w.key("views"), views_layout_json(s, w);  // ui/views_panel.cpp
  w.key("compact").boolean(v.compact).key("fold").begin_array().integer(int(v.fold[0])).integer(int(v.fold[1]));
  w.end_array().key("hover");
  if (v.hovered.node >= 0 && size_t(v.hovered.node) < s.graph.nodes.size()) {
    w.begin_object().key("node").string(s.graph.node(v.hovered.node).name).key("grad").boolean(v.hovered.grad);
    w.key("row").integer(v.hovered.row).key("col").integer(v.hovered.col).key("text").string(v.hover_text).end_object();
  } else {
    w.null();
  }
  return w.end_object().take();
}

std::string panel_settings(const AppState& s) {
  return "fold " + std::to_string(int(s.view.fold[0])) + " " + std::to_string(int(s.view.fold[1])) + "\n";
}

void apply_panel_settings(AppState& s, const std::string& text) {
  int fold[2] = {0, 0};
  if (std::sscanf(text.c_str(), "fold %d %d", &fold[0], &fold[1]) != 2) return;
  for (int i = 0; i < 2; ++i) s.view.fold[i] = Fold(std::clamp(fold[i], 0, 2));
  s.fit_pending = true;
}

void column(int k, int n) {
  if (k == 0) return;
  const float left = ImGui::GetWindowContentRegionMin().x;
  ImGui::SameLine(left + (ImGui::GetWindowContentRegionMax().x - left) * float(k) / float(n));
}

void colored_label(const char* text, ImU32 bg, ImU32 fg) {
  ImVec2 p = ImGui::GetCursorScreenPos(), size = ImGui::CalcTextSize(text);
  ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + size.x + 8, p.y + size.y + 2), bg, 2);
  ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + 4, p.y + 1), fg, text);
  ImGui::Dummy(ImVec2(size.x + 8, size.y + 2));
}

void matrix_grid(const Matrix& m, bool dark) {
  const double scale = largest_entry(m) > 0 ? largest_entry(m) : 1;
  float w = 0;
  for (Eigen::Index i = 0; i < m.size(); ++i) w = std::max(w, ImGui::CalcTextSize(format_short(m.data()[i], 5).c_str()).x);
  w += 10;
  const float h = ImGui::GetTextLineHeight() + 4;
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      ImVec2 a(p.x + w * float(c), p.y + h * float(r)), b(a.x + w, a.y + h);
      ImU32 bg = heat_color(m(r, c) / scale, dark);
      dl->AddRectFilled(a, b, bg);
      dl->AddRect(a, b, ImGui::GetColorU32(ImGuiCol_Border));
      std::string t = format_short(m(r, c), 5);
      dl->AddText(ImVec2(a.x + 5, a.y + 2), text_on(bg), t.c_str());
    }
  ImGui::Dummy(ImVec2(w * float(m.cols()) + 1, h * float(m.rows()) + 1));
}

void text_after(const char* text) {
  ImGui::SameLine();
  if (ImGui::CalcTextSize(text).x > ImGui::GetContentRegionAvail().x) ImGui::NewLine();
  ImGui::TextWrapped("%s", text);
}

void bullet_wrapped(const char* text) {
  ImGui::Bullet();
  ImGui::TextWrapped("%s", text);
}

void code_box(const char* id, const std::string& text, float height) {
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
  ImGui::BeginChild(id, ImVec2(-1, height), true, ImGuiWindowFlags_HorizontalScrollbar);
  ImGui::TextUnformatted(text.c_str(), text.c_str() + text.size());
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

ImVec2 begin_editor_box(const std::string& text, float height) {
  const ImGuiStyle& st = ImGui::GetStyle();
  ImGui::BeginChild("##editor-box", ImVec2(-1, height), false, ImGuiWindowFlags_HorizontalScrollbar);
  ImVec2 need = ImGui::CalcTextSize(text.c_str(), text.c_str() + text.size());
  ImVec2 avail = ImGui::GetContentRegionAvail();
  // One line more than the text and room for the caret: typing never scrolls inside the box.
  // (A line that fits shows no scroll bar: the caret needs 2 px, not a character.)
  float w = std::max(avail.x, need.x + 2 * st.FramePadding.x + 2);
  float h = std::max(avail.y - (w > avail.x ? st.ScrollbarSize : 0),
                     need.y + ImGui::GetTextLineHeight() + 2 * st.FramePadding.y);
  return ImVec2(w, h);
}

}  // namespace gs::ui
