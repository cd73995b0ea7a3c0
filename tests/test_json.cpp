// core/json.h: the writer's numbers, strings and layout, and the reader's values, errors and
// depth. nlohmann/json (a test-only dependency here) is the independent reference: it parses
// what we write, and where it is cheap our text is the text it would print.
//
// Contents: numbers | strings | layout | graph views | parse | parse errors | deep nesting
#include <doctest.h>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/examples.h"
#include "core/json.h"
#include "core/serialize.h"
#include "tests/helpers.h"

using namespace gs;
using namespace gs::testing;
using nlohmann::ordered_json;

namespace {

double from_bits(uint64_t bits) {
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

uint64_t bits_of(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

JsonValue parsed(const std::string& text) {
  auto v = parse_json(text);
  if (!v) FAIL("parse_json(" << text.substr(0, 80) << ") failed: " << v.error().message);
  return std::move(v.value());
}

}  // namespace

// --- numbers ---------------------------------------------------------------------------------

TEST_CASE("JsonWriter numbers: shortest round-trip text, laid out as nlohmann/json prints them") {
  SUBCASE("hand-checked texts") {
    const std::vector<std::pair<double, const char*>> cases = {
        {2.0, "2.0"}, {0.25, "0.25"}, {0.1, "0.1"}, {-1.5, "-1.5"}, {0.0, "0.0"}, {-0.0, "-0.0"},
        {1e308, "1e+308"}, {1e-5, "1e-05"}, {1e-4, "0.0001"}, {1e15, "1e+15"}, {1e14, "100000000000000.0"},
        {123.456, "123.456"}, {1.0 / 3, "0.3333333333333333"}, {5e-324, "5e-324"}, {DBL_MAX, "1.7976931348623157e+308"},
        {DBL_MIN, "2.2250738585072014e-308"}, {-2.5e-10, "-2.5e-10"}, {1234567.0, "1234567.0"}};
    for (const auto& c : cases) {
      const std::string text = c.second;  // not a structured binding: clang 14 cannot CAPTURE one
      CAPTURE(text);
      CHECK(json_number(c.first) == text);
      CHECK(ordered_json(c.first).dump() == text);  // the reference prints the same
    }
  }
  SUBCASE("NaN and infinities are null; integers have no point") {
    CHECK(json_number(NAN) == "null");
    CHECK(json_number(INFINITY) == "null");
    CHECK(json_number(-INFINITY) == "null");
    CHECK(JsonWriter().begin_array().integer(-42).integer(1LL << 62).number(-NAN).end_array().text() ==
          "[-42,4611686018427387904,null]");
  }
  SUBCASE("random bit patterns, denormals and extremes read back bit for bit") {
    std::mt19937_64 rng(20240611);
    std::vector<double> values = {5e-324, 4.9406564584124654e-324 * 3, from_bits(0x000FFFFFFFFFFFFFull), DBL_MIN,
                                  DBL_MAX, -DBL_MAX, 1e308, 0.1, 0.2, 0.3, 1e23, 9007199254740993.0, -0.0};
    for (int i = 0; i < 20000; ++i) {
      double v = from_bits(rng());
      if (std::isfinite(v)) values.push_back(v);
      values.push_back(from_bits(rng() & 0x800FFFFFFFFFFFFFull));  // a denormal (or +-0)
    }
    int same_as_reference = 0;
    for (double v : values) {
      const std::string text = json_number(v);
      CAPTURE(text);
      REQUIRE(bits_of(std::strtod(text.c_str(), nullptr)) == bits_of(v));
      REQUIRE(bits_of(ordered_json::parse(text).get<double>()) == bits_of(v));
      REQUIRE(bits_of(parsed(text).as_number()) == bits_of(v));
      // nlohmann's Grisu2 is shortest almost always; ours is shortest always, never longer.
      const std::string reference = ordered_json(v).dump();
      REQUIRE(text.size() <= reference.size());
      same_as_reference += text == reference;
    }
    CHECK(same_as_reference >= int(values.size()) * 99 / 100);
  }
}

TEST_CASE("round_trip_digits is the fewest digits that read back, as trying 1, 2, ... 17 in turn finds") {
  auto fewest = [](double v) {
    char buf[32];
    for (int digits = 1; digits < 17; ++digits) {
      std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
      if (std::strtod(buf, nullptr) == v) return digits;
    }
    return 17;
  };
  std::vector<double> values = {0.0, -0.0, 0.1, 0.25, 2.5, 1e-7, 1e23, 5e-324, DBL_MIN, DBL_MAX, 9007199254740993.0};
  // Powers of two, where the gap below a double is half the gap above, and their neighbours.
  for (int e = -1074; e <= 1023; ++e) {
    const double p = std::ldexp(1.0, e);
    values.insert(values.end(), {p, std::nextafter(p, 0.0), std::nextafter(p, INFINITY), -p});
  }
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    double v = from_bits(rng());
    if (std::isfinite(v)) values.push_back(v);
    values.push_back(double(rng() % 100000) / 1000.0);  // short decimals, as people type them
  }
  for (double v : values) {
    CAPTURE(v);
    REQUIRE(round_trip_digits(v) == fewest(v));
  }
}

// --- strings ---------------------------------------------------------------------------------

TEST_CASE("JsonWriter strings: escapes, UTF-8 through, invalid bytes as U+FFFD") {
  auto written = [](const std::string& s) { return JsonWriter().string(s).take(); };
  SUBCASE("hand-checked escapes") {
    CHECK(written("a\"b\\c/d") == R"("a\"b\\c/d")");
    CHECK(written("\b\f\n\r\t") == R"("\b\f\n\r\t")");
    CHECK(written(std::string("\x00\x01\x1f\x7f", 4)) == std::string(R"("\u0000\u0001\u001f)") + "\x7f\"");
    CHECK(written("é € 😀") == "\"é € 😀\"");
  }
  SUBCASE("every ASCII byte and some UTF-8: nlohmann/json reads back the same string and writes the same text") {
    std::string s;
    for (int c = 0; c < 128; ++c) s += char(c);
    s += "ü ∂f/∂W 𝜕 \xEF\xBF\xBF \xF4\x8F\xBF\xBF";  // up to U+FFFF and U+10FFFF
    const std::string text = written(s);
    CHECK(ordered_json::parse(text).get<std::string>() == s);
    CHECK(ordered_json(s).dump() == text);
    CHECK(parsed(text).as_string() == s);
  }
  SUBCASE("bytes that are not UTF-8") {
    const std::string fffd = "\xEF\xBF\xBD";
    CHECK(written("a\xff" "b") == "\"a" + fffd + "b\"");
    CHECK(written("\xC0\x80") == "\"" + fffd + fffd + "\"");              // overlong NUL
    CHECK(written("\xED\xA0\x80") == "\"" + fffd + fffd + fffd + "\"");   // a surrogate
    CHECK(written("\xE2\x82") == "\"" + fffd + fffd + "\"");              // cut short
    CHECK(written("\xF4\x90\x80\x80") == "\"" + repeat(fffd, 4) + "\"");  // past U+10FFFF
    CHECK(ordered_json::parse(written("x\x80y\xfe")).get<std::string>() == "x" + fffd + "y" + fffd);
  }
}

// --- layout ----------------------------------------------------------------------------------

TEST_CASE("JsonWriter layout: compact and indented, as nlohmann/json dumps") {
  auto sample = [](int indent) {
    JsonWriter w(indent);
    w.begin_object().key("a").begin_array().integer(1).integer(2).end_array().key("b").begin_object().end_object();
    w.key("c").begin_array().end_array().key("d").begin_object().key("e").begin_array().begin_array().number(0.5);
    w.null().end_array().end_array().key("f").boolean(true).end_object().key("g").string("h").end_object();
    return w.take();
  };
  CHECK(sample(-1) == R"({"a":[1,2],"b":{},"c":[],"d":{"e":[[0.5,null]],"f":true},"g":"h"})");
  CHECK(sample(2) ==
        "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": [],\n  \"d\": {\n    \"e\": [\n      [\n"
        "        0.5,\n        null\n      ]\n    ],\n    \"f\": true\n  },\n  \"g\": \"h\"\n}");
  for (int indent : {-1, 0, 1, 2, 4}) {
    CAPTURE(indent);
    CHECK(sample(indent) == ordered_json::parse(sample(-1)).dump(indent));
  }
  CHECK(JsonWriter(2).begin_array().end_array().text() == "[]");
  CHECK(JsonWriter(2).string("top").text() == "\"top\"");
}

// --- graph views -----------------------------------------------------------------------------

TEST_CASE("graph_json and check_json: nlohmann/json's text, keys in their documented order") {
  SUBCASE("every example, compact and indented") {
    for (const Example& e : examples()) {
      CAPTURE(e.name);
      Graph g = compiled(e.source);
      const std::string compact = graph_json(g);
      for (int indent : {-1, 0, 2, 4}) CHECK(graph_json(g, indent) == ordered_json::parse(compact).dump(indent));
    }
  }
  SUBCASE("key order") {
    Graph g = compiled("x = [[2], [0.5]]\nf = sum(x ^ 3)");
    ordered_json j = ordered_json::parse(graph_json(g));
    std::vector<std::string> top, pow_keys;
    for (auto& [k, v] : j.items()) top.push_back(k);
    CHECK(top == std::vector<std::string>{"output", "nodes"});
    for (auto& [k, v] : j["nodes"][1].items()) pow_keys.push_back(k);
    CHECK(pow_keys ==
          std::vector<std::string>{"name", "op", "inputs", "shape", "value", "grad", "expr", "line", "exponent"});
    CHECK(j["nodes"][1]["value"].dump() == "[[8.0],[0.125]]");
    CHECK(j["nodes"][1]["exponent"].dump() == "3.0");
    CHECK(j["nodes"][0]["grad"].dump() == "[[12.0],[0.75]]");  // 3 x^2
    Graph mlp = compiled(find_example("mlp")->source);
    GradCheck c = gradient_check(mlp);
    ordered_json cj = ordered_json::parse(check_json(c, 1e-6));
    std::vector<std::string> check_keys;
    for (auto& [k, v] : cj.items()) check_keys.push_back(k);
    CHECK(check_keys == std::vector<std::string>{"max_error", "tolerance", "passed", "entries", "checked", "sampled", "inputs"});
    CHECK(cj["tolerance"].dump() == "1e-06");
    CHECK(check_json(c, 1e-6, 2) == cj.dump(2));
  }
  SUBCASE("node_json") {
    Graph g = compiled("x = [[1, -0.5]]\nf = sum(x * x)");
    CHECK(node_json(g, g.find("x")) == R"({"value":[[1.0,-0.5]],"grad":[[2.0,-1.0]],"shape":[1,2]})");
  }
}

// --- parse -----------------------------------------------------------------------------------

TEST_CASE("parse_json values") {
  SUBCASE("every kind, keys in the order written") {
    JsonValue v = parsed(R"( {"b": 1, "a": [true, false, null, "x\u00e9\ud83d\ude00\n"], "c": {"d": -0.5e1}} )");
    REQUIRE(v.is_object());
    const auto& members = v.as_object();
    REQUIRE(members.size() == 3);
    CHECK(members[0].first == "b");
    CHECK(members[1].first == "a");
    CHECK(members[2].first == "c");
    CHECK(v.find("b")->as_number() == 1);
    const auto& a = v.find("a")->as_array();
    REQUIRE(a.size() == 4);
    CHECK((a[0].is_bool() && a[0].as_bool()));
    CHECK((a[1].is_bool() && !a[1].as_bool()));
    CHECK(a[2].is_null());
    CHECK(a[3].as_string() == "xé😀\n");
    CHECK(v.find("c")->find("d")->as_number() == -5.0);
    CHECK(v.find("e") == nullptr);
    CHECK(a[0].find("b") == nullptr);  // not an object
  }
  SUBCASE("a repeated key: the last one counts") {
    JsonValue v = parsed(R"({"k": 1, "k": 2})");
    CHECK(v.as_object().size() == 2);
    CHECK(v.find("k")->as_number() == 2);
  }
  SUBCASE("numbers") {
    CHECK(!std::signbit(parsed("-0").as_number()));  // an integer -0 is 0, as in nlohmann/json
    CHECK(std::signbit(parsed("-0.0").as_number()));
    CHECK(parsed("1e-400").as_number() == 0);
    CHECK(parsed("18446744073709551616").as_number() == 18446744073709551616.0);
    CHECK(parsed("1E+2").as_number() == 100);
    CHECK(parsed(" \t\r\n0.1 \n").as_number() == 0.1);
    CHECK(parsed("\xEF\xBB\xBF[]").as_array().empty());  // a byte order mark
  }
  SUBCASE("a value moves without copying") {
    JsonValue v = parsed("[[1, 2], {\"a\": \"b\"}]");
    JsonValue w = std::move(v);
    CHECK(w.as_array().size() == 2);
    w = parsed("null");
    CHECK(w.is_null());
  }
}

TEST_CASE("parse_json errors: a message, a line and a column") {
  struct Case {
    std::string text, message;
    int line, column;
  };
  const std::string unpaired = "unpaired surrogate in a string: \\uD800-\\uDBFF must be followed by \\uDC00-\\uDFFF";
  const std::vector<Case> cases = {
      {"", "expected a value, found the end of the text", 1, 1},
      {"   ", "expected a value, found the end of the text", 1, 4},
      {"[1, 2", "expected ',' or ']', found the end of the text", 1, 6},
      {"[1 2]", "expected ',' or ']', found '2'", 1, 4},
      {"[1,]", "expected a value, found ']'", 1, 4},
      {"[01]", "expected ',' or ']', found '1'", 1, 3},
      {"{\"a\" 1}", "expected ':' after the key, found '1'", 1, 6},
      {"{a: 1}", "expected a key in double quotes, found 'a'", 1, 2},
      {"{\"a\": 1,}", "expected a key in double quotes, found '}'", 1, 9},
      {"{\"a\": 1]", "expected ',' or '}', found ']'", 1, 8},
      {"-", "expected a digit, found the end of the text", 1, 2},
      {"-x", "expected a digit, found 'x'", 1, 2},
      {"1.", "expected a digit after the decimal point, found the end of the text", 1, 3},
      {"1e+", "expected a digit in the exponent, found the end of the text", 1, 4},
      {".5", "expected a value, found '.'", 1, 1},
      {"[1e400]", "the number is too large for a double", 1, 2},
      {"[1]\n x", "expected the end of the text after the value, found 'x'", 2, 2},
      {"tru", "expected a value, found 't'", 1, 1},
      {"\x01", "expected a value, found byte 0x01", 1, 1},
      {"\"abc", "expected '\"' to close the string, found the end of the text", 1, 5},
      {"\"a\nb\"", "control character in a string: write it as an escape such as \\n or \\u001f", 1, 3},
      {"\"\\x\"", "expected one of \" \\ / b f n r t u after a backslash, found 'x'", 1, 3},
      {"\"\\", "expected one of \" \\ / b f n r t u after a backslash, found the end of the text", 1, 3},
      {"\"\\u12g4\"", "expected 4 hex digits after \\u, found 'g'", 1, 6},
      {"\"ab\\ud800\"", unpaired, 1, 4},
      {"\"\\udc00\"", unpaired, 1, 2},
      {"\"\\ud800\\u0041\"", unpaired, 1, 2},
      {"\"\xff\"", "invalid UTF-8 in a string", 1, 2},
      {"[\"\xC3\"]", "invalid UTF-8 in a string", 1, 3},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto v = parse_json(c.text);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().message == c.message);
    CHECK(v.error().line == c.line);
    CHECK(v.error().column == c.column);
    CHECK(ordered_json::parse(c.text, nullptr, false).is_discarded());  // the reference rejects it too
  }
}

TEST_CASE("parse_json accepts and rejects what nlohmann/json does") {
  const std::vector<std::string> texts = {
      "0", "-0", "1.5e-3", "[]", "{}", "[[]]", "\"\"", "\"\\/\"", "\"\\u0000\"", "true", "null", " [ 1 , { } ] ",
      "00", "+1", "1.e5", "0x10", "[1,,2]", "{\"a\":}", "{,}", "nul", "\"\t\"", "\"\\U0041\"", "[1] [2]", "1 2",
      "\xEF\xBB\xBF" "1", "\"\xF0\x9F\x98\x80\"", "\"\xF0\x9F\x98\"", "-1e309", "1e-999", "[-]", "\"\\ud83d\\ude00\""};
  for (const std::string& text : texts) {
    CAPTURE(text);
    CHECK(parse_json(text).ok() == !ordered_json::parse(text, nullptr, false).is_discarded());
  }
}

// --- deep nesting ----------------------------------------------------------------------------

TEST_CASE("parse_json: 500000 levels of nesting on the heap, not the stack") {
  // A parser or destructor that recursed once per level would need far more than the 8 MiB
  // main-thread stack here.
  const int depth = 500000;
  SUBCASE("arrays") {
    JsonValue v = parsed(repeat("[", depth) + "7" + repeat("]", depth));
    const JsonValue* at = &v;
    int levels = 0;
    while (at->is_array()) {
      REQUIRE(at->as_array().size() == 1);
      at = &at->as_array()[0];
      ++levels;
    }
    CHECK(levels == depth);
    CHECK(at->as_number() == 7);
  }
  SUBCASE("objects") {
    JsonValue v = parsed(repeat("{\"k\":", depth) + "null" + repeat("}", depth));
    const JsonValue* at = &v;
    int levels = 0;
    for (; at->is_object(); ++levels) at = at->find("k");
    CHECK(levels == depth);
    CHECK(at->is_null());
  }
  SUBCASE("never closed") {
    auto v = parse_json(repeat("[", depth));
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().message == "expected a value, found the end of the text");
    CHECK(v.error().column == depth + 1);
  }
  SUBCASE("matrix_from_json keeps its message") {
    auto m = matrix_from_json(repeat("[", 100000) + "1" + repeat("]", 100000));
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().message == "entry [0][0] is not a finite number");
  }
}
