// Parsing and marking exercises.
#include "exercise.h"

#include <cmath>
#include <cstdlib>
#include <vector>

#include "cell_story.h"
#include "compile.h"

namespace gs {
namespace {

constexpr const char* kKeys = "ask, lock, hide, tolerance, params";

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// Splits "a, b c" into names with the column (1-based) where each starts.
std::vector<std::pair<std::string, int>> names_in(const std::string& line, size_t from) {
  std::vector<std::pair<std::string, int>> out;
  size_t i = from;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == ',' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != ',' && line[j] != '\t' && line[j] != '\r') ++j;
    if (j > i) out.emplace_back(line.substr(i, j - i), int(i) + 1);
    i = j;
  }
  return out;
}

// The lines of `text` as std::getline reads them (a final newline ends the last line; it
// does not start an empty one). Not a stream: <sstream> would bring the C++ locales, 40 KB,
// into the browser build.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return out;
}

}  // namespace

bool is_panel_name(const std::string& name) {
  for (const char* p : kHideablePanels)
    if (name == p) return true;
  return false;
}

std::string panel_name_list() {
  std::string out;
  for (const char* p : kHideablePanels) out += (out.empty() ? "" : ", ") + std::string(p);
  return out;
}

std::string Question::label() const { return gradient ? "d" + node : node; }

Result<Exercise> parse_exercise(const std::string& source, const Graph& g) {
  Exercise ex;
  std::string line;
  int line_no = 0;
  auto fail = [&](const std::string& msg, int col) { return Error{msg, line_no, col, line}; };
  for (std::string& text_line : lines_of(source.substr(0, backward_section(source)))) {  // derive.h
    line = std::move(text_line);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line.compare(start, 2, "#!") != 0) continue;
    size_t colon = line.find(':', start);
    if (colon == std::string::npos)
      return fail(std::string("an exercise line is '#! key: values' (keys: ") + kKeys + ")", int(start) + 1);
    std::string key = trim(line.substr(start + 2, colon - start - 2));
    auto items = names_in(line, colon + 1);
    if (key == "ask") {
      for (auto& [word, col] : items) {
        int id = g.find(word);
        bool grad = false;
        std::string name = word;
        if ((id < 0 || g.node(id).kind == NodeKind::Constant) && word.size() > 1 && word[0] == 'd') {
          name = word.substr(1);
          id = g.find(name);
          grad = true;
        }
        if (id < 0 || g.node(id).generated_name)
          return fail("'" + word + "' is not a node of the program: ask for a value by its name (y) or a "
                      "gradient with d in front (dy)", col);
        ex.questions.push_back({name, grad});
      }
    } else if (key == "lock") {
      for (auto& [word, col] : items) {
        int id = g.find(word);
        if (word != "*" && (id < 0 || g.node(id).kind != NodeKind::Input))
          return fail("'" + word + "' is not an input, so it cannot be locked", col);
        ex.locked.insert(word);
      }
    } else if (key == "params") {
      for (auto& [word, col] : items) {
        int id = g.find(word);
        if (id < 0 || g.node(id).kind != NodeKind::Input)
          return fail("'" + word + "' is not an input, so it cannot be trained", col);
        ex.params.insert(word);
      }
    } else if (key == "hide") {
      for (auto& [word, col] : items) {
        if (!is_panel_name(word)) return fail("unknown panel '" + word + "' (use " + panel_name_list() + ")", col);
        ex.hidden_panels.insert(word);
      }
    } else if (key == "tolerance") {
      if (items.size() != 1) return fail("tolerance takes one number", int(colon) + 2);
      char* end = nullptr;
      double t = std::strtod(items[0].first.c_str(), &end);
      if (*end || !(t > 0) || !std::isfinite(t)) return fail("tolerance must be a positive number", items[0].second);
      ex.tolerance = t;
    } else {
      return fail("unknown exercise key '" + key + "' (keys: " + kKeys + ")", int(start) + 3);
    }
  }
  return ex;
}

HiddenMask hidden_by(const Graph& g, const std::vector<Question>& open) {
  const size_t n = g.nodes.size();
  HiddenMask m{std::vector<char>(n, 0), std::vector<char>(n, 0)};
  for (const Question& q : open) {
    int asked = g.find(q.node);
    if (asked < 0) continue;
    if (q.gradient) {  // upstream: nodes are in topological order, so one sweep back suffices
      std::vector<char> up(n, 0);
      up[size_t(asked)] = 1;
      for (int i = asked; i >= 0; --i) {
        if (!up[size_t(i)]) continue;
        m.grad[size_t(i)] = 1;
        for (int k = 0; k < g.node(i).arity(); ++k) up[size_t(g.node(i).inputs[k])] = 1;
      }
    } else {  // downstream, one sweep forward; and every gradient
      m.value[size_t(asked)] = 1;
      for (size_t i = size_t(asked) + 1; i < n; ++i)
        for (int k = 0; k < g.nodes[i].arity(); ++k)
          if (m.value[size_t(g.nodes[i].inputs[k])]) m.value[i] = 1;
      m.grad.assign(n, 1);
    }
  }
  return m;
}

std::set<std::string> default_params(const Graph& g) {
  // uses[i]: how many times input i is read; data_uses[i]: how many of those are as data.
  std::vector<int> uses(g.nodes.size(), 0), data_uses(g.nodes.size(), 0);
  auto starts_with_x = [&](int id) { return !g.node(id).name.empty() && (g.node(id).name[0] == 'x' || g.node(id).name[0] == 'X'); };
  for (const Node& n : g.nodes) {
    if (n.kind != NodeKind::Op) continue;
    for (int k = 0; k < n.arity(); ++k) ++uses[size_t(n.inputs[k])];
    if (n.arity() != 2) continue;
    const Node& a = g.node(n.inputs[0]);
    const Node& b = g.node(n.inputs[1]);
    bool target = n.shape() == Shape{1, 1} && a.shape() == b.shape() && !(a.shape() == Shape{1, 1});
    if (target) {
      ++data_uses[size_t(n.inputs[1])];
    } else if (n.op->story == &kProductStory) {  // a matrix product
      // x @ W (rows are examples) or W @ x (columns are): the data is the one named x, else the right one
      int data = starts_with_x(n.inputs[0]) ? n.inputs[0] : n.inputs[1];
      ++data_uses[size_t(data)];
    }
  }
  std::set<std::string> out;
  for (int id : g.input_ids())
    if (uses[size_t(id)] == 0 || data_uses[size_t(id)] < uses[size_t(id)]) out.insert(g.node(id).name);
  return out;
}

namespace {

// Recursive descent over + - * / and parentheses; `p` advances past what was read.
struct AnswerParser {
  const char* p;
  void space() {
    while (*p == ' ' || *p == '\t') ++p;
  }
  std::optional<double> number() {
    space();
    const char* start = p;
    while ((*p >= '0' && *p <= '9') || *p == '.') ++p;
    if (p == start || (p == start + 1 && *start == '.')) return std::nullopt;
    if (*p == 'e' || *p == 'E') {
      const char* e = p + 1;
      if (*e == '+' || *e == '-') ++e;
      if (*e < '0' || *e > '9') return std::nullopt;
      while (*e >= '0' && *e <= '9') ++e;
      p = e;
    }
    return std::strtod(std::string(start, p).c_str(), nullptr);
  }
  std::optional<double> primary(int depth) {
    space();
    if (depth > 32) return std::nullopt;
    if (*p == '-' || *p == '+') {
      bool neg = *p++ == '-';
      auto v = primary(depth + 1);
      return v ? std::optional(neg ? -*v : *v) : std::nullopt;
    }
    if (*p == '(') {
      ++p;
      auto v = sum(depth + 1);
      space();
      if (!v || *p != ')') return std::nullopt;
      ++p;
      return v;
    }
    return number();
  }
  std::optional<double> product(int depth) {
    auto v = primary(depth);
    for (space(); v && (*p == '*' || *p == '/'); space()) {
      char op = *p++;
      auto r = primary(depth);
      if (!r) return std::nullopt;
      v = op == '*' ? *v * *r : *v / *r;
    }
    return v;
  }
  std::optional<double> sum(int depth) {
    auto v = product(depth);
    for (space(); v && (*p == '+' || *p == '-'); space()) {
      char op = *p++;
      auto r = product(depth);
      if (!r) return std::nullopt;
      v = op == '+' ? *v + *r : *v - *r;
    }
    return v;
  }
};

}  // namespace

std::optional<double> parse_answer(const std::string& text) {
  AnswerParser parser{text.c_str()};
  auto v = parser.sum(0);
  parser.space();
  if (!v || *parser.p != '\0' || !std::isfinite(*v)) return std::nullopt;
  return v;
}

Marked mark_answer(const Matrix& answer, const Matrix& truth, double tolerance) {
  Marked m;
  m.total = int(truth.size());
  m.right.assign(size_t(truth.size()), 0);
  if (answer.rows() != truth.rows() || answer.cols() != truth.cols()) return m;
  for (Eigen::Index r = 0; r < truth.rows(); ++r)
    for (Eigen::Index c = 0; c < truth.cols(); ++c) {
      bool ok = std::abs(answer(r, c) - truth(r, c)) <= tolerance;
      m.right[size_t(r * truth.cols() + c)] = ok;
      m.correct += ok;
    }
  return m;
}

std::string exercise_header(const Exercise& e) {
  std::string out;
  if (!e.questions.empty()) {
    out += "#! ask:";
    for (size_t i = 0; i < e.questions.size(); ++i) out += (i ? ", " : " ") + e.questions[i].label();
    out += "\n";
  }
  auto list = [&](const char* key, const std::set<std::string>& items) {
    if (items.empty()) return;
    out += std::string("#! ") + key + ":";
    bool first = true;
    for (const auto& s : items) out += (first ? " " : ", ") + s, first = false;
    out += "\n";
  };
  list("lock", e.locked);
  list("hide", e.hidden_panels);
  list("params", e.params);
  if (e.tolerance != 1e-3) out += "#! tolerance: " + format_number(e.tolerance) + "\n";
  return out;
}

std::string strip_exercise(const std::string& source) {
  std::string out;
  if (size_t section = backward_section(source); section != std::string::npos)  // kept as written
    return strip_exercise(source.substr(0, section)) + source.substr(section);
  for (const std::string& line : lines_of(source)) {
    size_t start = line.find_first_not_of(" \t");
    if (start != std::string::npos && line.compare(start, 2, "#!") == 0) continue;
    out += line + "\n";
  }
  if (!source.empty() && source.back() != '\n' && !out.empty()) out.pop_back();
  return out;
}

}  // namespace gs
