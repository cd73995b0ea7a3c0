// `gradscope eval`, `gradscope check`, `gradscope derive` and `gradscope examples`: every
// value and gradient as text or JSON, the gradient check report, the verdicts on a
// hand-written backward section, and the list of built-in examples.
#include "cli.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "../core/compile.h"
#include "../core/derive.h"
#include "../core/examples.h"
#include "../core/export.h"
#include "../core/export_latex.h"
#include "../core/forward.h"
#include "../core/jacobian.h"
#include "../core/gradcheck.h"
#include "../core/serialize.h"
#include "files.h"
#include "render.h"

namespace gs {
namespace {

constexpr int kProgramError = 2;
constexpr int kOtherFailure = 1;

struct Source {
  std::string text;
  std::string label;  // file name for messages: the path, "<stdin>" or "<example seed>"
};

// Reads FILE, "-" (stdin) or an example; returns false after printing why.
bool load(const std::string& file, const std::string& example, Source& out) {
  if (!example.empty()) {
    const Example* e = find_example(example);
    if (!e) {
      std::string names;
      for (const auto& x : examples()) names += std::string(names.empty() ? "" : ", ") + x.name;
      std::cerr << "gradscope: error: no example named '" << example << "' (the examples are " << names << ")\n";
      return false;
    }
    out = {e->source, "<example " + example + ">"};
    return true;
  }
  if (file.empty()) {
    std::cerr << "gradscope: error: give a program file, '-' for standard input, or --example NAME\n";
    return false;
  }
  // Bounded reads (files.h): `gradscope eval /dev/zero` must stop at the program limit.
  std::string text, why = file == "-" ? read_program_stdin(text) : read_program_file(file, text);
  if (!why.empty()) {
    std::cerr << "gradscope: error: cannot read '" << file << "': " << why << "\n";
    return false;
  }
  out = {std::move(text), file == "-" ? "<stdin>" : file};
  return true;
}

// "--set W=[[1,2],[3,4]]" (or --jvp, the `option`) -> name and matrix; false after printing why.
bool parse_sets(const std::vector<std::string>& sets, Overrides& out, const std::string& option = "--set") {
  for (const std::string& s : sets) {
    size_t eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << option << " " << s << ": error: expected NAME=MATRIX, as in " << option << " 'x=[[1], [2], [3]]'\n";
      return false;
    }
    std::string name = s.substr(0, eq);
    auto m = parse_matrix(s.substr(eq + 1));
    if (!m) {
      std::cerr << m.error().format(option + " " + name) << "\n";
      return false;
    }
    out[name] = m.value();
  }
  return true;
}

// Rows of a matrix, right-aligned, each line prefixed by `indent`.
void print_matrix(std::ostream& os, const Matrix& m, const std::string& label, int label_width) {
  std::vector<std::string> cells;
  size_t width = 1;
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      cells.push_back(format_short(m(r, c), 6));
      width = std::max(width, cells.back().size());
    }
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    std::string head = r == 0 ? label : "";
    os << "  " << head << std::string(size_t(label_width) - head.size(), ' ');
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      const std::string& cell = cells[size_t(r * m.cols() + c)];
      os << "  " << std::string(width - cell.size(), ' ') << cell;
    }
    os << "\n";
  }
}

// Each node's value and gradient, and with `tangents` (eval --jvp) its tangent along the direction.
void print_graph(std::ostream& os, const Graph& g, const std::vector<Matrix>* tangents = nullptr) {
  for (const Node& n : g.nodes) {
    if (n.kind == NodeKind::Constant) continue;
    os << n.name << " = " << (n.kind == NodeKind::Input ? "input" : n.expr) << "    " << to_string(n.shape())
       << (int(&n - g.nodes.data()) == g.output ? "    (output)" : "") << "\n";
    std::string label = grad_label(g, int(&n - g.nodes.data()));
    int width = int(std::max(label.size(), std::string(tangents ? "tangent" : "value").size()));
    print_matrix(os, n.value, "value", width);
    print_matrix(os, n.grad, label, width);
    if (tangents) print_matrix(os, (*tangents)[size_t(&n - g.nodes.data())], "tangent", width);
  }
}

// The program from FILE, stdin or an example, with --set applied, compiled. On failure the
// reason is printed and `failure` holds the exit code.
std::optional<Graph> load_graph(const std::string& file, const std::string& example,
                                const std::vector<std::string>& sets, int& failure, std::string* label = nullptr) {
  Source src;
  if (!load(file, example, src)) return failure = kOtherFailure, std::nullopt;
  if (label) *label = src.label;
  Overrides overrides;
  if (!parse_sets(sets, overrides)) return failure = kProgramError, std::nullopt;
  auto g = compile(src.text, overrides);
  if (!g) {
    std::cerr << g.error().format(src.label) << "\n";
    return failure = kProgramError, std::nullopt;
  }
  return std::move(g.value());
}

// "--jacobian Z:W": the Jacobian of node Z against its input W (the op's local derivative), or
// of the output against any node W (through every path); printed after the graph.
int print_jacobian(const Graph& g, const std::string& spec, bool json) {
  const size_t colon = spec.find(':');
  const int of = g.find(spec.substr(0, colon)), wrt = colon == std::string::npos ? -1 : g.find(spec.substr(colon + 1));
  if (of < 0 || wrt < 0) {
    std::cerr << "--jacobian " << spec << ": error: expected OF:WRT, two nodes of the program, as in --jacobian Z:W\n";
    return kProgramError;
  }
  int k = 0;
  while (of != g.output && k < g.node(of).arity() && g.node(of).inputs[k] != wrt) ++k;
  if (of != g.output && k == g.node(of).arity()) {
    std::cerr << "--jacobian " << spec << ": error: " << g.node(wrt).name << " is not an input of " << g.node(of).name
              << " (against any node: the output " << g.node(g.output).name << ")\n";
    return kProgramError;
  }
  auto j = of == g.output ? output_jacobian(g, wrt) : local_jacobian(g, of, k);
  if (!j) {
    std::cerr << "--jacobian " << spec << ": error: " << j.error().message << "\n";
    return kProgramError;
  }
  if (json) {
    std::cout << jacobian_json(g, *j) << "\n";
    return 0;
  }
  std::cout << "J = " << derivative_label(g.node(of).name, g.node(wrt).name) << ", " << j->rows << " x " << j->cols << "\n";
  if (!j->note.empty()) std::cout << j->note << "\n";
  std::cout << "columns:";
  for (const std::string& l : j->col_labels) std::cout << " " << l;
  std::cout << "\n";
  size_t width = 0;
  for (const std::string& l : j->row_labels) width = std::max(width, l.size());
  for (size_t r = 0; r < j->row_labels.size(); ++r) print_matrix(std::cout, j->J.row(Eigen::Index(r)), j->row_labels[r], int(width));
  if (j->note.empty())
    std::cout << "g^T J equals the VJP backward() computes: largest difference " << format_short(j->max_difference, 3) << "\n";
  return 0;
}

// With --jvp, each node's tangent along the direction (forward mode), and df.v beside <grad f, v>.
int eval_command(const std::string& file, const std::string& example, const std::vector<std::string>& sets,
                 bool json, const std::vector<std::string>& jvps, const std::string& jacobian) {
  int failure = 0;
  auto g = load_graph(file, example, sets, failure);
  if (!g) return failure;
  if (!jacobian.empty()) return print_jacobian(*g, jacobian, json);
  Overrides direction;
  if (!parse_sets(jvps, direction, "--jvp")) return kProgramError;
  std::optional<Result<std::vector<Matrix>>> t;
  if (!jvps.empty()) t = tangents(*g, Direction(direction.begin(), direction.end()));
  if (t && !t->ok()) {
    std::cerr << "--jvp: error: " << t->error().message << "\n";
    return kProgramError;
  }
  const std::vector<Matrix>* shown = t ? &t->value() : nullptr;
  if (json) std::cout << graph_json(*g, -1, shown) << "\n";
  else print_graph(std::cout, *g, shown);
  if (json || !t) return 0;
  double reverse = 0;
  for (const auto& [name, v] : direction) reverse += (g->node(g->find(name)).grad.array() * v.array()).sum();
  const std::string f = g->node(g->output).name;
  std::cout << "along the direction: d" << f << ".v = " << format_short(t->value()[size_t(g->output)](0, 0), 12)
            << " (forward mode, one sweep for this direction); <grad " << f << ", v> = " << format_short(reverse, 12)
            << " (reverse mode, one sweep for every direction)\n";
  return 0;
}

int check_command(const std::string& file, const std::string& example, const std::vector<std::string>& sets,
                  bool json, double tolerance, long long max_entries) {
  int failure = 0;
  auto g = load_graph(file, example, sets, failure);
  if (!g) return failure;
  GradCheck report = gradient_check(*g, 1e-6, max_entries);
  if (json) {
    std::cout << check_json(report, tolerance) << "\n";
  } else {
    std::cout << "gradient check: central differences, h = 1e-6 * max(1, |entry|), tolerance " << format_short(tolerance) << "\n";
    for (const InputCheck& c : report.inputs) {
      char line[200];
      const long long entries = g->node(g->find(c.name)).value.size();
      std::string sample = c.checked < entries ? ", " + std::to_string(c.checked) + " of " + std::to_string(entries) + " entries" : "";
      std::snprintf(line, sizeof line, "  %-12s max relative error %-12s %s (worst at [%d][%d]%s)\n", c.name.c_str(),
                    format_short(c.max_error, 3).c_str(), c.max_error <= tolerance ? "ok  " : "FAIL", c.worst_row,
                    c.worst_col, sample.c_str());
      std::cout << line;
    }
    std::cout << (report.passed(tolerance) ? "passed" : "FAILED") << ": max relative error "
              << format_short(report.max_error, 3);
    if (report.sampled())
      std::cout << " over a sample of " << report.checked << " of " << report.entries
                << " input entries (fixed seed; --entries 0 checks every one)";
    std::cout << "\n";
  }
  return report.passed(tolerance) ? 0 : kOtherFailure;
}

int export_command(const std::string& file, const std::string& example, const std::vector<std::string>& sets,
                   const std::string& to) {
  int failure = 0;
  std::string label;
  auto g = load_graph(file, example, sets, failure, &label);
  if (!g) return failure;
  if (to == "latex") std::cout << export_latex(*g, label);
  else if (to == "numpy") std::cout << export_numpy(*g);
  else if (to == "pytorch") std::cout << export_pytorch(*g);
  else std::cout << g->program_text();
  return 0;
}

// Flushes standard output: a full disk or a closed pipe shows only here, and must not exit 0
// after writing part of the output. Returns `code`, or 1 after saying why the write failed.
int finish_output(int code) {
  errno = 0;
  std::cout.flush();
  const bool failed = !std::cout || std::fflush(stdout) != 0 || std::ferror(stdout);
  if (!failed) return code;
  std::cerr << "gradscope: error: cannot write the output: " << (errno ? std::strerror(errno) : "write error") << "\n";
  return kOtherFailure;
}

// One line per claim of the backward section ("prog.gs:9:1: wrong: dW differs ..."), or
// JSON: 0 when every claim is right, 1 when one is not, 2 on an error in the program.
int derive_command(const std::string& file, const std::string& example, const std::vector<std::string>& sets,
                   bool json, int points) {
  int failure = 0;
  std::string label;
  auto g = load_graph(file, example, sets, failure, &label);
  if (!g) return failure;
  auto d = derive(*g, points);
  if (!d) {
    std::cerr << d.error().format(label) << "\n";
    return kProgramError;
  }
  if (!d->present()) {
    std::cerr << label << ": error: the program has no backward section: write '#! backward' after the "
              << "forward program, then claims such as 'dW = ...'\n";
    return kProgramError;
  }
  if (json) std::cout << derivation_json(*d) << "\n";
  else
    for (const Claim& c : d->claims)
      std::cout << label << ":" << c.line << ":" << c.column << ": " << verdict_name(c.verdict) << ": "
                << claim_message(*d, c) << "\n";
  return d->ok() ? 0 : kOtherFailure;
}

}  // namespace

bool is_cli_invocation(int argc, char** argv) {
  if (argc < 2) return false;
  std::string a = argv[1];
  return a == "eval" || a == "check" || a == "examples" || a == "export" || a == "derive" || a == "ops" || a == "--help" ||
         a == "render" ||
         a == "-h" || a == "--version";
}

// The subcommand's exit code; run_cli adds the check that its output was written.
static int run_command(int argc, char** argv) {
  CLI::App app{"gradscope: see every value and gradient of a small matrix computation"};
  app.set_version_flag("--version", "gradscope 0.1");
  app.require_subcommand(1);

  std::string file, example;
  std::vector<std::string> sets;
  bool json = false;
  double tolerance = 1e-6;

  auto* eval = app.add_subcommand("eval", "evaluate a program and print every node's value and gradient");
  eval->add_option("file", file, "program file, or - for standard input");
  eval->add_option("--example", example, "use a built-in example instead of a file");
  eval->add_option("--set", sets, "override an input: NAME=MATRIX, e.g. 'x=[[1], [0], [-1]]'");
  eval->add_flag("--json", json, "print one JSON object instead of text");
  std::vector<std::string> jvps;
  eval->add_option("--jvp", jvps, "forward mode: the direction for an input, NAME=MATRIX (other inputs stay "
                                  "put); prints each node's tangent along it");
  std::string jacobian;
  eval->add_option("--jacobian", jacobian, "print only the Jacobian OF:WRT, of a node against one of its inputs "
                                           "or of the output against any node (labelled entries, at most 64 x 64)");

  auto* check = app.add_subcommand("check", "compare every gradient with central finite differences");
  check->add_option("file", file, "program file, or - for standard input");
  check->add_option("--example", example, "use a built-in example instead of a file");
  check->add_option("--set", sets, "override an input: NAME=MATRIX");
  check->add_flag("--json", json, "print one JSON object instead of text");
  check->add_option("--tolerance", tolerance, "largest relative error that passes (default 1e-6)");
  long long max_entries = -1;  // gradient_check's default: sample_limit()
  check->add_option("--entries", max_entries, "most input entries to check; more are sampled with a fixed seed "
                                              "(default " + std::to_string(kCheckedEntries) +
                                              ", fewer for costly programs; 0 checks every one)")
      ->check(CLI::NonNegativeNumber);

  std::string to = "pytorch";
  auto* exp = app.add_subcommand("export", "print the program with its values as runnable PyTorch or NumPy code");
  exp->add_option("file", file, "program file, or - for standard input");
  exp->add_option("--example", example, "use a built-in example instead of a file");
  exp->add_option("--set", sets, "override an input: NAME=MATRIX");
  exp->add_option("--to", to, "pytorch (default), numpy, program (the text with --set values written in), or latex "
                             "(the forward pass and the chain rule in matrix form, for amsmath)")
      ->check(CLI::IsMember({"pytorch", "numpy", "program", "latex"}));

  int points = 8;
  auto* der = app.add_subcommand("derive", "check the hand-written backward section against autodiff at many points");
  der->add_option("file", file, "program file, or - for standard input");
  der->add_option("--example", example, "use a built-in example instead of a file");
  der->add_option("--set", sets, "override an input: NAME=MATRIX");
  der->add_flag("--json", json, "print one JSON object instead of text");
  der->add_option("--points", points, "perturbed points besides the current one (default 8)")->check(CLI::Range(1, 1000));

  RenderArgs pictures;
  std::string theme = "light";
  bool no_grads = false;
  auto* ren = app.add_subcommand("render", "draw the graph as the app does (values, gradients, theme) to SVG or PNG; "
                                           "no display needed");
  ren->add_option("file", file, "program file, or - for standard input");
  ren->add_option("--example", example, "use a built-in example instead of a file");
  ren->add_option("--set", sets, "override an input: NAME=MATRIX");
  ren->add_option("--svg", pictures.svg, "write an SVG picture to this file (- for standard output)");
  ren->add_option("--png", pictures.png, "write a PNG picture to this file");
  ren->add_flag("--no-grads", no_grads, "values only, as with the app's gradients box unticked");
  ren->add_option("--theme", theme, "light (default) or dark")->check(CLI::IsMember({"light", "dark"}));
  ren->add_option("--caption", pictures.caption, "a node's name: draw it selected, with its chain rule below the graph");
  ren->add_option("--scale", pictures.scale, "pixels per point, 0.5 to 8 (default 1; 2 for slides)")->check(CLI::Range(0.5, 8.0));

  auto* list = app.add_subcommand("examples", "list the built-in examples");
  auto* ops = app.add_subcommand("ops", "list the operations of the language: usage, meaning, export text");
  ops->add_flag("--json", json, "print one JSON array of the op records");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kOtherFailure;
  }
  if (eval->parsed()) return eval_command(file, example, sets, json, jvps, jacobian);
  if (check->parsed()) return check_command(file, example, sets, json, tolerance, max_entries);
  if (exp->parsed()) return export_command(file, example, sets, to);
  if (der->parsed()) return derive_command(file, example, sets, json, points);
  if (ren->parsed()) {
    if (pictures.svg.empty() && pictures.png.empty()) {
      std::cerr << "gradscope render: error: give --svg FILE, --png FILE or both\n";
      return kOtherFailure;
    }
    int failure = 0;
    auto g = load_graph(file, example, sets, failure);
    if (!g) return failure;
    pictures.gradients = !no_grads;
    pictures.dark = theme == "dark";
    return write_pictures(g->program_text(), pictures);
  }
  if (ops->parsed()) {
    if (json) std::cout << ops_json(2) << "\n";
    else for (const OpDef* op : all_ops()) std::printf("%-30s %s\n", op->usage, op->doc);
    return 0;
  }
  if (list->parsed()) {
    for (const Example& e : examples()) std::printf("%-10s %s\n", e.name, e.title);
    return 0;
  }
  return kOtherFailure;
}

int run_cli(int argc, char** argv) { return finish_output(run_command(argc, argv)); }

}  // namespace gs
