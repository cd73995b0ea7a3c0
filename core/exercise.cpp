// Parsing and marking exercises.
#include "exercise.h"

#include <cmath>
#include <cstdlib>
#include <vector>

namespace gs {
namespace {

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

std::string Question::label() const { return gradient ? "d" + node : node; }

Result<Exercise> parse_exercise(const std::string& source, const Graph& g) {
  Exercise ex;
  std::string line;
  int line_no = 0;
  auto fail = [&](const std::string& msg, int col) { return Error{msg, line_no, col, line}; };
  for (std::string& text_line : lines_of(source)) {
    line = std::move(text_line);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line.compare(start, 2, "#!") != 0) continue;
    size_t colon = line.find(':', start);
    if (colon == std::string::npos)
      return fail("an exercise line is '#! key: values' (keys: ask, lock, hide, tolerance)", int(start) + 1);
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
    } else if (key == "hide") {
      for (auto& [word, col] : items) {
        if (word != "editor" && word != "inputs" && word != "side" && word != "menu")
          return fail("unknown panel '" + word + "' (use editor, inputs, side, menu)", col);
        ex.hidden_panels.insert(word);
      }
    } else if (key == "tolerance") {
      if (items.size() != 1) return fail("tolerance takes one number", int(colon) + 2);
      char* end = nullptr;
      double t = std::strtod(items[0].first.c_str(), &end);
      if (*end || !(t > 0) || !std::isfinite(t)) return fail("tolerance must be a positive number", items[0].second);
      ex.tolerance = t;
    } else {
      return fail("unknown exercise key '" + key + "' (keys: ask, lock, hide, tolerance)", int(start) + 3);
    }
  }
  return ex;
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
  if (e.tolerance != 1e-3) out += "#! tolerance: " + format_number(e.tolerance) + "\n";
  return out;
}

std::string strip_exercise(const std::string& source) {
  std::string out;
  for (const std::string& line : lines_of(source)) {
    size_t start = line.find_first_not_of(" \t");
    if (start != std::string::npos && line.compare(start, 2, "#!") == 0) continue;
    out += line + "\n";
  }
  if (!source.empty() && source.back() != '\n' && !out.empty()) out.pop_back();
  return out;
}

}  // namespace gs
