// A small JSON writer and reader for the graph views, the command line and the JS API.
// Hand-written instead of nlohmann/json, which cost about 70 KB of the browser build's wasm.
//
// Contents: JsonWriter (compact or indented output, key order as written) | JsonValue and parse_json()
// (objects keep their key order; nesting depth costs heap, never stack)
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "error.h"

namespace gs {

// --- JsonWriter ------------------------------------------------------------------------------
// Streams one JSON value: w.begin_object().key("a").begin_array().number(1).end_array().end_object()
// gives {"a":[1.0]} compact (indent -1) or nlohmann/json's dump(indent) layout for indent >= 0.
// Numbers print as nlohmann prints them: the shortest digits that read back as the same
// double ("0.1", "2.0", "1e-07"), integers without a point, NaN and infinities as null.
// Strings pass valid UTF-8 through; control characters are escaped and invalid bytes become U+FFFD.
class JsonWriter {
 public:
  explicit JsonWriter(int indent = -1) : indent_(indent) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);  // inside an object, before each value
  JsonWriter& string(std::string_view s);
  JsonWriter& number(double v);
  JsonWriter& integer(long long v);
  JsonWriter& boolean(bool b);
  JsonWriter& null();

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void before_value();  // the comma, newline and indentation a new value or key needs
  JsonWriter& open(char bracket);
  JsonWriter& close(char bracket);

  std::string out_;
  int indent_;
  std::vector<char> empty_;  // per open array or object: nothing written in it yet (char: vector<bool> was 1 KB of the page)
  bool after_key_ = false;
};

// The JSON text of a double as JsonWriter::number writes it ("null" when not finite).
std::string json_number(double v);

// --- JsonValue and parse_json() --------------------------------------------------------------
class JsonValue {
 public:
  using Array = std::vector<JsonValue>;
  using Object = std::vector<std::pair<std::string, JsonValue>>;  // in the order the text gives them

  JsonValue() = default;  // null
  explicit JsonValue(bool b) : v_(b) {}
  explicit JsonValue(double n) : v_(n) {}
  explicit JsonValue(std::string s) : v_(std::move(s)) {}
  explicit JsonValue(const char* s) : v_(std::string(s)) {}
  explicit JsonValue(Array a) : v_(std::move(a)) {}
  explicit JsonValue(Object o) : v_(std::move(o)) {}
  // Move-only, and destroyed without recursion: a value may be nested 100000 deep.
  JsonValue(JsonValue&&) noexcept = default;
  JsonValue& operator=(JsonValue&&) noexcept = default;
  JsonValue(const JsonValue&) = delete;
  JsonValue& operator=(const JsonValue&) = delete;
  ~JsonValue();

  bool is_null() const { return v_.index() == 0; }
  bool is_bool() const { return v_.index() == 1; }
  bool is_number() const { return v_.index() == 2; }
  bool is_string() const { return v_.index() == 3; }
  bool is_array() const { return v_.index() == 4; }
  bool is_object() const { return v_.index() == 5; }

  // Each of these requires the matching is_...() to hold.
  bool as_bool() const { return std::get<bool>(v_); }
  double as_number() const { return std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // The member called `key` of an object (the last one if the key repeats), or nullptr.
  const JsonValue* find(std::string_view key) const;

 private:
  void move_children_to(std::vector<JsonValue>& pending);  // leaves this array or object empty

  std::variant<std::monostate, bool, double, std::string, Array, Object> v_;
};

// Reads one JSON value (RFC 8259: strict, UTF-8, surrounding whitespace allowed). Any depth
// of nesting parses on the heap. Numbers are doubles; one that overflows a double is an
// error, and an integer -0 reads as 0, as in nlohmann/json. The error's line and column
// (1-based, in bytes) point at the first offending character.
Result<JsonValue> parse_json(std::string_view text);

}  // namespace gs
