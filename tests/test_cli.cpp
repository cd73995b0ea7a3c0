// The command line as users run it: the real gradscope binary (GRADSCOPE_BINARY, set by
// CMake) with stdout and stderr captured to files, its JSON parsed with nlohmann/json.
//
// Contents: helpers | eval --json | eval text | --set | program errors | failures to load |
// standard input | examples | check | derive
#include <doctest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/compile.h"
#include "core/examples.h"
#include "core/serialize.h"

using namespace gs;
using nlohmann::json;

namespace {

// --- helpers -----------------------------------------------------------------------

// A private temporary directory for the captured output and program files, removed at exit.
const std::filesystem::path& scratch() {
  struct Dir {
    std::filesystem::path path;
    Dir() {
      std::string pattern = (std::filesystem::temp_directory_path() / "gradscope_cli_XXXXXX").string();
      if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
      path = pattern;
    }
    ~Dir() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Dir dir;
  return dir.path;
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::filesystem::path write_program(const std::string& name, const std::string& text) {
  std::filesystem::path p = scratch() / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

std::string quoted(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Run {
  int status = -1;  // the exit code, or -1 if the process did not exit normally
  std::string out, err;
};

// Runs `gradscope args...` with `input` on its standard input.
Run gradscope(const std::vector<std::string>& args, const std::string& input = "") {
  std::filesystem::path out = scratch() / "stdout.txt", err = scratch() / "stderr.txt";
  std::string command = quoted(GRADSCOPE_BINARY);
  for (const std::string& a : args) command += " " + quoted(a);
  command += " > " + quoted(out.string()) + " 2> " + quoted(err.string());
  signal(SIGPIPE, SIG_IGN);  // a binary that exits without reading its input fails a check, not the run
  FILE* pipe = popen(command.c_str(), "w");
  REQUIRE(pipe != nullptr);
  if (!input.empty()) std::fwrite(input.data(), 1, input.size(), pipe);
  int status = pclose(pipe);
  Run r;
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

json parsed(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) FAIL(std::string("not JSON:\n" + text));
  return j;
}

// JSON from text: braces in C++ initializer lists are ambiguous for one-element arrays.
json J(const char* text) { return json::parse(text); }

json rows(const Matrix& m) {
  json out = json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    json row = json::array();
    for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(m(r, c));
    out.push_back(row);
  }
  return out;
}

const json& node_named(const json& graph, const std::string& name) {
  for (const json& n : graph["nodes"])
    if (n["name"] == name) return n;
  FAIL(std::string("no node named '" + name + "' in the JSON"));
  static const json none;
  return none;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::string kSeed = find_example("seed")->source;
// The seed program with an empty backward section: derive mode's claims go after it.
const std::string kSeedBackward = kSeed.substr(0, kSeed.find("f = norm2(y)")) + "f = norm2(y)\n#! backward\n";

}  // namespace

// --- eval --json ---------------------------------------------------------------------------

TEST_CASE("gradscope eval --example seed --json: the notebook's graph and numbers") {
  Run r = gradscope({"eval", "--example", "seed", "--json"});
  CAPTURE(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  json g = parsed(r.out);

  SUBCASE("the node list: names, ops, inputs, shapes, expressions, lines") {
    CHECK(g["output"] == "f");
    REQUIRE(g["nodes"].size() == 5);
    const std::vector<std::string> names = {"W", "x", "Z", "y", "f"};
    const std::vector<std::string> ops = {"input", "input", "matmul", "sigmoid", "norm2"};
    const std::vector<json> inputs = {J("[]"), J("[]"), J(R"(["W", "x"])"), J(R"(["Z"])"), J(R"(["y"])")};
    const std::vector<json> shapes = {J("[3, 3]"), J("[3, 1]"), J("[3, 1]"), J("[3, 1]"), J("[1, 1]")};
    const std::vector<std::string> exprs = {"[[2, 1, 2], [1, 3, 1], [7, 4, 7]]", "[[1], [0], [-1]]", "W @ x",
                                            "sigmoid(Z)", "norm2(y)"};
    const std::vector<int> lines = {2, 3, 4, 5, 6};
    for (size_t i = 0; i < 5; ++i) {
      const json& n = g["nodes"][i];
      std::string node = n.dump();
      CAPTURE(node);
      CHECK(n["name"] == names[i]);
      CHECK(n["op"] == ops[i]);
      CHECK(n["inputs"] == inputs[i]);
      CHECK(n["shape"] == shapes[i]);
      CHECK(n["expr"] == exprs[i]);
      CHECK(n["line"] == lines[i]);
    }
  }
  SUBCASE("values and gradients") {
    CHECK(node_named(g, "W")["value"] == J("[[2, 1, 2], [1, 3, 1], [7, 4, 7]]"));
    CHECK(node_named(g, "Z")["value"] == J("[[0], [0], [0]]"));
    CHECK(node_named(g, "y")["value"] == J("[[0.5], [0.5], [0.5]]"));
    CHECK(node_named(g, "f")["value"] == J("[[0.75]]"));
    CHECK(node_named(g, "f")["grad"] == J("[[1]]"));
    CHECK(node_named(g, "y")["grad"] == J("[[1], [1], [1]]"));
    CHECK(node_named(g, "Z")["grad"] == J("[[0.25], [0.25], [0.25]]"));
    CHECK(node_named(g, "W")["grad"] == J("[[0.25, 0, -0.25], [0.25, 0, -0.25], [0.25, 0, -0.25]]"));
    CHECK(node_named(g, "x")["grad"] == J("[[2.5], [2], [2.5]]"));
  }
  SUBCASE("the same JSON as the core's graph_json") {
    CHECK(g == parsed(graph_json(compile(kSeed).value())));
  }
}

TEST_CASE("gradscope eval --json marks constants and exponents") {
  Run r = gradscope({"eval", "-", "--json"}, "W = [[2, 1, 2], [1, 3, 1], [7, 4, 7]]\nx = [[1], [0], [-1]]\n"
                                            "Z = W @ x\ny = 1 / (1 + exp(Z))\nf = norm2(y)\n");
  REQUIRE(r.status == 0);
  json g = parsed(r.out);
  const json& one = node_named(g, "1");
  CHECK(one["op"] == "const");
  CHECK(node_named(g, "y")["op"] == "div");
  CHECK(node_named(g, "y")["inputs"] == J(R"(["1", "add_1"])"));
  CHECK(node_named(g, "W")["grad"] == J("[[-0.25, 0, 0.25], [-0.25, 0, 0.25], [-0.25, 0, 0.25]]"));

  Run p = gradscope({"eval", "-", "--json"}, "x = [[2]]\nf = x ^ 3\n");
  REQUIRE(p.status == 0);
  json h = parsed(p.out);
  CHECK(node_named(h, "f")["exponent"] == 3);
  CHECK(node_named(h, "f")["value"] == J("[[8]]"));
  CHECK(node_named(h, "x")["grad"] == J("[[12]]"));
}

// --- eval text -----------------------------------------------------------------------------

TEST_CASE("gradscope eval prints every node's value and gradient as text") {
  Run r = gradscope({"eval", "--example", "seed"});
  REQUIRE(r.status == 0);
  std::vector<std::string> lines = lines_of(r.out);
  REQUIRE(lines.size() == 31);
  CHECK(lines[0] == "W = input    (3, 3)");
  CHECK(lines[1] == "  value  2  1  2");
  CHECK(lines[4] == "  df/dW   0.25      0  -0.25");
  CHECK(lines[7] == "x = input    (3, 1)");
  CHECK(lines[11] == "  df/dx  2.5");
  CHECK(lines[14] == "Z = W @ x    (3, 1)");
  CHECK(lines[21] == "y = sigmoid(Z)    (3, 1)");
  CHECK(lines[22] == "  value  0.5");
  CHECK(lines[28] == "f = norm2(y)    (1, 1)    (output)");
  CHECK(lines[29] == "  value  0.75");
  CHECK(lines[30] == "  df/df  1");
  // The gradient labels name the program's own output.
  Run named = gradscope({"eval", "-"}, "x = [[1, 2]]\nL = sum(x * x)\n");
  REQUIRE(named.status == 0);
  lines = lines_of(named.out);
  REQUIRE(lines.size() == 9);
  CHECK(lines[2] == "  dL/dx  2  4");
  CHECK(lines[8] == "  dL/dL  1");
}

// --- --set ---------------------------------------------------------------------------------

TEST_CASE("gradscope eval --set replaces inputs") {
  SUBCASE("the numbers equal compile() with the same overrides") {
    Run r = gradscope({"eval", "--example", "seed", "--json", "--set", "x=[[1], [2], [3]]", "--set",
                       "W=[[1, 0, 0],\n [0, 1, 0], [0, 0, -1]]"});
    CAPTURE(r.err);
    REQUIRE(r.status == 0);
    Overrides o;
    o["x"] = parse_matrix("[[1], [2], [3]]").value();
    o["W"] = parse_matrix("[[1, 0, 0], [0, 1, 0], [0, 0, -1]]").value();
    auto g = compile(kSeed, o);
    REQUIRE(g.ok());
    json cli = parsed(r.out);
    CHECK(cli == parsed(graph_json(g.value())));
    CHECK(node_named(cli, "Z")["value"] == J("[[1], [2], [-3]]"));
    CHECK(node_named(cli, "x")["value"] == rows(g.value().node(g.value().find("x")).value));
    CHECK(node_named(cli, "f")["value"][0][0].get<double>() != 0.75);
  }
  SUBCASE("a scalar input set with a bare number") {
    Run r = gradscope({"eval", "--example", "neuron", "--json", "--set", "x2=1", "--set", "w2=-0.5"});
    REQUIRE(r.status == 0);
    json g = parsed(r.out);
    CHECK(node_named(g, "x2")["value"] == J("[[1]]"));
    CHECK(node_named(g, "n")["value"][0][0].get<double>() == doctest::Approx(0.8813735870195432 - 0.5));
  }
  SUBCASE("a new shape flows through the shape checks") {
    Run r = gradscope({"eval", "--example", "seed", "--set", "x=[[1], [0]]"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "<example seed>:4:7: error: cannot apply '@' to (3, 3) and (2, 1): the left side has 3 columns but the "
          "right side has 2 rows\n"
          "    Z = W @ x\n"
          "          ^\n");
  }
  SUBCASE("a value that does not parse") {
    Run r = gradscope({"eval", "--example", "seed", "--set", "x=[[1,"});
    CHECK(r.status == 2);
    CHECK(r.err == "--set x:1:5: error: expected a number in the matrix, found the end of the line\n    [[1,\n        ^\n");
  }
  SUBCASE("no '=' in the setting") {
    Run r = gradscope({"eval", "--example", "seed", "--set", "x"});
    CHECK(r.status == 2);
    CHECK(r.err == "--set x: error: expected NAME=MATRIX, as in --set 'x=[[1], [2], [3]]'\n");
  }
  SUBCASE("a name that is not an input") {
    Run r = gradscope({"eval", "--example", "seed", "--set", "Z=[[1], [2], [3]]"});
    CHECK(r.status == 2);
    CHECK(r.err == "<example seed>: error: there is no input named 'Z' to set (the inputs are W, x)\n");
  }
}

// --- program errors ------------------------------------------------------------------------

TEST_CASE("program errors go to stderr as FILE:LINE:COL: error: MESSAGE with exit code 2") {
  const std::string file = write_program("bad.gs", "x = [[1]]\nf = sum(W @ x)\n").string();
  struct Case {
    const char* what;
    std::vector<std::string> args;
    std::string input, err;
  };
  const Case cases[] = {
      {"a file", {"eval", file}, "", file + ":2:9: error: unknown name 'W'\n    f = sum(W @ x)\n            ^\n"},
      {"standard input", {"eval", "-"}, "x = [[1], [2]]\ny = sigmoid(x)\n",
       "<stdin>:2:1: error: the output 'y' must be 1x1 (a scalar) but has shape (2, 1); end with a scalar such as "
       "sum(...) or norm2(...)\n    y = sigmoid(x)\n    ^\n"},
      {"check reports program errors the same way", {"check", "-"}, "x = 0x10\n",
       "<stdin>:1:5: error: hexadecimal numbers are not supported; write the number in decimal\n"
       "    x = 0x10\n        ^\n"},
      {"an empty program has no place to point at", {"eval", "-"}, "",
       "<stdin>: error: the program is empty: declare inputs and end with a 1x1 output, e.g. f = norm2(W @ x)\n"},
      {"derive: a claim on a node that does not exist", {"derive", "-"}, kSeedBackward + "dq = 2 * y\n",
       "<stdin>:8:1: error: there is no node q: a name that starts with 'd' claims the gradient df/dq; give a helper "
       "another name\n    dq = 2 * y\n    ^\n"},
      {"derive: no backward section", {"derive", "--example", "seed"}, "",
       "<example seed>: error: the program has no backward section: write '#! backward' after the forward program, "
       "then claims such as 'dW = ...'\n"},
      {"derive: an error in the forward program", {"derive", "-"}, "x = [[1]]\nf = q\n#! backward\ndx = 1\n",
       "<stdin>:2:5: error: unknown name 'q'\n    f = q\n        ^\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    Run r = gradscope(c.args, c.input);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err == c.err);
  }
}

// --- failures to load ----------------------------------------------------------------------

TEST_CASE("failures other than the program's exit with code 1") {
  SUBCASE("a missing file") {
    std::string missing = (scratch() / "no_such_file.gs").string();
    Run r = gradscope({"eval", missing});
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err == "gradscope: error: cannot read '" + missing + "': No such file or directory\n");
  }
  SUBCASE("an unknown example") {
    Run r = gradscope({"eval", "--example", "nope"});
    CHECK(r.status == 1);
    std::string names;
    for (const Example& e : examples()) names += (names.empty() ? "" : ", ") + std::string(e.name);
    CHECK(names.rfind("seed, mlp, softmax, neuron, slip", 0) == 0);
    CHECK(r.err == "gradscope: error: no example named 'nope' (the examples are " + names + ")\n");
  }
  SUBCASE("no program at all") {
    Run r = gradscope({"eval"});
    CHECK(r.status == 1);
    CHECK(r.err == "gradscope: error: give a program file, '-' for standard input, or --example NAME\n");
  }
  SUBCASE("an unknown option") {
    Run r = gradscope({"eval", "--example", "seed", "--bogus"});
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find("--bogus") != std::string::npos);
  }
}

TEST_CASE("output that cannot be written exits with code 1 and says why") {
  // /dev/full fails every write with ENOSPC, as a full disk does.
  auto into_full_disk = [](const std::string& args) {
    std::filesystem::path err = scratch() / "stderr.txt";
    std::string command = quoted(GRADSCOPE_BINARY) + " " + args + " > /dev/full 2> " + quoted(err.string());
    int status = std::system(command.c_str());
    return std::make_pair(WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(err));
  };
  for (const char* args : {"eval --example mlp --json", "eval --example seed", "check --example seed",
                           "export --example seed --to numpy", "examples", "--help"}) {
    CAPTURE(args);
    auto [status, err] = into_full_disk(args);
    CHECK(status == 1);
    CHECK(err == "gradscope: error: cannot write the output: No space left on device\n");
  }
  SUBCASE("a program error keeps its own exit code: nothing was written to fail") {
    std::filesystem::path p = write_program("bad_full.gs", "f = q\n");
    auto [status, err] = into_full_disk("eval " + quoted(p.string()));
    CHECK(status == 2);
    CHECK(err == p.string() + ":1:5: error: unknown name 'q'\n    f = q\n        ^\n");
  }
}

TEST_CASE("error messages show control characters escaped, never raw") {
  // An escape sequence in a comment once retitled and cleared the terminal it was echoed to.
  Run r = gradscope({"eval", "-"}, "x = [[1]]\nf = sum(x)  # \x1b]0;owned\x07\x1b[2J\n");
  CHECK(r.status == 2);
  CHECK(r.err ==
        "<stdin>:2:15: error: unexpected character '\\x1B' in a comment\n"
        "    f = sum(x)  # \\x1B]0;owned\\x07\\x1B[2J\n"
        "                  ^\n");
  CHECK(r.err.find('\x1b') == std::string::npos);
  SUBCASE("in a --set value and a file name too") {
    Run set = gradscope({"eval", "--example", "seed", "--set", "x\x1b[2J=[[1], [\x07]]"});
    CHECK(set.status == 2);
    CHECK(set.err.find("--set x\\x1B[2J:1:8: error: unexpected character '\\x07'\n") == 0);
    for (char c : set.err) CHECK((c == '\n' || static_cast<unsigned char>(c) >= 0x20));
  }
}

// --- standard input ------------------------------------------------------------------------

TEST_CASE("'-' reads the program from standard input") {
  Run piped = gradscope({"eval", "-", "--json"}, kSeed);
  Run example = gradscope({"eval", "--example", "seed", "--json"});
  REQUIRE(piped.status == 0);
  CHECK(parsed(piped.out) == parsed(example.out));
  std::filesystem::path p = write_program("seed.gs", kSeed);
  Run file = gradscope({"eval", p.string(), "--json"});
  REQUIRE(file.status == 0);
  CHECK(parsed(file.out) == parsed(example.out));
}

// --- examples ------------------------------------------------------------------------------

TEST_CASE("gradscope examples lists every built-in example") {
  Run r = gradscope({"examples"});
  REQUIRE(r.status == 0);
  std::vector<std::string> lines = lines_of(r.out);
  REQUIRE(lines.size() == examples().size());
  for (size_t i = 0; i < lines.size(); ++i) {
    char expected[256];
    std::snprintf(expected, sizeof expected, "%-10s %s", examples()[i].name, examples()[i].title);
    CHECK(lines[i] == expected);
  }
  CHECK(lines[0] == "seed       The course notebook: f = ||sigmoid(W x)||^2");
}

// --- check ---------------------------------------------------------------------------------

TEST_CASE("gradscope check compares every gradient with finite differences") {
  SUBCASE("every example passes with exit code 0") {
    for (const Example& e : examples()) {
      std::string name = e.name;
      CAPTURE(name);
      Run r = gradscope({"check", "--example", name});
      CAPTURE(r.out);
      CHECK(r.status == 0);
      std::vector<std::string> lines = lines_of(r.out);
      REQUIRE(lines.size() >= 3);
      CHECK(lines.front() == "gradient check: central differences, h = 1e-6 * max(1, |entry|), tolerance 1e-06");
      CHECK(lines.back().rfind("passed: max relative error ", 0) == 0);
      CHECK(r.out.find("FAIL") == std::string::npos);
    }
  }
  SUBCASE("one line per input") {
    Run r = gradscope({"check", "--example", "seed"});
    std::vector<std::string> lines = lines_of(r.out);
    REQUIRE(lines.size() == 4);
    CHECK(lines[1].rfind("  W            max relative error ", 0) == 0);
    CHECK(lines[2].rfind("  x            max relative error ", 0) == 0);
    CHECK(lines[1].find(" ok ") != std::string::npos);
  }
  SUBCASE("--json") {
    Run r = gradscope({"check", "--example", "mlp", "--json"});
    REQUIRE(r.status == 0);
    json c = parsed(r.out);
    CHECK(c["passed"] == true);
    CHECK(c["tolerance"] == 1e-6);
    CHECK(c["max_error"].get<double>() < 1e-6);
    REQUIRE(c["inputs"].size() == 6);
    CHECK(c["inputs"][0]["name"] == "X");
    CHECK(c["inputs"][0]["numeric"].size() == 2);
  }
  SUBCASE("large inputs are sampled, and the report says so") {
    std::string rows;
    for (int i = 0; i < 500; ++i) rows += (i ? "], [" : "") + std::to_string(i % 7 - 3);
    std::filesystem::path p = write_program("sampled.gs", "x = [[" + rows + "]]\nf = sum(x * x)\n");
    Run r = gradscope({"check", p.string()});
    CHECK(r.status == 0);
    std::vector<std::string> lines = lines_of(r.out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[1].find(", 200 of 500 entries)") != std::string::npos);
    CHECK(lines[2].rfind("passed: max relative error ", 0) == 0);
    CHECK(lines[2].find(" over a sample of 200 of 500 input entries (fixed seed; --entries 0 checks every one)") !=
          std::string::npos);
    Run all = gradscope({"check", p.string(), "--entries", "0", "--json"});
    json c = parsed(all.out);
    CHECK(c["sampled"] == false);
    CHECK(c["checked"] == 500);
    Run json_sample = gradscope({"check", p.string(), "--entries", "50", "--json"});
    json s = parsed(json_sample.out);
    CHECK(s["sampled"] == true);
    CHECK(s["entries"] == 500);
    CHECK(s["checked"] == 50);
    CHECK(s["inputs"][0]["checked"] == 50);
    int nulls = 0;
    for (const json& row : s["inputs"][0]["numeric"]) nulls += row[0].is_null();
    CHECK(nulls == 450);  // the entries not checked
  }
  SUBCASE("a tolerance nothing can meet fails with exit code 1") {
    Run r = gradscope({"check", "--example", "seed", "--tolerance", "0"});
    CHECK(r.status == 1);
    CHECK(lines_of(r.out).back().rfind("FAILED: max relative error ", 0) == 0);
  }
}

// --- derive ------------------------------------------------------------------------------------

TEST_CASE("gradscope derive: one line per claim and the exit code says whether all are right") {
  const std::string& seed = kSeedBackward;
  const std::string right = seed + "dy = 2 * y\ndZ = dy * y * (1 - y)\ndW = dZ @ x.T\ndx = W.T @ dZ\n";
  SUBCASE("every claim right: exit 0") {
    std::filesystem::path p = write_program("right.gs", right);
    Run r = gradscope({"derive", p.string()});
    CHECK(r.status == 0);
    std::vector<std::string> lines = lines_of(r.out);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == p.string() + ":8:1: right: dy agrees with autodiff at the current point and at 8 others");
    CHECK(lines[3] == p.string() + ":11:1: right: dx agrees with autodiff at the current point and at 8 others");
    Run few = gradscope({"derive", p.string(), "--points", "2"});
    CHECK(lines_of(few.out)[0].find("and at 2 others") != std::string::npos);
  }
  SUBCASE("a missing transpose: exit 1, caught at dx") {
    Run r = gradscope({"derive", "-"}, seed + "dy = 2 * y\ndZ = dy * y * (1 - y)\ndW = dZ @ x.T\ndx = W @ dZ\n");
    CHECK(r.status == 1);
    std::vector<std::string> lines = lines_of(r.out);
    REQUIRE(lines.size() == 4);
    CHECK(lines[2].rfind("<stdin>:10:1: right: dW", 0) == 0);
    CHECK(lines[3] == "<stdin>:11:1: wrong: dx differs from autodiff: largest error 2 at entry [2][0]");
  }
  SUBCASE("a forgotten sum over the broadcast dimension: shape") {
    Run r = gradscope({"derive", "-"}, std::string(find_example("softmax")->source) +
                                           "#! backward\ndZ = (softmax(Z) - T) / 3\ndW = dZ @ X.T\ndb = dZ\n");
    CHECK(r.status == 1);
    CHECK(lines_of(r.out).back() == "<stdin>:15:1: shape: db must have b's shape (3, 1); yours is (3, 3)");
  }
  SUBCASE("the slip example: a coincidence, and the rest follows from dy") {
    Run r = gradscope({"derive", "--example", "slip"});
    CHECK(r.status == 1);
    std::vector<std::string> lines = lines_of(r.out);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].rfind("<example slip>:15:1: coincidence: dy agrees with autodiff at the current point but not at "
                         "8 of 8 other points: largest error ", 0) == 0);
    CHECK(lines[1] == "<example slip>:16:1: coincidence: dZ follows from dy, which is wrong");
  }
  SUBCASE("--json") {
    Run r = gradscope({"derive", "--example", "slip", "--json"});
    CHECK(r.status == 1);
    json d = parsed(r.out);
    CHECK(d["ok"] == false);
    CHECK(d["first_wrong"] == "dy");
    REQUIRE(d["claims"].size() == 4);
    const json& dy = d["claims"][0];
    CHECK(dy["name"] == "dy");
    CHECK(dy["node"] == "y");
    CHECK(dy["line"] == 15);
    CHECK(dy["verdict"] == "coincidence");
    CHECK(dy["max_error"].get<double>() > 0.01);
    CHECK(dy["where"].size() == 2);
    CHECK(dy["yours"] == J("[[1], [1], [1]]"));
    CHECK(d["claims"][1]["follows"] == "dy");
    Run ok = gradscope({"derive", "-", "--json"}, right);
    CHECK(ok.status == 0);
    CHECK(parsed(ok.out)["ok"] == true);
    CHECK(parsed(ok.out)["claims"][0]["where"].is_null());
  }
}
