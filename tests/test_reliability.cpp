// Untrusted input: every limit with its exact message, deep and long programs within a small
// stack, deliberate number rules, numerical edge cases (shown as inf/nan, gradients defined
// where the math allows), the promise that saved text reopens, desktop file reads and saves
// that fail without losing anything, and the inputs fuzzing found (fuzz/, scripts/fuzz).
//
// Contents: helpers | limits | depth and stack | numbers | numerical edge cases |
// round trips | fuzz regressions | reading files | saving files | command line
#include <doctest.h>

#include "tests/helpers.h"
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/compile.h"
#include "core/exercise.h"
#include "core/limits.h"
#include "core/serialize.h"
#include "native/files.h"

using namespace gs;
using namespace gs::testing;
namespace fs = std::filesystem;

namespace {

// --- helpers -----------------------------------------------------------------------

// The 1-based column of the n-th (1-based) occurrence of `what` in `line`.
int column_of(const std::string& line, const std::string& what, int n = 1) {
  size_t at = std::string::npos;
  for (int i = 0; i < n; ++i) at = line.find(what, at == std::string::npos ? 0 : at + 1);
  REQUIRE(at != std::string::npos);
  return int(at) + 1;
}

struct Expected {
  std::string message;
  int line, column;
};

void check_error(const std::string& source, const Expected& expected, const Overrides& overrides = {}) {
  CAPTURE(source.substr(0, 200));
  auto g = compile(source, overrides);
  REQUIRE_FALSE(g.ok());
  CHECK(g.error().message == expected.message);
  CHECK(g.error().line == expected.line);
  CHECK(g.error().column == expected.column);
}

// "inf", "-0", "nan": how the value and the gradient print (format_number round-trips).
std::string value_of(const Graph& g, const std::string& name) { return format_matrix(node(g, name).value); }
std::string grad_of(const Graph& g, const std::string& name) { return format_matrix(node(g, name).grad); }

// A private directory, removed with everything in it at the end of the test.
struct ScratchDir {
  fs::path path;
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "gradscope_reliability_XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(path, ignored);
  }
  // The names in the directory: a failed save must leave no temporary file behind.
  std::set<std::string> names() const {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(path)) out.insert(e.path().filename().string());
    return out;
  }
};

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_all(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

// True if f returns within the time; a hang fails the check and its thread ends with the process.
template <class F>
bool finishes_within(std::chrono::seconds limit, F f) {
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  std::thread([done, f]() mutable {
    f();
    done->set_value();
  }).detach();
  return finished.wait_for(limit) == std::future_status::ready;
}

// The longest text format_matrix() can write for an (r, c) matrix: 24 characters a number.
long long longest_literal(long long r, long long c) { return 2 + 2 * r + 2 * (r - 1) + 24 * r * c + 2 * r * (c - 1); }

// Runs f on a thread with only `bytes` of stack: a recursion that outgrows it crashes the test.
template <class F>
void on_small_stack(size_t bytes, F f) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  REQUIRE(pthread_attr_setstacksize(&attr, bytes) == 0);
  pthread_t thread;
  auto run = [](void* p) -> void* {
    (*static_cast<F*>(p))();
    return nullptr;
  };
  REQUIRE(pthread_create(&thread, &attr, run, &f) == 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kStackScale = 4;  // AddressSanitizer's redzones make every frame larger
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr size_t kStackScale = 4;
#else
constexpr size_t kStackScale = 1;
#endif
#else
constexpr size_t kStackScale = 1;
#endif

const std::string kNodes = "the program has too many nodes (limit 512)";
const std::string kNested = "the expression is nested too deeply (more than 64 levels)";

}  // namespace

// --- limits ----------------------------------------------------------------------------

TEST_CASE("every limit has a clear message, checked before anything that large exists") {
  SUBCASE("program text: exactly the limit compiles, one byte more does not") {
    // Inputs already at their longest (24 characters) cannot grow when saved.
    std::string body = "x = -2.2250738585072014e-308\nf = x * 2\n";
    std::string at_limit = body + "#" + std::string(size_t(kMaxSourceBytes) - body.size() - 2, '-') + "\n";
    REQUIRE(at_limit.size() == size_t(kMaxSourceBytes));
    CHECK(compile(at_limit).ok());
    check_error(at_limit + " ", {"the program is 262145 bytes; the limit is 262144", 0, 0});
  }
  SUBCASE("inputs whose full-precision text could not be saved and reopened") {
    // n rows of 100 ones: saved at full precision every number may take 24 characters; the
    // rest of the program is unchanged.
    auto program = [](int n) {
      return "x = [" + repeat("[" + repeat("1, ", 99) + "1], ", n - 1) + "[" + repeat("1, ", 99) + "1]]\nf = sum(x)\n";
    };
    auto longest = [&](int n) {
      std::string p = program(n);
      size_t span = p.rfind(']') + 1 - p.find('[');
      return p.size() - span + size_t(longest_literal(n, 100));
    };
    int n = 1;
    while (longest(n + 1) <= size_t(kMaxSourceBytes)) ++n;  // the most rows that can be saved
    CHECK(n == 100);
    Graph g = compiled(program(n));
    // The bound is tight: every entry at its longest gives exactly that many bytes, and they reopen.
    g.node(g.find("x")).value.setConstant(-2.2250738585072014e-308);
    std::string saved = g.program_text();
    CHECK(saved.size() == longest(n));
    auto reopened = compile(saved);
    REQUIRE(reopened.ok());
    CHECK(reopened.value().node(reopened.value().find("x")).value == g.node(g.find("x")).value);
    check_error(program(n + 1), {"the inputs hold 10100 numbers, too many to save: written out in full, as files and "
                                 "links store them, the program could reach " + std::to_string(longest(n + 1)) +
                                 " bytes (the limit is 262144)", 0, 0});
  }
  SUBCASE("a value given with --set or the JS API that could not be saved is refused the same way") {
    const std::string seed = "x = [[1], [0]]\nf = sum(x)\n";
    Matrix big = Matrix::Ones(100, 120);  // (100, 120)
    long long longest = (long long)(seed.size()) - 10 + longest_literal(100, 120);
    CHECK(longest == 312216);
    check_error(seed, {"the inputs hold 12000 numbers, too many to save: written out in full, as files and links store "
                       "them, the program could reach " + std::to_string(longest) + " bytes (the limit is 262144)", 0, 0},
                {{"x", big}});
    check_error(seed, {"the result would be (4097, 1), larger than the limit of 4194304 entries", 1, 1},
                {{"x", Matrix::Ones(4097, 1)}});
  }
  SUBCASE("nodes: inputs, constants and operations all count") {
    // x, then k products with k distinct constants and k - 1 additions, then sum(): 3k + 1 nodes.
    std::string terms;
    for (int k = 1; k <= 170; ++k) terms += (k > 1 ? " + x * " : "x * ") + std::to_string(k);
    Graph g = compiled("x = [[1]]\nf = sum(" + terms + ")");
    CHECK(g.nodes.size() == 511);
    terms += " + x * 171";  // the constant is the 511th node, its product the 512th, the addition one too many
    std::string line = "f = sum(" + terms + ")";
    check_error("x = [[1]]\n" + line, {kNodes, 2, column_of(line, "+", 170)});
  }
  SUBCASE("matrix literals: 4096 rows or columns at most") {
    check_error("x = [" + repeat("1, ", 4096) + "1]\nf = sum(x)", {"the matrix is too large (limit 4096 rows or columns)", 1, 5});
    check_error("x = [" + repeat("[1], ", 4096) + "[1]]\nf = sum(x)",
                {"the matrix is too large (limit 4096 rows or columns)", 1, 5});
  }
  SUBCASE("broadcasting and matrix products cannot build an outer product past the entry limit") {
    std::string row = "r = [" + repeat("1, ", 4095) + "1]\n";  // (1, 4096)
    auto started = std::chrono::steady_clock::now();
    check_error(row + "f = sum(r.T + r)", {"the result would be (4096, 4096), larger than the limit of 4194304 entries", 2, 13});
    check_error(row + "f = sum(r.T @ r)", {"the result would be (4096, 4096), larger than the limit of 4194304 entries", 2, 13});
    check_error(row + "f = sum(r.T * r)", {"the result would be (4096, 4096), larger than the limit of 4194304 entries", 2, 13});
    // Refused from the shapes alone: nothing of 16M entries is allocated or computed.
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  }
  SUBCASE("matrix products: at most 2^27 multiply-adds per evaluation") {
    std::string m = "c = [" + repeat("[0.001], ", 511) + "[0.001]]\nr = [" + repeat("1, ", 511) + "1]\nM = c + r\n";
    Graph g = compiled(m + "f = sum(M @ M)");  // (512, 512) @ (512, 512): exactly 2^27
    CHECK(node(g, "f").value(0, 0) == doctest::Approx(512.0 * 512 * 512 * 1.001 * 1.001).epsilon(1e-12));
    check_error(m + "f = sum(M @ M @ M)",
                {"the matrix products would take 268435456 multiply-adds per evaluation, more than the limit of 134217728",
                 4, 15});
  }
  SUBCASE("values given as text or JSON") {
    std::string big = "[" + repeat("0,", 131071) + "0]";  // 262145 bytes
    REQUIRE(big.size() == 262145);
    auto m = parse_matrix(big);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().message == "the value is 262145 bytes; the limit is 262144");
    auto j = matrix_from_json(big);
    REQUIRE_FALSE(j.ok());
    CHECK(j.error().message == "the value is 262145 bytes of JSON; the limit is 262144");
    auto wide = matrix_from_json("[" + repeat("1,", 4096) + "1]");
    REQUIRE_FALSE(wide.ok());
    CHECK(wide.error().message == "the matrix is too large (limit 4096 rows or columns)");
    // 100000 levels of JSON brackets: core/json.cpp parses with its own stack, nothing overflows.
    auto deep = matrix_from_json(repeat("[", 100000) + "1" + repeat("]", 100000));
    REQUIRE_FALSE(deep.ok());
    CHECK(deep.error().message == "entry [0][0] is not a finite number");
    auto number = matrix_from_json("1e400");
    REQUIRE_FALSE(number.ok());
    CHECK(number.error().message == "the value is not valid JSON: expected [[1, 2], [3, 4]]");
  }
}

// --- depth and stack -----------------------------------------------------------------------

TEST_CASE("deep and long programs: a clear error, and never a stack overflow") {
  SUBCASE("10,000-term chains stop at the node limit") {
    std::string sum = "f = x" + repeat(" + x", 9999);
    check_error("x = [[1]]\n" + sum, {kNodes, 2, column_of(sum, "+", 513)});
    std::string tr = "f = sum(x" + repeat(".T", 10000) + ")";
    check_error("x = [[1]]\n" + tr, {kNodes, 2, column_of(tr, ".", 512)});
    std::string pw = "f = sum(x" + repeat(" ^ -1 * x", 5000) + ")";
    check_error("x = [[2]]\n" + pw, {kNodes, 2, column_of(pw, "*", 256)});
  }
  SUBCASE("10,000 levels of nesting stop at level 65") {
    std::string neg = "f = sum(" + repeat("-(", 10000) + "x" + repeat(")", 10000) + ")";
    check_error("x = [[1]]\n" + neg, {kNested, 2, 9 + 63});
    std::string parens = "f = " + repeat("(", 100000) + "x";
    check_error("x = [[1]]\n" + parens, {kNested, 2, 5 + 64});
    std::string minus = "f = sum(" + repeat("-", 10000) + "x)";
    check_error("x = [[1]]\n" + minus, {kNested, 2, 9 + 63});
    std::string calls = "f = " + repeat("sum(", 10000) + "x" + repeat(")", 10000);
    check_error("x = [[1]]\n" + calls, {kNested, 2, 4 * 65 + 4});  // the 65th call's '(' 
    check_error("x = " + repeat("[", 10000) + "1" + repeat("]", 10000) + "\nf = sum(x)",
                {"a matrix has two dimensions: write [[1, 2], [3, 4]]", 1, 7});
  }
  SUBCASE("the deepest programs the limits allow compile within a 256 KiB stack") {
    // Lowering used to recurse once per link of a chain, about 1 KB a frame: 510 links needed
    // over 512 KiB natively, more than the browser build's whole 1 MiB stack could spare.
    const std::vector<std::pair<const char*, std::string>> programs = {
        {"510 additions", "f = sum(x" + repeat(" + x", 510) + ")"},
        {"510 transposes", "f = sum(x" + repeat(".T", 510) + ")"},
        {"64 nested calls", "f = " + repeat("sum(", 64) + "x" + repeat(")", 64)},
        {"64 nested parentheses", "f = sum" + repeat("(", 64) + "x" + repeat(")", 64)},
        {"63 minus signs", "f = sum(" + repeat("-", 63) + "x)"},
        {"64 nested sums of additions", "f = " + repeat("sum(x + ", 64) + "x" + repeat(")", 64)},
    };
    for (const auto& program : programs) {
      std::string what = program.first, source = "x = [[1]]\n" + program.second;
      CAPTURE(what);
      bool ok = false;
      on_small_stack(256 * 1024 * kStackScale, [&] { ok = compile(source).ok(); });
      CHECK(ok);
    }
  }
}

// --- numbers ---------------------------------------------------------------------------------

TEST_CASE("numbers are read deliberately") {
  SUBCASE("too large, hexadecimal, nan and inf are refused with a message") {
    check_error("x = 1e999\nf = x * 1", {"the number 1e999 is too large for a double", 1, 5});
    check_error("x = -1e999\nf = x * 1", {"the number 1e999 is too large for a double", 1, 6});
    check_error("x = 1" + std::string(400, '0') + "\nf = x * 1",
                {"the number 1" + std::string(23, '0') + "... (401 characters) is too large for a double", 1, 5});
    check_error("x = 0x10\nf = x * 1", {"hexadecimal numbers are not supported; write the number in decimal", 1, 5});
    check_error("x = nan\nf = x * 1", {"numbers must be finite: 'nan' is not allowed (write a number such as 1e300)", 1, 5});
    check_error("x = [[1]]\nf = sum(x * -Infinity)",
                {"numbers must be finite: 'Infinity' is not allowed (write a number such as 1e300)", 2, 14});
    check_error("x = [[1, inf]]\nf = sum(x)", {"matrix entries must be finite numbers, not 'inf'", 1, 10});
    auto m = parse_matrix("nan");
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().message == "expected a number or a matrix such as [[1, 2], [3, 4]]");
  }
  SUBCASE("too small reads as the nearest double; -0, denormals and extremes keep their bits") {
    Graph g = compiled("a = 1e-999\nb = -0\nc = 4.9406564584124654e-324\nd = 1.7976931348623157e308\n"
                       "e = 123456789012345678901234567890\nf = a + b + c + d + e");
    CHECK(value_of(g, "a") == "[[0]]");
    CHECK(std::signbit(node(g, "b").value(0, 0)));
    CHECK(value_of(g, "b") == "[[-0]]");
    CHECK(value_of(g, "c") == "[[5e-324]]");
    CHECK(value_of(g, "d") == "[[1.7976931348623157e+308]]");
    CHECK(value_of(g, "e") == "[[1.2345678901234568e+29]]");
    CHECK(value_of(g, "f") == "[[1.7976931348623157e+308]]");
  }
}

// --- numerical edge cases -----------------------------------------------------------------------

TEST_CASE("numerical edge cases: values show as inf or nan, gradients stay defined where the math allows") {
  struct Case {
    const char* program;
    const char* value;  // the output's value
    const char* grad;   // df/dx
  };
  // The reference is the math (and PyTorch, which agrees on each of these).
  const Case cases[] = {
      {"x = 1000\nf = exp(x)", "[[inf]]", "[[inf]]"},                     // overflow is inf, not an error
      {"x = -1000\nf = exp(x)", "[[0]]", "[[0]]"},
      {"x = 0\nf = log(x)", "[[-inf]]", "[[inf]]"},
      {"x = -1\nf = log(x)", "[[nan]]", "[[-1]]"},                        // 1/x, as PyTorch
      {"x = 0\nf = sqrt(x)", "[[0]]", "[[inf]]"},
      {"x = 1000\nf = sigmoid(x)", "[[1]]", "[[0]]"},                      // stable: no exp overflow
      {"x = -1000\nf = sigmoid(x)", "[[0]]", "[[0]]"},
      {"x = -1000\nf = tanh(x)", "[[-1]]", "[[0]]"},
      {"x = 1000\nf = softplus(x)", "[[1e+03]]", "[[1]]"},                  // max(z, 0) + log1p(e^-|z|)
      {"x = -1000\nf = softplus(x)", "[[0]]", "[[0]]"},
      {"x = 0\nf = x ^ 0", "[[1]]", "[[0]]"},                              // was nan: 0 * 0^-1
      {"x = 0\nf = x ^ -1", "[[inf]]", "[[-inf]]"},
      {"x = 0\nf = x ^ 0.5", "[[0]]", "[[inf]]"},
      {"x = -8\nf = x ^ 0.5", "[[nan]]", "[[nan]]"},
      {"x = -8\nf = x ^ 3", "[[-512]]", "[[192]]"},
      {"x = 0\nf = abs(x) + relu(x)", "[[0]]", "[[0]]"},                   // 0 at the corner, as PyTorch
      {"x = 0\nf = x / x", "[[nan]]", "[[nan]]"},
      {"x = 1e200\nf = x * x", "[[inf]]", "[[2e+200]]"},                  // each side's slope is finite
      {"x = 1e308\nf = mean([[1, 1]] * x)", "[[inf]]", "[[1]]"},
      // the cross-entropy's log-sum-exp takes the column's maximum out first
      {"x = 1000\nf = cross_entropy([[1], [-1]] * x, [[0], [1]])", "[[2e+03]]", "[[2]]"},
      {"x = 1000\nf = sum(log_softmax([[1], [-1]] * x))", "[[-2e+03]]", "[[-2]]"},
      // a saturated sigmoid is exactly 1: bce takes 0 log 0 = 0 (it was nan)
      {"x = 40\nf = bce(sigmoid(x), 1)", "[[-0]]", "[[-0]]"},
      {"x = -40\nf = bce(sigmoid(x), 0)", "[[-0]]", "[[4.248354255291589e-18]]"},
      {"x = 0\nf = bce(x, 0)", "[[-0]]", "[[1]]"},
      {"x = 1\nf = bce(x, 1)", "[[-0]]", "[[-1]]"},
      // a node the output does not use sends nothing back: an unused log(0) leaves df/dx finite
      {"x = 0\nu = log(x)\nf = x + 1", "[[1]]", "[[1]]"},
  };
  for (const Case& c : cases) {
    std::string program = c.program;
    CAPTURE(program);
    Graph g = compiled(c.program);
    // The sign of a zero gradient depends on whether it was assigned or added to 0: not pinned.
    auto unsigned_zero = [](std::string s) { return s == "[[-0]]" ? std::string("[[0]]") : s; };
    CHECK(value_of(g, "f") == c.value);
    CHECK(unsigned_zero(grad_of(g, "x")) == unsigned_zero(c.grad));
  }
  SUBCASE("cross-entropy of logits 2000 apart, right class: loss 0 and a vanishing gradient, no nan") {
    Graph g = compiled("x = 1000\nf = cross_entropy([[1], [-1]] * x, [[1], [0]])");
    CHECK(value_of(g, "f") == "[[0]]");
    // The exact gradient is -exp(-2000), which rounds to -0; Eigen 3.4's vectorized exp returns
    // about 5.6e-309 instead of 0 below -709, so natively the last digits can differ.
    CHECK(std::abs(node(g, "x").grad(0, 0)) < 1e-300);
  }
  SUBCASE("softmax of logits a million apart: probabilities 1 and 0, no nan") {
    Graph g = compiled("z = [[1000000], [-1000000], [0]]\nw = [[1], [2], [3]]\nf = sum(softmax(z) * w)");
    CHECK(value_of(g, "f") == "[[1]]");
    CHECK(node(g, "z").grad.allFinite());
  }
  SUBCASE("nan and inf reach JSON as null and the text display as nan and inf") {
    Graph g = compiled("x = 0\ny = log(x)\nf = y - y");
    CHECK(value_of(g, "y") == "[[-inf]]");
    CHECK(value_of(g, "f") == "[[nan]]");
    auto json = nlohmann::json::parse(graph_json(g));
    CHECK(json["nodes"][2]["name"] == "f");
    CHECK(json["nodes"][2]["value"].dump() == "[[null]]");
    CHECK(json["nodes"][1]["value"].dump() == "[[null]]");
    CHECK(json["nodes"][0]["grad"].dump() == "[[null]]");  // df/dx = 1/0 - 1/0
  }
}

// --- round trips ---------------------------------------------------------------------------------

TEST_CASE("program_text() reopens exactly the state it was written from") {
  Graph g = compiled("a = 0\nb = [[1, 0]]\nc = 2\nf = a * c + sum(b)");
  g.node(g.find("a")).value(0, 0) = -0.0;
  g.node(g.find("b")).value << 4.9406564584124654e-324, -1.7976931348623157e308;
  g.evaluate();
  std::string text = g.program_text();
  // -0 == 0, but the -0 the user set is written out (it was silently dropped; found by fuzz_program)
  CHECK(text == "a = -0\nb = [[5e-324, -1.7976931348623157e+308]]\nc = 2\nf = a * c + sum(b)");
  Graph back = compiled(text);
  CHECK(std::signbit(node(back, "a").value(0, 0)));
  CHECK(node(back, "b").value == node(g, "b").value);
  CHECK(back.program_text() == text);
}

// --- fuzz regressions ------------------------------------------------------------------------------

TEST_CASE("inputs found by fuzzing") {
  SUBCASE("a carriage return inside a '#!' line no longer hangs parse_exercise") {
    // fuzz_program: names_in() made no progress at a '\r' that was not the line's last byte.
    const std::string source = "#! ask:\r y\r\nx = [[1]]\ny = x * 2\nf = sum(y)\n";
    auto g = std::make_shared<Graph>(compiled(source));
    auto questions = std::make_shared<std::vector<Question>>();
    REQUIRE(finishes_within(std::chrono::seconds(10), [g, questions, source] {
      auto ex = parse_exercise(source, *g);
      if (ex) *questions = ex.value().questions;
    }));
    REQUIRE(questions->size() == 1);
    CHECK((*questions)[0].node == "y");
    CHECK_FALSE((*questions)[0].gradient);
  }
  SUBCASE("an unknown input name is shown escaped in the reason, never raw") {
    // fuzz_api: gs_set with a name holding \x01 returned a reason with that byte in it.
    Graph g = compiled("x = [[1]]\nf = sum(x)\n");
    auto r = g.set_input(std::string("x\x01\x1b[2J", 6), Matrix::Ones(1, 1));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "there is no input named 'x\\x01\\x1B[2J'");
    auto c = compile("x = [[1]]\nf = sum(x)\n", {{std::string("q\x07"), Matrix::Ones(1, 1)}});
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message == "there is no input named 'q\\x07' to set (the inputs are x)");
  }
}

// --- control characters -------------------------------------------------------------------------

TEST_CASE("control characters: a located error from the lexer, shown escaped in every message") {
  SUBCASE("in code, in a comment, and a NUL anywhere") {
    check_error("x = [[1]]\nf = sum(x)\x01\n", {"unexpected character '\\x01'", 2, 11});
    check_error("x = [[1]]  # ok\x1b]0;owned\x07\nf = sum(x)\n", {"unexpected character '\\x1B' in a comment", 1, 16});
    check_error(std::string("x = [[1]]\n# a\0b\nf = sum(x)\n", 27), {"unexpected character '\\x00' in a comment", 2, 4});
    check_error(std::string("x = [[1]]\0\nf = sum(x)\n", 22), {"unexpected character '\\x00'", 1, 10});
    check_error("x = [[1]]\n# del \x7f\nf = sum(x)\n", {"unexpected character '\\x7F' in a comment", 2, 7});
  }
  SUBCASE("tabs, carriage returns and UTF-8 text in comments are still fine") {
    Graph g = compiled("x = [[1]]\t# tab\r\n# \xC3\xA9t\xC3\xA9 \xE2\x88\x82" "f/\xE2\x88\x82" "x\r\nf = sum(x)\n");
    CHECK(node(g, "f").value(0, 0) == 1);
  }
  SUBCASE("format() escapes the source line and moves the caret past each escape") {
    auto g = compile("x = [[1]]\nf = sum(x) # \x1b[2J\x1b]0;owned\x07\n");
    REQUIRE_FALSE(g.ok());
    CHECK(g.error().format("p.gs") ==
          "p.gs:2:14: error: unexpected character '\\x1B' in a comment\n"
          "    f = sum(x) # \\x1B[2J\\x1B]0;owned\\x07\n"
          "                 ^");
    // An error further along the line: the caret counts "\x1B" as four columns.
    Error e{"unknown name 'q'", 1, 10, "a\x1b[31m = q"};
    CHECK(e.format() == "<program>:1:10: error: unknown name 'q'\n    a\\x1B[31m = q\n                ^");
    CHECK(e.excerpt("  ") == "  a\\x1B[31m = q\n              ^");
  }
  SUBCASE("C1 controls, bytes that are not UTF-8, and the file name are escaped too") {
    CHECK(shown_text("a\xC2\x9B" "2Jb") == "a\\u009B2Jb");           // CSI as a UTF-8 C1 control
    CHECK(shown_text("\x9B\xFF\xC3") == "\\x9B\\xFF\\xC3");            // lone or broken bytes
    CHECK(shown_text("\xC3\xA9 \xE2\x88\x82 \xF0\x9F\x99\x82\t\\x") == "\xC3\xA9 \xE2\x88\x82 \xF0\x9F\x99\x82\t\\x");
    CHECK(shown_text("\xED\xA0\x80\xC0\xAF") == "\\xED\\xA0\\x80\\xC0\\xAF");  // a surrogate, an overlong '/'
    Error e{"unknown name 'q'", 1, 8, "\xC3\xA9\xC2\x85 = q"};
    CHECK(e.format("evil\x1b.gs") == "evil\\x1B.gs:1:8: error: unknown name 'q'\n    \xC3\xA9\\u0085 = q\n              ^");
  }
}

// --- reading files ----------------------------------------------------------------------------------

TEST_CASE("read_program_file refuses what is not a program file, with the reason") {
  ScratchDir dir;
  std::string text = "kept";
  SUBCASE("a missing file") {
    CHECK(read_program_file((dir.path / "missing.gs").string(), text) == "No such file or directory");
    CHECK(text == "kept");
  }
  SUBCASE("a directory") {
    CHECK(read_program_file(dir.path.string(), text) == "it is a directory");
    CHECK(text == "kept");
  }
  SUBCASE("a device") {
    CHECK(read_program_file("/dev/zero", text) == "it is not a regular file");
    CHECK(text == "kept");
  }
  SUBCASE("one byte over the limit, and exactly the limit") {
    fs::path p = dir.path / "big.gs";
    write_all(p, std::string(size_t(kMaxSourceBytes) + 1, '#'));
    CHECK(read_program_file(p.string(), text) == "the file is larger than the 262144-byte program limit");
    CHECK(text == "kept");
    write_all(p, std::string(size_t(kMaxSourceBytes), '#'));
    CHECK(read_program_file(p.string(), text) == "");
    CHECK(text.size() == size_t(kMaxSourceBytes));
  }
  SUBCASE("a named pipe nobody writes to reads as empty instead of waiting forever") {
    fs::path p = dir.path / "pipe.gs";
    REQUIRE(mkfifo(p.c_str(), 0600) == 0);
    auto result = std::make_shared<std::pair<std::string, std::string>>("unset", "kept");
    REQUIRE(finishes_within(std::chrono::seconds(10), [result, p] { result->first = read_program_file(p.string(), result->second); }));
    CHECK(result->first == "");
    CHECK(result->second == "");
  }
  SUBCASE("bytes that are not a program read exactly, then fail to compile with a message") {
    fs::path p = dir.path / "binary.gs";
    std::string bytes("x = [[1]]\n\0\xff\xfe", 13);
    write_all(p, bytes);
    REQUIRE(read_program_file(p.string(), text) == "");
    CHECK(text == bytes);
    auto g = compile(text);
    REQUIRE_FALSE(g.ok());
    CHECK(g.error().message == "unexpected character '\\x00'");
  }
}

// --- saving files -----------------------------------------------------------------------------------

TEST_CASE("a failed save returns the reason and leaves the old file as it was") {
  ScratchDir dir;
  const fs::path file = dir.path / "prog.gs";
  const std::string old_text = "x = [[1]]\nf = sum(x)\n";
  write_all(file, old_text);
  const std::string new_text = "x = [[2]]\nf = sum(x)\n" + std::string(5000, '#') + "\n";

  SUBCASE("the disk fills up in the middle of the write") {
    // RLIMIT_FSIZE makes write() fail with EFBIG after 1000 bytes, like a full disk: as root too.
    struct rlimit saved;
    REQUIRE(getrlimit(RLIMIT_FSIZE, &saved) == 0);
    struct rlimit small = saved;
    small.rlim_cur = 1000;
    auto old_handler = signal(SIGXFSZ, SIG_IGN);
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    std::string why = write_file_atomic(file.string(), new_text);
    REQUIRE(setrlimit(RLIMIT_FSIZE, &saved) == 0);
    signal(SIGXFSZ, old_handler);
    CHECK(why == "File too large");
    CHECK(read_all(file) == old_text);
    CHECK(dir.names() == std::set<std::string>{"prog.gs"});  // no temporary file left behind
  }
  SUBCASE("the folder does not exist") {
    CHECK(write_file_atomic((dir.path / "no" / "prog.gs").string(), new_text) == "No such file or directory");
    CHECK(dir.names() == std::set<std::string>{"prog.gs"});
  }
  SUBCASE("the path is a folder") {
    fs::create_directory(dir.path / "folder.gs");
    CHECK(write_file_atomic((dir.path / "folder.gs").string(), new_text) == "Is a directory");
    CHECK(fs::is_directory(dir.path / "folder.gs"));
    CHECK(dir.names() == std::set<std::string>{"prog.gs", "folder.gs"});
  }
  SUBCASE("the folder is not writable") {
    if (geteuid() == 0) {
      MESSAGE("running as root, which may write anywhere: the disk-full case above stands in for this one");
    } else {
      fs::permissions(dir.path, fs::perms::owner_read | fs::perms::owner_exec);
      CHECK(write_file_atomic(file.string(), new_text) == "Permission denied");
      fs::permissions(dir.path, fs::perms::owner_all);
      CHECK(read_all(file) == old_text);
      CHECK(dir.names() == std::set<std::string>{"prog.gs"});
    }
  }
  SUBCASE("a successful save replaces the text, keeps the permissions and keeps a symbolic link") {
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    fs::create_symlink(file, dir.path / "link.gs");
    CHECK(write_file_atomic((dir.path / "link.gs").string(), new_text) == "");
    CHECK(fs::is_symlink(dir.path / "link.gs"));
    CHECK(read_all(file) == new_text);
    CHECK(fs::status(file).permissions() == (fs::perms::owner_read | fs::perms::owner_write));
    CHECK(dir.names() == std::set<std::string>{"prog.gs", "link.gs"});
  }
}

TEST_CASE("saves: long names, symbolic links, read-only files and temporaries left by a killed save") {
  ScratchDir dir;
  const std::string text = "x = [[2]]\nf = sum(x)\n";
  SUBCASE("a 255-byte file name (NAME_MAX), new and replaced: the temporary's name is short") {
    const fs::path file = dir.path / (std::string(252, 'a') + ".gs");
    REQUIRE(file.filename().string().size() == 255);
    CHECK(write_file_atomic(file.string(), "x = [[1]]\nf = sum(x)\n") == "");
    CHECK(write_file_atomic(file.string(), text) == "");
    CHECK(read_all(file) == text);
    CHECK(dir.names() == std::set<std::string>{file.filename().string()});
  }
  SUBCASE("a dangling symbolic link: its target is written and the link kept") {
    fs::create_directory(dir.path / "sub");
    fs::create_symlink("sub/target.gs", dir.path / "link.gs");  // relative to the link's folder
    CHECK(write_file_atomic((dir.path / "link.gs").string(), text) == "");
    CHECK(fs::is_symlink(dir.path / "link.gs"));
    CHECK(fs::is_regular_file(fs::symlink_status(dir.path / "sub" / "target.gs")));
    CHECK(read_all(dir.path / "sub" / "target.gs") == text);
    CHECK(dir.names() == std::set<std::string>{"link.gs", "sub"});
  }
  SUBCASE("a chain of links, and a loop") {
    write_all(dir.path / "real.gs", "old");
    fs::create_symlink(dir.path / "real.gs", dir.path / "b.gs");  // absolute
    fs::create_symlink("b.gs", dir.path / "a.gs");
    CHECK(write_file_atomic((dir.path / "a.gs").string(), text) == "");
    CHECK(read_all(dir.path / "real.gs") == text);
    CHECK((fs::is_symlink(dir.path / "a.gs") && fs::is_symlink(dir.path / "b.gs")));
    fs::create_symlink("loop2.gs", dir.path / "loop1.gs");
    fs::create_symlink("loop1.gs", dir.path / "loop2.gs");
    CHECK(write_file_atomic((dir.path / "loop1.gs").string(), text) == "Too many levels of symbolic links");
    CHECK(dir.names() == std::set<std::string>{"real.gs", "a.gs", "b.gs", "loop1.gs", "loop2.gs"});
  }
  SUBCASE("a read-only (444) file is refused with the reason, as root too, directly or through a link") {
    const fs::path file = dir.path / "ro.gs";
    write_all(file, "old");
    fs::permissions(file, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read, fs::perm_options::replace);
    fs::create_symlink("ro.gs", dir.path / "link.gs");
    for (const fs::path& p : {file, dir.path / "link.gs"}) {
      CHECK(write_file_atomic(p.string(), text) == "the file is read-only (r--r--r--); save under another name");
      CHECK(read_all(file) == "old");
      CHECK(fs::is_symlink(dir.path / "link.gs"));
    }
    CHECK(dir.names() == std::set<std::string>{"ro.gs", "link.gs"});
  }
  SUBCASE("temporaries of processes that no longer run are removed; others' and other files are kept") {
    pid_t dead = fork();
    REQUIRE(dead >= 0);
    if (dead == 0) _exit(0);
    REQUIRE(waitpid(dead, nullptr, 0) == dead);
    pid_t alive = fork();
    REQUIRE(alive >= 0);
    if (alive == 0) {
      pause();
      _exit(0);
    }
    const std::string stale = ".gradscope-" + std::to_string(dead) + "-0.tmp";
    const std::string running = ".gradscope-" + std::to_string(alive) + "-3.tmp";
    for (const std::string& name : {stale, running, std::string(".gradscope-notes.tmp"),
                                    ".gradscope-0" + std::to_string(dead) + "-0.tmp", std::string("prog.gs.tmp")})
      write_all(dir.path / name, "partial");
    CHECK(write_file_atomic((dir.path / "prog.gs").string(), text) == "");
    kill(alive, SIGKILL);
    waitpid(alive, nullptr, 0);
    CHECK(dir.names() == std::set<std::string>{"prog.gs", running, ".gradscope-notes.tmp",
                                               ".gradscope-0" + std::to_string(dead) + "-0.tmp", "prog.gs.tmp"});
  }
  SUBCASE("kill -9 in the middle of saves: the next save leaves only the file") {
    const fs::path file = dir.path / "prog.gs";
    const std::string big = "x = [[1]]\nf = sum(x)\n" + std::string(4 << 20, '#');
    for (int round = 0; round < 5; ++round) {
      pid_t child = fork();
      REQUIRE(child >= 0);
      if (child == 0) {
        for (;;) write_file_atomic(file.string(), big);
      }
      // Kill it while its temporary exists (a save is under way).
      const fs::path tmp = dir.path / (".gradscope-" + std::to_string(child) + "-0.tmp");
      auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (!fs::exists(tmp) && std::chrono::steady_clock::now() < until) std::this_thread::yield();
      kill(child, SIGKILL);
      REQUIRE(waitpid(child, nullptr, 0) == child);
    }
    int left = 0;
    for (const std::string& name : dir.names()) left += name.rfind(".gradscope-", 0) == 0;
    CHECK(left >= 1);  // the last killed save did leave its temporary behind
    CHECK(write_file_atomic(file.string(), text) == "");
    CHECK(read_all(file) == text);
    CHECK(dir.names() == std::set<std::string>{"prog.gs"});
  }
}

// --- command line -------------------------------------------------------------------------------------

TEST_CASE("the command line reads with the same bounds") {
  ScratchDir dir;
  auto run = [&](const std::string& args, const std::string& input_file) {
    std::string err = (dir.path / "err.txt").string();
    std::string command = std::string("'") + GRADSCOPE_BINARY + "' " + args + " < '" + input_file + "' > /dev/null 2> '" +
                          err + "'";
    int status = std::system(command.c_str());
    return std::make_pair(WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_all(err));
  };
  SUBCASE("a device is refused instead of read forever") {
    auto [status, err] = run("eval /dev/zero", "/dev/null");
    CHECK(status == 1);
    CHECK(err == "gradscope: error: cannot read '/dev/zero': it is not a regular file\n");
  }
  SUBCASE("standard input stops one byte past the limit") {
    auto [status, err] = run("eval -", "/dev/zero");
    CHECK(status == 1);
    CHECK(err == "gradscope: error: cannot read '-': the file is larger than the 262144-byte program limit\n");
  }
  SUBCASE("--set with a value too large to save") {
    fs::path prog = dir.path / "p.gs";
    write_all(prog, "x = [[1], [0]]\nf = sum(x)\n");
    std::string value = "x=[" + repeat("[" + repeat("1, ", 119) + "1], ", 99) + "[" + repeat("1, ", 119) + "1]]";
    write_all(dir.path / "args.txt", value);
    auto [status, err] = run("eval '" + prog.string() + "' --set \"$(cat '" + (dir.path / "args.txt").string() + "')\"",
                             "/dev/null");
    CHECK(status == 2);
    CHECK(err == prog.string() + ": error: the inputs hold 12000 numbers, too many to save: written out in full, as "
                                 "files and links store them, the program could reach 312216 bytes (the limit is 262144)\n");
  }
}
